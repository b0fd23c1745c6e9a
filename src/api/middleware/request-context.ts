import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { newId } from "../../core/ids";
import { config } from "../../config";
import { pickLocale } from "../../core/locale";
import type { AppEnv } from "../context";
import { onError } from "../error-handler";
import { recordRequest } from "../../services/kpis";

/** The execution context's waitUntil, when the request has one (app.request() in some tests does not). */
function waitUntilOf(c: Context<AppEnv>): ((work: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return undefined;
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (echoed when sane), locale from Accept-Language, and one JSON log line per request. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : newId("req");
  c.set("requestId", requestId);
  // ?lang= wins over Accept-Language, so a link (a download in a browser) can choose the language.
  c.set("locale", pickLocale(c.req.query("lang") ?? c.req.header("accept-language")));
  try {
    // A bad configuration fails every request loudly (500, logged with the variable's name).
    config(c.env);
    await next();
  } catch (error) {
    // Errors thrown before the routes (config, auth, rate limits) reach the same single handler,
    // so the request id header and the log line below are written for every failure too.
    c.res = await onError(error as Error, c);
  }
  c.res.headers.set("X-Request-Id", requestId);
  const auth = c.get("auth");
  const durationMs = Date.now() - started;
  // The matched route's pattern, not the path: ids stay out of the KPIs and their number stays bounded.
  recordRequest(c.env, waitUntilOf(c), { method: c.req.method, route: routePath(c, -1), status: c.res.status, durationMs, at: started });
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: durationMs,
      account_id: auth?.accountId,
      key_id: auth?.keyId,
    }),
  );
};
