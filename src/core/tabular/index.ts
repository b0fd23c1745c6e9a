export type { ByteSource, Delimiter, RandomAccessReader, RowProblem, RowProblemCode, TabularRow, TextEncodingName } from "./types";
export { TabularError, type TabularErrorCode } from "./errors";
export { bytesReader } from "./readers";

// Reading what sellers bring.
export { sniff, SNIFF_BYTES, type SniffResult, type TabularFormat, writesDecimalComma } from "./sniff";
export { forEachCsvRow, parseCsv, parseCsvRange, parseCsvText, type CsvOptions, type CsvReader, type RangeStart } from "./csv";
export { scanRowBoundaries, type BoundaryOptions, type RowBoundaries, type RowChunk } from "./boundaries";
export { csvPreamble, csvRecordsAbove, preambleLength } from "./header-row";
export { openZip, readEntry, readStoredBytes, DEFAULT_ZIP_LIMITS, type ZipArchive, type ZipEntry, type ZipLimits } from "./zip";
export {
  openXlsx,
  pickSheet,
  sheetPart,
  xlsxToRows,
  type XlsxOptions,
  type XlsxReader,
  type XlsxRow,
  type XlsxSheetInfo,
  type XlsxWorkbook,
} from "./xlsx";
export { parseJsonArray, parseNdjson, type JsonOptions, type JsonRecord } from "./json";

// Writing what they take back.
export {
  byteOrderMark,
  canEncode,
  correctedFileEncoding,
  encodeText,
  encodeTextStream,
  reencode,
  unencodableAt,
  type CorrectedFileEncoding,
  type EncodedText,
  type OutputEncoding,
} from "./encode";
export { csvEscapeField, csvLine, looksLikeFormula, neutralizeFormula, reportCsvDialect, toCsvStream, type CsvStreamOptions } from "./csv-writer";
export { changedCells, rewriteCsvRecord, type CellValue, type CsvCellEdit, type CsvDialect } from "./csv-rewrite";
export { crc32 } from "./crc32";
export { ZipWriter, zipStream } from "./zip-writer";
export { columnLetters, writeXlsx, xlsxStream, XLSX_MAX_CELL_CHARS, type XlsxCell, type XlsxSheetSpec } from "./xlsx-writer";
export {
  rewriteSheetXml,
  rewriteXlsx,
  writeRewrittenXlsx,
  type XlsxCellEdit,
  type XlsxRewriteOptions,
  type XlsxRewriteResult,
  type XlsxSkipReason,
} from "./xlsx-rewrite";
export { issueReportCells, issueReportHeader, issuesCsv, issuesWorkbook, type ReportIssue } from "./issues-report";
