import { and, desc, eq, lt, sql } from "drizzle-orm";
import { notFound } from "../../core/errors";
import { newId } from "../../core/ids";
import { text } from "../../core/text";
import type { JobError, JobMessage, JobSnapshot, JobStatus, SheetOptions } from "../../core/jobs/types";
import { isTerminal } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { jobPriority } from "../../core/billing/allowance";
import { emptySummary, type ValidationSummary } from "../../core/report/summary";
import { database } from "../../db/client";
import { type JobRow, jobs } from "../../db/schema";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { recordJobTransitions } from "./events";
import { getFile } from "../files";
import { resolvePack } from "../rule-packs";
import { type Page, type PageQuery, paginate } from "../../db/paginate";
import { sendInBatches } from "../../storage/queue-send";
import { listingPrefix } from "../connectors/objects";
import { syncEnded } from "../connectors/sync";
import { jobHold, recordJobUsage } from "../billing/job-usage";
import { releaseHold } from "../billing/quota";
import { type PlanSource, planOfCaller } from "../billing/plan-state";
import { isSampleCatalog } from "../samples";
import { hourOf } from "../../core/kpis/rollup";
import { recordAnalytics, rollupWrite } from "../kpis";

export interface CreateJobInput {
  /** A file, inline records, or a connector's items (a sync: its listing is written by the plan step). */
  source: { file_id: string } | { records: Record<string, unknown>[] } | { connector_id: string };
  /** The job's id, when the caller records more about the job before it starts (a connector sync). */
  id?: string;
  rulePack: string;
  category?: string;
  mapping?: { id: string; version: number };
  applyFixes: boolean;
  locale: Locale;
  /** XLSX and CSV sources: the sheet (XLSX) and the header / first data rows, when not the defaults. */
  sheet?: SheetOptions;
}

export function coordinator(env: Env, jobId: string) {
  return env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));
}

function queueFor(env: Env, priority: JobRow["priority"]): Queue {
  return priority === "high" ? env.JOBS_PRIORITY_QUEUE : env.JOBS_QUEUE;
}

export async function enqueue(env: Env, priority: JobRow["priority"], messages: JobMessage[]) {
  await sendInBatches(queueFor(env, priority), messages.map((body) => ({ body })));
}

/**
 * Creates a job: checks the pack (and category) now so mistakes fail at once,
 * writes inline records to R2, stores the row, starts the coordinator and
 * enqueues the plan step on the queue of the account's plan (paid plans: the priority queue).
 */
export async function createJob(env: Env, caller: { accountId: string } | (PlanSource & { accountId: string }), input: CreateJobInput): Promise<JobRow> {
  const now = Date.now();
  const id = input.id ?? newId("job", now);
  const pack = await resolvePack(env, caller.accountId, input.rulePack, undefined, { category: input.category, jobId: id });
  pack.compiled.createValidator({ category: input.category });
  let inputKey: string;
  // The dashboard's sample catalog is there to try Vitrine: validating it never counts.
  let metered = true;
  if ("connector_id" in input.source) {
    inputKey = listingPrefix(caller.accountId, id);
  } else if ("file_id" in input.source) {
    const file = await getFile(env, caller.accountId, input.source.file_id);
    if (!file) throw notFound(text("File", "O arquivo"), input.source.file_id);
    inputKey = file.r2Key;
    metered = !(await isSampleCatalog(file.sha256));
  } else {
    inputKey = jobObjects.ndjsonInput(caller.accountId, id);
    const ndjson = input.source.records.map((r) => JSON.stringify(r)).join("\n") + "\n";
    await env.FILES.put(inputKey, ndjson, { httpMetadata: { contentType: "application/x-ndjson" } });
  }
  const row: JobRow = {
    id,
    accountId: caller.accountId,
    status: "queued",
    rulePack: pack.def.id,
    rulePackRevision: pack.revision,
    rulePackHash: pack.compiled.hash,
    category: input.category ?? null,
    mappingId: input.mapping?.id ?? null,
    mappingVersion: input.mapping?.version ?? null,
    applyFixes: input.applyFixes,
    locale: input.locale,
    sourceType: "connector_id" in input.source ? "connector" : "file_id" in input.source ? "file" : "records",
    fileId: "file_id" in input.source ? input.source.file_id : null,
    connectorId: "connector_id" in input.source ? input.source.connector_id : null,
    inputKey,
    priority: jobPriority((await planOfCaller(env, caller, now)).plan),
    sheetOptions: input.sheet ?? null,
    layout: null,
    summary: null,
    error: null,
    rowsTotal: null,
    chunksTotal: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
  };
  await database(env.DB).insert(jobs).values(row);
  await coordinator(env, id).init({ jobId: id, accountId: caller.accountId, priority: row.priority, metered });
  await enqueue(env, row.priority, [{ kind: "plan", job_id: id, account_id: caller.accountId }]);
  return row;
}

export async function getJobRow(env: Env, accountId: string, jobId: string): Promise<JobRow | null> {
  const [row] = await database(env.DB)
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

/**
 * The job as the API shows it, with live, exact progress from its coordinator. Its results are
 * served by the row, so, as on the dashboard (jobState), the job is finished only once its row says
 * so: between the coordinator ending it and syncJob writing the row, it reads as still running, and
 * a client that sees `completed` can always read the results.
 */
export async function getJob(env: Env, accountId: string, jobId: string) {
  const row = await getJobRow(env, accountId, jobId);
  if (!row) return null;
  const live = await coordinator(env, jobId).snapshot();
  return { row, snapshot: isTerminal(live.status) && !isTerminal(row.status) ? { ...live, status: "running" as const } : live };
}

export function snapshotFromRow(row: JobRow): JobSnapshot {
  const summary = row.summary ?? emptySummary();
  const rowsTotal = row.rowsTotal;
  return {
    status: row.status,
    progress: {
      rows_processed: row.status === "completed" ? (rowsTotal ?? summary.records) : summary.records,
      rows_total: rowsTotal,
      chunks_done: row.status === "completed" ? (row.chunksTotal ?? 0) : 0,
      chunks_total: row.chunksTotal,
      percent: row.status === "completed" ? 100 : 0,
    },
    summary,
    error: row.error,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    rows_total: rowsTotal,
    chunks_total: row.chunksTotal,
  };
}

export async function listJobs(env: Env, accountId: string, opts: PageQuery & { status?: JobStatus }): Promise<Page<JobRow>> {
  const db = database(env.DB);
  return paginate(
    jobs.id,
    opts,
    (cursor, take) =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.accountId, accountId), opts.status ? eq(jobs.status, opts.status) : undefined, cursor))
        .orderBy(desc(jobs.id))
        .limit(take),
    (row) => row,
  );
}

/** Cancels a job (idempotent); a finished job is left as it is. */
export async function cancelJob(env: Env, accountId: string, jobId: string) {
  const row = await getJobRow(env, accountId, jobId);
  if (!row) return null;
  if (!isTerminal(row.status)) {
    await coordinator(env, jobId).cancel();
    await syncJob(env, jobId);
  }
  return getJob(env, accountId, jobId);
}

/**
 * Drains the coordinator's outbox: writes each transition to the D1 row and
 * records its events. Safe to repeat; runs after every step that may change state.
 */
export async function syncJob(env: Env, jobId: string): Promise<void> {
  const coord = coordinator(env, jobId);
  const [usage, transitions] = await Promise.all([coord.pendingUsage(), coord.pendingTransitions()]);
  if (usage.length === 0 && transitions.length === 0) return;
  const db = database(env.DB);
  const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  if (!row) return;
  // Usage first: a job that ends has recorded every counted chunk before it says so.
  if (usage.length > 0) {
    await recordJobUsage(env, row, usage);
    await coord.ackUsage(usage.map((u) => u.chunk));
  }
  if (transitions.length === 0) return;
  const snapshot = await coord.snapshot();
  const last = transitions[transitions.length - 1];
  const ended = isTerminal(last.to);
  const update = db
    .update(jobs)
    .set({
      status: last.to,
      startedAt: snapshot.started_at,
      finishedAt: snapshot.finished_at,
      rowsTotal: snapshot.rows_total,
      chunksTotal: snapshot.chunks_total,
      summary: ended ? snapshot.summary : row.summary,
      error: snapshot.error,
      updatedAt: Date.now(),
    })
    .where(eq(jobs.id, jobId));
  if (ended) {
    // Counted once: only while the row is not yet final (a repeated sync finds it final).
    const notYetFinal = sql`EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.id} = ${jobId} AND ${jobs.status} NOT IN ('completed', 'failed', 'cancelled'))`;
    const [counted] = await db.batch([rollupWrite(db, { hour: hourOf(Date.now()), metric: "job", dimension: last.to, bucket: 0, count: 1 }, notYetFinal), update]);
    if (counted.meta.changes > 0) recordAnalytics(env, "job", last.to);
    await releaseHold(env, row.accountId, jobHold(row.id));
  } else {
    await update;
  }
  await recordJobTransitions(env, { ...row, status: last.to }, transitions, snapshot);
  // A sync's end frees its connector, records the outcome and sends connector.synced (idempotent).
  if (ended && row.sourceType === "connector") await syncEnded(env, { ...row, status: last.to }, snapshot);
  await coord.ackTransitions(last.seq);
}
