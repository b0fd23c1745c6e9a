import { and, desc, eq, ne } from "drizzle-orm";
import { deltaOf, type KeyCounts, type SyncDelta, unchangedDelta } from "../../core/connectors/delta";
import type { SyncOutcome } from "../../core/connectors/types";
import { database } from "../../db/client";
import { type Page, type PageQuery, paginate } from "../../db/paginate";
import { type ConnectorSyncRow, connectorSyncKeys, connectorSyncs } from "../../db/schema";
import type { Env } from "../../env";

/**
 * "What changed since the last sync". Every chunk step of a sync stores its record and issue keys
 * in connector_sync_keys; when the sync completes, it is compared with the connector's previous
 * full sync (its baseline) by counts and a join over that table's primary key — D1 walks both
 * sets in key order, the Worker never holds either — and then becomes the baseline in its place.
 */

/** Keys bound as one JSON array (D1 takes values up to 2 MB; this keeps each statement small). */
const KEYS_PER_STATEMENT_BYTES = 256 * 1024;

/** Stores a chunk's keys (idempotent: a redelivered chunk writes the same keys again). */
export async function storeSyncKeys(env: Env, jobId: string, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)];
  const statements: D1PreparedStatement[] = [];
  const insert = env.DB.prepare("INSERT OR IGNORE INTO connector_sync_keys (job_id, key) SELECT ?1, value FROM json_each(?2)");
  let piece: string[] = [];
  let bytes = 0;
  for (const key of unique) {
    piece.push(key);
    bytes += key.length + 4;
    if (bytes >= KEYS_PER_STATEMENT_BYTES) {
      statements.push(insert.bind(jobId, JSON.stringify(piece)));
      piece = [];
      bytes = 0;
    }
  }
  if (piece.length) statements.push(insert.bind(jobId, JSON.stringify(piece)));
  if (statements.length) await env.DB.batch(statements);
}

/** Distinct record and issue keys of a sync (range scans of the primary key). */
async function countKeys(env: Env, jobId: string): Promise<{ records: number; issues: number }> {
  const row = await env.DB.prepare(
    "SELECT (SELECT count(*) FROM connector_sync_keys WHERE job_id = ?1 AND key >= 'r' AND key < 's') AS records, " +
      "(SELECT count(*) FROM connector_sync_keys WHERE job_id = ?1 AND key >= 'i' AND key < 'j') AS issues",
  )
    .bind(jobId)
    .first<{ records: number; issues: number }>();
  return { records: row?.records ?? 0, issues: row?.issues ?? 0 };
}

async function countShared(env: Env, previous: string, current: string): Promise<{ records: number; issues: number }> {
  const row = await env.DB.prepare(
    "SELECT coalesce(sum(substr(c.key, 1, 1) = 'r'), 0) AS records, coalesce(sum(substr(c.key, 1, 1) = 'i'), 0) AS issues " +
      "FROM connector_sync_keys c JOIN connector_sync_keys p ON p.job_id = ?1 AND p.key = c.key WHERE c.job_id = ?2",
  )
    .bind(previous, current)
    .first<{ records: number; issues: number }>();
  return { records: row?.records ?? 0, issues: row?.issues ?? 0 };
}

/** The connector's baseline: the latest full sync whose keys are kept. */
async function baselineOf(env: Env, sync: ConnectorSyncRow) {
  const [row] = await database(env.DB)
    .select({ jobId: connectorSyncs.jobId })
    .from(connectorSyncs)
    .where(and(eq(connectorSyncs.connectorId, sync.connectorId), eq(connectorSyncs.keysStored, true), ne(connectorSyncs.jobId, sync.jobId)))
    .orderBy(desc(connectorSyncs.createdAt))
    .limit(1);
  return row?.jobId ?? null;
}

export interface Comparison {
  delta: SyncDelta | null;
  /** Records of the baseline, for an unchanged feed (all of them are unchanged). */
  baselineRecords: number;
}

/**
 * Compares a sync that ended with the connector's baseline and records the delta (once: a second
 * call returns the recorded one). A completed full sync becomes the new baseline and the old one's
 * keys are deleted; an unchanged feed keeps the baseline and repeats its open issues; a failed sync,
 * or one limited to the items of notifications, has no delta and its keys are dropped.
 */
export async function compareSync(env: Env, sync: ConnectorSyncRow, outcome: SyncOutcome): Promise<Comparison> {
  const db = database(env.DB);
  const dropOwnKeys = () => env.DB.prepare("DELETE FROM connector_sync_keys WHERE job_id = ?1").bind(sync.jobId).run();
  if (sync.delta) return { delta: sync.delta, baselineRecords: 0 };
  if (outcome === "failed" || sync.itemIds) {
    await dropOwnKeys();
    return { delta: null, baselineRecords: 0 };
  }
  const previous = await baselineOf(env, sync);
  if (outcome === "unchanged") {
    const counts = previous ? await countKeys(env, previous) : { records: 0, issues: 0 };
    const delta = unchangedDelta(previous, counts.issues);
    await db.update(connectorSyncs).set({ delta }).where(eq(connectorSyncs.jobId, sync.jobId));
    return { delta, baselineRecords: counts.records };
  }
  const current = await countKeys(env, sync.jobId);
  const counts: KeyCounts = previous
    ? { previous: await countKeys(env, previous), current, both: await countShared(env, previous, sync.jobId) }
    : { previous: { records: 0, issues: 0 }, current, both: { records: 0, issues: 0 } };
  const delta = deltaOf(previous, counts);
  await db.batch([
    db.update(connectorSyncs).set({ delta, keysStored: true }).where(eq(connectorSyncs.jobId, sync.jobId)),
    ...(previous
      ? [
          db.update(connectorSyncs).set({ keysStored: false }).where(eq(connectorSyncs.jobId, previous)),
          db.delete(connectorSyncKeys).where(eq(connectorSyncKeys.jobId, previous)),
        ]
      : []),
  ]);
  return { delta, baselineRecords: 0 };
}

export interface SyncView {
  job_id: string;
  trigger: ConnectorSyncRow["trigger"];
  outcome: SyncOutcome | "running";
  started_at: string;
  ended_at: string | null;
  delta: SyncDelta | null;
  feed: { unchanged: boolean; bytes: number } | null;
  links: { job: string };
}

export function syncView(row: ConnectorSyncRow): SyncView {
  return {
    job_id: row.jobId,
    trigger: row.trigger,
    outcome: row.outcome ?? "running",
    started_at: new Date(row.createdAt).toISOString(),
    ended_at: row.endedAt === null ? null : new Date(row.endedAt).toISOString(),
    delta: row.delta,
    feed: row.feed ? { unchanged: row.feed.unchanged, bytes: row.feed.bytes } : null,
    links: { job: `/api/v1/jobs/${row.jobId}` },
  };
}

/** A connector's syncs, newest first, each with what changed since the one before. */
export async function listSyncs(env: Env, connectorId: string, page: PageQuery): Promise<Page<SyncView>> {
  const db = database(env.DB);
  return paginate(
    connectorSyncs.jobId,
    page,
    (cursor, take) => db.select().from(connectorSyncs).where(and(eq(connectorSyncs.connectorId, connectorId), cursor)).orderBy(desc(connectorSyncs.jobId)).limit(take),
    syncView,
  );
}

/** The delta of the connector's last sync. */
export async function lastDelta(env: Env, lastJobId: string | null): Promise<SyncDelta | null> {
  if (!lastJobId) return null;
  const [row] = await database(env.DB).select({ delta: connectorSyncs.delta }).from(connectorSyncs).where(eq(connectorSyncs.jobId, lastJobId)).limit(1);
  return row?.delta ?? null;
}
