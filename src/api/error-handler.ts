import type { ErrorHandler, Hono, NotFoundHandler } from "hono";
import type { RouterRoute } from "hono/types";
import { HTTPException } from "hono/http-exception";
import { VitrineError } from "../core/errors";
import { text, verbatim } from "../core/text";
import { ConfigError } from "../config";
import type { AppContext, AppEnv } from "./context";
import { ApiProblem, renderProblem } from "./problems";

const PROBLEM_JSON = "application/problem+json";

function respond(c: AppContext, error: VitrineError): Response {
  const { body, headers } = renderProblem(error, c.get("locale") ?? "en", c.req.path);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_JSON, "cache-control": "no-store", ...headers },
  });
}

const STATUS_CODES: Record<number, VitrineError["code"]> = {
  400: "invalid_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
};

/**
 * The one place where every failure becomes RFC 9457 problem+json, in the caller's language.
 * Services and routes throw VitrineError; anything else is a bug and answers 500 without details.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof VitrineError) return respond(c, err);
  if (err instanceof HTTPException && STATUS_CODES[err.status]) {
    return respond(c, new VitrineError(STATUS_CODES[err.status], verbatim(err.message || STATUS_CODES[err.status].replaceAll("_", " "))));
  }
  console.error(
    JSON.stringify({
      level: "error",
      msg: err instanceof ConfigError ? "configuration" : "unhandled",
      request_id: c.get("requestId"),
      error: String(err),
      stack: (err as Error)?.stack,
    }),
  );
  return respond(
    c,
    new VitrineError(
      "internal",
      text(
        "Something went wrong on our side. Quote the X-Request-Id header when you contact support.",
        "Algo deu errado do nosso lado. Informe o cabeçalho X-Request-Id ao falar com o suporte.",
      ),
    ),
  );
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Methods the app routes for a path, asked of Hono's own router. Each match is
 * `[[handler, route], params]`; middleware registered with `use` has method ALL and matches
 * every method, so only routes mounted for a concrete method count.
 */
export function routeMethods(app: Hono<AppEnv>): (path: string) => string[] {
  return (path) => {
    const matched = (method: string) => app.router.match(method, path)[0] as [[unknown, RouterRoute], unknown][];
    return METHODS.filter((method) => matched(method).some(([[, route]]) => route.method !== "ALL"));
  };
}

/** Unknown paths get 404; known paths with another method get 405 with an Allow header. */
export function notFoundHandler(methodsFor: (path: string) => string[]): NotFoundHandler<AppEnv> {
  return (c) => {
    const allowed = methodsFor(c.req.path);
    if (allowed.length > 0) {
      const list = allowed.join(", ");
      return respond(
        c,
        new ApiProblem(
          "method_not_allowed",
          text(`${c.req.method} is not supported here; use ${list}.`, `${c.req.method} não é aceito aqui; use ${list}.`),
          {},
          { allow: allowed },
        ),
      );
    }
    return respond(
      c,
      new VitrineError(
        "not_found",
        text(`No route matches ${c.req.method} ${c.req.path}.`, `Nenhuma rota corresponde a ${c.req.method} ${c.req.path}.`),
      ),
    );
  };
}
