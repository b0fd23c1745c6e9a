import { describe, expect, it } from "vitest";
import { bytesReader, openZip, readEntry, TabularError, xlsxToRows, type ZipLimits } from "../../../src/core/tabular";
import { collect } from "../../fixtures/tabular/streams";
import { buildXlsx } from "../../fixtures/tabular/xlsx-builder";
import { writeZip, type ZipInput } from "../../fixtures/tabular/zip-writer";

async function inflateAll(entries: ZipInput[], limits: Partial<ZipLimits> = {}, zip64 = false): Promise<Map<string, string>> {
  const zip = await openZip(bytesReader(await writeZip(entries, { zip64 })), limits);
  const out = new Map<string, string>();
  for (const e of zip.entries.values()) {
    const parts = await collect(readEntry(zip, e));
    out.set(e.name, new TextDecoder().decode(new Uint8Array(await new Blob(parts).arrayBuffer())));
  }
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TabularError) return err.code;
    throw err;
  }
  throw new Error("expected a TabularError");
}

const zeros = (n: number) => new Uint8Array(n);

describe("zip reader", () => {
  it("reads stored and deflated entries", async () => {
    const out = await inflateAll([
      { name: "a.txt", data: "olá", method: 0 },
      { name: "b.txt", data: "x".repeat(100_000) },
    ]);
    expect(out.get("a.txt")).toBe("olá");
    expect(out.get("b.txt")).toBe("x".repeat(100_000));
  });

  it("finds the central directory through a ZIP64 end record", async () => {
    const out = await inflateAll([{ name: "a.txt", data: "zip64" }], {}, true);
    expect(out.get("a.txt")).toBe("zip64");
  });

  it("refuses too many entries before reading the directory", async () => {
    const entries = Array.from({ length: 11 }, (_v, i) => ({ name: `f${i}`, data: "", method: 0 as const }));
    expect(await codeOf(inflateAll(entries, { maxEntries: 10 }))).toBe("zip_too_many_entries");
  });

  it("refuses an entry whose declared size is over the limit (declared bomb)", async () => {
    expect(await codeOf(inflateAll([{ name: "big", data: zeros(5000) }], { maxEntryBytes: 4096 }))).toBe("zip_entry_too_large");
  });

  it("refuses an entry compressed past the ratio limit", async () => {
    expect(await codeOf(inflateAll([{ name: "z", data: zeros(4 * 1024 * 1024) }], { maxCompressionRatio: 100 }))).toBe(
      "zip_compression_ratio",
    );
  });

  it("aborts an entry that inflates past its declared size (actual bomb)", async () => {
    // 8 MiB of zeros declared as 1 KiB: refused after the first inflated chunk, not at the end.
    const zip = await openZip(bytesReader(await writeZip([{ name: "bomb", data: zeros(8 * 1024 * 1024), declaredSize: 1024 }])));
    let seen = 0;
    const code = await codeOf(
      (async () => {
        for await (const b of readEntry(zip, zip.entries.get("bomb")!)) seen += b.length;
      })(),
    );
    expect(code).toBe("zip_size_mismatch");
    expect(seen).toBeLessThanOrEqual(1024);
    expect(zip.inflatedBytes).toBeLessThan(1024 * 1024);
  });

  it("caps inflated bytes across entries", async () => {
    const entries = [
      { name: "a", data: zeros(3000) },
      { name: "b", data: zeros(3000) },
    ];
    expect(await codeOf(inflateAll(entries, { maxTotalBytes: 5000 }))).toBe("zip_total_too_large");
  });

  it("reports a sheet bomb through xlsxToRows as a coded error", async () => {
    const bytes = await buildXlsx({
      sheets: [{ name: "S", rows: [["a"]] }],
    });
    const reader = xlsxToRows(bytesReader(bytes), { limits: { maxEntryBytes: 100 } });
    await expect(collect(reader)).rejects.toMatchObject({ code: "zip_entry_too_large" });
  });

  it("refuses truncated or corrupt archives", async () => {
    const text = Array.from({ length: 400 }, (_v, i) => `produto ${i * 7919} preço ${i % 13}`).join("\n");
    const bytes = await writeZip([{ name: "a", data: text }]);
    expect(await codeOf(openZip(bytesReader(bytes.subarray(0, bytes.length - 30))))).toBe("corrupt_zip");
    const broken = bytes.slice();
    broken.fill(0xff, 100, 140);
    const zip = await openZip(bytesReader(broken));
    // Damaged deflate data is either undecodable or decodes to the wrong size.
    expect(["corrupt_zip", "zip_size_mismatch"]).toContain(await codeOf(collect(readEntry(zip, zip.entries.get("a")!))));
  });
});
