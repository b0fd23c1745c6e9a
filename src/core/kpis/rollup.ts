/**
 * The operator's KPIs as hourly rollups: counts per (hour, metric, dimension, bucket), so the
 * last 24 hours or 7 days are a sum over at most 168 hours, and a latency percentile comes from a
 * fixed histogram instead of every request's duration.
 */

/** Upper bounds (ms, inclusive) of the latency buckets; the last bucket holds everything slower. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 15, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 2500, 5000, 10000, 30000] as const;

export const HOUR_MS = 3_600_000;

export type KpiMetric =
  /** One per request; dimension "METHOD /route/:pattern", bucket = latency bucket. */
  | "request"
  /** One per request answered 5xx; dimension as "request", bucket 0. */
  | "request_5xx"
  /** One per job reaching a final status; dimension completed | failed | cancelled. */
  | "job"
  /** One per first delivery attempt of a webhook event; dimension succeeded | failed. */
  | "webhook_first_attempt"
  /** One per delivery reaching a final status (delivered, or given up); dimension succeeded | failed. */
  | "webhook_outcome";

export interface KpiIncrement {
  hour: number;
  metric: KpiMetric;
  dimension: string;
  bucket: number;
  count: number;
}

/** The start (epoch ms) of the UTC hour `at` falls in. */
export function hourOf(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** The index of the latency bucket `ms` falls in (LATENCY_BUCKETS_MS.length for slower than the last bound). */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]) return i;
  return LATENCY_BUCKETS_MS.length;
}

/**
 * The upper bound of the bucket holding the `quantile` (0–1) of the counted durations: the true
 * value is at most this. `null` when nothing was counted; `Infinity` when it lies past the last bound.
 */
export function quantileUpperBound(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  // The rank of the quantile, 1-based (nearest-rank method): p95 of 20 samples is the 19th.
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i] : Infinity;
  }
  return Infinity;
}

/** Adds one increment to a batch, merging with an equal key, so a batch holds one row per key. */
export function addIncrement(batch: Map<string, KpiIncrement>, increment: KpiIncrement): void {
  const key = `${increment.hour}|${increment.metric}|${increment.bucket}|${increment.dimension}`;
  const existing = batch.get(key);
  if (existing) existing.count += increment.count;
  else batch.set(key, { ...increment });
}
