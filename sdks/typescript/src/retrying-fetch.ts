import { retryAfterMs, sleep } from "./backoff.js";

export type FetchFunction = (request: Request) => Promise<Response>;

export interface RetryOptions {
  /** Retries after the first attempt; default 3. 0 turns retrying off. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 429/503 is returned. Default 60 s. */
  maxWaitMs?: number;
}

const RETRIED_STATUSES = new Set([429, 503]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * Wraps `fetch` so requests that are safe to send again are retried after a 429 or 503
 * (waiting Retry-After, or 0.5 s, 1 s, 2 s… without it) and after network errors. Safe means an
 * idempotent method, or a POST carrying an Idempotency-Key (Vitrine replays its first answer).
 */
export function retryingFetch(fetchImpl: FetchFunction, options: RetryOptions = {}): FetchFunction {
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  return async (request) => {
    const safe = IDEMPOTENT_METHODS.has(request.method) || request.headers.has("idempotency-key");
    if (!safe || maxRetries === 0) return fetchImpl(request);
    for (let attempt = 0; ; attempt++) {
      const fallbackWait = 500 * 2 ** attempt;
      // A clone per attempt: a body can be sent once.
      const sent = attempt < maxRetries ? request.clone() : request;
      let response: Response;
      try {
        response = await fetchImpl(sent);
      } catch (error) {
        if (attempt >= maxRetries || request.signal?.aborted) throw error;
        await sleep(fallbackWait, request.signal);
        continue;
      }
      if (!RETRIED_STATUSES.has(response.status) || attempt >= maxRetries) return response;
      const wait = retryAfterMs(response.headers.get("retry-after")) ?? fallbackWait;
      if (wait > maxWaitMs) return response;
      await response.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}
