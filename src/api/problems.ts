import type { Locale } from "../core/locale";

/**
 * The error catalogue: every problem type the API answers with, its status and
 * its title in both languages. `type` URIs resolve to the docs page's error list.
 */
export const PROBLEMS = {
  invalid_request: { status: 400, en: "Invalid request", pt: "Requisição inválida" },
  malformed_json: { status: 400, en: "Malformed JSON body", pt: "Corpo JSON malformado" },
  unauthorized: { status: 401, en: "Authentication required", pt: "Autenticação necessária" },
  not_found: { status: 404, en: "Not found", pt: "Não encontrado" },
  method_not_allowed: { status: 405, en: "Method not allowed", pt: "Método não permitido" },
  conflict: { status: 409, en: "Conflict", pt: "Conflito" },
  idempotency_in_flight: { status: 409, en: "Request with this Idempotency-Key is in progress", pt: "Requisição com esta Idempotency-Key em andamento" },
  length_required: { status: 411, en: "Content-Length required", pt: "Content-Length obrigatório" },
  payload_too_large: { status: 413, en: "Payload too large", pt: "Conteúdo grande demais" },
  unsupported_media_type: { status: 415, en: "Unsupported media type", pt: "Tipo de conteúdo não suportado" },
  range_not_satisfiable: { status: 416, en: "Range not satisfiable", pt: "Intervalo não atendível" },
  unprocessable: { status: 422, en: "Unprocessable content", pt: "Conteúdo não processável" },
  invalid_rule_pack: { status: 422, en: "Invalid rule pack", pt: "Pacote de regras inválido" },
  invalid_mapping: { status: 422, en: "Invalid mapping", pt: "Mapeamento inválido" },
  idempotency_mismatch: { status: 422, en: "Idempotency-Key reused with a different request", pt: "Idempotency-Key reutilizada com outra requisição" },
  rate_limited: { status: 429, en: "Too many requests", pt: "Requisições demais" },
  internal: { status: 500, en: "Internal error", pt: "Erro interno" },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  detail: string;
  /** JSON pointer into the request body */
  pointer?: string;
  /** name of the query, path or header parameter */
  parameter?: string;
  /** 1-based line in a submitted YAML/JSON document */
  line?: number;
  /** id of the rule a rule-pack problem is about */
  rule?: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export type Localized = string | { en: string; "pt-BR": string };

/** Throw from any layer above core to answer with an RFC 9457 problem. */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: Localized,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(typeof detail === "string" ? detail : detail.en);
  }
}

export function problemType(code: ProblemCode): string {
  return `/docs#error-${code.replaceAll("_", "-")}`;
}

export function renderProblem(
  code: ProblemCode,
  detail: Localized,
  locale: Locale,
  instance: string,
  extensions: Record<string, unknown> = {},
): ProblemDetails {
  const entry = PROBLEMS[code];
  return {
    type: problemType(code),
    title: locale === "pt-BR" ? entry.pt : entry.en,
    status: entry.status,
    detail: typeof detail === "string" ? detail : detail[locale],
    instance,
    ...extensions,
  };
}
