import type { MiddlewareHandler } from "hono";
import { config } from "../../config";
import type { AppContext, AppEnv } from "../context";

/**
 * Outside production, every response carries one `Server-Timing` header: `app;dur=<ms>` for the
 * whole request as the Worker handled it, then the steps timed with `addServerTiming` in the order
 * they ended: `auth` (the key's D1 read), `ratelimit` (the limiter's Durable Object) and `body`
 * (reading the body; it overlaps the rate limit) on authenticated routes, `quota` on metered
 * requests. This middleware is its only writer, so entries never overwrite each other. Production
 * sends none: step timings tell a caller about our internals.
 *
 * Mounted right inside `requestContext`, so the configuration has been checked when it runs.
 */
export const serverTiming: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  await next();
  if (config(c.env).production) return;
  const entries = [timing("app", performance.now() - started), ...(c.get("serverTimings") ?? [])];
  c.res.headers.set("Server-Timing", entries.join(", "));
};

/** Adds a named step to the request's Server-Timing header (dropped in production). */
export function addServerTiming(c: AppContext, name: string, ms: number) {
  c.set("serverTimings", [...(c.get("serverTimings") ?? []), timing(name, ms)]);
}

function timing(name: string, ms: number) {
  return `${name};dur=${ms.toFixed(3)}`;
}
