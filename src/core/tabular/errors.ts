import { VitrineError } from "../errors";
import { verbatim } from "../text";

/**
 * Reasons a whole file is refused. Every code maps to 422 at the API edge: the upload is
 * well-formed HTTP but not a catalog we will read.
 */
export type TabularErrorCode =
  | "not_a_workbook"
  | "legacy_xls"
  | "encrypted_workbook"
  | "macro_enabled"
  | "unsupported_workbook"
  | "sheet_not_found"
  | "header_not_found"
  | "corrupt_zip"
  | "unsupported_compression"
  | "zip_too_many_entries"
  | "zip_entry_too_large"
  | "zip_total_too_large"
  | "zip_compression_ratio"
  | "zip_size_mismatch"
  | "malformed_xml"
  | "header_too_large"
  | "malformed_csv"
  | "too_many_columns"
  | "invalid_json";

export class TabularError extends Error {
  override readonly name = "TabularError";
  constructor(
    readonly code: TabularErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The refusal as the caller's input error (422), whichever service met it. */
  toVitrineError(): VitrineError {
    return new VitrineError("unprocessable", verbatim(this.message), { reason: `file.${this.code}` });
  }
}
