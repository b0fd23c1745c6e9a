import { describe, expect, it } from "vitest";
import {
  MAX_ATTEMPTS,
  MAX_QUEUE_DELAY_SECONDS,
  parseRetryAfter,
  RETRY_SCHEDULE_SECONDS,
  retryDelaySeconds,
  verdictFor,
} from "../../../src/core/webhooks/retry";

describe("retry schedule", () => {
  it("spans about three days over ten attempts", () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const total = RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
    expect(total / 86400).toBeGreaterThan(2.8);
    expect(total / 86400).toBeLessThan(3.5);
  });

  it("jitters each step within ±10 %, never past the end of the schedule", () => {
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) {
      const base = RETRY_SCHEDULE_SECONDS[attempts - 1];
      const low = retryDelaySeconds(attempts, () => 0)!;
      const high = retryDelaySeconds(attempts, () => 0.999999)!;
      expect(low).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
      expect(high).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      // Whole seconds: the 5 s step has no room to spread.
      if (base >= 60) expect(high).toBeGreaterThan(low);
    }
    expect(retryDelaySeconds(MAX_ATTEMPTS, Math.random)).toBeNull();
    expect(retryDelaySeconds(0, Math.random)).toBeNull();
  });

  it("keeps the first six retries within a queue delay and leaves the rest to the sweep", () => {
    const viaQueue = RETRY_SCHEDULE_SECONDS.map((_, i) => retryDelaySeconds(i + 1, () => 0.999999)! <= MAX_QUEUE_DELAY_SECONDS);
    expect(viaQueue).toEqual([true, true, true, true, true, true, false, false, false]);
  });

  it("honours Retry-After as a lower bound, capped at a day", () => {
    expect(retryDelaySeconds(1, () => 0.5, 120)).toBe(120);
    expect(retryDelaySeconds(3, () => 0.5, 10)).toBe(1800);
    expect(retryDelaySeconds(1, () => 0.5, 10 * 86400)).toBe(86400);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-20T12:00:00Z");
  it.each([
    ["120", 120],
    ["0", 0],
    ["Fri, 20 Nov 2026 12:05:00 GMT", 300],
    ["Fri, 20 Nov 2026 11:00:00 GMT", 0],
    ["soon", null],
    ["-5", null],
    ["1.5", null],
    [null, null],
  ])("%s → %s", (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});

describe("verdictFor", () => {
  it.each([
    [200, "succeeded"],
    [204, "succeeded"],
    [299, "succeeded"],
    [301, "retry"],
    [302, "retry"],
    [400, "retry"],
    [404, "retry"],
    [410, "gone"],
    [429, "retry"],
    [500, "retry"],
    [503, "retry"],
  ] as const)("%i → %s", (status, verdict) => {
    expect(verdictFor(status)).toBe(verdict);
  });
});
