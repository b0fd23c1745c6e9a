import { parseCsv } from "./csv";
import { TabularError } from "./errors";
import type { ByteSource, Delimiter, TextEncodingName } from "./types";

/** Records a header search looks at after the first. */
export const LOOK_AHEAD = 10;

const filledCells = (record: readonly string[]) => record.filter((v) => v.trim() !== "");

/**
 * How many records above the header are a title rather than column names. Sheets often start with
 * "Planilha de produtos – Loja X", a date, or a row of empty cells, and the column names come
 * below. Such records hold at most one value, so the header is the first record with two or more.
 * 0 when the first record is the header, when none of the first eleven has two values (a
 * one-column file), or when a one-value record is a column name (`isColumnName("SKU")`): a header
 * that names only its first column stays the header.
 */
export function preambleLength(records: readonly (readonly string[])[], isColumnName: (name: string) => boolean): number {
  const n = Math.min(records.length, LOOK_AHEAD + 1);
  for (let i = 0; i < n; i++) {
    const filled = filledCells(records[i]);
    if (filled.length >= 2) return i;
    if (filled.length === 1 && isColumnName(filled[0])) return 0;
  }
  return 0;
}

/** `preambleLength` of a CSV, read from its first bytes (a head cut mid-record is fine). */
export async function csvPreamble(
  head: ByteSource,
  dialect: { encoding: TextEncodingName; delimiter: Delimiter },
  isColumnName: (name: string) => boolean,
): Promise<number> {
  const records: string[][] = [];
  try {
    for await (const row of parseCsv(head, { ...dialect, hasHeader: false })) {
      records.push(row.values);
      if (records.length > LOOK_AHEAD) break;
    }
  } catch (error) {
    // The file's own read reports what is wrong with it; the search just finds no title.
    if (error instanceof TabularError) return 0;
    throw error;
  }
  return preambleLength(records, isColumnName);
}


/**
 * How many records of a CSV lie above spreadsheet row `headerRow` (the row a seller names as the
 * header), read from the file's first bytes. `header_not_found` when that row is empty, inside a
 * multi-line cell, or past those bytes.
 */
export async function csvRecordsAbove(head: ByteSource, dialect: { encoding: TextEncodingName; delimiter: Delimiter }, headerRow: number): Promise<number> {
  let above = 0;
  for await (const row of parseCsv(head, { ...dialect, hasHeader: false, sheetRows: true })) {
    const at = row.sheetRow ?? 0;
    if (at === headerRow) return above;
    if (at > headerRow) break;
    above++;
  }
  throw new TabularError("header_not_found", `Row ${headerRow} of the file does not start a record within its first ${head instanceof Uint8Array ? head.byteLength : "bytes"} bytes; name the row that holds the column names.`);
}
