import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

// Timestamps are integer milliseconds since the epoch; the API renders them as ISO 8601.

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of subscribed event types, or ["*"] */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** "gone" (410), "failing" (5 days of failures) or "manual" */
    disabledReason: text("disabled_reason", { enum: ["gone", "failing", "manual"] }),
    disabledDetail: text("disabled_detail"),
    disabledAt: integer("disabled_at"),
    /** AES-GCM sealed whsec_ secrets (see src/services/encryption.ts); never stored in clear */
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    /** First failed attempt since the last success; null while healthy */
    failingSince: integer("failing_since"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_account_idx").on(t.accountId, t.id)],
);

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    version: integer("version").notNull(),
    /** The event's data (messages bilingual), validated against the type's schema */
    data: text("data", { mode: "json" }).notNull(),
    /** Producer-chosen key that makes recording the same fact twice a no-op */
    dedupeKey: text("dedupe_key"),
    /** Language webhook deliveries are written in (messages in data are bilingual; GET /events renders the reader's) */
    locale: text("locale", { enum: ["en", "pt-BR"] }).notNull().default("en"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("events_account_idx").on(t.accountId, t.id),
    index("events_account_type_idx").on(t.accountId, t.type, t.id),
    index("events_created_idx").on(t.createdAt),
    uniqueIndex("events_dedupe_unique").on(t.accountId, t.dedupeKey),
  ],
);

/** One row per event × endpoint: the unit that is retried, and what webhook-id stays stable across. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    /** pending → sending → succeeded | failed; sending → pending again after a failed attempt */
    status: text("status", { enum: ["pending", "sending", "succeeded", "failed"] }).notNull(),
    /** Attempts started; a queue message names the count it expects, so duplicates are dropped */
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due (while sending: when the claim expires); null when finished */
    nextAttemptAt: integer("next_attempt_at"),
    /** When a queue message for the next attempt was last sent; null means only the cron sweep will pick it up */
    enqueuedAt: integer("enqueued_at"),
    /** false for test sends and manual retries of finished deliveries: one attempt, no schedule */
    autoRetry: integer("auto_retry", { mode: "boolean" }).notNull().default(true),
    lastAttemptAt: integer("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_unique").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Every HTTP attempt, for the delivery log. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    startedAt: integer("started_at").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    /** First bytes of the receiver's response body (≤ 1 KiB) */
    responseExcerpt: text("response_excerpt"),
    succeeded: integer("succeeded", { mode: "boolean" }).notNull(),
    /** When the attempt after this one was scheduled for; null when none was */
    nextRetryAt: integer("next_retry_at"),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_attempt_unique").on(t.deliveryId, t.attempt)],
);
