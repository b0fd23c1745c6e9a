import { DurableObject } from "cloudflare:workers";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  retryAfter: number;
}

/**
 * One instance per limited subject (an API key, a signup IP). A sliding window
 * over two fixed windows: cheap, smooth at window edges, and strongly consistent
 * because every hit for a subject lands on the same object. Counters live in
 * memory on purpose: losing them on eviction only forgives a few requests.
 */
export class RateLimiter extends DurableObject {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  hit(limit: number, windowMs: number, now = Date.now()): RateDecision {
    const start = now - (now % windowMs);
    if (start !== this.windowStart) {
      this.previous = start - this.windowStart === windowMs ? this.current : 0;
      this.current = 0;
      this.windowStart = start;
    }
    const elapsed = (now - start) / windowMs;
    const estimated = this.previous * (1 - elapsed) + this.current;
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    if (estimated + 1 > limit) return { allowed: false, limit, remaining: 0, retryAfter };
    this.current++;
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - estimated - 1)), retryAfter };
  }
}
