import { describe, expect, it } from "vitest";
import { type CsvOptions, parseCsv, parseCsvRange, scanRowBoundaries, sniff, type TabularRow } from "../../../src/core/tabular";
import { randomCsv } from "../../fixtures/tabular/csv-gen";
import { chunkedStream, collect, concat, SMALL_PIECES, utf16, utf8 } from "../../fixtures/tabular/streams";

/** What Excel's "Unicode Text" export looks like: UTF-16LE with BOM, tab-separated, CRLF. */
const UNICODE_TEXT = 'SKU\tTítulo\tPreço\r\nA1\tCafé ☕ 𝄞\t10,50\r\nA2\t"Linha 1\r\nLinha 2"\t3\r\n';

async function whole(bytes: Uint8Array, opts: CsvOptions, pieces: number | readonly number[] = 65536) {
  const reader = parseCsv(chunkedStream(bytes, pieces), { ...opts, sheetRows: true });
  return { header: await reader.header(), rows: await collect(reader) };
}

describe("UTF-16 inputs", () => {
  it("sniffs UTF-16LE and UTF-16BE by their byte order mark", () => {
    expect(sniff(utf16(UNICODE_TEXT))).toMatchObject({ format: "csv", encoding: "utf-16le", bom: true, delimiter: "\t", decimalComma: true });
    expect(sniff(utf16(UNICODE_TEXT, "be"))).toMatchObject({ format: "csv", encoding: "utf-16be", bom: true, delimiter: "\t" });
    expect(sniff(utf16('[{"sku":"A"}]')).format).toBe("json");
    // Without its mark, UTF-16 is not guessed: NUL bytes make it binary.
    expect(sniff(utf16("a\tb\r\n1\t2\r\n", "le", false)).format).toBe("binary");
  });

  it("reads Unicode Text in any chunking, odd byte splits included", async () => {
    for (const endian of ["le", "be"] as const) {
      const encoding = endian === "le" ? "utf-16le" : "utf-16be";
      for (const pieces of [65536, 1, 3, SMALL_PIECES]) {
        const { header, rows } = await whole(utf16(UNICODE_TEXT, endian), { encoding, delimiter: "\t" }, pieces);
        expect(header).toEqual(["SKU", "Título", "Preço"]);
        expect(rows.map((r) => [r.values, r.sheetRow])).toEqual([
          [["A1", "Café ☕ 𝄞", "10,50"], 2],
          [["A2", "Linha 1\r\nLinha 2", "3"], 3],
        ]);
      }
    }
  });

  it("cuts UTF-16 into ranges of whole code units that parse like the whole file", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const endian = seed % 2 ? "le" : "be";
      const encoding = endian === "le" ? "utf-16le" : "utf-16be";
      const delimiter = ([",", ";", "\t", "|"] as const)[seed % 4];
      const bytes = utf16(randomCsv(seed, 50, delimiter) + "𝄞 fim", endian);
      const all = await whole(bytes, { encoding, delimiter });
      const b = await scanRowBoundaries(chunkedStream(bytes, seed % 3 ? SMALL_PIECES : 4097), {
        rowsPerChunk: 1 + (seed % 5),
        encoding,
        delimiter,
        sheetRows: true,
      });
      expect(b.header).toEqual(all.header);
      expect(b.totalRows).toBe(all.rows.length);
      expect(b.totalBytes).toBe(bytes.length);
      expect(b.headerRange.start).toBe(2);
      const rows: TabularRow[] = [];
      for (const c of b.chunks) {
        expect(c.start % 2).toBe(0);
        expect(c.end % 2).toBe(0);
        rows.push(...(await collect(parseCsvRange(chunkedStream(bytes.subarray(c.start, c.end), 999), b.header, { encoding, delimiter, sheetRows: true }, c))));
      }
      expect(rows).toEqual(all.rows);
    }
  });

  it("keeps a stray last byte in the last range", async () => {
    const bytes = concat(utf16("a\tb\r\n1\t2"), new Uint8Array([0x41]));
    const b = await scanRowBoundaries(bytes, { rowsPerChunk: 10, encoding: "utf-16le", delimiter: "\t" });
    expect(b.chunks).toEqual([{ index: 0, start: 12, end: bytes.length, firstRow: 1, rows: 1 }]);
  });
});

describe("the | delimiter", () => {
  it("is detected when it splits the header and rows", () => {
    expect(sniff(utf8("sku|title|price\nA|Camisa, azul|10,50\nB|Calça; P|3\n"))).toMatchObject({ delimiter: "|", decimalComma: true });
  });

  it("does not win over a real delimiter when it only appears inside values (image lists)", () => {
    expect(sniff(utf8("sku;images\nA;http://x/1.jpg|http://x/2.jpg|http://x/3.jpg\nB;http://x/4.jpg|http://x/5.jpg\n")).delimiter).toBe(";");
    expect(sniff(utf8("sku,images\nA,a.jpg|b.jpg\n")).delimiter).toBe(",");
  });

  it("reads and cuts |-delimited files", async () => {
    const bytes = utf8('sku|desc\nA|"x|y"\nB|"multi\nline"\n');
    const { rows } = await whole(bytes, { delimiter: "|" });
    expect(rows.map((r) => r.values)).toEqual([
      ["A", "x|y"],
      ["B", "multi\nline"],
    ]);
    const b = await scanRowBoundaries(bytes, { rowsPerChunk: 1, encoding: "utf-8", delimiter: "|" });
    expect(b.chunks.map((c) => c.rows)).toEqual([1, 1]);
  });
});
