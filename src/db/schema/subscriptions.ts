import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

// Billing through Stripe. Stripe is the source of truth; these rows are what its verified events
// (and re-fetches) last said, so requests never wait on Stripe. Times are ms since the epoch.

export const PLAN_VALUES = ["free", "pro", "business", "enterprise"] as const;
/** What a subscription means for the account (src/services/billing/plan-state.ts reads it). */
export const SUBSCRIPTION_STATUSES = ["active", "past_due", "canceled", "none"] as const;

/** One row per account that has a Stripe customer: the customer, its subscription and the spend cap. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    accountId: text("account_id")
      .primaryKey()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Created once per account, with the account id in its metadata. */
    stripeCustomerId: text("stripe_customer_id").notNull(),
    stripeSubscriptionId: text("stripe_subscription_id"),
    /** The plan the subscription's price pays for; null before the first subscription. */
    plan: text("plan", { enum: PLAN_VALUES }),
    status: text("status", { enum: SUBSCRIPTION_STATUSES }).notNull().default("none"),
    /** Stripe's own status (trialing, unpaid, incomplete…), kept for support. */
    stripeStatus: text("stripe_status"),
    currentPeriodStart: integer("current_period_start"),
    currentPeriodEnd: integer("current_period_end"),
    /** The period before the current one, so its last hours of overage still reach the meter after a renewal. */
    previousPeriodStart: integer("previous_period_start"),
    previousPeriodEnd: integer("previous_period_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** When the subscription went past_due; the grace period counts from here. */
    pastDueSince: integer("past_due_since"),
    /** `created` (seconds) of the Stripe event this state came from: older events never overwrite it. */
    updatedFromEventCreated: integer("updated_from_event_created"),
    /** Most the account lets overage cost per period, in the subscription's currency's minor unit; null: no cap. */
    spendCapCents: integer("spend_cap_cents"),
    currency: text("currency"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("subscriptions_customer_unique").on(t.stripeCustomerId), index("subscriptions_subscription_idx").on(t.stripeSubscriptionId)],
);

/** The account's invoices as Stripe's invoice events last described them. */
export const invoices = sqliteTable(
  "invoices",
  {
    /** Stripe's invoice id (in_…). */
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    stripeSubscriptionId: text("stripe_subscription_id"),
    number: text("number"),
    status: text("status").notNull(),
    amountDue: integer("amount_due").notNull(),
    amountPaid: integer("amount_paid").notNull(),
    total: integer("total").notNull(),
    currency: text("currency").notNull(),
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    hostedInvoiceUrl: text("hosted_invoice_url"),
    invoicePdf: text("invoice_pdf"),
    /** When Stripe created the invoice; lists are newest first. */
    createdAt: integer("created_at").notNull(),
    updatedFromEventCreated: integer("updated_from_event_created").notNull(),
  },
  (t) => [index("invoices_account_idx").on(t.accountId, t.createdAt, t.id)],
);

/** Stripe events already applied, by id: a re-delivery is acknowledged without doing anything again. */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** The event's `created`, in seconds. */
    created: integer("created").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  (t) => [index("stripe_events_processed_idx").on(t.processedAt)],
);

/**
 * The meter's outbox: one row per account and hour of overage, written with its value before it is
 * sent, so a report that crashed or failed is sent again with the same identifier
 * (`<account>:<hour>`) and the same value, and Stripe counts it once.
 */
export const meterReports = sqliteTable(
  "meter_reports",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Start of the UTC hour (ms), as in usage_hours. */
    hour: integer("hour").notNull(),
    identifier: text("identifier").notNull(),
    /** Validations beyond the allowance billed for the hour. */
    value: integer("value").notNull(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    createdAt: integer("created_at").notNull(),
    /** When Stripe accepted it; null while it still has to be sent. */
    sentAt: integer("sent_at"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.hour] }), index("meter_reports_unsent_idx").on(t.sentAt, t.hour)],
);
