import type { Text } from "./text";

/**
 * Stable error codes. Every layer below the API throws `VitrineError` with one of these; the API's
 * problem table (src/api/problems.ts) maps each to an HTTP status, a problem `type` and a title.
 */
export const ERROR_CODES = [
  "invalid_request",
  "malformed_json",
  "unauthorized",
  "not_found",
  "method_not_allowed",
  "conflict",
  "idempotency_in_flight",
  "gone",
  "length_required",
  "quota_exceeded",
  "payload_too_large",
  "unsupported_media_type",
  "range_not_satisfiable",
  "unprocessable",
  "invalid_rule_pack",
  "invalid_mapping",
  "idempotency_mismatch",
  "rate_limited",
  "internal",
  // Billing through Stripe (docs/billing.md)
  "billing_not_configured",
  "payment_provider_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with an input, located where the caller can find it. */
export interface FieldProblem {
  detail: Text;
  /** JSON pointer into the request body or submitted document. */
  pointer?: string;
  /** Name of a query, path or header parameter. */
  parameter?: string;
  /** 1-based line in a submitted YAML/JSON document. */
  line?: number;
  /** Id of the rule a rule-pack problem is about. */
  rule?: string;
}

/**
 * Facts that travel with an error. `errors` lists per-field problems; `retry_after` (seconds) says
 * when trying again makes sense; every other member is shown to the caller as is.
 */
export interface ErrorExtra {
  errors?: FieldProblem[];
  retry_after?: number;
  [member: string]: unknown;
}

/** The one error services and core throw: a stable code, a bilingual detail, and facts. No HTTP here. */
export class VitrineError extends Error {
  override name = "VitrineError";

  constructor(
    readonly code: ErrorCode,
    readonly detail: Text,
    readonly extra: ErrorExtra = {},
  ) {
    super(detail.en);
  }
}

export function notFound(what: Text, id: string): VitrineError {
  return new VitrineError("not_found", {
    en: `${what.en} ${id} was not found.`,
    "pt-BR": `${what["pt-BR"]} ${id} não existe nesta conta.`,
  });
}
