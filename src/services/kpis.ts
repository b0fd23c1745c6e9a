import { gte, lt, type SQL, sql } from "drizzle-orm";
import { KPI_WINDOWS_HOURS, type KpiRow, type KpiWindow, summarizeWindow } from "../core/kpis/report";
import { addIncrement, HOUR_MS, hourOf, type KpiIncrement, type KpiMetric, latencyBucket } from "../core/kpis/rollup";
import type { Db } from "../db/client";
import { database } from "../db/client";
import { kpiRollups } from "../db/schema";
import type { Env } from "../env";

/*
 * The operator's KPIs are written twice: a data point to Workers Analytics Engine (the KPI_EVENTS
 * binding; what production is read from with `npm run kpis -- --remote`), and hourly rollups in D1
 * (what the operator page and `npm run kpis` read, and all there is under `wrangler dev` and tests).
 *
 * Requests never wait for either: writeDataPoint does no I/O the request waits for, and the D1
 * rollup of requests is buffered per isolate and flushed by one batch in waitUntil at most once a
 * second. Jobs and deliveries add their rollup to the D1 batch they already write, guarded by the
 * same condition as their state change, so a repeated message counts nothing twice.
 */

/** How long an isolate gathers request rollups before it writes them in one D1 batch. */
export const REQUEST_FLUSH_DELAY_MS = 1000;

const STANDARD_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** One Analytics Engine data point: index and blob1 the metric, blob2 the dimension, double1 the value, double2 the count. */
export function recordAnalytics(env: Env, metric: KpiMetric, dimension: string, value = 1, count = 1): void {
  try {
    env.KPI_EVENTS?.writeDataPoint({ indexes: [metric], blobs: [metric, dimension], doubles: [value, count] });
  } catch (error) {
    // A metric must never fail the work it measures.
    console.log(JSON.stringify({ level: "error", msg: "kpi.analytics_failed", metric, error: String(error) }));
  }
}

/**
 * A D1 statement adding `increment` to its rollup row, only when `onlyIf` holds at that moment
 * (put it in the same batch as, and before, the write that makes the condition false).
 */
export function rollupWrite(db: Db, increment: KpiIncrement, onlyIf: SQL = sql`1`) {
  const { hour, metric, dimension, bucket, count } = increment;
  return db
    .insert(kpiRollups)
    .select(sql`SELECT ${hour}, ${metric}, ${dimension}, ${bucket}, ${count} WHERE ${onlyIf}`)
    .onConflictDoUpdate({
      target: [kpiRollups.hour, kpiRollups.metric, kpiRollups.dimension, kpiRollups.bucket],
      set: { count: sql`${kpiRollups.count} + excluded.count` },
    });
}

let pending = new Map<string, KpiIncrement>();
let flushScheduled = false;

/**
 * Rows one flush writes at most. D1 counts each statement of a batch against the invocation's query
 * limit (50 on Workers Free), and the request that carries the flush has made its own queries.
 */
const MAX_ROWS_PER_FLUSH = 25;

async function flushRequestRollups(env: Env): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, REQUEST_FLUSH_DELAY_MS));
  const batch = [...pending.entries()].slice(0, MAX_ROWS_PER_FLUSH);
  for (const [key] of batch) pending.delete(key);
  flushScheduled = false;
  if (batch.length === 0) return;
  const db = database(env.DB);
  const [first, ...rest] = batch.map(([, increment]) => rollupWrite(db, increment));
  try {
    await db.batch([first, ...rest]);
  } catch (error) {
    // Kept for the next flush (the keys are bounded: hours × routes × buckets); logged so it is seen.
    for (const [, increment] of batch) addIncrement(pending, increment);
    console.log(JSON.stringify({ level: "error", msg: "kpi.rollup_failed", rows: batch.length, error: String(error) }));
  }
}

export interface RequestSample {
  method: string;
  /** The matched route's pattern (bounded cardinality), never the raw path. */
  route: string;
  status: number;
  durationMs: number;
  at: number;
}

/** Counts one request: an Analytics Engine point now, its D1 rollup in the isolate's next flush. */
export function recordRequest(env: Env, waitUntil: ((work: Promise<unknown>) => void) | undefined, sample: RequestSample): void {
  const route = `${STANDARD_METHODS.has(sample.method) ? sample.method : "OTHER"} ${sample.route}`;
  recordAnalytics(env, "request", route, sample.durationMs, 1);
  if (sample.status >= 500) recordAnalytics(env, "request_5xx", route, sample.status, 1);
  if (!waitUntil) return;
  const hour = hourOf(sample.at);
  addIncrement(pending, { hour, metric: "request", dimension: route, bucket: latencyBucket(sample.durationMs), count: 1 });
  if (sample.status >= 500) addIncrement(pending, { hour, metric: "request_5xx", dimension: route, bucket: 0, count: 1 });
  if (!flushScheduled) {
    flushScheduled = true;
    waitUntil(flushRequestRollups(env));
  }
}

/** The last 24 hours and 7 days, from the D1 rollups. */
export async function readKpis(env: Env, now = Date.now()): Promise<KpiWindow[]> {
  const longest = Math.max(...KPI_WINDOWS_HOURS);
  const rows: KpiRow[] = await database(env.DB)
    .select()
    .from(kpiRollups)
    .where(gte(kpiRollups.hour, hourOf(now) - (longest - 1) * HOUR_MS));
  return KPI_WINDOWS_HOURS.map((hours) => summarizeWindow(rows, now, hours));
}

/** Rollups are read for 7 days; one more day is kept so a window never finds its oldest hour gone. */
export const ROLLUP_KEEP_HOURS = 8 * 24;

/** Deletes rollup hours no window reads any more; returns how many rows went. */
export async function purgeKpiRollups(env: Env, now: number): Promise<number> {
  const result = await database(env.DB)
    .delete(kpiRollups)
    .where(lt(kpiRollups.hour, hourOf(now) - ROLLUP_KEEP_HOURS * HOUR_MS));
  return result.meta.changes;
}
