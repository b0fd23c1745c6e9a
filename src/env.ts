import type { RateLimiter } from "./durable/rate-limiter";

/** Bindings and variables the Worker runs with (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  FILES: R2Bucket;
  JOBS_QUEUE: Queue;
  JOBS_PRIORITY_QUEUE: Queue;
  WEBHOOKS_QUEUE: Queue;
  /** "development" mints vt_test_ keys; "production" mints vt_live_ keys. */
  ENVIRONMENT: string;
  RATE_LIMIT_PER_MINUTE: string;
  SIGNUP_LIMIT_PER_HOUR: string;
}

export function isProduction(env: Pick<Env, "ENVIRONMENT">): boolean {
  return env.ENVIRONMENT === "production";
}

export function positiveIntVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
