import { describe, expect, it } from "vitest";
import { type Delimiter, parseCsv, parseCsvRange, parseCsvText, scanRowBoundaries, type TabularRow } from "../../../src/core/tabular";
import { randomCsv, referenceSheetRows } from "../../fixtures/tabular/csv-gen";
import { chunkedStream, collect, concat, cp1252, SMALL_PIECES, utf8 } from "../../fixtures/tabular/streams";

async function read(bytes: Uint8Array, opts: Parameters<typeof parseCsv>[1], pieces: number | readonly number[] = 65536) {
  const reader = parseCsv(chunkedStream(bytes, pieces), { sheetRows: true, sourceText: true, ...opts });
  const header = await reader.header();
  const headerSource = await reader.headerSourceText();
  const rows = await collect(reader);
  return { header, headerSource, rows, trailing: reader.trailingSourceText() };
}

const rebuilt = (r: { headerSource?: string; rows: TabularRow[]; trailing: string }) =>
  (r.headerSource ?? "") + r.rows.map((x) => x.sourceText ?? "").join("") + r.trailing;

describe("spreadsheet row numbers of CSV records", () => {
  it("numbers the header 1 and the first record 2, as a spreadsheet program shows them", async () => {
    const { rows } = await read(utf8("sku,title\nA,x\nB,y\n"), {});
    expect(rows.map((r) => [r.row, r.sheetRow])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it("counts blank lines and CR, LF and CRLF line ends; a quoted multi-line cell is one row", async () => {
    const csv = '\r\nsku;desc\r\n\r\nA;"linha 1\r\nlinha 2\nlinha 3"\rB;x\n\n\nC;"y"\r\n';
    for (const pieces of [65536, 1, 2, SMALL_PIECES]) {
      const { rows } = await read(utf8(csv), { delimiter: ";" }, pieces);
      // Row 1 is blank, the header is row 2, row 3 is blank, A spans three lines of one row.
      expect(rows.map((r) => [r.values[0], r.row, r.sheetRow])).toEqual([
        ["A", 1, 4],
        ["B", 2, 5],
        ["C", 3, 8],
      ]);
    }
  });

  it("numbers an oversized record and keeps counting after it", async () => {
    const big = "x".repeat(5000);
    const csv = `a,b\n1,"${big}\n${big}"\n\n2,ok\n`;
    for (const pieces of [65536, 97]) {
      const { rows } = await read(utf8(csv), { maxRecordLength: 4096 }, pieces);
      expect(rows.map((r) => [r.problem?.code, r.sheetRow])).toEqual([
        ["record_too_large", 2],
        [undefined, 4],
      ]);
      expect(rows[0].sourceText).toBeUndefined();
    }
  });

  it("agrees with a naive reader on random CSVs, whatever the chunking", async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const delimiter = ([",", ";", "\t", "|"] as const)[seed % 4];
      const text = (seed % 3 === 0 ? "\r\n\n" : "") + randomCsv(seed, 50, delimiter);
      const expected = referenceSheetRows(text, delimiter);
      const r = await read(utf8(text), { delimiter }, seed % 2 ? SMALL_PIECES : 13);
      expect([1, ...r.rows.map((x) => x.sheetRow)].length).toBe(expected.length);
      expect(r.rows.map((x) => x.sheetRow)).toEqual(expected.slice(1));
    }
  });

  it("leaves rows as they were without the option", async () => {
    const [row] = await collect(parseCsv(utf8("a\n1\n")));
    expect(row).toEqual({ row: 1, values: ["1"] });
    expect(Object.keys(row)).toEqual(["row", "values"]);
  });
});

describe("source text of CSV records", () => {
  it("gives back the decoded file exactly when concatenated", async () => {
    for (let seed = 40; seed < 70; seed++) {
      const delimiter = ([",", ";", "\t"] as const)[seed % 3];
      const text = (seed % 4 === 0 ? "\n\r\n" : "") + randomCsv(seed, 40, delimiter) + (seed % 5 === 0 ? "\r\n\r\n\n" : "");
      const r = await read(utf8(text), { delimiter }, seed % 2 ? SMALL_PIECES : 7);
      expect(rebuilt(r)).toBe(text);
    }
  });

  it("keeps a record's line end (CRLF whole) and the blank lines before it", async () => {
    const { headerSource, rows, trailing } = await read(cp1252('SKU;Preço\r\n\r\n"A\r\n1";10,50\r\nB;2\n\n'), { encoding: "windows-1252", delimiter: ";" });
    expect(headerSource).toBe("SKU;Preço\r\n");
    expect(rows.map((r) => r.sourceText)).toEqual(['\r\n"A\r\n1";10,50\r\n', "B;2\n"]);
    expect(trailing).toBe("\n");
  });

  it("is the same from parseCsvText", () => {
    const text = "a,b\n\n1,2\r\n3,4";
    const r = parseCsvText(text, { sheetRows: true, sourceText: true });
    expect(r.rows.map((x) => [x.sourceText, x.sheetRow])).toEqual([
      ["\n1,2\r\n", 3],
      ["3,4", 4],
    ]);
    expect(r.headerSourceText + r.rows.map((x) => x.sourceText).join("") + r.trailingSourceText).toBe(text);
  });
});

describe("ranged parsing with row numbers and source text", () => {
  it("matches a whole-file parse, row numbers and source text included", async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const delimiter: Delimiter = ([",", ";", "\t", "|"] as const)[seed % 4];
      const text = (seed % 3 === 0 ? "\n" : "") + randomCsv(seed, 60, delimiter) + (seed % 4 === 0 ? "\n\n" : "");
      const bytes = seed % 5 === 0 ? concat(utf8("\uFEFF"), utf8(text)) : utf8(text);
      const whole = await read(bytes, { delimiter });
      const b = await scanRowBoundaries(chunkedStream(bytes, seed % 2 ? SMALL_PIECES : 64), {
        rowsPerChunk: 1 + (seed % 6),
        encoding: "utf-8",
        delimiter,
        sheetRows: true,
      });
      expect(b.headerSheetRow).toBe(referenceSheetRows(text, delimiter)[0]);
      const rows: TabularRow[] = [];
      let trailing = "";
      for (const c of b.chunks) {
        const reader = parseCsvRange(chunkedStream(bytes.subarray(c.start, c.end), 4096), b.header, { delimiter, sheetRows: true, sourceText: true }, c);
        rows.push(...(await collect(reader)));
        trailing = reader.trailingSourceText();
      }
      expect(rows).toEqual(whole.rows);
      // Blank lines after a range that ends on a cut belong to no range.
      const after = new TextDecoder().decode(bytes.subarray(b.chunks.at(-1)?.end ?? bytes.length));
      expect(trailing + after).toBe(whole.trailing);
      // The bytes before the first range are the header (and any BOM and blank lines before it).
      if (b.chunks.length > 0) {
        expect(new TextDecoder().decode(bytes.subarray(0, b.chunks[0].start))).toBe(whole.headerSource);
      }
    }
  });

  it("needs the chunk's start row to number rows", () => {
    expect(() => parseCsvRange(utf8("1\n"), ["a"], { sheetRows: true }, 1)).toThrow(RangeError);
  });
});
