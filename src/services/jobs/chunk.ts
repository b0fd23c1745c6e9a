import type { ChunkSpec, JobMessage, JobPlan } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { attributeTwinsOf } from "../../core/mapping";
import { RecordPipeline, type RecordOutcome } from "../../core/pipeline";
import { addResult, emptySummary, type ValidationSummary } from "../../core/report/summary";
import type { UniqueTracker } from "../../core/rules";
import { canEncode, changedCells, csvLine, parseCsvRange, parseNdjson, rewriteCsvRecord, type RowProblem, type TabularRow } from "../../core/tabular";
import type { JobRow } from "../../db/schema";
import type { LeaseResult } from "../../durable/job-coordinator";
import type { Env } from "../../env";
import { detach } from "../../core/tabular/bytes";
import { EncodedLines } from "../../storage/encoded-lines";
import { jobObjects } from "../../storage/job-objects";
import { resolvePack } from "../rule-packs";
import { coordinator, enqueue, syncJob } from "./jobs";
import { jobMapping } from "./mapping";
import { deterministicFailure, loadJob, openInput } from "./plan";
import { connectorChunk } from "../connectors/sync-chunk";
import { chunkValidations } from "../billing/job-usage";
import { storeSyncKeys } from "../connectors/delta";
import { fileRecordKey, issueKeyEntry, recordKeyEntry, recordSku } from "../../core/connectors/delta";
import { uniquePartitionsOf } from "../../core/jobs/unique-partitions";
import { StepTiming } from "./step-timing";
import { CSV_EDITS_LAYOUT, CsvEditRecorder } from "./csv-edits";

/**
 * Remembers the first row of each unique key within the chunk, and lists those
 * first occurrences so the finalize step can compare them across chunks.
 */
export class ChunkUniqueTracker implements UniqueTracker {
  private readonly seenKeys = new Map<string, Map<string, number>>();
  readonly pending: [string, string, number][] = [];

  seen(ruleId: string, key: string, row: number): number | undefined {
    let keys = this.seenKeys.get(ruleId);
    if (!keys) this.seenKeys.set(ruleId, (keys = new Map()));
    const first = keys.get(key);
    if (first !== undefined) return first;
    // A copy, so the chunk's key map does not keep every parsed record alive (see KeyTable).
    key = detach(key);
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

/** Chunk step: ranged read → parse → map → validate/fix → write issues and corrections → report once. */
export async function runChunk(env: Env, message: Extract<JobMessage, { kind: "chunk" }>): Promise<void> {
  const timing = new StepTiming({ step: "chunk", job_id: message.job_id, chunk: message.chunk });
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  // The RPC stub types a plan holding a mapping definition (open-ended JSON) as unserializable; it is plain JSON.
  const lease = (await coord.lease(message.chunk)) as LeaseResult;
  timing.mark("lease");
  if (!lease.ok) {
    if (lease.reason === "unplanned") throw new Error("chunk arrived before its plan");
    // Done (or the job ended): an earlier delivery may have died after counting it, before its sync.
    if (lease.reason !== "busy") await syncJob(env, job.id);
    return;
  }
  try {
    const summary = await processChunk(env, job, lease.plan, lease.spec, lease.attempt, timing);
    const { finalize } = await coord.chunkDone(message.chunk, summary, chunkValidations(summary));
    if (finalize) await enqueue(env, job.priority, [{ kind: "finalize", job_id: job.id, account_id: job.accountId }]);
    timing.mark("report");
    timing.log({ rows: lease.spec.rows });
  } catch (error) {
    const failure = deterministicFailure(error, job);
    if (failure) {
      // No retry can succeed: the job fails now with the real cause, and the message is done.
      await coord.fail(failure);
      await syncJob(env, job.id);
      return;
    }
    await coord.chunkFailed(message.chunk, String(error));
    await syncJob(env, job.id);
    throw error;
  }
  await syncJob(env, job.id);
}

/**
 * What one chunk writes: its issues, its corrections, its first-seen unique keys, and its counts.
 * The text is kept as UTF-8 pieces, not a string per line: a chunk's peak heap is the 1M-row job's.
 */
export class ChunkOutputs {
  readonly summary = emptySummary();
  readonly issueLines = new EncodedLines();
  /** The corrected records (a CSV's as text with its own line endings, other formats' as lines). */
  readonly corrected = new EncodedLines();
  /** CSV: the corrections as edits of the source (csv-edits.ts), stored instead of `corrected` when set. */
  csvEdits: EncodedLines | null = null;
  /** CSV: every changed value can be written in the source's encoding (else the download falls back to UTF-8). */
  encodable = true;
  readonly uniqueLines: EncodedLines[];
  /** A connector sync's record and issue keys (what changed since its last sync is counted from them); null for other jobs. */
  keys: string[] | null = null;

  constructor(
    private readonly tracker: ChunkUniqueTracker,
    private readonly partitions: number,
  ) {
    this.uniqueLines = Array.from({ length: partitions }, () => new EncodedLines());
  }

  /** `recordKey`: how the record is told apart between syncs; by default its mapped SKU, else its row. */
  record(outcome: RecordOutcome<unknown>, recordKey?: string) {
    addResult(this.summary, outcome);
    for (const issue of outcome.issues) this.issueLines.add(JSON.stringify(issue));
    let synced: string | undefined;
    if (this.keys) {
      synced = recordKey ?? fileRecordKey(recordSku(outcome.mapped), outcome.row);
      this.keys.push(recordKeyEntry(synced));
      for (const issue of outcome.issues) this.keys.push(issueKeyEntry(synced, issue.rule, issue.field));
    }
    for (const [rule, key, first] of this.tracker.pending) {
      // A connector sync's lines also name the record, so a duplicate found across chunks is keyed like the rest.
      const line = synced === undefined ? [rule, key, first, outcome.valid ? 1 : 0] : [rule, key, first, outcome.valid ? 1 : 0, synced];
      this.uniqueLines[partitionOf(key, this.partitions)].add(JSON.stringify(line));
    }
    this.tracker.pending.length = 0;
  }
}

async function processChunk(env: Env, job: JobRow, plan: JobPlan, spec: ChunkSpec, attempt: number, timing: StepTiming): Promise<ValidationSummary> {
  if (plan.input.kind === "connector") return connectorChunk(env, job, plan, spec, attempt);
  const locale = job.locale as Locale;
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
  const tracker = new ChunkUniqueTracker();
  // Issues are kept in both languages: whoever reads the results gets theirs.
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale, applyFixes: job.applyFixes, unique: tracker, bilingual: true });
  const twins = attributeTwinsOf(pack.compiled.fields(job.category ?? undefined));
  const pipeline = new RecordPipeline({ validator, applyFixes: job.applyFixes, locale, bilingual: true, twins, ...(await jobMapping(env, job, plan)) });
  const out = new ChunkOutputs(tracker, uniquePartitionsOf(plan));
  // A feed URL sync: its keys are compared with the connector's previous sync.
  if (job.sourceType === "connector") out.keys = [];

  const object = await openInput(env, plan.input.key, { offset: spec.start, length: spec.end - spec.start });
  // A chunk is at most MAX_CHUNK_BYTES: reading it whole costs less than feeding the parser small stream pieces.
  const bytes = new Uint8Array(await object.arrayBuffer());
  timing.mark("read");
  switch (plan.input.kind) {
    case "csv":
      await csvChunk(bytes, plan.input, spec, pipeline, out, job.applyFixes);
      break;
    case "sheet":
      sheetChunk(bytes, plan.input.header, pipeline, out, job.applyFixes, locale);
      break;
    case "ndjson":
      await ndjsonChunk(bytes, spec, pipeline, out, job.applyFixes);
      break;
  }
  await timing.tickAndMark("validate");
  await writeChunkOutputs(env, job, plan, spec, out);
  timing.mark("write");
  return out.summary;
}

/** Writes a chunk's issues, corrected records and first-seen unique keys (each chunk overwrites its own objects). */
export async function writeChunkOutputs(env: Env, job: JobRow, plan: JobPlan, spec: ChunkSpec, out: ChunkOutputs): Promise<void> {
  const puts: Promise<unknown>[] = [env.FILES.put(jobObjects.issues(job.accountId, job.id, spec.index), out.issueLines.blob())];
  if (job.applyFixes) {
    const encodable = out.encodable ? "yes" : "no";
    const key = jobObjects.corrected(job.accountId, job.id, spec.index);
    puts.push(
      out.csvEdits
        ? env.FILES.put(key, out.csvEdits.blob(), { customMetadata: { encodable, layout: CSV_EDITS_LAYOUT } })
        : env.FILES.put(key, out.corrected.blob(), { customMetadata: { encodable } }),
    );
  }
  if (out.keys) puts.push(storeSyncKeys(env, job.id, out.keys));
  if (plan.crossChunkUnique) {
    out.uniqueLines.forEach((lines, p) => puts.push(env.FILES.put(jobObjects.uniqueKeys(job.accountId, job.id, p, spec.index), lines.blob())));
  }
  await Promise.all(puts);
}

/**
 * The uploaded CSV, read in place: issues carry the rows the seller's spreadsheet shows, and the
 * corrected text is the source's own records, with only the cells a fix changed rewritten — stored
 * as edits of the source when their byte ranges are known (most chunks), else as the whole text.
 */
async function csvChunk(
  bytes: Uint8Array,
  input: Extract<JobPlan["input"], { kind: "csv" }>,
  spec: ChunkSpec,
  pipeline: RecordPipeline,
  out: ChunkOutputs,
  applyFixes: boolean,
) {
  const dialect = { delimiter: input.delimiter, decimalComma: input.decimalComma };
  const rows = parseCsvRange(bytes, input.header, { encoding: input.encoding, delimiter: input.delimiter, sheetRows: true, sourceText: applyFixes }, spec);
  const edits = new CsvEditRecorder(input.encoding, spec.start);
  // Mostly the source's own record strings (an unchanged record is its source text): encoded only
  // for a chunk whose edits cannot be exact, so the common chunk never copies its text.
  const records: string[] = [];
  for await (const batch of rows.batches()) {
    for (const row of batch) {
      const outcome = pipeline.cells(row.values, row.sheetRow ?? row.row, row.problem);
      out.record(outcome);
      if (!applyFixes) continue;
      const written = correctedRecord(row, outcome.corrected_source, dialect, input.encoding, out);
      records.push(written);
      edits.record(row.sourceText, written);
    }
  }
  if (!applyFixes) return;
  const trailing = rows.trailingSourceText();
  records.push(trailing);
  edits.record(trailing, trailing);
  if (edits.exact(spec.end)) out.csvEdits = edits.edits;
  else for (const record of records) out.corrected.append(record);
}

function correctedRecord(
  row: TabularRow,
  corrected: readonly string[] | undefined,
  dialect: { delimiter: Extract<JobPlan["input"], { kind: "csv" }>["delimiter"]; decimalComma: boolean },
  encoding: Extract<JobPlan["input"], { kind: "csv" }>["encoding"],
  out: ChunkOutputs,
): string {
  const edits = corrected ? changedCells(row.values, corrected) : [];
  for (const edit of edits) if (typeof edit.value === "string" && !canEncode(edit.value, encoding)) out.encodable = false;
  // A record too long to keep its source text is written from its cells (never silently dropped).
  if (row.sourceText === undefined) return csvLine(corrected ?? row.values, dialect.delimiter);
  return rewriteCsvRecord(row.sourceText, edits, dialect);
}

/** One line of the converted sheet: `[sheetRow, cells, formulaColumns?, problem?]`. */
type SheetLine = [number, string[], number[]?, RowProblem?];

/**
 * An XLSX sheet's converted rows: issues carry Excel's row numbers, and the corrections are the
 * changed cells (`[sheetRow, column, value]`), written into the seller's own workbook on download.
 */
function sheetChunk(bytes: Uint8Array, header: readonly string[], pipeline: RecordPipeline, out: ChunkOutputs, applyFixes: boolean, locale: Locale) {
  const text = new TextDecoder().decode(bytes);
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [sheetRow, values, formulas, problem] = JSON.parse(line) as SheetLine;
    const outcome = pipeline.cells(values, sheetRow, problem, formulas);
    out.record(outcome);
    if (!applyFixes || !outcome.corrected_source) continue;
    for (const edit of changedCells(values, outcome.corrected_source)) out.corrected.add(JSON.stringify([sheetRow, edit.column, edit.value]));
  }
}

async function ndjsonChunk(bytes: Uint8Array, spec: ChunkSpec, pipeline: RecordPipeline, out: ChunkOutputs, applyFixes: boolean) {
  for await (const line of parseNdjson(bytes)) {
    const row = spec.firstRow + line.row - 1;
    const problem = line.problem ?? (line.value?.__problem as TabularRow["problem"]);
    const outcome = pipeline.object(line.value ?? {}, row, problem);
    // Without a mapping the record itself is canonical (and has no `mapped`).
    out.record(outcome, out.keys ? fileRecordKey(recordSku(outcome.mapped ?? line.value), row) : undefined);
    // Without a mapping the corrected record is the canonical one; a line that is not a record has none.
    const corrected = outcome.corrected_source ?? outcome.corrected;
    if (applyFixes && corrected) out.corrected.add(JSON.stringify(corrected));
  }
}

