import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  retryAfter: number;
}

interface Window {
  start: number;
  current: number;
  previous: number;
}

const WINDOW_KEY = "window";

/**
 * One instance per limited subject (an API key, a signup address). A sliding window over two
 * fixed windows: cheap, smooth at window edges, and strongly consistent because every hit for a
 * subject lands on the same object. The window is kept in the object's storage, so an object that
 * was evicted while idle (seconds of silence are enough) comes back with its counts.
 */
export class RateLimiter extends DurableObject<Env> {
  private window: Window = { start: 0, current: 0, previous: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.window = (await ctx.storage.get<Window>(WINDOW_KEY)) ?? this.window;
    });
  }

  async hit(limit: number, windowMs: number, now = Date.now()): Promise<RateDecision> {
    const w = this.window;
    const start = now - (now % windowMs);
    if (start !== w.start) {
      w.previous = start - w.start === windowMs ? w.current : 0;
      w.current = 0;
      w.start = start;
    }
    const elapsed = (now - start) / windowMs;
    const estimated = w.previous * (1 - elapsed) + w.current;
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    if (estimated + 1 > limit) return { allowed: false, limit, remaining: 0, retryAfter };
    w.current++;
    await this.ctx.storage.put(WINDOW_KEY, w);
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - estimated - 1)), retryAfter };
  }
}
