import { createReadStream, existsSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { isColumnName } from "../../src/core/mapping";
import {
  csvPreamble,
  type CsvReader,
  parseCsv,
  parseJsonArray,
  parseNdjson,
  type RandomAccessReader,
  SNIFF_BYTES,
  sniff,
  type SniffResult,
  type XlsxReader,
  xlsxToRows,
} from "../../src/core/tabular";
import { usageError } from "./args";

/** The file being validated: what it is and how to read it again (each reader is one pass). */
export interface Source {
  path: string;
  /** The file name without its extension ("planilha" for planilha.csv): output names start with it. */
  stem: string;
  /** The extension with its dot (".csv"), or "" when the name has none. */
  ext: string;
  sniffed: SniffResult;
  /** CSV: records above the header that hold only a title (see `preambleLength`). */
  titleRecords: number;
  /** Random access to the bytes (workbooks are read from their ZIP directory). */
  reader: RandomAccessReader;
  close(): Promise<void>;
}

/** A sample for suggesting a mapping: the header and the first rows as cells. */
export interface Sample {
  header: string[];
  rows: string[][];
}

const SAMPLE_ROWS = 50;

export async function openSource(file: string): Promise<Source> {
  if (!existsSync(file) || !statSync(file).isFile()) throw usageError(`There is no file ${file}.`, `O arquivo ${file} não existe.`);
  const handle = await open(file);
  const size = (await handle.stat()).size;
  const reader: RandomAccessReader = {
    size,
    async read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      await handle.read(bytes, 0, bytes.length, offset);
      return bytes;
    },
  };
  const head = await reader.read(0, SNIFF_BYTES);
  const sniffed = sniff(head);
  const titleRecords = sniffed.format === "csv" ? await csvPreamble(head, { encoding: sniffed.encoding, delimiter: sniffed.delimiter }, isColumnName) : 0;
  const ext = path.extname(file);
  const source = { path: file, stem: path.basename(file, ext), ext, sniffed, titleRecords, reader, close: () => handle.close() };
  if (size === 0) throw usageError(`${file} is empty.`, `${file} está vazio.`);
  switch (sniffed.format) {
    case "csv":
    case "xlsx":
    case "json":
    case "ndjson":
      return source;
    case "ole":
      throw usageError(
        `${file} is a legacy .xls or a password-protected workbook. Open it in Excel and save it as .xlsx (without a password) or as CSV.`,
        `${file} é um .xls antigo ou uma pasta de trabalho com senha. Abra no Excel e salve como .xlsx (sem senha) ou como CSV.`,
      );
    default:
      throw usageError(`${file} is not CSV, XLSX, JSON or NDJSON.`, `${file} não é CSV, XLSX, JSON nem NDJSON.`);
  }
}

function bytes(source: Source): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(source.path)) as ReadableStream<Uint8Array>;
}

/** The CSV's rows with the spreadsheet's row numbers, and their source text when the file will be rewritten. */
export function csvRows(source: Source, keepText: boolean): CsvReader {
  const { encoding, delimiter } = source.sniffed;
  return parseCsv(bytes(source), { encoding, delimiter, sheetRows: true, sourceText: keepText, skipRecords: source.titleRecords });
}

export function xlsxRows(source: Source): XlsxReader {
  return xlsxToRows(source.reader, { headerBelowTitle: isColumnName });
}

export function jsonRecords(source: Source) {
  return source.sniffed.format === "json" ? parseJsonArray(bytes(source)) : parseNdjson(bytes(source));
}

/** The header and first rows, read from the start of the file (a separate pass). */
export async function sampleOf(source: Source): Promise<Sample> {
  if (source.sniffed.format === "csv" || source.sniffed.format === "xlsx") {
    const reader = source.sniffed.format === "csv" ? csvRows(source, false) : xlsxRows(source);
    const header = (await reader.header()) ?? [];
    const rows: string[][] = [];
    for await (const row of reader) {
      if (rows.length === SAMPLE_ROWS) break;
      if (!row.problem) rows.push(row.values);
    }
    return { header, rows };
  }
  // JSON records: their keys are the columns.
  const header: string[] = [];
  const objects: Record<string, unknown>[] = [];
  for await (const record of jsonRecords(source)) {
    if (objects.length === SAMPLE_ROWS) break;
    if (!record.value) continue;
    objects.push(record.value);
    for (const key of Object.keys(record.value)) if (!header.includes(key)) header.push(key);
  }
  return { header, rows: objects.map((o) => header.map((h) => cellText(o[h]))) };
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(cellText).join("|");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
