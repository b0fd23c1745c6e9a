import { describe, expect, it } from "vitest";
import { isColumnName } from "../../../src/core/mapping";
import { bytesReader, csvPreamble, csvRecordsAbove, parseCsv, parseCsvRange, preambleLength, scanRowBoundaries, xlsxToRows } from "../../../src/core/tabular";
import { buildXlsx } from "../../fixtures/tabular/xlsx-builder";
import { chunkedStream, collect, cp1252 } from "../../fixtures/tabular/streams";

/** A sheet as sellers keep it: a title, a date, a row of empty cells, then the column names. */
const TITLED = [
  "Planilha de produtos - Loja da Ana;;;",
  "Atualizada em 05/12/2026;;;",
  ";;;",
  "Código;Título;Preço;Estoque",
  "CAN-001;Caneca Azul;29,90;10",
  "CAN-002;Caneca Verde;19,90;0",
  "CAN-003;Caneca Branca;9,90;4",
].join("\r\n") + "\r\n";

describe("preambleLength", () => {
  const never = () => false;

  it("finds the header below title rows, a date and a row of empty cells", () => {
    expect(preambleLength([["Planilha de produtos", "", ""], ["", "", ""], ["sku", "title", "price"], ["A", "B", "1"]], never)).toBe(2);
  });

  it("keeps the first record as the header when it has two names, or when its one name is a column name", () => {
    expect(preambleLength([["sku", "title"], ["A", "B"]], never)).toBe(0);
    expect(preambleLength([["SKU", "", ""], ["A", "x", "y"]], isColumnName)).toBe(0);
    expect(preambleLength([["Minha planilha", "", ""], ["A", "x", "y"]], isColumnName)).toBe(1);
  });

  it("keeps the first record when no record of the first eleven has two values (a one-column file)", () => {
    expect(preambleLength([["sku"], ["A"], ["B"]], never)).toBe(0);
    const late = [...Array.from({ length: 11 }, () => ["título da planilha"]), ["sku", "title"]];
    expect(preambleLength(late, never)).toBe(0);
  });
});

describe("a CSV with title rows above its header", () => {
  const bytes = cp1252(TITLED);
  const dialect = { encoding: "windows-1252" as const, delimiter: ";" as const };

  it("csvPreamble counts them from the file's first bytes", async () => {
    expect(await csvPreamble(bytes, dialect, isColumnName)).toBe(3);
    expect(await csvPreamble(bytes.subarray(0, 60), dialect, isColumnName)).toBe(0); // the header is past the head: nothing found
  });

  it("the reader skips them, numbers the rows as the spreadsheet does, and keeps their text with the header's", async () => {
    const reader = parseCsv(bytes, { ...dialect, skipRecords: 3, sheetRows: true, sourceText: true });
    expect(await reader.header()).toEqual(["Código", "Título", "Preço", "Estoque"]);
    const rows = await collect(reader);
    expect(rows.map((r) => [r.row, r.sheetRow, r.values[0], r.problem])).toEqual([
      [1, 5, "CAN-001", undefined],
      [2, 6, "CAN-002", undefined],
      [3, 7, "CAN-003", undefined],
    ]);
    // Title rows + header + the rows' own text give back the file.
    expect((await reader.headerSourceText()) + rows.map((r) => r.sourceText).join("") + reader.trailingSourceText()).toBe(TITLED);
  });

  it("the boundary scan cuts chunks after the header, with the spreadsheet's row numbers, and chunks read alone give the same rows", async () => {
    const b = await scanRowBoundaries(chunkedStream(bytes, 7), { ...dialect, rowsPerChunk: 2, sheetRows: true, skipRecords: 3 });
    expect(b.header).toEqual(["Código", "Título", "Preço", "Estoque"]);
    expect(b.headerSheetRow).toBe(4);
    expect(b.totalRows).toBe(3);
    expect(b.chunks.map((c) => [c.firstRow, c.rows, c.startSheetRow])).toEqual([
      [1, 2, 5],
      [3, 1, 7],
    ]);
    const read = [];
    for (const c of b.chunks) {
      for (const r of await collect(parseCsvRange(bytes.subarray(c.start, c.end), b.header, { ...dialect, sheetRows: true }, c))) read.push([r.sheetRow, r.values[0]]);
    }
    expect(read).toEqual([
      [5, "CAN-001"],
      [6, "CAN-002"],
      [7, "CAN-003"],
    ]);
    // Everything before the first chunk — title rows and header — is the source's own bytes.
    expect(new TextDecoder("windows-1252").decode(bytes.subarray(0, b.chunks[0].start))).toBe(TITLED.slice(0, TITLED.indexOf("CAN-001")));
  });
});

describe("a workbook with a title above its header", () => {
  const workbook = (rows: { r: number; cells: unknown[] }[]) => buildXlsx({ sheets: [{ name: "Produtos", rows: rows as never }] });

  it("with headerBelowTitle, finds the header and keeps Excel's row numbers", async () => {
    const bytes = await workbook([
      { r: 1, cells: ["Catálogo Loja da Ana — dezembro"] },
      { r: 3, cells: ["Código", "Título", "Preço"] },
      { r: 4, cells: ["CAN-001", "Caneca Azul", 29.9] },
      { r: 6, cells: ["CAN-002", "Caneca Verde", 19.9] },
    ]);
    const reader = xlsxToRows(bytesReader(bytes), { headerBelowTitle: isColumnName });
    expect(await reader.header()).toEqual(["Código", "Título", "Preço"]);
    expect([reader.headerSheetRow(), reader.titleRowsSkipped()]).toEqual([3, 1]);
    expect((await collect(reader)).map((r) => [r.row, r.sheetRow, r.values[0]])).toEqual([
      [1, 4, "CAN-001"],
      [3, 6, "CAN-002"],
    ]);
    // Without it, the title is the header, as before.
    const plain = xlsxToRows(bytesReader(bytes));
    expect(await plain.header()).toEqual(["Catálogo Loja da Ana — dezembro"]);
  });

  it("a header that names only its first column stays the header, and a short sheet is read whole", async () => {
    const bytes = await workbook([
      { r: 1, cells: ["SKU"] },
      { r: 2, cells: ["CAN-001", "Caneca Azul"] },
    ]);
    const reader = xlsxToRows(bytesReader(bytes), { headerBelowTitle: isColumnName });
    expect(await reader.header()).toEqual(["SKU"]);
    expect(reader.titleRowsSkipped()).toBe(0);
    expect((await collect(reader)).map((r) => r.sheetRow)).toEqual([2]);
  });
});

describe("a CSV whose header row the seller names (a marketplace template)", () => {
  // Instructions above the header and a help row below it: rows with several values, so only the seller can say.
  const TEMPLATE = [
    "Instruções: preencha uma linha por produto;Não altere os nomes das colunas",
    "Campos obrigatórios: SKU, Título;",
    "SKU;Título",
    "Ex.: CAN-001;Ex.: Caneca azul",
    "CAN-001;Caneca Azul",
    "CAN-002;Caneca Verde",
  ].join("\n") + "\n";
  const bytes = new TextEncoder().encode(TEMPLATE);
  const dialect = { encoding: "utf-8" as const, delimiter: ";" as const };

  it("csvRecordsAbove counts the records above the named row, and refuses a row that starts no record", async () => {
    expect(await csvRecordsAbove(bytes, dialect, 3)).toBe(2);
    expect(await csvRecordsAbove(bytes, dialect, 1)).toBe(0);
    await expect(csvRecordsAbove(bytes, dialect, 40)).rejects.toMatchObject({ code: "header_not_found" });
    const blank = new TextEncoder().encode("título\n\nsku;title\nA;B\n");
    await expect(csvRecordsAbove(blank, dialect, 2)).rejects.toMatchObject({ code: "header_not_found" });
  });

  it("the boundary scan leaves the help rows before firstDataRow out of every chunk", async () => {
    const b = await scanRowBoundaries(bytes, { ...dialect, rowsPerChunk: 10, sheetRows: true, skipRecords: 2, firstDataRow: 5 });
    expect([b.header, b.headerSheetRow, b.totalRows]).toEqual([["SKU", "Título"], 3, 2]);
    expect(b.chunks.map((c) => [c.firstRow, c.rows, c.startSheetRow])).toEqual([[1, 2, 5]]);
    expect(new TextDecoder().decode(bytes.subarray(b.chunks[0].start, b.chunks[0].end))).toBe("CAN-001;Caneca Azul\nCAN-002;Caneca Verde\n");
  });
});
