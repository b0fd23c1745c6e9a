/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export interface BackoffOptions {
  /** First wait; default 500 ms. */
  initialDelayMs?: number;
  /** Longest wait; default 10 s. */
  maxDelayMs?: number;
  /** Each wait is the previous one times this; default 1.5. */
  factor?: number;
}

/** The waits between polls: initial, then growing by `factor` up to `maxDelayMs`. */
export function* backoffDelays(options: BackoffOptions = {}): Generator<number, never> {
  const max = options.maxDelayMs ?? 10_000;
  const factor = options.factor ?? 1.5;
  let delay = Math.min(options.initialDelayMs ?? 500, max);
  for (;;) {
    yield delay;
    delay = Math.min(max, delay * factor);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
