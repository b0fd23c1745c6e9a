import { describe, expect, it } from "vitest";
import { formatP95, formatRate, type KpiRow, summarizeWindow } from "../../../src/core/kpis/report";
import { HOUR_MS, hourOf, LATENCY_BUCKETS_MS, latencyBucket, quantileUpperBound } from "../../../src/core/kpis/rollup";

describe("latency histogram", () => {
  it("puts a duration in the first bucket whose bound it does not exceed", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(2)).toBe(1);
    expect(latencyBucket(25)).toBe(LATENCY_BUCKETS_MS.indexOf(25));
    expect(latencyBucket(26)).toBe(LATENCY_BUCKETS_MS.indexOf(50));
    expect(latencyBucket(30_001)).toBe(LATENCY_BUCKETS_MS.length);
  });

  it("gives the p95 as the bound of the bucket holding the 95th of 100 (nearest rank)", () => {
    const histogram = new Array(LATENCY_BUCKETS_MS.length + 1).fill(0);
    histogram[latencyBucket(10)] = 94;
    histogram[latencyBucket(40)] = 1;
    histogram[latencyBucket(900)] = 5;
    expect(quantileUpperBound(histogram, 0.95)).toBe(50);
    histogram[latencyBucket(40)] = 0;
    histogram[latencyBucket(10)] = 95;
    expect(quantileUpperBound(histogram, 0.95)).toBe(10);
    histogram[latencyBucket(10)] = 0;
    histogram[LATENCY_BUCKETS_MS.length] = 1;
    expect(quantileUpperBound(histogram, 0.95)).toBe(Infinity);
    expect(quantileUpperBound(new Array(LATENCY_BUCKETS_MS.length + 1).fill(0), 0.95)).toBeNull();
  });
});

describe("windows", () => {
  const now = Date.UTC(2026, 11, 3, 18, 30);
  const hoursAgo = (n: number) => hourOf(now) - n * HOUR_MS;
  const rows: KpiRow[] = [
    { hour: hoursAgo(0), metric: "job", dimension: "completed", bucket: 0, count: 49 },
    { hour: hoursAgo(23), metric: "job", dimension: "failed", bucket: 0, count: 1 },
    { hour: hoursAgo(23), metric: "job", dimension: "cancelled", bucket: 0, count: 4 },
    // Outside 24 h, inside 7 days.
    { hour: hoursAgo(24), metric: "job", dimension: "failed", bucket: 0, count: 50 },
    // Outside both.
    { hour: hoursAgo(168), metric: "job", dimension: "failed", bucket: 0, count: 1000 },
    { hour: hoursAgo(1), metric: "request", dimension: "POST /api/v1/validate", bucket: latencyBucket(12), count: 19 },
    { hour: hoursAgo(2), metric: "request", dimension: "POST /api/v1/validate", bucket: latencyBucket(300), count: 1 },
    { hour: hoursAgo(100), metric: "request", dimension: "POST /api/v1/validate", bucket: latencyBucket(3000), count: 80 },
    { hour: hoursAgo(2), metric: "request_5xx", dimension: "POST /api/v1/validate", bucket: 0, count: 1 },
    { hour: hoursAgo(3), metric: "request", dimension: "GET /api/v1/health", bucket: 0, count: 40 },
    { hour: hoursAgo(5), metric: "webhook_first_attempt", dimension: "succeeded", bucket: 0, count: 9 },
    { hour: hoursAgo(5), metric: "webhook_first_attempt", dimension: "failed", bucket: 0, count: 1 },
    { hour: hoursAgo(5), metric: "webhook_outcome", dimension: "succeeded", bucket: 0, count: 10 },
    { hour: hoursAgo(30), metric: "webhook_outcome", dimension: "failed", bucket: 0, count: 10 },
  ];

  it("sums the last 24 hours, current hour included: success rate leaves cancelled jobs out", () => {
    const day = summarizeWindow(rows, now, 24);
    expect(day.jobs).toEqual({ completed: 49, failed: 1, cancelled: 4, successRate: 0.98 });
    expect(day.routes).toEqual([
      { route: "GET /api/v1/health", requests: 40, errors: 0, p95Ms: 1 },
      // 20 requests: the 19th is ≤ 15 ms, the 20th (the p95's rank is 19) is not needed.
      { route: "POST /api/v1/validate", requests: 20, errors: 1, p95Ms: 15 },
    ]);
    expect(day.webhooks).toEqual({ firstAttempts: 10, firstAttemptSucceeded: 9, firstAttemptRate: 0.9, outcomes: 10, delivered: 10, eventualRate: 1 });
  });

  it("sums the last 7 days, and nothing older", () => {
    const week = summarizeWindow(rows, now, 168);
    expect(week.jobs).toEqual({ completed: 49, failed: 51, cancelled: 4, successRate: 0.49 });
    expect(week.routes[0]).toEqual({ route: "POST /api/v1/validate", requests: 100, errors: 1, p95Ms: 5000 });
    expect(week.webhooks.eventualRate).toBe(0.5);
  });

  it("shows no rate when nothing was counted", () => {
    const empty = summarizeWindow([], now, 24);
    expect(empty.jobs.successRate).toBeNull();
    expect(formatRate(empty.webhooks.firstAttemptRate)).toBe("—");
    expect(formatRate(0.98765)).toBe("98.7 %");
    expect(formatP95(25)).toBe("≤ 25 ms");
    expect(formatP95(Infinity)).toBe("> 30000 ms");
  });
});
