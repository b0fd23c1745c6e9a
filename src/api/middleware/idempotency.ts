import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../../core/hash";
import { claim, complete, release } from "../../services/idempotency";
import { type AppEnv, caller } from "../context";
import { ProblemError } from "../problems";

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "location"];

/**
 * Idempotency-Key for POSTs that create something: the same key and body replay
 * the first response; a different body is 422; a request still running is 409.
 * Keys are scoped per account and kept for 24 hours.
 */
export const idempotent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!VALID_KEY.test(key)) {
    throw new ProblemError("invalid_request", {
      en: "Idempotency-Key must be 1–255 visible ASCII characters.",
      "pt-BR": "Idempotency-Key deve ter de 1 a 255 caracteres ASCII visíveis.",
    }, { errors: [{ detail: "invalid Idempotency-Key", parameter: "Idempotency-Key" }] });
  }
  const { accountId } = caller(c);
  const body = c.req.raw.body ? await c.req.raw.clone().text() : "";
  const requestHash = await sha256Hex(`${c.req.header("content-type") ?? ""}\n${body}`);
  const outcome = await claim(c.env, { accountId, key, method: c.req.method, path: c.req.path, requestHash });
  if (outcome.kind === "mismatch") {
    throw new ProblemError("idempotency_mismatch", {
      en: "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
      "pt-BR": "Esta Idempotency-Key já foi usada com outra requisição. Use uma chave nova para uma nova requisição.",
    });
  }
  if (outcome.kind === "in_flight") {
    throw new ProblemError("idempotency_in_flight", {
      en: "A request with this Idempotency-Key is still being processed. Retry shortly.",
      "pt-BR": "Uma requisição com esta Idempotency-Key ainda está em processamento. Tente de novo em instantes.",
    }, { headers: { "Retry-After": "1" } });
  }
  if (outcome.kind === "replay") {
    return new Response(outcome.body, { status: outcome.status, headers: { ...outcome.headers, "Idempotent-Replayed": "true" } });
  }
  try {
    await next();
  } catch (error) {
    await release(c.env, accountId, key);
    throw error;
  }
  if (c.res.status >= 500 || c.error) {
    await release(c.env, accountId, key);
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = c.res.headers.get(name);
    if (value) headers[name] = value;
  }
  await complete(c.env, accountId, key, { status: c.res.status, body: await c.res.clone().text(), headers });
};
