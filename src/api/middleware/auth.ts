import type { MiddlewareHandler } from "hono";
import { config } from "../../config";
import { text } from "../../core/text";
import type { RateDecision } from "../../durable/rate-limiter";
import { authenticate } from "../../services/api-keys";
import { consume } from "../../services/rate-limits";
import type { AppContext, AppEnv } from "../context";
import { ApiProblem } from "../problems";
import { type BodyKind, readBody } from "./body";
import { addServerTiming } from "./server-timing";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The live key the request presents (401 otherwise), set as the request's `auth`. */
async function authenticateKey(c: AppContext) {
  const header = c.req.header("authorization");
  if (!header) {
    throw new ApiProblem("unauthorized", text("Send your API key as 'Authorization: Bearer vt_…'.", "Envie sua chave de API como 'Authorization: Bearer vt_…'."));
  }
  const presented = BEARER.exec(header)?.[1];
  const started = performance.now();
  const auth = presented ? await authenticate(c.env, presented, c.executionCtx) : null;
  addServerTiming(c, "auth", performance.now() - started);
  if (!auth) {
    throw new ApiProblem(
      "unauthorized",
      text("The API key is invalid or has been revoked.", "A chave de API é inválida ou foi revogada."),
      {},
      { invalidToken: true },
    );
  }
  c.set("auth", auth);
  return auth;
}

/** One hit on the key's rate limiter (its Durable Object), timed as `ratelimit`. */
async function hitLimit(c: AppContext, keyId: string): Promise<RateDecision> {
  const started = performance.now();
  const decision = await consume(c.env, `key:${keyId}`, config(c.env).rateLimitPerMinute, 60_000);
  addServerTiming(c, "ratelimit", performance.now() - started);
  return decision;
}

function refuseIfLimited(decision: RateDecision) {
  if (decision.allowed) return;
  throw new ApiProblem(
    "rate_limited",
    text(
      `This API key exceeded ${decision.limit} requests per minute. Retry in ${decision.retryAfter} s.`,
      `Esta chave de API excedeu ${decision.limit} requisições por minuto. Tente de novo em ${decision.retryAfter} s.`,
    ),
    { retry_after: decision.retryAfter },
    { rateLimit: decision.limit },
  );
}

function rateLimitHeaders(c: AppContext, decision: RateDecision) {
  c.res.headers.set("RateLimit-Limit", String(decision.limit));
  c.res.headers.set("RateLimit-Remaining", String(decision.remaining));
}

/** Requires a live API key, then applies the per-key request rate limit. */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = await authenticateKey(c);
  const decision = await hitLimit(c, auth.keyId);
  refuseIfLimited(decision);
  await next();
  rateLimitHeaders(c, decision);
};

/**
 * `requireApiKey` followed by the body middleware, with the body read while the rate limiter's
 * round trip is in flight: the two waits overlap instead of adding up. Only once the key is
 * authenticated (an anonymous caller still gets its 401 without its body being read), and the
 * answers keep their order: over the limit is 429 whatever the body, then the body's own errors.
 */
export function requireApiKeyThenBody(kind: BodyKind): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticateKey(c);
    const limit = hitLimit(c, auth.keyId);
    // Settled into a value: a body error waits for the rate limit's answer, and is never left unobserved.
    const body = readBody(c, kind).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    const decision = await limit;
    refuseIfLimited(decision);
    const failed = await body;
    if (failed) throw failed.error;
    await next();
    rateLimitHeaders(c, decision);
  };
}
