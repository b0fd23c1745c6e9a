/**
 * Text encodings the readers accept. UTF-8 and Windows-1252 keep `"`, the delimiters, CR and LF
 * as single bytes; UTF-16 (Excel's "Unicode Text", always with a byte order mark) keeps them as
 * single 16-bit code units, which is what the boundary scanner relies on.
 */
export type TextEncodingName = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

/** Field delimiters the sniffer recognizes. */
export type Delimiter = "," | ";" | "\t" | "|";

/** Why a row could not be read as a clean record. The row is reported, never thrown. */
export type RowProblem =
  | { code: "ragged_row"; expected: number; actual: number }
  | { code: "unterminated_quote" }
  | { code: "field_too_large"; column: number; limit: number }
  | { code: "record_too_large"; limit: number }
  | { code: "too_many_columns"; limit: number; actual: number }
  | { code: "invalid_json"; message: string }
  | { code: "not_an_object" };

export type RowProblemCode = RowProblem["code"];

/**
 * One record of a tabular source. `row` is the 1-based record number in the source (the header
 * is row 0). When `problem` is set, `values` may be incomplete (see the problem code).
 */
export interface TabularRow {
  row: number;
  values: string[];
  problem?: RowProblem;
  /**
   * The row number a spreadsheet program shows for this record: XLSX, the sheet's own row; CSV
   * (with the `sheetRows` option), the line the record starts on, counting blank lines and with
   * a quoted multi-line cell as one row (header on the first line = row 1, first record = row 2).
   */
  sheetRow?: number;
  /**
   * CSV with the `sourceText` option: the record exactly as it appears in the decoded source,
   * from the end of the previous record (blank lines before it included) through its own line
   * ending. Concatenating the header's, every record's and the trailing text gives back the
   * source text, so untouched records can be written back unchanged. Absent on a record over
   * `maxRecordLength` (it is skipped without being kept).
   */
  sourceText?: string;
}

/** Random access to bytes, backed by R2 range reads in production and a Uint8Array in tests. */
export interface RandomAccessReader {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Anything the streaming readers accept as their byte source. */
export type ByteSource = ReadableStream<Uint8Array> | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
