import { type ErrorCode, type FieldProblem, VitrineError } from "../core/errors";
import { type Locale, render } from "../core/text";

/** Facts about an error that the API turns into headers (services never speak HTTP). */
export interface ProblemHints {
  /** Methods the path accepts (405). */
  allow?: readonly string[];
  /** Size of the resource a range did not fit (416). */
  size?: number;
  /** The presented credential was bad, rather than missing (401). */
  invalidToken?: boolean;
  /** The request limit that was hit (429). */
  rateLimit?: number;
}

interface ProblemEntry {
  status: number;
  en: string;
  pt: string;
  /** For the docs' error list: when the API answers with it and what the caller should do. */
  explanation: string;
  headers?: (error: VitrineError, hints: ProblemHints) => Record<string, string>;
}

const retryAfter = (error: VitrineError) =>
  error.extra.retry_after !== undefined ? { "Retry-After": String(error.extra.retry_after) } : ({} as Record<string, string>);

/** A 402's quota headers, from the facts its body carries. */
function quotaProblemHeaders(error: VitrineError): Record<string, string> {
  const { included, used, reserved, reset_at } = error.extra as { included?: number | null; used?: number; reserved?: number; reset_at?: string };
  const headers = retryAfter(error);
  if (typeof included !== "number" || typeof reset_at !== "string") return headers;
  return {
    ...headers,
    "Vitrine-Quota-Limit": String(included),
    "Vitrine-Quota-Remaining": String(Math.max(0, included - (used ?? 0) - (reserved ?? 0))),
    "Vitrine-Quota-Reset": error.extra.retry_after !== undefined ? String(error.extra.retry_after) : "0",
  };
}

/**
 * The error catalogue: every code services and routes throw, its status, its title in both
 * languages and its explanation. `type` URIs resolve to the docs page's error list, which is
 * rendered from this table.
 */
export const PROBLEMS: Record<ErrorCode, ProblemEntry> = {
  invalid_request: {
    status: 400,
    en: "Invalid request",
    pt: "Requisição inválida",
    explanation:
      "A parameter or body field failed validation; `errors[]` names each one by JSON `pointer` or `parameter`. Fix those fields and resend.",
  },
  malformed_json: {
    status: 400,
    en: "Malformed JSON body",
    pt: "Corpo JSON malformado",
    explanation: "The body sent as application/json does not parse. Check quoting and trailing commas, and that the body is UTF-8 JSON.",
  },
  unauthorized: {
    status: 401,
    en: "Authentication required",
    pt: "Autenticação necessária",
    explanation:
      "The Authorization header is missing, or the key is unknown or revoked. Send `Authorization: Bearer vt_live_…` (or `vt_test_…`) with a live key.",
    headers: (_error, hints) => ({
      "WWW-Authenticate": hints.invalidToken ? 'Bearer realm="vitrine", error="invalid_token"' : 'Bearer realm="vitrine"',
    }),
  },
  not_found: {
    status: 404,
    en: "Not found",
    pt: "Não encontrado",
    explanation:
      "No route matches the path, or the object does not exist or belongs to another account. Check the id and the key you are using.",
  },
  method_not_allowed: {
    status: 405,
    en: "Method not allowed",
    pt: "Método não permitido",
    explanation: "The path exists but not with this HTTP method. Use one of the methods listed in the `Allow` response header.",
    headers: (_error, hints) => ({ Allow: (hints.allow ?? []).join(", ") }),
  },
  conflict: {
    status: 409,
    en: "Conflict",
    pt: "Conflito",
    explanation:
      "The request clashes with the current state, e.g. signing up with an email that already has an account. Read `detail` and change the request.",
  },
  idempotency_in_flight: {
    status: 409,
    en: "Request with this Idempotency-Key is in progress",
    pt: "Requisição com esta Idempotency-Key em andamento",
    explanation:
      "Another request with the same Idempotency-Key is still being processed. Wait briefly, then retry with the same key to get its response.",
    headers: retryAfter,
  },
  gone: {
    status: 410,
    en: "Gone",
    pt: "Não existe mais",
    explanation:
      "The object existed but was deleted for good, e.g. a job's results past the retention period (`RETENTION_DAYS`, 90 days by default). The job itself and its counts stay; run the job again to get new results.",
  },
  length_required: {
    status: 411,
    en: "Content-Length required",
    pt: "Content-Length obrigatório",
    explanation:
      "File uploads and parts are streamed to storage, which needs the size up front. Send the body with a `Content-Length` header (curl's `--data-binary @file` does), not chunked.",
  },
  quota_exceeded: {
    status: 402,
    en: "Quota exceeded",
    pt: "Cota excedida",
    explanation:
      "The work needs more validations than the plan has left this period (Free stops at 100 a month; a paid plan at its spend cap, when one is set). " +
      "`remaining`, `requested` and `reset_at` say how many are left, how many were asked for and when they renew. Send fewer records, wait for `reset_at`, or upgrade the plan.",
    headers: (error) => quotaProblemHeaders(error),
  },
  payload_too_large: {
    status: 413,
    en: "Payload too large",
    pt: "Conteúdo grande demais",
    explanation:
      "The request body exceeds the limit for this route (JSON bodies: 5 MiB; see `limit_bytes`). Send fewer records or upload a file instead.",
  },
  unsupported_media_type: {
    status: 415,
    en: "Unsupported media type",
    pt: "Tipo de conteúdo não suportado",
    explanation: "The Content-Type is not one this route accepts. Send `Content-Type: application/json` unless the operation says otherwise.",
  },
  range_not_satisfiable: {
    status: 416,
    en: "Range not satisfiable",
    pt: "Intervalo não atendível",
    explanation:
      "The `Range` of a file download starts at or beyond the end of the file. `Content-Range: bytes */<size>` gives the file's size; ask for a range inside it.",
    headers: (_error, hints) => ({ "Content-Range": `bytes */${hints.size ?? 0}` }),
  },
  unprocessable: {
    status: 422,
    en: "Unprocessable content",
    pt: "Conteúdo não processável",
    explanation: "The request is well formed but cannot be carried out as asked. Read `detail`, change the request, and do not retry it unchanged.",
  },
  invalid_rule_pack: {
    status: 422,
    en: "Invalid rule pack",
    pt: "Pacote de regras inválido",
    explanation:
      "The rule pack does not parse, names an unknown check, field, category or parent pack, has an unsafe pattern, or is too large. `errors[]` gives each problem with its `pointer`, `line` and `rule`.",
  },
  invalid_mapping: {
    status: 422,
    en: "Invalid mapping",
    pt: "Mapeamento inválido",
    explanation:
      "The mapping names an unknown target field or transform, has bad transform parameters or an unsafe pattern, or its marketplace or category does not exist. `errors[]` points at each problem; fix those entries and resend.",
  },
  idempotency_mismatch: {
    status: 422,
    en: "Idempotency-Key reused with a different request",
    pt: "Idempotency-Key reutilizada com outra requisição",
    explanation: "An Idempotency-Key was reused (within 24 h) with a different request body. Use a new key for a new request.",
  },
  rate_limited: {
    status: 429,
    en: "Too many requests",
    pt: "Requisições demais",
    explanation:
      "Too many requests for this API key, or too many signups from one address. Wait the seconds given in `Retry-After`, then retry.",
    headers: (error, hints) => ({
      ...retryAfter(error),
      ...(hints.rateLimit !== undefined && { "RateLimit-Limit": String(hints.rateLimit), "RateLimit-Remaining": "0" }),
    }),
  },
  internal: {
    status: 500,
    en: "Internal error",
    pt: "Erro interno",
    explanation:
      "Something failed on our side; the request may be retried. If it persists, contact support quoting the `X-Request-Id` header.",
  },
  billing_not_configured: {
    status: 501,
    en: "Billing is not configured",
    pt: "Cobrança não configurada",
    explanation:
      "This deployment runs without Stripe (no `STRIPE_SECRET_KEY`): nothing is charged, so there is nothing to subscribe to or manage. The operator can set any plan with `npm run admin -- set-plan`.",
  },
  payment_provider_error: {
    status: 502,
    en: "Payment provider error",
    pt: "Erro no provedor de pagamentos",
    explanation:
      "Stripe did not answer as expected (unreachable, or it refused the request). Nothing was charged; retry after the seconds in `Retry-After`. If it persists, contact support quoting the `X-Request-Id` header.",
    headers: retryAfter,
  },
};

export type ProblemCode = ErrorCode;

/** What the docs page says about each code. */
export const ERROR_EXPLANATIONS = Object.fromEntries(
  Object.entries(PROBLEMS).map(([code, entry]) => [code, entry.explanation]),
) as Record<ErrorCode, string>;

export interface RenderedFieldError {
  detail: string;
  pointer?: string;
  parameter?: string;
  line?: number;
  rule?: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: RenderedFieldError[];
  [extension: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `/docs#error-${code.replaceAll("_", "-")}`;
}

function renderFieldProblem({ detail, ...where }: FieldProblem, locale: Locale): RenderedFieldError {
  return { detail: render(detail, locale), ...where };
}

/** An error raised by the HTTP layer itself, with facts only HTTP needs (allowed methods, sizes…). */
export class ApiProblem extends VitrineError {
  constructor(
    code: ErrorCode,
    detail: VitrineError["detail"],
    extra: VitrineError["extra"] = {},
    readonly hints: ProblemHints = {},
  ) {
    super(code, detail, extra);
  }
}

/** An error as RFC 9457 problem details in `locale`, with the headers its code calls for. */
export function renderProblem(error: VitrineError, locale: Locale, instance: string) {
  const hints = error instanceof ApiProblem ? error.hints : {};
  const entry = PROBLEMS[error.code];
  const { errors, retry_after: _retryAfter, ...members } = error.extra;
  const body: ProblemDetails = {
    type: problemType(error.code),
    title: locale === "pt-BR" ? entry.pt : entry.en,
    status: entry.status,
    detail: render(error.detail, locale),
    instance,
    ...members,
    ...(errors && { errors: errors.map((e) => renderFieldProblem(e, locale)) }),
  };
  return { body, headers: entry.headers?.(error, hints) ?? {} };
}
