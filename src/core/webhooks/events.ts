import { z } from "zod";
import { JOB_STATUSES } from "../jobs/types";
import { PLAN_IDS } from "../plans";
import { type Locale, renderDeep, type Text } from "../text";

/**
 * Event types and their payload schemas, version 1. Producers (jobs, connectors)
 * build `data` against these; recordEvent validates it, the OpenAPI document's
 * `webhooks` section and docs/webhooks.md describe it.
 *
 * Versioning: `version` in the envelope is the schema version of `data` for that
 * type. Adding optional fields keeps it; renaming, removing or retyping a field
 * ships as a new version. Receivers should ignore fields they do not know.
 */
export const EVENT_VERSION = 1;

export const JobStatus = z.enum(JOB_STATUSES);

const count = z.number().int().min(0);
const timestamp = z.string().describe("ISO 8601 timestamp (UTC)");
const apiPath = z.string().describe("API path, relative to your Vitrine base URL");

export const JobCounts = z
  .object({
    records: count.describe("Records read from the source"),
    valid: count.describe("Records without any error-severity issue"),
    invalid: count.describe("Records with at least one error (the marketplace would reject them as they are)"),
    corrected: count.describe("Records changed by at least one fix"),
    issues: z
      .object({ error: count, warning: count, info: count, total: count })
      .describe("Issues by severity; exact, never capped"),
  })
  .meta({ id: "JobCountsV1", description: "Exact counters of a validation job" });

const JobLinks = z
  .object({
    job: apiPath.describe("The job, e.g. /api/v1/jobs/job_…"),
    result: apiPath.optional().describe("The job's result summary"),
    issues: apiPath.optional().describe("Every issue found, as NDJSON"),
    corrected: apiPath.optional().describe("The corrected records, when the job applied fixes"),
  })
  .meta({ id: "JobLinksV1" });

const Failure = z
  .object({ code: z.string(), message: z.string() })
  .meta({
    id: "EventFailureV1",
    description: "Why something failed, in the reader's language (GET /events: Accept-Language; webhooks: the language of the request that started the work)",
  });

/** Fields every job event starts with, so receivers can route on them without a lookup. */
const jobFields = {
  job_id: z.string().describe("job_…"),
  rule_pack: z.string().nullable().describe("The rule pack the records are checked against, e.g. mercadolivre"),
  category: z.string().nullable().optional().describe("The rule pack's category section, if the job named one"),
};

export const ValidationCompletedData = z
  .object({
    ...jobFields,
    counts: JobCounts,
    started_at: timestamp.nullable().optional(),
    completed_at: timestamp.optional(),
    links: JobLinks,
  })
  .meta({ id: "ValidationCompletedV1", description: "A job finished checking every record." });

export const CorrectionAppliedData = z
  .object({
    ...jobFields,
    corrected_records: count.describe("Records changed by at least one fix"),
    counts: JobCounts.optional(),
    links: JobLinks,
  })
  .meta({ id: "CorrectionAppliedV1", description: "A job wrote corrected records (sent after validation.completed)." });

export const JobStatusChangedData = z
  .object({
    ...jobFields,
    previous_status: JobStatus.nullable().describe("null for a job's first status"),
    status: JobStatus,
    changed_at: timestamp,
    error: Failure.nullable().describe("Set when status is failed"),
    counts: JobCounts.optional().describe("Counters at the time of the change, when known"),
    links: JobLinks.optional(),
  })
  .meta({ id: "JobStatusChangedV1", description: "A job moved through queued → running → completed | failed | cancelled." });

export const ConnectorSyncedData = z
  .object({
    connector_id: z.string().describe("con_…"),
    provider: z.string().describe("mercadolivre, shopee, google_sheets, …"),
    direction: z.enum(["import", "export"]),
    status: z.enum(["succeeded", "partial", "failed", "unchanged"]).describe("partial: some records failed; unchanged: the feed had not changed (nothing validated)"),
    job_id: z.string().nullable().describe("The validation job the synced records went through, if any"),
    counts: z
      .object({ fetched: count, created: count, updated: count, unchanged: count, failed: count })
      .describe("Records per outcome"),
    started_at: timestamp,
    completed_at: timestamp,
    error: Failure.nullable(),
    changes: z
      .object({
        previous_job_id: z.string().nullable().describe("The earlier sync compared with; null on the first"),
        issues: z.object({ new: count, resolved: count, still_open: count }),
        records: z.object({ added: count, removed: count }),
      })
      .nullable()
      .optional()
      .describe("Imports: what changed since the connector's previous full sync (null when the sync failed or re-validated only notified items)")
      .meta({ id: "ConnectorSyncChangesV1" }),
    links: z
      .object({ connector: apiPath.describe("/api/v1/connectors/con_…"), job: apiPath.optional() })
      .meta({ id: "ConnectorLinksV1" }),
  })
  .meta({ id: "ConnectorSyncedV1", description: "A connector finished a sync run." });

export const BillingQuotaWarningData = z
  .object({
    percent: z.union([z.literal(80), z.literal(100)]).describe("How much of the plan's included validations the period has used"),
    plan: z.enum(PLAN_IDS),
    included: count.describe("Validations the plan includes in the period"),
    used: count.describe("Validations counted in the period when the threshold was reached"),
    period: z.object({ start: timestamp, end: timestamp }).describe("The period; the allowance renews at its end"),
    stops: z.boolean().describe("At 100 %: true when work now stops (Free); false when further validations are billed as overage (paid plans)"),
    links: z.object({ usage: apiPath.describe("/api/v1/billing/usage"), plans: apiPath.describe("/api/v1/billing/plans") }),
  })
  .meta({ id: "BillingQuotaWarningV1", description: "Usage reached 80 % or 100 % of the plan's included validations in the period (once each per period)." });

export const WebhookTestData = z
  .object({
    webhook_id: z.string().describe("whk_…"),
    message: z.string(),
  })
  .meta({ id: "WebhookTestV1", description: "Sent only by POST /api/v1/webhooks/{id}/test." });

// Billing through Stripe: what a seller's systems hear when the plan or a payment changes.
const BillingPlan = z.enum(["free", "pro", "business", "enterprise"]);
const BillingStatus = z.enum(["active", "past_due", "canceled", "none"]).describe("none: no subscription (Free, or an unfinished Checkout)");

export const BillingPlanChangedData = z
  .object({
    previous_plan: BillingPlan,
    plan: BillingPlan.describe("The plan whose allowances apply now"),
    previous_status: BillingStatus,
    status: BillingStatus,
    cancel_at_period_end: z.boolean().describe("The subscription ends (back to Free) when the period does"),
    current_period_end: timestamp.nullable().describe("End of the paid period, when subscribed"),
    changed_at: timestamp,
  })
  .meta({ id: "BillingPlanChangedV1", description: "The account's plan or subscription status changed (a Stripe event confirmed it)." });

export const BillingPaymentFailedData = z
  .object({
    invoice_id: z.string().describe("Stripe's invoice id (in_…), as GET /billing/invoices lists it"),
    invoice_number: z.string().nullable(),
    amount_due: count.describe("In the currency's minor unit (cents)"),
    currency: z.string().describe("ISO 4217, lowercase (usd, brl)"),
    attempt_count: count,
    next_payment_attempt: timestamp.nullable().describe("When Stripe retries the charge, if it will"),
    hosted_invoice_url: z.string().nullable().describe("Where the seller can pay the invoice (card, boleto, Pix as configured)"),
    grace_until: timestamp.nullable().describe("The plan's allowances apply until then; Free allowances after, until paid"),
  })
  .meta({ id: "BillingPaymentFailedV1", description: "Charging an invoice of the subscription failed." });

export const EVENT_DATA = {
  "validation.completed": ValidationCompletedData,
  "correction.applied": CorrectionAppliedData,
  "job.status_changed": JobStatusChangedData,
  "connector.synced": ConnectorSyncedData,
  "billing.quota_warning": BillingQuotaWarningData,
  "webhook.test": WebhookTestData,
  "billing.plan_changed": BillingPlanChangedData,
  "billing.payment_failed": BillingPaymentFailedData,
} as const;

export type EventType = keyof typeof EVENT_DATA;
/** What producers record: the type's data, where any text may be a bilingual message. */
type Localizable<T> = T extends string ? T | Text : T extends readonly (infer U)[] ? Localizable<U>[] : T extends object ? { [K in keyof T]: Localizable<T[K]> } : T;
export type EventData<T extends EventType> = Localizable<z.input<(typeof EVENT_DATA)[T]>>;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** Types endpoints subscribe to; `webhook.test` goes only where it is asked for. */
export type SubscribableEventType = Exclude<EventType, "webhook.test">;
export const SUBSCRIBABLE_EVENT_TYPES = EVENT_TYPES.filter((t): t is SubscribableEventType => t !== "webhook.test");
/** Subscribes to every type, including ones added later. */
export const ALL_EVENTS = "*";

export const EVENT_SUMMARIES: Record<EventType, string> = {
  "validation.completed": "A validation job finished",
  "correction.applied": "A job wrote corrected records",
  "job.status_changed": "A job changed status",
  "connector.synced": "A connector finished a sync",
  "billing.quota_warning": "Usage reached 80 % or 100 % of the plan's allowance",
  "webhook.test": "A test message you asked for",
  "billing.plan_changed": "The account's plan or subscription status changed",
  "billing.payment_failed": "A subscription payment failed",
};

/** The body every delivery carries (and GET /events returns). */
export interface EventEnvelope {
  id: string;
  type: EventType;
  version: number;
  created_at: string;
  data: unknown;
}

export function envelopeSchema<T extends EventType>(type: T) {
  return z.object({
    id: z.string().describe("evt_…; also sent as the webhook-id header, identical on every retry"),
    type: z.literal(type),
    version: z.literal(EVENT_VERSION).describe("Schema version of data"),
    created_at: timestamp,
    data: EVENT_DATA[type],
  });
}

export function subscribes(events: readonly string[], type: EventType): boolean {
  if (type === "webhook.test") return false;
  return events.includes(ALL_EVENTS) || events.includes(type);
}

/** Event data is stored with its messages bilingual (`Text`); this writes each in one language. */
export function localizeEventData(data: unknown, locale: Locale): unknown {
  return renderDeep(data, locale);
}

/** The envelope of a stored event in `locale`. */
export function renderEnvelope(row: { id: string; type: string; version: number; createdAt: number; data: unknown }, locale: Locale): EventEnvelope {
  return {
    id: row.id,
    type: row.type as EventType,
    version: row.version,
    created_at: new Date(row.createdAt).toISOString(),
    data: localizeEventData(row.data, locale),
  };
}
