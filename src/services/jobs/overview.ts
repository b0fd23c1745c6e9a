import { and, eq, inArray } from "drizzle-orm";
import type { JobSnapshot } from "../../core/jobs/types";
import { isTerminal } from "../../core/jobs/types";
import { database } from "../../db/client";
import { files } from "../../db/schema";
import type { JobRow } from "../../db/schema";
import type { Env } from "../../env";
import type { Page, PageQuery } from "../../db/paginate";
import { coordinator, getJobRow, listJobs, snapshotFromRow } from "./jobs";

export interface JobListEntry {
  row: JobRow;
  /** The name of the uploaded file the job read; null for inline records or a deleted file. */
  fileName: string | null;
}

/** A page of the account's jobs, newest first, each with its source file's name (one extra query per page). */
export async function listJobsWithFileNames(env: Env, accountId: string, page: PageQuery): Promise<Page<JobListEntry>> {
  const jobs = await listJobs(env, accountId, page);
  const ids = [...new Set(jobs.data.map((row) => row.fileId).filter((id): id is string => id !== null))];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const found = await database(env.DB)
      .select({ id: files.id, name: files.name })
      .from(files)
      .where(and(eq(files.accountId, accountId), inArray(files.id, ids)));
    for (const file of found) names.set(file.id, file.name);
  }
  return { data: jobs.data.map((row) => ({ row, fileName: row.fileId ? (names.get(row.fileId) ?? null) : null })), has_more: jobs.has_more };
}

/**
 * The job with its state: live from its coordinator while it runs, from the stored row once it has
 * ended (the row then holds the final counts, and a finished job's page never wakes its coordinator).
 * The row is what results are served by, so a job is finished only once its row says so: between
 * the coordinator ending it and the row being written, it shows as still running.
 */
export async function jobState(env: Env, accountId: string, jobId: string): Promise<{ row: JobRow; snapshot: JobSnapshot } | null> {
  const row = await getJobRow(env, accountId, jobId);
  if (!row) return null;
  if (isTerminal(row.status)) return { row, snapshot: snapshotFromRow(row) };
  const live = await coordinator(env, jobId).snapshot();
  return { row, snapshot: isTerminal(live.status) ? { ...live, status: "running" } : live };
}
