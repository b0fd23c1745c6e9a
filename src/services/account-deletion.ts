import { and, eq, inArray, isNull } from "drizzle-orm";
import { VitrineError } from "../core/errors";
import { text } from "../core/text";
import { database } from "../db/client";
import { accounts, apiKeys, jobs, uploads } from "../db/schema";
import type { Env } from "../env";
import { deletePrefix } from "../storage/r2-delete";
import { accountTables } from "./account-tables";
import { deleteConnectorsOf } from "./connectors/connectors";
import { coordinator, syncJob } from "./jobs/jobs";
import { deleteStripeCustomer } from "./billing/customers";

/*
 * Deleting an account (LGPD): its keys stop working at once, its unfinished jobs are cancelled,
 * every R2 object under its prefixes and every D1 row of it are deleted. The work is recorded
 * first as a marker object in R2, so a deletion interrupted halfway is finished by the minute
 * cron, and repeating any step is harmless. The marker stays FINAL_SWEEP_AFTER_MS, long enough for
 * a job step that was already running to have written its last object; the cron then sweeps the
 * account's prefixes one last time and removes the marker.
 */

const MARKERS = "system/account-deletions/";
/** Longer than a chunk's lease (2 min) and the plan step of a very large workbook. */
export const FINAL_SWEEP_AFTER_MS = 15 * 60_000;
/** Objects deleted per prefix, and rounds of row deletions, in one call; the cron does the rest. */
const OBJECTS_PER_CALL = 20_000;
const ROWS_PER_STATEMENT = 1000;
const ROUNDS_PER_CALL = 20;
/** Markers the cron looks at per minute. */
const MARKERS_PER_RUN = 20;

/** Every R2 prefix that holds an account's objects (see src/storage/keys.ts and job-objects.ts). */
export function accountPrefixes(accountId: string): string[] {
  return [`uploads/${accountId}/`, `jobs/${accountId}/`];
}

export function deletionMarkerKey(accountId: string): string {
  return `${MARKERS}${accountId}`;
}

export interface AccountDeletion {
  account_id: string;
  /** "deleted": no object or row is left (one last sweep follows); "deleting": the cron finishes it. */
  status: "deleted" | "deleting";
  requested_at: string;
}

/**
 * Checks that `confirm` is the account's email (case and spaces aside): deleting an account is
 * for good, so it has to be asked for explicitly.
 */
export async function confirmAccountDeletion(env: Env, accountId: string, confirm: string): Promise<void> {
  const [row] = await database(env.DB).select({ email: accounts.email }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (row && row.email === confirm.trim().toLowerCase()) return;
  const detail = text("confirm must be the account's email address", "confirm deve ser o e-mail da conta");
  throw new VitrineError(
    "invalid_request",
    text("To delete the account, send its email address in confirm.", "Para apagar a conta, envie o e-mail dela em confirm."),
    { errors: [{ detail, pointer: "/confirm" }] },
  );
}

/** Deletes the account and everything it holds; safe to call again, and finished by the cron if cut short. */
export async function deleteAccount(env: Env, accountId: string, now = Date.now()): Promise<AccountDeletion> {
  const requestedAt = await markForDeletion(env, accountId, now);
  const done = await purgeAccount(env, accountId, now);
  return { account_id: accountId, status: done ? "deleted" : "deleting", requested_at: new Date(requestedAt).toISOString() };
}

/** Records the deletion (the first request's time is kept) before anything is deleted. */
async function markForDeletion(env: Env, accountId: string, now: number): Promise<number> {
  const existing = await env.FILES.get(deletionMarkerKey(accountId));
  if (existing) return (JSON.parse(await existing.text()) as { requested_at: number }).requested_at;
  await env.FILES.put(deletionMarkerKey(accountId), JSON.stringify({ account_id: accountId, requested_at: now }));
  return now;
}

/** One bounded pass over everything of the account. True when nothing is left. */
async function purgeAccount(env: Env, accountId: string, now: number): Promise<boolean> {
  const db = database(env.DB);
  await db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)));
  await cancelUnfinishedJobs(env, accountId);
  await abortOpenUploads(env, accountId);
  // Before the rows go: the tokens live in each connector's Durable Object, and the grant is withdrawn at the marketplace.
  await deleteConnectorsOf(env, accountId);
  // Before the rows go: the Stripe customer (and with it any subscription) ends, so nothing more is billed.
  if (!(await deleteStripeCustomer(env, accountId))) return false;
  let objectsLeft = false;
  for (const prefix of accountPrefixes(accountId)) {
    if (!(await deletePrefix(env.FILES, prefix, OBJECTS_PER_CALL)).done) objectsLeft = true;
  }
  const rowsLeft = !(await deleteRows(env, accountId));
  return !objectsLeft && !rowsLeft;
}

/** Jobs still queued or running stop, so no step starts writing for an account being deleted. */
async function cancelUnfinishedJobs(env: Env, accountId: string): Promise<void> {
  const running = await database(env.DB)
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), inArray(jobs.status, ["queued", "running"])));
  for (const job of running) {
    try {
      await coordinator(env, job.id).cancel();
      // Drains the coordinator's outbox while the job row exists; otherwise its alarm would keep asking for a sync.
      await syncJob(env, job.id);
    } catch (error) {
      // A coordinator that never started has nothing running; the job's rows and objects go below all the same.
      console.error(JSON.stringify({ level: "warn", msg: "account deletion: cancelling a job failed", job_id: job.id, error: String(error) }));
    }
  }
}

/** Multipart uploads in progress hold parts R2 does not list as objects; aborting drops them. */
async function abortOpenUploads(env: Env, accountId: string): Promise<void> {
  const open = await database(env.DB)
    .select({ key: uploads.r2Key, uploadId: uploads.r2UploadId })
    .from(uploads)
    .where(and(eq(uploads.accountId, accountId), inArray(uploads.status, ["open", "completing"])));
  for (const upload of open) {
    await env.FILES.resumeMultipartUpload(upload.key, upload.uploadId)
      .abort()
      // Already completed or aborted: nothing is left to drop.
      .catch(() => undefined);
  }
}

/**
 * Deletes the account's rows in rounds, each one D1 batch (one transaction): every child row,
 * up to ROWS_PER_STATEMENT rows of each table with an account_id, and — in the same transaction,
 * once none is left — the account row itself. True once the account row is gone.
 */
async function deleteRows(env: Env, accountId: string): Promise<boolean> {
  const { account, owned, children } = accountTables();
  const statements = [
    ...children.map((t) => `delete from "${t.name}" where ${t.where}`),
    `delete from "dead_letters" where "job_id" in (select "id" from "jobs" where "account_id" = ?1)
       or json_extract("body", '$.account_id') = ?1
       or json_extract("body", '$.delivery_id') in (select "id" from "webhook_deliveries" where "account_id" = ?1)`,
    ...owned.map((t) => `delete from "${t.name}" where rowid in (select rowid from "${t.name}" where ${t.where} limit ${ROWS_PER_STATEMENT})`),
    `delete from "${account.name}" where ${account.where} and ${owned.map((t) => `not exists (select 1 from "${t.name}" where ${t.where})`).join(" and ")}`,
  ].map((sql) => env.DB.prepare(sql).bind(accountId));
  for (let round = 0; round < ROUNDS_PER_CALL; round++) {
    const results = await env.DB.batch(statements);
    const accountGone = await env.DB.prepare(`select 1 from "${account.name}" where ${account.where}`).bind(accountId).first();
    if (!accountGone) return true;
    if (results.every((r) => r.meta.changes === 0)) return false;
  }
  return false;
}

/**
 * The cron's part: finishes deletions that were cut short, and once a deletion is old enough,
 * sweeps its prefixes a last time and forgets it.
 */
export async function finishAccountDeletions(env: Env, now = Date.now()): Promise<number> {
  const page = await env.FILES.list({ prefix: MARKERS, limit: MARKERS_PER_RUN });
  let finished = 0;
  for (const marker of page.objects) {
    const accountId = marker.key.slice(MARKERS.length);
    const requestedAt = await markForDeletion(env, accountId, now);
    const done = await purgeAccount(env, accountId, now);
    if (done && now - requestedAt >= FINAL_SWEEP_AFTER_MS) {
      await env.FILES.delete(marker.key);
      finished++;
    }
  }
  return finished;
}
