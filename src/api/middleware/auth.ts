import type { MiddlewareHandler } from "hono";
import { config } from "../../config";
import { text } from "../../core/text";
import { authenticate } from "../../services/api-keys";
import { consume } from "../../services/rate-limits";
import type { AppEnv } from "../context";
import { ApiProblem } from "../problems";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Requires a live API key, then applies the per-key request rate limit. */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    throw new ApiProblem("unauthorized", text("Send your API key as 'Authorization: Bearer vt_…'.", "Envie sua chave de API como 'Authorization: Bearer vt_…'."));
  }
  const presented = BEARER.exec(header)?.[1];
  const auth = presented ? await authenticate(c.env, presented, c.executionCtx) : null;
  if (!auth) {
    throw new ApiProblem(
      "unauthorized",
      text("The API key is invalid or has been revoked.", "A chave de API é inválida ou foi revogada."),
      {},
      { invalidToken: true },
    );
  }
  c.set("auth", auth);
  const decision = await consume(c.env, `key:${auth.keyId}`, config(c.env).rateLimitPerMinute, 60_000);
  if (!decision.allowed) {
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
  await next();
  c.res.headers.set("RateLimit-Limit", String(decision.limit));
  c.res.headers.set("RateLimit-Remaining", String(decision.remaining));
};
