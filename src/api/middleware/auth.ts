import type { MiddlewareHandler } from "hono";
import { positiveIntVar } from "../../env";
import { authenticate } from "../../services/api-keys";
import { consume } from "../../services/rate-limits";
import type { AppEnv } from "../context";
import { ProblemError } from "../problems";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Requires a live API key, then applies the per-key request rate limit. */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    throw new ProblemError("unauthorized", {
      en: "Send your API key as 'Authorization: Bearer vt_…'.",
      "pt-BR": "Envie sua chave de API como 'Authorization: Bearer vt_…'.",
    }, { headers: { "WWW-Authenticate": 'Bearer realm="vitrine"' } });
  }
  const presented = BEARER.exec(header)?.[1];
  const auth = presented ? await authenticate(c.env, presented, c.executionCtx) : null;
  if (!auth) {
    throw new ProblemError("unauthorized", {
      en: "The API key is invalid or has been revoked.",
      "pt-BR": "A chave de API é inválida ou foi revogada.",
    }, { headers: { "WWW-Authenticate": 'Bearer realm="vitrine", error="invalid_token"' } });
  }
  c.set("auth", auth);
  const decision = await consume(c.env, `key:${auth.keyId}`, positiveIntVar(c.env.RATE_LIMIT_PER_MINUTE, 600), 60_000);
  if (!decision.allowed) {
    throw new ProblemError("rate_limited", {
      en: `This API key exceeded ${decision.limit} requests per minute. Retry in ${decision.retryAfter} s.`,
      "pt-BR": `Esta chave de API excedeu ${decision.limit} requisições por minuto. Tente de novo em ${decision.retryAfter} s.`,
    }, { headers: { "Retry-After": String(decision.retryAfter), "RateLimit-Limit": String(decision.limit), "RateLimit-Remaining": "0" } });
  }
  await next();
  c.res.headers.set("RateLimit-Limit", String(decision.limit));
  c.res.headers.set("RateLimit-Remaining", String(decision.remaining));
};
