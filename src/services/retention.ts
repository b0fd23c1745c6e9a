import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { config } from "../config";
import { VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { isTerminal } from "../core/jobs/types";
import { text } from "../core/text";
import { database } from "../db/client";
import { files, type JobRow, jobs, uploadParts, uploads } from "../db/schema";
import type { Env } from "../env";
import { jobPrefix } from "../storage/job-objects";
import { deletePrefix } from "../storage/r2-delete";
import { coordinator, syncJob } from "./jobs/jobs";

/*
 * Retention: uploaded files and job results are kept RETENTION_DAYS (90 by default), then the
 * minute cron deletes them, a bounded batch per run.
 *
 * - A file is kept that long after its upload, or after the last job that read it finished,
 *   whichever is later: a job's corrected catalog is rebuilt from its source file, so a file lives
 *   as long as the results that need it.
 * - A job's results (issues, corrected catalog, converted input: everything under its R2 prefix)
 *   are kept that long after the job finished. Past that, its result and download endpoints answer
 *   410 whether or not the sweep has reached it yet; the job row and its counts stay.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** Work of one cron run; what is left waits for the next minute. */
export const FILES_PER_RUN = 100;
export const JOBS_PER_RUN = 25;
/** The last job id the results sweep has dealt with: jobs are visited once, in id (creation) order. */
export const JOBS_CURSOR_KEY = "system/retention/jobs-after";

export function retentionMs(env: Env): number {
  return config(env).retentionDays * DAY_MS;
}

/** When a finished job's results stop being served (null while it runs). */
export function resultsExpireAt(env: Env, job: Pick<JobRow, "finishedAt">): number | null {
  return job.finishedAt === null ? null : job.finishedAt + retentionMs(env);
}

/** Throws 410 when the job's results are past the retention period. */
export function assertResultsKept(env: Env, job: Pick<JobRow, "id" | "finishedAt">, now = Date.now()): void {
  const expiry = resultsExpireAt(env, job);
  if (expiry === null || expiry > now) return;
  const days = config(env).retentionDays;
  const finished = new Date(job.finishedAt!).toISOString().slice(0, 10);
  throw new VitrineError(
    "gone",
    text(
      `The results of job ${job.id} have been deleted: results are kept ${days} days after a job finishes, and this one finished on ${finished}. ` +
        `Its counts are still at GET /api/v1/jobs/${job.id}; run the job again for new results.`,
      `Os resultados do job ${job.id} foram apagados: os resultados ficam guardados por ${days} dias depois que o job termina, e este terminou em ${finished}. ` +
        `As contagens continuam em GET /api/v1/jobs/${job.id}; rode o job de novo para ter novos resultados.`,
    ),
    { retention_days: days, expired_at: new Date(expiry).toISOString() },
  );
}

/**
 * The smallest id `newId(prefix, at)` can produce: ids sort by creation time, so `id < bound`
 * selects what was created before `at` through the primary key's index.
 */
function idBound(prefix: string, at: number): string {
  return newId(prefix, at).slice(0, prefix.length + 1 + 10);
}

export interface RetentionLimits {
  files?: number;
  jobs?: number;
}

export interface RetentionRun {
  files: number;
  jobs: number;
}

/** One bounded pass of the retention sweep at `now`: expired files (and finished uploads), then expired job results. */
export async function sweepRetention(env: Env, now = Date.now(), limits: RetentionLimits = {}): Promise<RetentionRun> {
  const cutoff = now - retentionMs(env);
  const deletedFiles = await deleteExpiredFiles(env, cutoff, limits.files ?? FILES_PER_RUN);
  await deleteFinishedUploads(env, cutoff, limits.files ?? FILES_PER_RUN);
  const purgedJobs = await purgeExpiredResults(env, cutoff, now, limits.jobs ?? JOBS_PER_RUN);
  return { files: deletedFiles, jobs: purgedJobs };
}

/**
 * The records of multipart uploads that ended (completed into a file, or aborted) before the
 * cutoff: they only repeat the file's name and size, and go with it. Open uploads expire after a
 * day on their own (uploads.ts).
 */
async function deleteFinishedUploads(env: Env, cutoff: number, limit: number): Promise<void> {
  const db = database(env.DB);
  const done = await db
    .select({ id: uploads.id })
    .from(uploads)
    .where(and(lt(uploads.id, idBound("upl", cutoff)), lt(uploads.createdAt, cutoff), inArray(uploads.status, ["completed", "aborted"])))
    .limit(limit);
  for (let i = 0; i < done.length; i += 90) {
    const ids = done.slice(i, i + 90).map((u) => u.id);
    await db.batch([db.delete(uploadParts).where(inArray(uploadParts.uploadId, ids)), db.delete(uploads).where(inArray(uploads.id, ids))]);
  }
}

/**
 * Files uploaded before the cutoff that no job has read since (a job still running, or finished
 * after the cutoff, keeps its file). The bytes go first, then the rows: an interrupted run leaves
 * at worst a row without bytes, which the next run deletes, never bytes without a row.
 */
async function deleteExpiredFiles(env: Env, cutoff: number, limit: number): Promise<number> {
  const db = database(env.DB);
  const stillRead = sql`exists (select 1 from ${jobs} where ${jobs.accountId} = ${files.accountId} and ${jobs.fileId} = ${files.id} and (${jobs.finishedAt} is null or ${jobs.finishedAt} >= ${cutoff}))`;
  const expired = and(lt(files.id, idBound("file", cutoff)), lt(files.createdAt, cutoff), sql`not ${stillRead}`);
  const due = await db.select({ id: files.id, r2Key: files.r2Key }).from(files).where(expired).orderBy(asc(files.id)).limit(limit);
  if (due.length === 0) return 0;
  await env.FILES.delete(due.map((f) => f.r2Key));
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < due.length; i += 90) {
    await db.delete(files).where(and(inArray(files.id, due.slice(i, i + 90).map((f) => f.id)), expired));
  }
  return due.length;
}

/**
 * Deletes the R2 objects of jobs that finished before the cutoff, in id order from where the last
 * run stopped. A job created before the cutoff that finished after it stops the pass (it is due
 * soon, and the jobs behind it wait their turn); one created before the cutoff and still not
 * finished is stuck for good, so it is cancelled and its objects deleted.
 */
async function purgeExpiredResults(env: Env, cutoff: number, now: number, limit: number): Promise<number> {
  const db = database(env.DB);
  const after = (await (await env.FILES.get(JOBS_CURSOR_KEY))?.text()) ?? "";
  const candidates = await db
    .select({ id: jobs.id, accountId: jobs.accountId, status: jobs.status, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(and(gt(jobs.id, after), lt(jobs.id, idBound("job", cutoff))))
    .orderBy(asc(jobs.id))
    .limit(limit);
  let purged = 0;
  let last = after;
  for (const job of candidates) {
    if (isTerminal(job.status) && job.finishedAt !== null && job.finishedAt >= cutoff) break;
    if (!isTerminal(job.status)) await cancelStuckJob(env, job.id, now);
    await deletePrefix(env.FILES, jobPrefix(job.accountId, job.id));
    purged++;
    last = job.id;
  }
  if (last !== after) await env.FILES.put(JOBS_CURSOR_KEY, last);
  return purged;
}

async function cancelStuckJob(env: Env, jobId: string, now: number): Promise<void> {
  try {
    await coordinator(env, jobId).cancel();
    await syncJob(env, jobId);
  } catch (error) {
    // A coordinator that never started cannot cancel; the row is ended directly.
    console.error(JSON.stringify({ level: "warn", msg: "retention: cancelling a stuck job through its coordinator failed", job_id: jobId, error: String(error) }));
  }
  await database(env.DB)
    .update(jobs)
    .set({ status: "cancelled", finishedAt: now, updatedAt: now })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, ["queued", "running"])));
}
