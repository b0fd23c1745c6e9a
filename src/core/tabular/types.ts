/** Text encodings the readers accept. Both keep `"`, `,`, `;`, tab, CR and LF as single bytes. */
export type TextEncodingName = "utf-8" | "windows-1252";

/** Field delimiters the sniffer recognizes. */
export type Delimiter = "," | ";" | "\t";

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
}

/** Random access to bytes, backed by R2 range reads in production and a Uint8Array in tests. */
export interface RandomAccessReader {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Anything the streaming readers accept as their byte source. */
export type ByteSource = ReadableStream<Uint8Array> | Uint8Array | AsyncIterable<Uint8Array>;
