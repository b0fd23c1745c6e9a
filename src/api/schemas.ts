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

const PlanId = z.enum(["free", "pro", "business", "enterprise"]);

/** 402: the problem with the quota's numbers as extension members (RFC 9457 §3.2), so clients need not parse the detail. */
export const QuotaExceededProblem = Problem.extend({
  plan: PlanId.describe("The account's plan"),
  included: z.number().int().nullable().describe("Validations the plan includes in the period; null: unlimited"),
  limit: z.number().int().nullable().describe("Where work stops in the period (Free: the allowance; paid: where the spend cap runs out); null: nowhere"),
  used: z.number().int().describe("Validations counted so far in the period"),
  reserved: z.number().int().describe("Validations held by jobs still running"),
  remaining: z.number().int().nullable().describe("Validations left before the limit"),
  requested: z.number().int().describe("Validations the refused request needed"),
  reset_at: z.string().describe("When the period ends and the allowance renews (ISO 8601, UTC); Retry-After and Vitrine-Quota-Reset give it in seconds"),
}).meta({ id: "QuotaExceededProblem" });

const retryAfterSeconds = z.number().int().optional().describe("Seconds to wait before retrying; the Retry-After header says the same");

/** 409: what the request clashed with, as extension members where the conflict has numbers or a state. */
export const ConflictProblem = Problem.extend({
  limit: z.number().int().optional().describe("The account's limit on this kind of object (API keys, connectors, webhook endpoints), when reaching it is the conflict"),
  job_status: z.string().optional().describe("The job's status, when its results are asked for before it completed"),
  plan: PlanId.optional().describe("The plan the account already subscribes to, when a second subscription is refused"),
  original_status: z.number().int().optional().describe("The status of the first request with this Idempotency-Key"),
  location: z.string().optional().describe("What the first request with this Idempotency-Key created"),
  retry_after: retryAfterSeconds,
}).meta({ id: "ConflictProblem" });

/** 410: when and why the object went. */
export const GoneProblem = Problem.extend({
  retention_days: z.number().int().optional().describe("How long this kind of object is kept"),
  expired_at: z.string().optional().describe("When it was deleted (ISO 8601, UTC)"),
}).meta({ id: "GoneProblem" });

/** 413: the route's limit as an extension member, in bytes or in records. */
export const PayloadTooLargeProblem = Problem.extend({
  limit_bytes: z.number().int().optional().describe("The most this route accepts, in bytes"),
  limit_records: z.number().int().optional().describe("The most records a synchronous request takes"),
  jobs_url: z.string().optional().describe("Where larger catalogs go: files validated as jobs"),
}).meta({ id: "PayloadTooLargeProblem" });

/** 422: what could not be processed, where a member names it. */
export const UnprocessableProblem = Problem.extend({
  reason: z.string().optional().describe("Why a file could not be read, as a stable code (file.…)"),
  pattern: z.string().optional().describe("The regular expression that was refused"),
  contact: z.string().nullable().optional().describe("Whom to write to for Enterprise; null when this deployment names no one"),
}).meta({ id: "UnprocessableProblem" });

/** 429 and 502: when to try again. */
export const RetryProblem = Problem.extend({ retry_after: retryAfterSeconds }).meta({ id: "RetryProblem" });

/** Statuses whose problem carries extension members of its own; every other status answers a plain Problem. */
const PROBLEM_SCHEMAS: Partial<Record<number, z.ZodType>> = {
  402: QuotaExceededProblem,
  409: ConflictProblem,
  410: GoneProblem,
  413: PayloadTooLargeProblem,
  422: UnprocessableProblem,
  429: RetryProblem,
  502: RetryProblem,
};

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
  const out: Record<string, { description: string; content: { "application/problem+json": { schema: z.ZodType } } }> = {};
  for (const status of [...statuses, 500]) {
    out[String(status)] = {
      description: DESCRIPTIONS[status] ?? "Internal error",
      content: { "application/problem+json": { schema: PROBLEM_SCHEMAS[status] ?? Problem } },
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
