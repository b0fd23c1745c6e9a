/**
 * When to try a webhook delivery again. Pure: callers pass the clock and the randomness.
 *
 * Attempt 1 is immediate; after each failure the next waits for the step below,
 * ±10 % jitter so a receiver coming back from an outage is not hit by every
 * delivery in the same second. Ten attempts span about three days.
 */
export const RETRY_SCHEDULE_SECONDS = [
  5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600,
] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
const JITTER = 0.1;
/** A receiver's Retry-After is honoured up to the longest step of the schedule. */
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** Longest delay a Cloudflare Queues message can carry; later retries wait for the cron sweep. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;
export const DELIVERY_TIMEOUT_MS = 15_000;
/** Receiver responses are kept only as an excerpt for the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;

export type AttemptVerdict = "succeeded" | "gone" | "retry";

/** 2xx succeeds; 410 Gone means "stop sending here"; everything else (3xx too: redirects are not followed) retries. */
export function verdictFor(status: number): AttemptVerdict {
  if (status >= 200 && status < 300) return "succeeded";
  if (status === 410) return "gone";
  return "retry";
}

/**
 * Seconds to wait before the next attempt, given how many attempts were made,
 * or null when the schedule is exhausted.
 */
export function retryDelaySeconds(attemptsMade: number, random: () => number = Math.random, retryAfterSeconds?: number | null): number | null {
  if (attemptsMade < 1 || attemptsMade >= MAX_ATTEMPTS) return null;
  const base = RETRY_SCHEDULE_SECONDS[attemptsMade - 1];
  const jittered = Math.max(1, Math.round(base * (1 - JITTER + 2 * JITTER * random())));
  if (retryAfterSeconds == null) return jittered;
  return Math.max(jittered, Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS));
}

/** Parses Retry-After (delta-seconds or an HTTP date) into seconds from `nowMs`; null when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed);
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
