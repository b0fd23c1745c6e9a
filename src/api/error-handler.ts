import type { Context, ErrorHandler, Hono, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiException, InputValidationException, MultiException } from "chanfana";
import { ZodError } from "zod";
import { VitrineError } from "../core/errors";
import type { AppEnv } from "./context";
import { type FieldError, type ProblemCode, ProblemError, renderProblem } from "./problems";

const PROBLEM_JSON = "application/problem+json";

function respond(c: Context<AppEnv>, code: ProblemCode, detail: ProblemError["detail"], extra: ProblemError["extra"] = {}) {
  const { headers, ...extensions } = extra;
  const body = renderProblem(code, detail, c.get("locale") ?? "en", c.req.path, extensions);
  const response = new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_JSON, "cache-control": "no-store", ...headers },
  });
  return response;
}

/** chanfana paths look like ["body", "records", "3", "price"] or ["query", "limit"]. */
function fieldError(message: string, path: unknown): FieldError {
  const parts = Array.isArray(path) ? path.map(String) : [];
  const [location, ...rest] = parts;
  if (location === "body") {
    return { detail: message, pointer: "/" + rest.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/") };
  }
  if (location === "query" || location === "params" || location === "headers") {
    return { detail: message, parameter: rest.join(".") };
  }
  return { detail: message };
}

const STATUS_CODES: Record<number, ProblemCode> = {
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

const INVALID_INPUT = {
  en: "The request has invalid fields; see errors.",
  "pt-BR": "A requisição tem campos inválidos; veja errors.",
};

/** The one place where every failure becomes RFC 9457 problem+json. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ProblemError) return respond(c, err.code, err.detail, err.extra);
  if (err instanceof VitrineError) {
    const { errors, ...members } = err.extra;
    const locale = c.get("locale") ?? "en";
    return respond(c, err.code, err.detail, {
      ...members,
      ...(errors && { errors: errors.map(({ detail, ...where }) => ({ detail: detail[locale], ...where })) }),
    });
  }
  if (err instanceof MultiException) {
    const errors = err.errors.map((e) => fieldError(e.message, (e as InputValidationException).path));
    return respond(c, "invalid_request", INVALID_INPUT, { errors });
  }
  if (err instanceof ZodError) {
    const errors = err.issues.map((i) => fieldError(i.message, ["body", ...i.path.map(String)]));
    return respond(c, "invalid_request", INVALID_INPUT, { errors });
  }
  if (err instanceof InputValidationException) {
    return respond(c, "invalid_request", INVALID_INPUT, { errors: [fieldError(err.message, err.path)] });
  }
  if (err instanceof ApiException && STATUS_CODES[err.status]) {
    return respond(c, STATUS_CODES[err.status], err.message || err.default_message);
  }
  if (err instanceof HTTPException && STATUS_CODES[err.status]) {
    return respond(c, STATUS_CODES[err.status], err.message || STATUS_CODES[err.status].replaceAll("_", " "));
  }
  console.error(
    JSON.stringify({ level: "error", msg: "unhandled", request_id: c.get("requestId"), error: String(err), stack: (err as Error)?.stack }),
  );
  return respond(c, "internal", {
    en: "Something went wrong on our side. Quote the X-Request-Id header when you contact support.",
    "pt-BR": "Algo deu errado do nosso lado. Informe o cabeçalho X-Request-Id ao falar com o suporte.",
  });
};

/** Which methods the app routes for a path; empty when no route matches it at all. */
export function routeMethods(app: Hono<AppEnv>): (path: string) => string[] {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    table ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({
        method: r.method,
        pattern: new RegExp("^" + r.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+").replace(/\*/g, ".*") + "/?$"),
      }));
    return [...new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  };
}

/** Unknown paths get 404; known paths with another method get 405 with an Allow header. */
export function notFoundHandler(methodsFor: (path: string) => string[]): NotFoundHandler<AppEnv> {
  return (c) => {
    const allowed = methodsFor(c.req.path);
    if (allowed.length > 0) {
      return respond(c, "method_not_allowed", {
        en: `${c.req.method} is not supported here; use ${allowed.join(", ")}.`,
        "pt-BR": `${c.req.method} não é aceito aqui; use ${allowed.join(", ")}.`,
      }, { headers: { Allow: allowed.join(", ") } });
    }
    return respond(c, "not_found", {
      en: `No route matches ${c.req.method} ${c.req.path}.`,
      "pt-BR": `Nenhuma rota corresponde a ${c.req.method} ${c.req.path}.`,
    });
  };
}

export function notFound(what: string, id: string): ProblemError {
  return new ProblemError("not_found", { en: `${what} ${id} was not found.`, "pt-BR": `${what} ${id} não foi encontrado.` });
}
