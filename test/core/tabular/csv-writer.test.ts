import { describe, expect, it } from "vitest";
import { csvEscapeField, csvLine, parseCsv, parseCsvText, toCsvStream } from "../../../src/core/tabular";
import { collect } from "../../fixtures/tabular/streams";

describe("csvEscapeField", () => {
  it("neutralizes cells a spreadsheet would run as formulas (OWASP)", () => {
    expect(csvEscapeField("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvEscapeField("+55 11 9999-9999")).toBe("'+55 11 9999-9999");
    expect(csvEscapeField("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvEscapeField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvEscapeField("\tx")).toBe("'\tx");
    expect(csvEscapeField("\rx")).toBe(`"'\rx"`);
  });

  it("leaves plain numbers and ordinary text alone", () => {
    expect(csvEscapeField("-12.5")).toBe("-12.5");
    expect(csvEscapeField("+3")).toBe("+3");
    expect(csvEscapeField("-10,50", ";")).toBe("-10,50");
    expect(csvEscapeField(-7)).toBe("-7");
    expect(csvEscapeField("Camiseta = top")).toBe("Camiseta = top");
    expect(csvEscapeField(null)).toBe("");
  });

  it("quotes per RFC 4180", () => {
    expect(csvEscapeField('diz "oi", tchau')).toBe('"diz ""oi"", tchau"');
    expect(csvEscapeField("a;b", ";")).toBe('"a;b"');
    expect(csvEscapeField("a;b", ",")).toBe("a;b");
    expect(csvEscapeField("l1\nl2")).toBe('"l1\nl2"');
  });
});

describe("csvLine and toCsvStream", () => {
  it("round-trips through the parser", async () => {
    const rows = [
      ["A,1", 'x "y"', "multi\nline", "=1+1", "-3.5"],
      ["", "ção", null, true, 42],
    ];
    const bytes = new Uint8Array(await new Response(toCsvStream(rows, { header: ["a", "b", "c", "d", "e"], bom: true })).arrayBuffer());
    const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFa,b,c,d,e\r\n")).toBe(true);
    const { rows: back } = parseCsvText(text);
    expect(back.map((r) => r.values)).toEqual([
      ["A,1", 'x "y"', "multi\nline", "'=1+1", "-3.5"],
      ["", "ção", "", "true", "42"],
    ]);
    expect(csvLine(["a", "b;c"], ";")).toBe('a;"b;c"\r\n');
  });

  it("pulls rows lazily from an async source", async () => {
    let produced = 0;
    async function* gen() {
      for (let i = 0; i < 100_000; i++) {
        produced++;
        yield [`SKU-${i}`, i];
      }
    }
    const reader = toCsvStream(gen()).getReader();
    await reader.read();
    expect(produced).toBeLessThan(10_000);
    await reader.cancel();
    const rows = await collect(parseCsv(toCsvStream([["h"], ["1"]]), { hasHeader: false }));
    expect(rows.map((r) => r.values)).toEqual([["h"], ["1"]]);
  });
});
