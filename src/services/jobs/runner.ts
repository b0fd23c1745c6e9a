import { eq } from "drizzle-orm";
import { scanLineBoundaries } from "../../core/jobs/lines";
import type { ChunkSpec, JobMessage, JobPlan } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { addResult, countRuleRecord, emptySummary, type ValidationSummary } from "../../core/report/summary";
import { RecordPipeline, type RecordOutcome } from "../../core/pipeline";
import type { UniqueTracker } from "../../core/rules";
import {
  type TabularRow,
  TabularError,
  csvLine,
  parseCsvRange,
  parseJsonArray,
  parseNdjson,
  scanRowBoundaries,
  sniff,
  xlsxToRows,
} from "../../core/tabular";
import { MappingBindError, MappingError } from "../../core/mapping";
import { database } from "../../db/client";
import { type JobRow, jobs } from "../../db/schema";
import { config } from "../../config";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { R2StreamWriter } from "../../storage/multipart-writer";
import { listKeys, r2RandomAccess, rangedReads } from "../../storage/r2-reads";
import { jobMapping } from "./mapping";
import { coordinator, enqueue, syncJob } from "./jobs";
import { resolvePack } from "../rule-packs";

/** Chunks are read whole; with their decoded text and outputs they must fit well inside 128 MB. */
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Cross-chunk uniqueness keys are split so the finalize step holds one slice at a time. */
const ROWS_PER_UNIQUE_PARTITION = 200_000;

export class JobInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function loadJob(env: Env, jobId: string): Promise<JobRow | null> {
  const [row] = await database(env.DB).select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  return row ?? null;
}

async function openBody(env: Env, key: string, range?: { offset: number; length: number }) {
  const object = await env.FILES.get(key, range ? { range } : undefined);
  if (!object) throw new JobInputError("input_missing", "The job's input file no longer exists.");
  return object;
}

function uniquePartitions(rowsTotal: number): number {
  return Math.max(1, Math.ceil(rowsTotal / ROWS_PER_UNIQUE_PARTITION));
}

/** Plan step: one streaming pass that detects the format, normalizes XLSX/JSON, and cuts the input into chunks. */
export async function planJob(env: Env, message: Extract<JobMessage, { kind: "plan" }>): Promise<void> {
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  const rowsPerChunk = config(env).jobChunkRows;
  let plan: JobPlan;
  try {
    plan = await buildPlan(env, job, rowsPerChunk);
    // A mapping that reads a column the file lacks fails the job now, not once per chunk.
    if (plan.input.kind === "csv") await jobMapping(env, job, plan.input);
  } catch (error) {
    if (error instanceof MappingError) {
      const code = error instanceof MappingBindError ? "mapping.missing_columns" : job.mappingId ? "mapping.invalid" : "mapping.no_known_columns";
      const hint = job.mappingId ? "" : " No column is named after a canonical field: create a mapping (POST /api/v1/mappings/suggest) and pass mapping_id.";
      await coord.fail({ code, message: error.message + hint });
      await syncJob(env, job.id);
      return;
    }
    if (error instanceof JobInputError || error instanceof TabularError) {
      await coord.fail({ code: error instanceof JobInputError ? error.code : `file.${error.code}`, message: error.message });
      await syncJob(env, job.id);
      return;
    }
    throw error;
  }
  const pending = await coord.planned(plan);
  await enqueue(
    env,
    job.priority,
    pending.map((chunk) => ({ kind: "chunk", job_id: job.id, account_id: job.accountId, chunk })),
  );
  await syncJob(env, job.id);
}

async function buildPlan(env: Env, job: JobRow, rowsPerChunk: number): Promise<JobPlan> {
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined);
  const crossChunkUnique = pack.compiled.createValidator({ category: job.category ?? undefined }).uniqueRules.length > 0;
  const head = await openBody(env, job.inputKey, { offset: 0, length: 64 * 1024 });
  const size = head.size;
  if (size === 0) return { input: { kind: "ndjson", key: job.inputKey }, chunks: [], rowsTotal: 0, crossChunkUnique };
  const sniffed = sniff(new Uint8Array(await head.arrayBuffer()));

  switch (sniffed.format) {
    case "csv": {
      const cut = await scanRowBoundaries(rangedReads(env.FILES, job.inputKey, size), {
        rowsPerChunk,
        maxChunkBytes: MAX_CHUNK_BYTES,
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
      });
      return {
        input: {
          kind: "csv",
          key: job.inputKey,
          encoding: sniffed.encoding,
          delimiter: sniffed.delimiter,
          bom: sniffed.bom,
          decimalComma: sniffed.decimalComma,
          header: cut.header,
        },
        chunks: cut.chunks,
        rowsTotal: cut.totalRows,
        crossChunkUnique,
      };
    }
    case "ndjson": {
      const cut = await scanLineBoundaries(rangedReads(env.FILES, job.inputKey, size), rowsPerChunk);
      return { input: { kind: "ndjson", key: job.inputKey }, chunks: cut.chunks, rowsTotal: cut.totalRows, crossChunkUnique };
    }
    case "json":
      return convertJsonArray(env, job, size, rowsPerChunk, crossChunkUnique);
    case "xlsx":
      return convertXlsx(env, job, size, rowsPerChunk, crossChunkUnique);
    case "ole":
      throw new JobInputError("file.encrypted_or_legacy", "The file is a legacy .xls or a password-protected workbook; save it as .xlsx or CSV.");
    default:
      throw new JobInputError("file.unsupported_format", "The file is not CSV, XLSX, JSON or NDJSON.");
  }
}

/** Writes rows to R2 while recording chunk boundaries, so the converted file needs no second scan. */
class ChunkedWriter {
  readonly chunks: ChunkSpec[] = [];
  private chunkStart = 0;
  private chunkRows = 0;
  rows = 0;

  constructor(
    readonly writer: R2StreamWriter,
    private readonly rowsPerChunk: number,
  ) {}

  async header(line: string) {
    await this.writer.write(line);
    this.chunkStart = this.writer.offset;
  }

  async row(line: string) {
    await this.writer.write(line);
    this.rows++;
    this.chunkRows++;
    if (this.chunkRows >= this.rowsPerChunk) this.cut();
  }

  private cut() {
    if (this.chunkRows === 0) return;
    const end = this.writer.offset;
    this.chunks.push({ index: this.chunks.length, start: this.chunkStart, end, firstRow: this.rows - this.chunkRows + 1, rows: this.chunkRows });
    this.chunkStart = end;
    this.chunkRows = 0;
  }

  async close() {
    this.cut();
    await this.writer.close();
  }
}

async function convertXlsx(env: Env, job: JobRow, size: number, rowsPerChunk: number, crossChunkUnique: boolean): Promise<JobPlan> {
  const key = jobObjects.csvInput(job.accountId, job.id);
  const out = new ChunkedWriter(new R2StreamWriter(env.FILES, key, "text/csv; charset=utf-8"), rowsPerChunk);
  let header: string[] = [];
  try {
    const rows = xlsxToRows(r2RandomAccess(env.FILES, job.inputKey, size));
    header = await rows.header();
    await out.header(csvLine(header));
    for await (const row of rows) await out.row(csvLine(row.values));
    await out.close();
  } catch (error) {
    await out.writer.abort();
    throw error;
  }
  return {
    input: { kind: "csv", key, encoding: "utf-8", delimiter: ",", bom: false, decimalComma: false, header },
    chunks: out.chunks,
    rowsTotal: out.rows,
    crossChunkUnique,
  };
}

async function convertJsonArray(env: Env, job: JobRow, size: number, rowsPerChunk: number, crossChunkUnique: boolean): Promise<JobPlan> {
  const key = jobObjects.ndjsonInput(job.accountId, job.id);
  const out = new ChunkedWriter(new R2StreamWriter(env.FILES, key, "application/x-ndjson"), rowsPerChunk);
  try {
    for await (const record of parseJsonArray(rangedReads(env.FILES, job.inputKey, size))) {
      // A bad element keeps its place so row numbers match the source.
      await out.row(record.value ? JSON.stringify(record.value) + "\n" : JSON.stringify({ __problem: record.problem }) + "\n");
    }
    await out.close();
  } catch (error) {
    await out.writer.abort();
    throw error;
  }
  return { input: { kind: "ndjson", key }, chunks: out.chunks, rowsTotal: out.rows, crossChunkUnique };
}

/**
 * Remembers the first row of each unique key within the chunk, and lists those
 * first occurrences so the finalize step can compare them across chunks.
 */
class ChunkUniqueTracker implements UniqueTracker {
  private readonly seenKeys = new Map<string, Map<string, number>>();
  readonly pending: [string, string, number][] = [];

  seen(ruleId: string, key: string, row: number): number | undefined {
    let keys = this.seenKeys.get(ruleId);
    if (!keys) this.seenKeys.set(ruleId, (keys = new Map()));
    const first = keys.get(key);
    if (first !== undefined) return first;
    keys.set(key, row);
    this.pending.push([ruleId, key, row]);
    return undefined;
  }
}

function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/** Chunk step: ranged read → parse → map → validate/fix → write issues and corrected rows → report once. */
export async function runChunk(env: Env, message: Extract<JobMessage, { kind: "chunk" }>): Promise<void> {
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  const lease = await coord.lease(message.chunk);
  if (!lease.ok) {
    if (lease.reason === "unplanned") throw new Error("chunk arrived before its plan");
    return;
  }
  try {
    const summary = await processChunk(env, job, lease.plan, lease.spec);
    const { finalize } = await coord.chunkDone(message.chunk, summary);
    if (finalize) await enqueue(env, job.priority, [{ kind: "finalize", job_id: job.id, account_id: job.accountId }]);
  } catch (error) {
    await coord.chunkFailed(message.chunk, String(error));
    await syncJob(env, job.id);
    throw error;
  }
  await syncJob(env, job.id);
}

async function processChunk(env: Env, job: JobRow, plan: JobPlan, spec: ChunkSpec): Promise<ValidationSummary> {
  const locale = job.locale as Locale;
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined);
  const tracker = new ChunkUniqueTracker();
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale, applyFixes: job.applyFixes, unique: tracker });
  const pipeline = new RecordPipeline({ validator, applyFixes: job.applyFixes, locale, ...(await jobMapping(env, job, plan.input.kind === "csv" ? plan.input : null)) });
  const partitions = uniquePartitions(plan.rowsTotal);
  const uniqueLines: string[][] = Array.from({ length: partitions }, () => []);
  const summary = emptySummary();
  const issueLines: string[] = [];
  const correctedLines: string[] = [];

  const record = (outcome: RecordOutcome<unknown>, corrected: string | null) => {
    addResult(summary, outcome);
    for (const issue of outcome.issues) issueLines.push(JSON.stringify(issue));
    if (corrected !== null) correctedLines.push(corrected);
    for (const [rule, key, first] of tracker.pending) {
      uniqueLines[partitionOf(key, partitions)].push(JSON.stringify([rule, key, first, outcome.valid ? 1 : 0]));
    }
    tracker.pending.length = 0;
  };

  const object = await openBody(env, plan.input.key, { offset: spec.start, length: spec.end - spec.start });
  // A chunk is at most MAX_CHUNK_BYTES: reading it whole costs less than feeding the parser small stream pieces.
  const bytes = new Uint8Array(await object.arrayBuffer());
  if (plan.input.kind === "csv") {
    const delimiter = plan.input.delimiter;
    const rows = parseCsvRange(bytes, plan.input.header, { encoding: plan.input.encoding, delimiter }, spec.firstRow);
    for await (const batch of rows.batches()) {
      for (const row of batch) {
        const outcome = pipeline.cells(row.values, row.row, row.problem);
        record(outcome, outcome.corrected_source ? csvLine(outcome.corrected_source, delimiter) : null);
      }
    }
  } else {
    for await (const line of parseNdjson(bytes)) {
      const row = spec.firstRow + line.row - 1;
      const problem = line.problem ?? (line.value?.__problem as TabularRow["problem"]);
      const outcome = pipeline.object(line.value ?? {}, row, problem);
      // Without a mapping the corrected record is the canonical one; a line that is not a record has none.
      const corrected = outcome.corrected_source ?? outcome.corrected;
      record(outcome, job.applyFixes && corrected ? JSON.stringify(corrected) + "\n" : null);
    }
  }

  const puts: Promise<unknown>[] = [env.FILES.put(jobObjects.issues(job.accountId, job.id, spec.index), joinLines(issueLines))];
  // Corrected lines arrive terminated (CRLF for CSV, LF for NDJSON).
  if (job.applyFixes) puts.push(env.FILES.put(jobObjects.corrected(job.accountId, job.id, spec.index), correctedLines.join("")));
  if (plan.crossChunkUnique) {
    uniqueLines.forEach((lines, p) => puts.push(env.FILES.put(jobObjects.uniqueKeys(job.accountId, job.id, p, spec.index), joinLines(lines))));
  }
  await Promise.all(puts);
  return summary;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Finalize step: duplicates across chunks, one key partition at a time; then the job completes. */
export async function finalizeJob(env: Env, message: Extract<JobMessage, { kind: "finalize" }>): Promise<void> {
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  const snapshot = await coord.snapshot();
  if (snapshot.status !== "running") return;
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined);
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale: job.locale as Locale });
  const fields = new Map(validator.uniqueRules.map((r) => [r.rule, r.field]));
  const ruleInfo = pack.compiled.rules(job.category ?? undefined);
  const severities = new Map(ruleInfo.map((r) => [r.id, r.severity]));
  // Only a rule on each item of a list can find several duplicates in one row; its rows count once.
  const perItem = new Set(ruleInfo.filter((r) => r.each).map((r) => r.id));
  const countedRows = new Set<string>();
  const delta = emptySummary();
  const lines: string[] = [];
  const flipped = new Set<number>();
  const partitions = uniquePartitions(snapshot.rows_total ?? 0);

  for (let p = 0; p < partitions; p++) {
    const first = new Map<string, number>();
    const prefix = jobObjects.uniquePartitionPrefix(job.accountId, job.id, p);
    for (const key of await listKeys(env.FILES, prefix)) {
      const object = await env.FILES.get(key);
      if (!object) continue;
      for (const line of (await object.text()).split("\n")) {
        if (!line) continue;
        const [rule, value, row, valid] = JSON.parse(line) as [string, string, number, 0 | 1];
        const composite = `${rule}\u0000${value}`;
        const firstRow = first.get(composite);
        if (firstRow === undefined) {
          first.set(composite, row);
          continue;
        }
        const severity = severities.get(rule) ?? "error";
        const issue = validator.uniqueIssue(rule, value, row, firstRow);
        lines.push(JSON.stringify(issue));
        delta.issues[severity]++;
        delta.issues.total++;
        (delta.by_rule[rule] ??= { severity, count: 0 }).count++;
        const field = fields.get(rule) ?? issue.field;
        delta.by_field[field] = (delta.by_field[field] ?? 0) + 1;
        const rowKey = `${rule}\u0000${row}`;
        if (!perItem.has(rule) || !countedRows.has(rowKey)) {
          if (perItem.has(rule)) countedRows.add(rowKey);
          countRuleRecord(delta, rule, field, row, false);
        }
        if (severity === "error" && valid === 1 && !flipped.has(row)) {
          flipped.add(row);
          delta.valid--;
          delta.invalid++;
        }
      }
    }
  }
  await env.FILES.put(jobObjects.uniqueIssues(job.accountId, job.id), joinLines(lines));
  await coord.finalized(delta);
  await syncJob(env, job.id);
}
