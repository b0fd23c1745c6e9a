import { describe, expect, it } from "vitest";
import {
  type CsvOptions,
  type Delimiter,
  parseCsv,
  parseCsvRange,
  type RowBoundaries,
  scanRowBoundaries,
  type TabularRow,
  type TextEncodingName,
} from "../../../src/core/tabular";
import { randomCsv } from "../../fixtures/tabular/csv-gen";
import { chunkedStream, collect, concat, cp1252, SMALL_PIECES, utf8 } from "../../fixtures/tabular/streams";

async function wholeParse(bytes: Uint8Array, opts: CsvOptions): Promise<{ header: string[] | null; rows: TabularRow[] }> {
  const reader = parseCsv(bytes, opts);
  return { header: await reader.header(), rows: await collect(reader) };
}

async function rangeParse(bytes: Uint8Array, b: RowBoundaries, opts: CsvOptions): Promise<TabularRow[]> {
  const rows: TabularRow[] = [];
  for (const c of b.chunks) {
    const part = await collect(parseCsvRange(chunkedStream(bytes.subarray(c.start, c.end), 4096), b.header, opts, c.firstRow));
    expect(part).toHaveLength(c.rows);
    rows.push(...part);
  }
  return rows;
}

async function expectSameRows(bytes: Uint8Array, delimiter: Delimiter, encoding: TextEncodingName, rowsPerChunk: number, pieces: number | readonly number[] = 65536) {
  const opts = { delimiter, encoding };
  const whole = await wholeParse(bytes, opts);
  const b = await scanRowBoundaries(chunkedStream(bytes, pieces), { rowsPerChunk, encoding, delimiter });
  expect(b.header).toEqual(whole.header);
  expect(b.totalRows).toBe(whole.rows.length);
  expect(b.totalBytes).toBe(bytes.length);
  expect(await rangeParse(bytes, b, opts)).toEqual(whole.rows);
  return b;
}

describe("scanRowBoundaries", () => {
  it("cuts byte ranges of whole records", async () => {
    const bytes = utf8("sku,t\nA,1\nB,2\nC,3\nD,4\nE,5\n");
    const b = await scanRowBoundaries(bytes, { rowsPerChunk: 2, encoding: "utf-8", delimiter: "," });
    expect(b.header).toEqual(["sku", "t"]);
    expect(b.headerRange).toEqual({ start: 0, end: 5 });
    expect(b.chunks).toEqual([
      { index: 0, start: 6, end: 14, firstRow: 1, rows: 2 },
      { index: 1, start: 14, end: 22, firstRow: 3, rows: 2 },
      { index: 2, start: 22, end: 26, firstRow: 5, rows: 1 },
    ]);
    expect(b.totalRows).toBe(5);
  });

  it("does not cut inside a quoted newline that straddles the cut point", async () => {
    const csv = 'sku,desc\r\nA,"one\r\ntwo"\r\nB,"three\nfour\n\nfive"\r\nC,x\r\n';
    const b = await expectSameRows(utf8(csv), ",", "utf-8", 1, 1);
    expect(b.chunks.map((c) => c.rows)).toEqual([1, 1, 1]);
    expect(new TextDecoder().decode(utf8(csv).subarray(b.chunks[1].start, b.chunks[1].end))).toBe('B,"three\nfour\n\nfive"\r\n');
  });

  it("treats a quote inside an unquoted field as literal, like the parser", async () => {
    const csv = 'sku;tam\nTV;50" tela\nX;"a\nb"\nY;2\n';
    const b = await expectSameRows(utf8(csv), ";", "utf-8", 1, SMALL_PIECES);
    expect(b.totalRows).toBe(3);
  });

  it("skips the BOM, empty lines and CR-only line ends consistently with the parser", async () => {
    const csv = "\uFEFF\n\nsku,t\r\n\r\nA,1\rB,2\n\n\nC,3";
    const b = await expectSameRows(utf8(csv), ",", "utf-8", 2, [1, 2]);
    expect(b.header).toEqual(["sku", "t"]);
    expect(b.totalRows).toBe(3);
  });

  it("works on Windows-1252 bytes", async () => {
    const csv = 'SKU;Preço;Descrição\r\nA1;10,50;"Camisa\r\nalgodão"\r\nA2;5,00;Calça\r\n';
    const b = await expectSameRows(cp1252(csv), ";", "windows-1252", 1, 3);
    expect(b.header).toEqual(["SKU", "Preço", "Descrição"]);
  });

  it("reports an unterminated quote and counts its record like the parser", async () => {
    const b = await expectSameRows(utf8('a,b\n1,2\n3,"open\n4,5\n'), ",", "utf-8", 10);
    expect(b.unterminatedQuote).toBe(true);
    expect(b.totalRows).toBe(2);
  });

  it("also cuts by bytes when maxChunkBytes is set", async () => {
    const bytes = utf8("h\n" + "0123456789\n".repeat(100));
    const b = await scanRowBoundaries(bytes, { rowsPerChunk: 1000, maxChunkBytes: 100, encoding: "utf-8", delimiter: "," });
    expect(b.chunks.length).toBe(10);
    expect(b.chunks.every((c) => c.end - c.start <= 110)).toBe(true);
    expect(b.largestRecordBytes).toBe(10);
  });

  it("handles a file with only a header, and an empty file", async () => {
    expect(await scanRowBoundaries(utf8("a,b"), { rowsPerChunk: 5, encoding: "utf-8", delimiter: "," })).toMatchObject({
      header: ["a", "b"],
      chunks: [],
      totalRows: 0,
    });
    expect(await scanRowBoundaries(new Uint8Array(0), { rowsPerChunk: 5, encoding: "utf-8", delimiter: "," })).toMatchObject({
      header: [],
      chunks: [],
      totalRows: 0,
      totalBytes: 0,
    });
  });

  it("matches a whole-file parse on random CSVs full of quotes, newlines and ragged rows", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const delimiter: Delimiter = ([",", ";", "\t"] as const)[seed % 3];
      const text = randomCsv(seed, 60, delimiter);
      const bytes = seed % 4 === 0 ? concat(utf8("\uFEFF"), utf8(text)) : utf8(text);
      await expectSameRows(bytes, delimiter, "utf-8", 1 + (seed % 7), seed % 2 === 0 ? SMALL_PIECES : 64);
    }
  });
});
