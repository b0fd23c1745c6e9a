import type { MiddlewareHandler } from "hono";
import { VitrineError } from "../../core/errors";
import { sha256Hex } from "../../core/hash";
import { text } from "../../core/text";
import { claim, complete, release } from "../../services/idempotency";
import { type AppEnv, caller } from "../context";

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "location"];

/**
 * Idempotency-Key for POSTs that create something: the same key and body replay the first
 * response; a different body is 422; a request still running is 409. Keys are scoped per account
 * and kept for 24 hours. Runs after the body middleware, so the body it hashes is already capped.
 */
export const idempotent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!VALID_KEY.test(key)) {
    throw new VitrineError(
      "invalid_request",
      text("Idempotency-Key must be 1–255 visible ASCII characters.", "Idempotency-Key deve ter de 1 a 255 caracteres ASCII visíveis."),
      { errors: [{ detail: text("invalid Idempotency-Key", "Idempotency-Key inválida"), parameter: "Idempotency-Key" }] },
    );
  }
  const { accountId } = caller(c);
  const requestHash = await sha256Hex(`${c.req.header("content-type") ?? ""}\n${c.get("rawBody") ?? ""}`);
  const outcome = await claim(c.env, { accountId, key, method: c.req.method, path: c.req.path, requestHash });
  switch (outcome.kind) {
    case "mismatch":
      throw new VitrineError(
        "idempotency_mismatch",
        text(
          "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
          "Esta Idempotency-Key já foi usada com outra requisição. Use uma chave nova para uma nova requisição.",
        ),
      );
    case "in_flight":
      throw new VitrineError(
        "idempotency_in_flight",
        text(
          "A request with this Idempotency-Key is still being processed. Retry shortly.",
          "Uma requisição com esta Idempotency-Key ainda está em processamento. Tente de novo em instantes.",
        ),
        { retry_after: 1 },
      );
    case "unavailable":
      throw new VitrineError(
        "conflict",
        text(
          `The first request with this Idempotency-Key succeeded (${outcome.status}), but its response was too large to keep for replay. Read the object it created instead.`,
          `A primeira requisição com esta Idempotency-Key deu certo (${outcome.status}), mas a resposta era grande demais para ser guardada. Consulte o objeto criado.`,
        ),
        { original_status: outcome.status, ...(outcome.headers.location && { location: outcome.headers.location }) },
      );
    case "replay":
      return new Response(outcome.body, { status: outcome.status, headers: { ...outcome.headers, "Idempotent-Replayed": "true" } });
  }
  try {
    await next();
  } catch (error) {
    // A failed request did nothing worth replaying: the key is freed so the client's retry runs,
    // and the error itself still reaches the single error handler.
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
  try {
    await complete(c.env, accountId, key, { status: c.res.status, body: await c.res.clone().text(), headers });
  } catch (error) {
    // The request did its work: its answer must reach the client. Without a stored response the
    // key would stay "in flight" for a day, so it is freed (a retry then runs the request again).
    console.error(JSON.stringify({ level: "error", msg: "idempotent response not stored", request_id: c.get("requestId"), error: String(error) }));
    await release(c.env, accountId, key).catch(() => undefined);
  }
};
