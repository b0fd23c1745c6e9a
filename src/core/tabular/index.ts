export type { ByteSource, Delimiter, RandomAccessReader, RowProblem, RowProblemCode, TabularRow, TextEncodingName } from "./types";
export { TabularError, type TabularErrorCode } from "./errors";
export { sniff, SNIFF_BYTES, type SniffResult, type TabularFormat } from "./sniff";
export { parseCsv, parseCsvRange, parseCsvText, type CsvOptions, type CsvReader } from "./csv";
export { scanRowBoundaries, type BoundaryOptions, type RowBoundaries, type RowChunk } from "./boundaries";
export { openZip, readEntry, DEFAULT_ZIP_LIMITS, type ZipArchive, type ZipEntry, type ZipLimits } from "./zip";
export {
  openXlsx,
  xlsxToRows,
  type XlsxOptions,
  type XlsxReader,
  type XlsxRow,
  type XlsxSheetInfo,
  type XlsxWorkbook,
} from "./xlsx";
export { parseJsonArray, parseNdjson, type JsonOptions, type JsonRecord } from "./json";
export { csvEscapeField, csvLine, toCsvStream, type CsvStreamOptions } from "./csv-writer";
export { bytesReader } from "./readers";
