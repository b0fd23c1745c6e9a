import { describe, expect, it } from "vitest";
import { parseJsonArray, parseNdjson } from "../../../src/core/tabular";
import { chunkedStream, collect, SMALL_PIECES, utf8 } from "../../fixtures/tabular/streams";

describe("parseNdjson", () => {
  it("reads one object per line and reports bad lines by record number", async () => {
    const text = '{"sku":"A","preço":10.5}\r\n\n{"sku": "B"\n[1,2]\n{"sku":"C"}';
    for (const pieces of [65536, SMALL_PIECES]) {
      const out = await collect(parseNdjson(chunkedStream(utf8(text), pieces)));
      expect(out.map((r) => r.row)).toEqual([1, 2, 3, 4]);
      expect(out[0].value).toEqual({ sku: "A", preço: 10.5 });
      expect(out[1].problem?.code).toBe("invalid_json");
      expect(out[2].problem).toEqual({ code: "not_an_object" });
      expect(out[3].value).toEqual({ sku: "C" });
    }
  });

  it("skips an oversized line and goes on", async () => {
    const text = `{"a":1}\n{"a":"${"x".repeat(500)}"}\n{"a":3}\n`;
    const out = await collect(parseNdjson(chunkedStream(utf8(text), 50), { maxRecordLength: 100 }));
    expect(out).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 2, problem: { code: "record_too_large", limit: 100 } },
      { row: 3, value: { a: 3 } },
    ]);
  });
});

describe("parseJsonArray", () => {
  it("streams the elements of a top-level array, whatever the chunking", async () => {
    const text = ' [ {"sku":"A","tags":["x,]","y"],"d":{"k":"}\\"{"}} ,\n{"sku":"B"} , 42, {"bad": } ] ';
    for (const pieces of [65536, SMALL_PIECES, [1]]) {
      const out = await collect(parseJsonArray(chunkedStream(utf8(text), pieces)));
      expect(out.map((r) => r.row)).toEqual([1, 2, 3, 4]);
      expect(out[0].value).toEqual({ sku: "A", tags: ["x,]", "y"], d: { k: '}"{' } });
      expect(out[1].value).toEqual({ sku: "B" });
      expect(out[2].problem).toEqual({ code: "not_an_object" });
      expect(out[3].problem?.code).toBe("invalid_json");
    }
  });

  it("reads an empty array", async () => {
    expect(await collect(parseJsonArray(utf8("[ ]")))).toEqual([]);
  });

  it("bounds memory per element", async () => {
    const text = `[{"a":"${"x".repeat(1000)}"},{"a":2}]`;
    const out = await collect(parseJsonArray(chunkedStream(utf8(text), 64), { maxRecordLength: 200 }));
    expect(out).toEqual([
      { row: 1, problem: { code: "record_too_large", limit: 200 } },
      { row: 2, value: { a: 2 } },
    ]);
  });

  it("throws invalid_json for a broken array after yielding what came before", async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const r of parseJsonArray(utf8('[{"a":1},{"a":2'))) seen.push(r.row);
      })(),
    ).rejects.toMatchObject({ code: "invalid_json" });
    expect(seen).toEqual([1]);
    await expect(collect(parseJsonArray(utf8('{"a":1}')))).rejects.toMatchObject({ code: "invalid_json" });
    await expect(collect(parseJsonArray(utf8('[{"a":1}] x')))).rejects.toMatchObject({ code: "invalid_json" });
    await expect(collect(parseJsonArray(utf8('[{"a":1},]')))).rejects.toMatchObject({ code: "invalid_json" });
  });
});
