import { and, eq, exists, isNull, lte, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { StripeConfig } from "../../config";
import type { Plan } from "../../core/plans";
import { database } from "../../db/client";
import { accounts, invoices, subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { recordEvent } from "../events";
import type { PlanStatus } from "./plan-state";

type SubscriptionRow = typeof subscriptions.$inferSelect;

const DAY_MS = 24 * 3600 * 1000;

/** What a Stripe subscription status means for the account. */
export function planStatus(status: Stripe.Subscription.Status): PlanStatus {
  switch (status) {
    case "active":
    case "trialing":
      return "active";
    // unpaid: Stripe gave up retrying; the grace period still decides when Free allowances apply.
    case "past_due":
    case "unpaid":
      return "past_due";
    case "canceled":
    case "incomplete_expired":
      return "canceled";
    default:
      // incomplete (the first payment has not gone through) and paused bill nothing.
      return "none";
  }
}

/** The plan a subscription pays for, read from its recurring price (the overage price rides along). */
export function planOfSubscription(settings: StripeConfig, subscription: Stripe.Subscription): Plan | null {
  const prices = subscription.items.data.map((item) => item.price.id);
  if (prices.includes(settings.prices.business)) return "business";
  if (prices.includes(settings.prices.pro)) return "pro";
  return null;
}

/** The subscription's period, from its plan item (Stripe keeps periods on items since API version 2025-03-31). */
function periodOf(settings: StripeConfig, subscription: Stripe.Subscription): { start: number; end: number } | null {
  const items = subscription.items.data;
  const item = items.find((i) => i.price.id === settings.prices.pro || i.price.id === settings.prices.business) ?? items[0];
  return item ? { start: item.current_period_start * 1000, end: item.current_period_end * 1000 } : null;
}

export function customerId(customer: string | { id: string } | null): string | null {
  return typeof customer === "string" ? customer : (customer?.id ?? null);
}

export async function subscriptionRowByCustomer(env: Env, customer: string): Promise<SubscriptionRow | undefined> {
  const [row] = await database(env.DB).select().from(subscriptions).where(eq(subscriptions.stripeCustomerId, customer)).limit(1);
  return row;
}

export type ApplyOutcome = "applied" | "stale" | "in_doubt" | "unknown_customer" | "other_subscription" | "unknown_price";

/**
 * Applies one version of a subscription, as an event of `eventCreated` (seconds) carried it or as
 * re-fetched from Stripe. An older version never overwrites a newer one: the row remembers the
 * `created` of the event its state came from, and the update is conditional on it. A version from
 * the same second is in doubt (Stripe does not order events): the caller re-fetches the
 * subscription and applies what Stripe says now.
 */
export async function applySubscription(
  env: Env,
  settings: StripeConfig,
  subscription: Stripe.Subscription,
  eventCreated: number,
  source: { eventId: string; refetched: boolean },
): Promise<ApplyOutcome> {
  const customer = customerId(subscription.customer);
  const row = customer ? await subscriptionRowByCustomer(env, customer) : undefined;
  if (!row) return "unknown_customer";
  const status = planStatus(subscription.status);
  if (row.stripeSubscriptionId && row.stripeSubscriptionId !== subscription.id) {
    // Another subscription of the same customer: a live one replaces one that ended; news about a
    // subscription that is not the account's current one changes nothing.
    const currentIsLive = row.status === "active" || row.status === "past_due";
    if (currentIsLive || (status !== "active" && status !== "past_due")) return "other_subscription";
  } else if (row.updatedFromEventCreated !== null) {
    if (eventCreated < row.updatedFromEventCreated) return "stale";
    if (eventCreated === row.updatedFromEventCreated && !source.refetched) return "in_doubt";
  }
  const plan = planOfSubscription(settings, subscription);
  if (!plan) {
    console.error(JSON.stringify({ level: "error", msg: "stripe subscription with an unknown price", subscription: subscription.id, event: source.eventId }));
    return "unknown_price";
  }
  const period = periodOf(settings, subscription);
  const now = Date.now();
  const samePeriod = row.stripeSubscriptionId === subscription.id && row.currentPeriodStart === period?.start;
  const advanced = row.stripeSubscriptionId === subscription.id && row.currentPeriodStart !== null && period !== null && period.start > row.currentPeriodStart;
  // The grace period counts from the first failure (a payment_failed event may have started it already).
  const pastDueSince = status === "past_due" ? (row.pastDueSince ?? eventCreated * 1000) : null;
  const next = {
    stripeSubscriptionId: subscription.id,
    plan,
    status,
    stripeStatus: subscription.status,
    currentPeriodStart: period?.start ?? null,
    currentPeriodEnd: period?.end ?? null,
    previousPeriodStart: advanced ? row.currentPeriodStart : samePeriod ? row.previousPeriodStart : null,
    previousPeriodEnd: advanced ? row.currentPeriodEnd : samePeriod ? row.previousPeriodEnd : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    pastDueSince,
    currency: subscription.currency,
    updatedFromEventCreated: eventCreated,
    updatedAt: now,
  };
  const db = database(env.DB);
  const [account] = await db.select({ plan: accounts.plan }).from(accounts).where(eq(accounts.id, row.accountId)).limit(1);
  if (!account) return "unknown_customer";
  // The operator's Enterprise outranks any subscription; otherwise the account shows what it pays for.
  const accountPlanValue: Plan = account.plan === "enterprise" ? "enterprise" : status === "active" || status === "past_due" ? plan : "free";
  const guard = or(isNull(subscriptions.updatedFromEventCreated), lte(subscriptions.updatedFromEventCreated, eventCreated));
  const stillThisVersion = exists(
    db
      .select({ one: sql`1` })
      .from(subscriptions)
      .where(and(eq(subscriptions.accountId, row.accountId), eq(subscriptions.updatedFromEventCreated, eventCreated), eq(subscriptions.stripeSubscriptionId, subscription.id))),
  );
  // One transaction: the plan shown on the account follows only the version that won.
  const [updated] = await db.batch([
    db.update(subscriptions).set(next).where(and(eq(subscriptions.accountId, row.accountId), guard)).returning({ accountId: subscriptions.accountId }),
    db.update(accounts).set({ plan: accountPlanValue }).where(and(eq(accounts.id, row.accountId), stillThisVersion)),
  ]);
  if (updated.length === 0) return "stale";
  const previousStatus = row.stripeSubscriptionId === subscription.id || !row.stripeSubscriptionId ? row.status : "none";
  if (account.plan !== accountPlanValue || previousStatus !== status) {
    await recordEvent(
      env,
      row.accountId,
      "billing.plan_changed",
      {
        previous_plan: account.plan,
        plan: accountPlanValue,
        previous_status: previousStatus,
        status,
        cancel_at_period_end: subscription.cancel_at_period_end,
        current_period_end: period && status !== "canceled" ? new Date(period.end).toISOString() : null,
        changed_at: new Date(eventCreated * 1000).toISOString(),
      },
      { dedupeKey: `stripe:${source.eventId}` },
    );
  }
  return "applied";
}

/** Stores one version of an invoice (older versions never overwrite newer ones). */
export async function applyInvoice(env: Env, invoice: Stripe.Invoice, eventCreated: number): Promise<{ accountId: string } | null> {
  const customer = customerId(invoice.customer);
  const row = customer ? await subscriptionRowByCustomer(env, customer) : undefined;
  if (!row) return null;
  const subscription = invoice.parent?.subscription_details?.subscription;
  const values = {
    id: invoice.id,
    accountId: row.accountId,
    stripeSubscriptionId: typeof subscription === "string" ? subscription : (subscription?.id ?? null),
    number: invoice.number,
    status: invoice.status ?? "draft",
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    total: invoice.total,
    currency: invoice.currency,
    periodStart: invoice.period_start * 1000,
    periodEnd: invoice.period_end * 1000,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
    createdAt: invoice.created * 1000,
    updatedFromEventCreated: eventCreated,
  };
  const { id: _id, accountId: _account, createdAt: _created, ...changes } = values;
  await database(env.DB)
    .insert(invoices)
    .values(values)
    .onConflictDoUpdate({ target: invoices.id, set: changes, setWhere: lte(invoices.updatedFromEventCreated, eventCreated) });
  return { accountId: row.accountId };
}

/**
 * A failed charge: the grace period starts with the first failure (unless it already runs), and
 * the seller's systems hear about it.
 */
export async function paymentFailed(env: Env, settings: StripeConfig, invoice: Stripe.Invoice, eventId: string): Promise<void> {
  const customer = customerId(invoice.customer);
  const row = customer ? await subscriptionRowByCustomer(env, customer) : undefined;
  if (!row) return;
  const db = database(env.DB);
  const since = row.pastDueSince ?? invoice.created * 1000;
  if (row.pastDueSince === null) {
    await db.update(subscriptions).set({ pastDueSince: since }).where(and(eq(subscriptions.accountId, row.accountId), isNull(subscriptions.pastDueSince)));
  }
  await recordEvent(
    env,
    row.accountId,
    "billing.payment_failed",
    {
      invoice_id: invoice.id,
      invoice_number: invoice.number,
      amount_due: invoice.amount_due,
      currency: invoice.currency,
      attempt_count: invoice.attempt_count,
      next_payment_attempt: invoice.next_payment_attempt ? new Date(invoice.next_payment_attempt * 1000).toISOString() : null,
      hosted_invoice_url: invoice.hosted_invoice_url ?? null,
      grace_until: new Date(since + settings.pastDueGraceDays * DAY_MS).toISOString(),
    },
    { dedupeKey: `stripe:${eventId}` },
  );
}
