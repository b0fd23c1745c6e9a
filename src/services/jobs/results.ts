import type { JobInput, JobPlan } from "../../core/jobs/types";
import type { Issue, Severity } from "../../core/rules";
import {
  type CellValue,
  correctedFileEncoding,
  csvLine,
  type Delimiter,
  encodeText,
  issuesCsv,
  issuesWorkbook,
  reencode,
  reportCsvDialect,
  rewriteXlsx,
  type TextEncodingName,
  type XlsxCellEdit,
} from "../../core/tabular";
import { notFound, VitrineError } from "../../core/errors";
import { type Locale, render, text } from "../../core/text";
import type { JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { linesWithOffsets } from "../../storage/line-offsets";
import { readLines } from "../../storage/lines";
import { listKeys, r2RandomAccess } from "../../storage/r2-reads";
import { assertResultsKept } from "../retention";
import { coordinator, getJobRow } from "./jobs";
import { CSV_EDITS_LAYOUT, type CsvEdit } from "./csv-edits";

/**
 * The job, once it has results: another account's or an unknown job is not found; one still running
 * is a conflict; one whose results are past the retention period is gone.
 */
export async function completedJob(env: Env, accountId: string, jobId: string): Promise<JobRow> {
  const row = await getJobRow(env, accountId, jobId);
  if (!row) throw notFound(text("Job", "O job"), jobId);
  if (row.status !== "completed") {
    throw new VitrineError(
      "conflict",
      text(
        `Job ${jobId} is ${row.status}; results exist once it is completed.`,
        `O job ${jobId} está ${row.status}; os resultados existem quando ele termina (completed).`,
      ),
      { job_status: row.status },
    );
  }
  assertResultsKept(env, row);
  return row;
}

/** A job that ran with apply_fixes, completed: the corrected catalog exists. */
export async function correctedJob(env: Env, accountId: string, jobId: string): Promise<JobRow> {
  const row = await completedJob(env, accountId, jobId);
  if (!row.applyFixes) {
    throw new VitrineError(
      "conflict",
      text(
        "This job ran without apply_fixes, so it has no corrected catalog. Start a job with options.apply_fixes = true.",
        "Este job rodou sem apply_fixes, então não há catálogo corrigido. Crie um job com options.apply_fixes = true.",
      ),
    );
  }
  return row;
}

export interface IssueFilter {
  severity?: Severity;
  rule?: string;
  /** A canonical field: `images` also selects the issues of its items (`images[2]`), as the counts by field do. */
  field?: string;
  /** The seller's column, exactly as the issue names it. */
  column?: string;
  /** The record's SKU, exactly. */
  sku?: string;
  /** SKUs starting with this, ignoring case. */
  skuPrefix?: string;
}

/**
 * A filter compiled for stored issue lines. Each line is `JSON.stringify(issue)`, so an issue whose
 * `sku` is "A" holds the text `"sku":"A"`: a line lacking one of those texts cannot match and is
 * skipped without being parsed, which makes a rare filter cost a text search, not a parse, per line.
 */
function issueMatcher(filter: IssueFilter) {
  const needles: string[] = [];
  const exact = (key: string, value: string | undefined) => {
    if (value) needles.push(`"${key}":${JSON.stringify(value)}`);
  };
  exact("severity", filter.severity);
  exact("rule", filter.rule);
  exact("column", filter.column);
  exact("sku", filter.sku);
  // Without the closing quote, so `images` also finds `images[2]`.
  if (filter.field) needles.push(`"field":${JSON.stringify(filter.field).slice(0, -1)}`);
  const prefix = filter.skuPrefix?.toLowerCase();
  const field = filter.field;
  return {
    mayMatch: (line: string) => needles.every((needle) => line.includes(needle)),
    matches: (issue: Issue) =>
      (!filter.severity || issue.severity === filter.severity) &&
      (!filter.rule || issue.rule === filter.rule) &&
      (!filter.column || issue.column === filter.column) &&
      (!filter.sku || issue.sku === filter.sku) &&
      (!prefix || (typeof issue.sku === "string" && issue.sku.toLowerCase().startsWith(prefix))) &&
      (!field || issue.field === field || issue.field.startsWith(`${field}[`)),
  };
}

/**
 * Where reading resumes: an object of the job's report (by its place in key order) and a byte
 * offset in it. Cursors of an earlier format counted lines instead of bytes; they still work.
 */
interface Position {
  object: number;
  byte: number;
  line?: number;
}

/** An issue as the reader sees it: its message in their language (issues are stored with every language). */
function forReader(stored: Issue, locale: Locale): Issue {
  const { text: message, ...issue } = stored;
  if (message) issue.message = render(message, locale);
  return issue;
}

type Scanned = { issue: Issue; at: Position } | { issue: null; at: Position };

/**
 * The stored issues in report order (chunk by chunk, then cross-chunk duplicates) from a position
 * on: each matching issue in `locale` with the position of its line, and — once `readLimit` lines
 * have been read, matching or not — a bare position to resume from, after which it stops. Each
 * object is read from the position's byte with a ranged read, one stream piece at a time.
 */
async function* scanIssues(
  env: Env,
  job: JobRow,
  filter: IssueFilter,
  locale: Locale,
  from: Position = { object: 0, byte: 0 },
  readLimit = Infinity,
): AsyncGenerator<Scanned> {
  const keys = await listKeys(env.FILES, jobObjects.issuesPrefix(job.accountId, job.id));
  const matcher = issueMatcher(filter);
  let read = 0;
  for (let o = from.object; o < keys.length; o++) {
    const resume = o === from.object;
    const start = resume && from.line === undefined ? from.byte : 0;
    const object = await env.FILES.get(keys[o], start > 0 ? { range: { offset: start } } : undefined).catch((error) => {
      // Our cursors point inside the object; one past its end was not ours.
      if (start > 0) throw foreignCursor();
      throw error;
    });
    if (!object) continue;
    let line = 0;
    let lineStart = start;
    for await (const { text: stored, next } of linesWithOffsets(object.body, start)) {
      const at = { object: o, byte: lineStart };
      const first = lineStart === start;
      lineStart = next;
      if (resume && from.line !== undefined && line++ < from.line) continue;
      if (read++ === readLimit) {
        yield { issue: null, at };
        return;
      }
      if (!stored || !matcher.mayMatch(stored)) continue;
      let issue: Issue;
      try {
        issue = JSON.parse(stored) as Issue;
      } catch (error) {
        // Our cursors point at the start of a line; one in the middle of a line was not ours.
        if (first && start > 0) throw foreignCursor();
        throw error;
      }
      if (matcher.matches(issue)) yield { issue: forReader(issue, locale), at };
    }
  }
}

async function* issueList(env: Env, job: JobRow, filter: IssueFilter, locale: Locale) {
  for await (const { issue } of scanIssues(env, job, filter, locale)) if (issue) yield issue;
}

const encoder = new TextEncoder();

/** Every matching issue as NDJSON, messages in `locale`. */
export function issuesNdjson(env: Env, job: JobRow, filter: IssueFilter, locale: Locale): ReadableStream<Uint8Array> {
  const list = issueList(env, job, filter, locale);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let batch = "";
      while (batch.length < 64 * 1024) {
        const next = await list.next();
        if (next.done) {
          if (batch) controller.enqueue(encoder.encode(batch));
          controller.close();
          return;
        }
        batch += JSON.stringify(next.value) + "\n";
      }
      controller.enqueue(encoder.encode(batch));
    },
    async cancel() {
      await list.return(undefined);
    },
  });
}

export interface ReportRequest {
  /** CSV only: override the source's delimiter. */
  delimiter?: Delimiter;
  /** CSV only: override UTF-8 (with BOM). */
  encoding?: TextEncodingName;
}

/**
 * Every matching issue as a report for spreadsheets: a workbook (issues and one line per rule), or
 * CSV in the dialect of the seller's own file (its delimiter, UTF-8 with BOM, CRLF) unless asked
 * otherwise. Formula-looking cells are neutralized in CSV; a workbook never runs them.
 */
export async function issuesReport(env: Env, job: JobRow, format: "csv" | "xlsx", filter: IssueFilter, locale: Locale, request: ReportRequest = {}) {
  const list = issueList(env, job, filter, locale);
  if (format === "xlsx") return issuesWorkbook(list, locale);
  const input = await coordinator(env, job.id).planInput();
  const source = input?.kind === "csv" ? { delimiter: input.delimiter } : null;
  return issuesCsv(list, locale, reportCsvDialect(source, request));
}

export function encodeCursor(p: Position): string {
  return btoa(`${p.object}:${p.byte}`).replaceAll("=", "");
}

function foreignCursor(): VitrineError {
  return new VitrineError("invalid_request", text("The cursor is not one this API returned.", "O cursor não foi devolvido por esta API."), {
    errors: [{ detail: text("invalid cursor", "cursor inválido"), parameter: "cursor" }],
  });
}

/** The position a cursor of ours encodes; anything else is the caller's mistake. */
export function decodeCursor(cursor: string): Position {
  let position: Position | null = null;
  try {
    // "object:byte"; the earlier "object.line" cursors are still honoured.
    const decoded = atob(cursor);
    const [object, at] = decoded.split(/[:.]/).map(Number);
    if (/^\d+[:.]\d+$/.test(decoded) && Number.isSafeInteger(object) && Number.isSafeInteger(at)) {
      position = decoded.includes(":") ? { object, byte: at } : { object, byte: 0, line: at };
    }
  } catch {
    // Not base64: refused below like any other foreign cursor.
  }
  if (position) return position;
  throw foreignCursor();
}

/**
 * How many stored issues one JSON page reads at most. A filter that matches rarely would otherwise
 * read a million-issue report to fill one page; past this the page ends early (fewer than `limit`
 * issues, possibly none) with `has_more` and a cursor to go on from.
 */
export const MAX_ISSUES_READ_PER_PAGE = 100_000;

export interface IssuesPage {
  data: Issue[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * One page of issues for the JSON format, messages in `locale`. `has_more` and `next_cursor` point
 * at the next matching issue; a page that read `readLimit` stored issues ends there instead, with
 * `has_more` (what follows is not known yet).
 */
export async function issuesPage(
  env: Env,
  job: JobRow,
  filter: IssueFilter,
  limit: number,
  locale: Locale,
  from?: Position,
  readLimit = MAX_ISSUES_READ_PER_PAGE,
): Promise<IssuesPage> {
  const data: Issue[] = [];
  const scan = scanIssues(env, job, filter, locale, from, readLimit);
  try {
    for await (const { issue, at } of scan) {
      if (issue === null || data.length === limit) return { data, has_more: true, next_cursor: encodeCursor(at) };
      data.push(issue);
    }
  } finally {
    await scan.return(undefined);
  }
  return { data, has_more: false, next_cursor: null };
}

export type CorrectedFormat = "csv" | "xlsx" | "ndjson";

/** What a source gives back by default: its own format. */
function nativeFormat(input: JobInput): CorrectedFormat {
  // A connector sync's corrected records are NDJSON, like JSON input's.
  return input.kind === "sheet" ? "xlsx" : input.kind === "connector" ? "ndjson" : input.kind;
}

export interface CorrectedDownload {
  format: CorrectedFormat;
  body: ReadableStream<Uint8Array>;
  /** CSV: the encoding written, and whether it had to leave the source's (Windows-1252 → UTF-8 with BOM). */
  encoding?: { name: TextEncodingName; fell_back: boolean };
}

/**
 * The corrected catalog in the source's own format: a CSV with the source's encoding, delimiter,
 * quoting and line endings, only the cells a fix changed rewritten; the seller's own workbook with
 * only the changed cells rewritten; NDJSON for JSON sources. An XLSX source can also be asked for
 * as CSV.
 */
export async function correctedDownload(env: Env, job: JobRow, format?: CorrectedFormat): Promise<CorrectedDownload> {
  const plan = (await coordinator(env, job.id).plan()) as JobPlan | null;
  if (!plan) throw notFound(text("Corrected catalog of job", "O catálogo corrigido do job"), job.id);
  const input = plan.input;
  const wanted = format ?? nativeFormat(input);
  const keys = await listKeys(env.FILES, jobObjects.correctedPrefix(job.accountId, job.id));
  if (wanted === "csv" && input.kind === "csv") return correctedCsv(env, input, plan, keys);
  if (wanted === "xlsx" && input.kind === "sheet") return correctedWorkbook(env, input, keys);
  if (wanted === "csv" && input.kind === "sheet") return { format: "csv", body: correctedSheetAsCsv(env, input, keys) };
  if (wanted === "ndjson" && (input.kind === "ndjson" || input.kind === "connector")) return { format: "ndjson", body: concatObjects(env, keys) };
  const can = input.kind === "sheet" ? "xlsx or csv" : nativeFormat(input);
  const pode = input.kind === "sheet" ? "xlsx ou csv" : nativeFormat(input);
  throw new VitrineError(
    "unprocessable",
    text(`This job's corrected catalog is available as ${can}.`, `O catálogo corrigido deste job está disponível como ${pode}.`),
  );
}

function concatObjects(env: Env, keys: readonly string[]): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  (async () => {
    for (const key of keys) {
      const object = await env.FILES.get(key);
      if (object) await object.body.pipeTo(writable, { preventClose: true });
    }
    await writable.close();
  })().catch((error) => writable.abort(error).catch(() => undefined));
  return readable;
}

/**
 * The source file with the chunks' corrections in place, all in the output encoding: the bytes
 * before the first record (BOM, header, blank lines), between corrected records and after the last
 * are the source's own. A Windows-1252 source whose fixes wrote characters it lacks is written as
 * UTF-8 with a BOM instead, and the answer says so.
 */
async function correctedCsv(env: Env, input: Extract<JobInput, { kind: "csv" }>, plan: JobPlan, keys: readonly string[]): Promise<CorrectedDownload> {
  let encodable = true;
  const layouts: (string | undefined)[] = [];
  for (const key of keys) {
    const metadata = (await env.FILES.head(key))?.customMetadata;
    if (metadata?.encodable === "no") encodable = false;
    layouts.push(metadata?.layout);
  }
  const output = correctedFileEncoding({ encoding: input.encoding, bom: input.bom }, encodable);
  const body = download(async (writer) => {
    const out = new BufferedWriter(writer);
    /** The source's bytes from `at` up to `end`, in the output encoding; `at` is where the next copy starts. */
    let at = 0;
    const copy = async (bytes: Uint8Array, bytesStart: number, end: number) => {
      if (end <= at) return;
      const piece = bytes.subarray(at - bytesStart, end - bytesStart);
      await out.write(output.fellBack ? reencode(piece, input.encoding, output, at === 0) : piece);
      at = end;
    };
    const source = async (end: number) => {
      if (end > at) await copy(await readRange(env, input.key, at, end - at), at, end);
    };
    for (const [i, key] of keys.entries()) {
      const spec = plan.chunks[Number(key.slice(key.lastIndexOf("/") + 1))];
      if (!spec) continue;
      await source(spec.start);
      // What is ready goes out before the next read (the reader sees the head before any chunk).
      await out.flush();
      const object = await env.FILES.get(key);
      if (!object) continue;
      if (layouts[i] === CSV_EDITS_LAYOUT) {
        const bytes = await readRange(env, input.key, spec.start, spec.end - spec.start);
        for await (const line of readLines(object.body)) {
          if (!line) continue;
          const [start, end, text] = JSON.parse(line) as CsvEdit;
          await copy(bytes, spec.start, start);
          await out.write(encodeText(text, output.encoding).bytes);
          at = end;
        }
        await copy(bytes, spec.start, spec.end);
      } else {
        await out.write(encodeText(await object.text(), output.encoding).bytes);
        at = spec.end;
      }
    }
    await source(input.size);
    await out.flush();
  });
  return { format: "csv", body, encoding: { name: output.encoding, fell_back: output.fellBack } };
}

async function readRange(env: Env, key: string, offset: number, length: number): Promise<Uint8Array> {
  if (length <= 0) return new Uint8Array(0);
  const object = await env.FILES.get(key, { range: { offset, length } });
  if (!object) throw notFound(text("Source file of job", "O arquivo de origem do job"), key);
  return new Uint8Array(await object.arrayBuffer());
}

/** Gathers small pieces into writes of about 1 MiB (a corrected record is a few hundred bytes). */
class BufferedWriter {
  private pieces: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly writer: WritableStreamDefaultWriter<Uint8Array>) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.size += bytes.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const joined = this.pieces.length === 1 ? this.pieces[0] : new Uint8Array(this.size);
    if (this.pieces.length > 1) {
      let offset = 0;
      for (const piece of this.pieces) {
        joined.set(piece, offset);
        offset += piece.length;
      }
    }
    this.pieces = [];
    this.size = 0;
    await this.writer.write(joined);
  }
}

/** The chunks' cell edits, in row order (chunks are in sheet order, and so are the edits inside each). */
async function* sheetEdits(env: Env, keys: readonly string[]): AsyncGenerator<XlsxCellEdit> {
  for (const key of keys) {
    const object = await env.FILES.get(key);
    if (!object) continue;
    for await (const line of readLines(object.body)) {
      if (!line) continue;
      const [sheetRow, column, value] = JSON.parse(line) as [number, number, CellValue];
      yield { sheetRow, column, value };
    }
  }
}

/** The seller's own workbook with only the changed cells rewritten, streamed. */
function correctedWorkbook(env: Env, input: Extract<JobInput, { kind: "sheet" }>, keys: readonly string[]): Promise<CorrectedDownload> {
  return env.FILES.head(input.source).then((object) => {
    if (!object) throw notFound(text("Source workbook of job", "A planilha de origem do job"), input.source);
    const { stream } = rewriteXlsx(r2RandomAccess(env.FILES, input.source, object.size), sheetEdits(env, keys), { sheet: input.sheet });
    return { format: "xlsx" as const, body: stream };
  });
}

/** An XLSX source asked for as CSV: the sheet's rows with the edits applied, UTF-8 with a BOM. */
function correctedSheetAsCsv(env: Env, input: Extract<JobInput, { kind: "sheet" }>, keys: readonly string[]): ReadableStream<Uint8Array> {
  return download(async (writer) => {
    await writer.write(encoder.encode("\ufeff" + csvLine(input.header)));
    const edits = sheetEdits(env, keys);
    let edit = await edits.next();
    const rows = await env.FILES.get(input.key);
    if (rows) {
      let batch = "";
      for await (const line of readLines(rows.body)) {
        if (!line) continue;
        const [sheetRow, values] = JSON.parse(line) as [number, string[]];
        const cells: unknown[] = values.slice();
        while (!edit.done && edit.value.sheetRow < sheetRow) edit = await edits.next();
        while (!edit.done && edit.value.sheetRow === sheetRow) {
          cells[edit.value.column] = edit.value.value ?? "";
          edit = await edits.next();
        }
        batch += csvLine(cells);
        if (batch.length > 64 * 1024) {
          await writer.write(encoder.encode(batch));
          batch = "";
        }
      }
      if (batch) await writer.write(encoder.encode(batch));
    }
  });
}

/**
 * A download that `produce` writes at the reader's pace, closed when it returns. When it throws
 * (R2 failed, or the reader stopped reading and the writes rejected), the stream is errored with
 * that reason, so a reader still there sees the download fail instead of waiting for its end.
 */
function download(produce: (writer: WritableStreamDefaultWriter<Uint8Array>) => Promise<void>): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  // The writer holds the lock from here on: only it can abort (writable.abort() would reject as locked).
  const writer = writable.getWriter();
  produce(writer)
    .then(() => writer.close())
    .catch((error) => writer.abort(error));
  return readable;
}
