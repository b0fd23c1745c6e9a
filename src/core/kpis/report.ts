import { HOUR_MS, LATENCY_BUCKETS_MS, type KpiMetric, quantileUpperBound } from "./rollup";

/** A stored rollup row, as D1 (or `wrangler d1 execute`) returns it. */
export interface KpiRow {
  hour: number;
  metric: KpiMetric | string;
  dimension: string;
  bucket: number;
  count: number;
}

export interface RouteLatency {
  route: string;
  requests: number;
  errors: number;
  /** Upper bound (ms) of the bucket holding the 95th percentile; Infinity past the last bound. */
  p95Ms: number;
}

export interface KpiWindow {
  hours: number;
  /** Jobs that reached a final status in the window. */
  jobs: { completed: number; failed: number; cancelled: number; successRate: number | null };
  /** Per route, busiest first. */
  routes: RouteLatency[];
  webhooks: {
    firstAttempts: number;
    firstAttemptSucceeded: number;
    firstAttemptRate: number | null;
    outcomes: number;
    delivered: number;
    eventualRate: number | null;
  };
}

/** The windows the operator reads: the last 24 hours and the last 7 days. */
export const KPI_WINDOWS_HOURS = [24, 168] as const;

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/**
 * Sums the rows of the `hours` hours up to and including the current one. Success rate is
 * completed / (completed + failed): a job the seller cancelled neither succeeded nor failed.
 */
export function summarizeWindow(rows: readonly KpiRow[], now: number, hours: number): KpiWindow {
  const from = Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
  const jobs = { completed: 0, failed: 0, cancelled: 0 };
  const histograms = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const first = { succeeded: 0, failed: 0 };
  const outcome = { succeeded: 0, failed: 0 };
  for (const row of rows) {
    if (row.hour < from || row.hour > now) continue;
    const n = Number(row.count);
    switch (row.metric) {
      case "request": {
        let histogram = histograms.get(row.dimension);
        if (!histogram) histograms.set(row.dimension, (histogram = new Array(LATENCY_BUCKETS_MS.length + 1).fill(0)));
        const bucket = Math.min(Math.max(0, Number(row.bucket)), LATENCY_BUCKETS_MS.length);
        histogram[bucket] += n;
        break;
      }
      case "request_5xx":
        errors.set(row.dimension, (errors.get(row.dimension) ?? 0) + n);
        break;
      case "job":
        if (row.dimension in jobs) jobs[row.dimension as keyof typeof jobs] += n;
        break;
      case "webhook_first_attempt":
        if (row.dimension in first) first[row.dimension as keyof typeof first] += n;
        break;
      case "webhook_outcome":
        if (row.dimension in outcome) outcome[row.dimension as keyof typeof outcome] += n;
        break;
    }
  }
  const routes = [...histograms].map(([route, histogram]) => ({
    route,
    requests: histogram.reduce((sum, c) => sum + c, 0),
    errors: errors.get(route) ?? 0,
    p95Ms: quantileUpperBound(histogram, 0.95) ?? 0,
  }));
  routes.sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
  const firstAttempts = first.succeeded + first.failed;
  const outcomes = outcome.succeeded + outcome.failed;
  return {
    hours,
    jobs: { ...jobs, successRate: rate(jobs.completed, jobs.completed + jobs.failed) },
    routes,
    webhooks: {
      firstAttempts,
      firstAttemptSucceeded: first.succeeded,
      firstAttemptRate: rate(first.succeeded, firstAttempts),
      outcomes,
      delivered: outcome.succeeded,
      eventualRate: rate(outcome.succeeded, outcomes),
    },
  };
}

/** "98.5 %", or "—" when nothing was counted. */
export function formatRate(value: number | null): string {
  return value === null ? "—" : `${(Math.floor(value * 1000) / 10).toFixed(1)} %`;
}

/** "≤ 25 ms", or "> 30000 ms" past the last bound. */
export function formatP95(ms: number): string {
  return Number.isFinite(ms) ? `≤ ${ms} ms` : `> ${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]} ms`;
}
