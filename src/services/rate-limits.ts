import type { RateDecision } from "../durable/rate-limiter";
import type { Env } from "../env";

export async function consume(env: Env, subject: string, limit: number, windowMs: number): Promise<RateDecision> {
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(subject));
  return limiter.hit(limit, windowMs);
}
