import { z } from "zod";
import { text } from "../core/text";
import { bilingualRefinement } from "./validation-messages";

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = z
  .object({
    type: z.string().describe("URI reference identifying the problem type; resolves to the docs' error list"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().describe("The request path"),
    errors: z
      .array(
        z.object({
          detail: z.string(),
          pointer: z.string().optional().describe("JSON pointer into the request body or submitted document"),
          parameter: z.string().optional().describe("Query, path or header parameter"),
          line: z.number().int().optional().describe("1-based line in a submitted YAML/JSON document"),
          rule: z.string().optional().describe("Rule id, for rule-pack problems"),
        }),
      )
      .optional()
      .describe("Per-field problems for invalid input"),
  })
  .meta({ id: "Problem" });

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request (malformed JSON or fields that fail validation)",
  401: "Missing, invalid or revoked API key",
  402: "Quota exceeded: the plan has no validations left this period (see Vitrine-Quota-* and reset_at)",
  404: "Not found (or owned by another account)",
  409: "Conflict",
  410: "Gone: deleted after the retention period",
  411: "Content-Length header missing",
  413: "Payload too large",
  415: "Unsupported media type",
  416: "Range not satisfiable",
  422: "Unprocessable content",
  429: "Rate limited; see Retry-After",
  501: "Billing is not configured on this deployment",
  502: "The payment provider (Stripe) failed; see Retry-After",
};

/** Documents problem+json responses for the given statuses (and always 500). */
export function problemResponses(...statuses: number[]) {
  const out: Record<string, { description: string; content: { "application/problem+json": { schema: typeof Problem } } }> = {};
  for (const status of [...statuses, 500]) {
    out[String(status)] = {
      description: DESCRIPTIONS[status] ?? "Internal error",
      content: { "application/problem+json": { schema: Problem } },
    };
  }
  return out;
}

/** The statuses every authenticated operation can answer with. */
export const AUTHED = [400, 401, 429] as const;

export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { "application/json": { schema } } };
}

export const Timestamp = z.string().describe("ISO 8601 timestamp (UTC)");

/** Documents the Idempotency-Key header on POSTs that create something. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .max(255)
    // chanfana hands absent headers over as null
    .nullish()
    .describe("Makes the request safe to retry: the same key and body replay the first response for 24 h"),
});

/**
 * A whole number in a query or path parameter, written with digits only: "1e3", "0x10" or "10.0"
 * are refused rather than read as 1000, 16 or 10.
 */
export function wholeNumber(min: number, max: number) {
  return z
    .string()
    .refine((s) => /^\d{1,15}$/.test(s), bilingualRefinement(text("must be a whole number written with digits only", "deve ser um número inteiro escrito só com dígitos")))
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .describe(`A whole number from ${min} to ${max}, digits only`);
}

/** The quota headers of operations that count validations (sent only where billing is on and the plan has a finite allowance). */
export const QUOTA_HEADERS = {
  "Vitrine-Quota-Limit": { description: "Validations the plan includes in the current period", schema: { type: "integer" as const } },
  "Vitrine-Quota-Remaining": { description: "Of those, how many are left (after running jobs' reservations)", schema: { type: "integer" as const } },
  "Vitrine-Quota-Reset": { description: "Seconds until the period ends and the allowance renews", schema: { type: "integer" as const } },
};
