import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { newId } from "../core/ids";
import type { SheetOptions } from "../core/jobs/types";
import { isColumnName } from "../core/mapping";
import { csvPreamble, csvRecordsAbove, type Delimiter, parseCsv, parseJsonArray, parseNdjson, SNIFF_BYTES, type SniffResult, sniff, TabularError, xlsxToRows } from "../core/tabular";
import { database } from "../db/client";
import { files, jobs } from "../db/schema";
import { config } from "../config";
import { notFound, VitrineError } from "../core/errors";
import { formatBytes } from "../core/sizes";
import { text } from "../core/text";
import type { Env } from "../env";
import { objectKeys } from "../storage/keys";
import { type Inspection, inspector, pipeline } from "../storage/streams";
import { type Page, type PageQuery, paginate } from "../db/paginate";
import { r2RandomAccess } from "../storage/r2-reads";

const MAX_NAME_CHARS = 200;
const DEFAULT_NAME = "upload";

export type FileRow = typeof files.$inferSelect;
export type FileFormat = FileRow["format"];

export interface FileView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  format: FileFormat;
  encoding?: "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";
  delimiter?: string;
  content_type: string;
  created_at: string;
}

export function maxFileBytes(env: Env): number {
  return config(env).maxFileBytes;
}

export function tooLarge(limit: number): VitrineError {
  const size = formatBytes(limit);
  return new VitrineError("payload_too_large", text(`Files may be at most ${size}.`, `Arquivos podem ter no máximo ${size}.`), {
    limit_bytes: limit,
  });
}

export function wrongLength(expected: number, actual: number): VitrineError {
  const got = actual > expected ? `more than ${expected}` : String(actual);
  const recebidos = actual > expected ? `mais de ${expected}` : String(actual);
  return new VitrineError(
    "invalid_request",
    text(`Content-Length announced ${expected} bytes but the body had ${got}.`, `O Content-Length anunciou ${expected} bytes, mas o corpo tinha ${recebidos}.`),
  );
}

const emptyFile = () => new VitrineError("unprocessable", text("The file is empty.", "O arquivo está vazio."));

/**
 * A display name from what the client sent: the last path segment, without control,
 * zero-width or bidi-override characters, at most 200 characters (keeping the extension).
 */
export function sanitizeFileName(raw: string | null | undefined): string {
  const cleaned = (raw ?? "")
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|\p{Cs}/gu, "");
  const name = (cleaned.split(/[/\\]/).pop() ?? "").trim();
  if (name === "" || /^\.+$/.test(name)) return DEFAULT_NAME;
  const chars = Array.from(name);
  if (chars.length <= MAX_NAME_CHARS) return name;
  const ext = /\.[^.\s]{1,10}$/.exec(name)?.[0] ?? "";
  return Array.from(name.slice(0, name.length - ext.length)).slice(0, MAX_NAME_CHARS - ext.length).join("").trimEnd() + ext;
}

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
  ndjson: "application/x-ndjson",
};

export interface DetectedFormat {
  format: FileFormat;
  encoding: FileRow["encoding"];
  delimiter: string | null;
  contentType: string;
}

const unsupported = (en: string, pt: string) =>
  new VitrineError(
    "unsupported_media_type",
    text(`${en} Upload CSV, XLSX, JSON (an array of objects) or NDJSON.`, `${pt} Envie CSV, XLSX, JSON (um array de objetos) ou NDJSON.`),
  );

/** Runs a reader, turning a file it refuses into the caller's input error (422). */
export function readerErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof TabularError ? error.toVitrineError() : error;
  }
}

/** The format of a file from its first bytes; what Vitrine cannot read is refused (415). */
export function detectFormat(head: Uint8Array): DetectedFormat {
  // sniff() reads a PDF without NUL bytes in its first 64 KiB as text; its signature is unambiguous.
  if (head.length >= 5 && String.fromCharCode(...head.subarray(0, 5)) === "%PDF-") {
    throw unsupported("This is a PDF document.", "Este é um documento PDF.");
  }
  const sniffed: SniffResult = readerErrors(() => sniff(head));
  switch (sniffed.format) {
    case "csv":
      return {
        format: "csv",
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
        contentType: `text/csv; charset=${sniffed.encoding}`,
      };
    case "json":
    case "ndjson":
      return { format: sniffed.format, encoding: sniffed.encoding, delimiter: null, contentType: CONTENT_TYPES[sniffed.format] };
    case "xlsx":
      return { format: "xlsx", encoding: null, delimiter: null, contentType: CONTENT_TYPES.xlsx };
    case "ole":
      throw unsupported(
        "This is a legacy .xls workbook or a password-protected .xlsx. Save it as .xlsx without a password, or as CSV.",
        "Esta é uma planilha .xls antiga ou um .xlsx protegido por senha. Salve como .xlsx sem senha, ou como CSV.",
      );
    case "zip":
      throw unsupported("This is a ZIP archive but not an Excel workbook.", "Este é um arquivo ZIP, mas não uma planilha do Excel.");
    default:
      throw unsupported("This is binary content, not a spreadsheet or text file.", "Este é um conteúdo binário, não uma planilha nem um arquivo de texto.");
  }
}

/**
 * An inspector for exactly `length` bytes that also detects their format from the head, failing
 * the stream (415) as soon as the head shows content Vitrine cannot read.
 */
export function inspectBytes(length: number) {
  let detected: DetectedFormat | undefined;
  const inspect = inspector({
    headBytes: SNIFF_BYTES,
    length,
    wrongLength: (actual) => wrongLength(length, actual),
    onHead: (head) => {
      detected = detectFormat(head);
    },
  });
  return { inspect, detected: () => detected! };
}

export function fileView(row: FileRow): FileView {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    format: row.format,
    ...(row.encoding ? { encoding: row.encoding } : {}),
    ...(row.delimiter ? { delimiter: row.delimiter } : {}),
    content_type: row.contentType,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

export function fileRow(accountId: string, fileId: string, name: string, seen: Inspection, detected: DetectedFormat, now = Date.now()): FileRow {
  return {
    id: fileId,
    accountId,
    name,
    size: seen.size,
    sha256: seen.sha256,
    format: detected.format,
    encoding: detected.encoding,
    delimiter: detected.delimiter,
    contentType: detected.contentType,
    r2Key: objectKeys.upload(accountId, fileId),
    createdAt: now,
  };
}

export interface IncomingFile {
  /** Already sanitized with `sanitizeFileName`. */
  name: string;
  /** The body's exact length (Content-Length). */
  size: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * Streams a body into R2 while hashing it and sniffing its format; nothing is held but the
 * first 64 KiB. Unsupported content stops the upload as soon as its head is seen. Whatever
 * fails after the write began, the partial object is deleted.
 */
export async function createFile(env: Env, accountId: string, input: IncomingFile): Promise<FileView> {
  const limit = maxFileBytes(env);
  if (input.size > limit) throw tooLarge(limit);
  if (input.size === 0) throw emptyFile();
  const fileId = newId("file");
  const key = objectKeys.upload(accountId, fileId);
  const { inspect, detected } = inspectBytes(input.size);
  try {
    await env.FILES.put(key, pipeline(input.body, inspect.transform, new FixedLengthStream(input.size)));
    const row = fileRow(accountId, fileId, input.name, await inspect.result, detected());
    await database(env.DB).insert(files).values(row);
    return fileView(row);
  } catch (error) {
    await env.FILES.delete(key).catch(() => undefined);
    throw inspect.failure() ?? error;
  }
}

/** The account's file row (with its R2 key, format and size), or null: for the jobs pipeline. */
export async function getFile(env: Env, accountId: string, fileId: string): Promise<FileRow | null> {
  const [row] = await database(env.DB)
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

export async function listFiles(env: Env, accountId: string, page: PageQuery): Promise<Page<FileView>> {
  const db = database(env.DB);
  return paginate(
    files.id,
    page,
    (cursor, take) => db.select().from(files).where(and(eq(files.accountId, accountId), cursor)).orderBy(desc(files.id)).limit(take),
    fileView,
  );
}

/** The file's bytes, whole or a range of them; null when the object is gone. */
export async function readFileContent(
  env: Env,
  file: Pick<FileRow, "r2Key">,
  range?: { offset: number; length: number },
): Promise<ReadableStream<Uint8Array> | null> {
  const object = await env.FILES.get(file.r2Key, range ? { range } : undefined);
  return object?.body ?? null;
}

/**
 * Deletes the row, then the bytes (so no row ever points at missing bytes). A file that a
 * queued or running job still reads cannot be deleted. Returns false when there is no such file.
 */
export async function deleteFile(env: Env, accountId: string, fileId: string): Promise<boolean> {
  const db = database(env.DB);
  const [busy] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), eq(jobs.fileId, fileId), inArray(jobs.status, ["queued", "running"])))
    .limit(1);
  if (busy) {
    throw new VitrineError(
      "conflict",
      text(
        `Job ${busy.id} is still reading this file. Cancel the job or wait for it to finish, then delete the file.`,
        `O job ${busy.id} ainda está lendo este arquivo. Cancele o job ou aguarde o fim dele e então apague o arquivo.`,
      ),
    );
  }
  const [deleted] = await db
    .delete(files)
    .where(and(eq(files.id, fileId), eq(files.accountId, accountId)))
    .returning({ r2Key: files.r2Key });
  if (!deleted) return false;
  await env.FILES.delete(deleted.r2Key);
  return true;
}

/** How much of a file a sample reads at most: enough for a header and dozens of rows. */
const SAMPLE_BYTES = 1024 * 1024;

export interface FileSample {
  header: string[];
  /** Up to `rows` data rows, cells in header order. */
  rows: string[][];
}

/**
 * The header and first rows of an account's file, read from its head (any supported format and
 * encoding), for suggesting a mapping without the seller parsing their own file. `layout` names the
 * sheet and rows as a job's options do (a template); without it the header is looked for below a title.
 */
export async function readSample(env: Env, accountId: string, fileId: string, rows = 50, layout: SheetOptions = {}): Promise<FileSample> {
  const file = await getFile(env, accountId, fileId);
  if (!file) throw notFound(text("File", "O arquivo"), fileId);
  const length = Math.min(file.size, SAMPLE_BYTES);
  const head = async () => new Uint8Array(await (await env.FILES.get(file.r2Key, { range: { offset: 0, length } }))!.arrayBuffer());
  try {
    const { sheet, headerRow, firstDataRow } = layout;
    if (file.format === "xlsx") {
      return await sampleRows(xlsxToRows(r2RandomAccess(env.FILES, file.r2Key, file.size), { sheet, headerRow, firstDataRow, headerBelowTitle: isColumnName }), rows);
    }
    if (file.format === "csv") {
      const bytes = await head();
      const dialect = { encoding: file.encoding ?? "utf-8", delimiter: (file.delimiter ?? ",") as Delimiter };
      const skipRecords = headerRow !== undefined ? await csvRecordsAbove(bytes, dialect, headerRow) : await csvPreamble(bytes, dialect, isColumnName);
      const reader = parseCsv(bytes, { ...dialect, skipRecords, sheetRows: true });
      // A head cut mid-file ends in a partial record: only whole ones count.
      const sample = await sampleRows(reader, file.size > length ? rows + 1 : rows, firstDataRow);
      if (file.size > length) sample.rows = sample.rows.slice(0, rows);
      return sample;
    }
    const records = file.format === "json" ? parseJsonArray(await head()) : parseNdjson(await head());
    const header: string[] = [];
    const objects: Record<string, unknown>[] = [];
    for await (const record of records) {
      if (objects.length === rows) break;
      if (!record.value) continue;
      objects.push(record.value);
      for (const key of Object.keys(record.value)) if (!header.includes(key)) header.push(key);
    }
    return { header, rows: objects.map((o) => header.map((h) => cellText(o[h]))) };
  } catch (error) {
    // A JSON head cut mid-array is expected; what was read before the cut is the sample.
    throw error instanceof TabularError ? error.toVitrineError() : error;
  }
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : Array.isArray(value) ? value.map(cellText).join("|") : typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function sampleRows(
  reader: { header(): Promise<string[] | null> } & AsyncIterable<{ values: string[]; problem?: unknown; sheetRow?: number }>,
  rows: number,
  firstDataRow = 0,
): Promise<FileSample> {
  const header = (await reader.header()) ?? [];
  const out: string[][] = [];
  for await (const row of reader) {
    if (out.length === rows) break;
    if (!row.problem && (row.sheetRow ?? firstDataRow) >= firstDataRow) out.push(row.values);
  }
  return { header, rows: out };
}
