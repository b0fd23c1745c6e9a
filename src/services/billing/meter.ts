import { and, asc, eq, gte, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import type Stripe from "stripe";
import { config, type StripeConfig } from "../../config";
import { PLANS } from "../../core/plans";
import { database } from "../../db/client";
import { meterReports, subscriptions, usageHours } from "../../db/schema";
import type { Env } from "../../env";
import { stripeClient, stripeConfig } from "./stripe-client";
import { periodHours } from "./usage";

const HOUR_MS = 3600_000;
/** An hour is reported once it has been over for this long, so work still finishing in it is counted. */
const SETTLE_MS = 5 * 60_000;
/** Stripe takes meter events up to 35 days old; a day of margin. */
const OLDEST_MS = 34 * 24 * HOUR_MS;
const PRICE_CACHE_MS = HOUR_MS;

export interface MeterRun {
  /** New hours of overage written to the outbox. */
  queued: number;
  /** Meter events Stripe accepted. */
  sent: number;
  /** Meter events that failed; they stay in the outbox and go again on the next run. */
  failed: number;
}

type Window = { start: number; end: number };

/**
 * The cron step that bills overage: for each paid subscription, the validations beyond the plan's
 * allowance in each closed hour (from usage_hours, at most what the spend cap pays for) become one
 * Stripe meter event per account and hour, `identifier = <account>:<hour>`. Each hour's value is
 * written to the outbox first and never changes, so a run that crashed or failed halfway sends the
 * same identifier with the same value again and Stripe counts it once.
 */
export async function reportOverage(env: Env, now = Date.now()): Promise<MeterRun> {
  const settings = stripeConfig(env);
  const run: MeterRun = { queued: 0, sent: 0, failed: 0 };
  if (!settings) return run;
  const closedBefore = Math.floor((now - SETTLE_MS) / HOUR_MS) * HOUR_MS;
  const oldest = now - OLDEST_MS;
  const db = database(env.DB);
  const paid = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        inArray(subscriptions.plan, ["pro", "business"]),
        // Canceled ones too: the hours before the end are still billed. An unfinished Checkout bills nothing.
        inArray(subscriptions.status, ["active", "past_due", "canceled"]),
        isNotNull(subscriptions.stripeSubscriptionId),
        isNotNull(subscriptions.currentPeriodStart),
      ),
    );
  for (const sub of paid) {
    const plan = sub.plan as "pro" | "business";
    const windows: Window[] = [];
    if (sub.previousPeriodStart !== null && sub.previousPeriodEnd !== null) windows.push({ start: sub.previousPeriodStart, end: sub.previousPeriodEnd });
    windows.push({ start: sub.currentPeriodStart!, end: sub.currentPeriodEnd! });
    try {
      const cap = sub.spendCapCents === null ? null : await capInValidations(settings, plan, sub.spendCapCents);
      for (const window of windows) {
        if (window.end <= oldest) continue;
        run.queued += await queueWindow(env, sub.accountId, sub.stripeCustomerId, PLANS[plan].monthly_validations, cap, window, closedBefore, now);
      }
    } catch (error) {
      // One account's trouble (its price unreadable right now) must not hold back the others'.
      console.error(JSON.stringify({ level: "error", msg: "overage not queued", account: sub.accountId, error: String(error) }));
    }
  }
  await sendQueued(env, settings, oldest, run);
  return run;
}

/** Writes the outbox rows of one period's closed hours that have not been billed yet. */
async function queueWindow(
  env: Env,
  accountId: string,
  customer: string,
  included: number,
  cap: number | null,
  window: Window,
  closedBefore: number,
  now: number,
): Promise<number> {
  const db = database(env.DB);
  // The same hours the quota and GET /billing/usage count as the period's: the hour a period starts
  // in belongs to it, so what the seller sees as overage is what Stripe bills.
  const hours = periodHours(window);
  const usage = await db
    .select({ hour: usageHours.hour, records: usageHours.records })
    .from(usageHours)
    .where(and(eq(usageHours.accountId, accountId), gte(usageHours.hour, hours.start), lt(usageHours.hour, Math.min(hours.end, closedBefore))))
    .orderBy(asc(usageHours.hour));
  if (usage.length === 0) return 0;
  const reported = new Map(
    (
      await db
        .select({ hour: meterReports.hour, value: meterReports.value })
        .from(meterReports)
        .where(and(eq(meterReports.accountId, accountId), gte(meterReports.hour, hours.start), lt(meterReports.hour, hours.end)))
    ).map((r) => [r.hour, r.value]),
  );
  // What is due through each hour is the period's overage so far (capped); what is billed through
  // it is what earlier hours already reported. Each new hour bills the difference, so records that
  // landed late in an hour already reported are billed with the next one, never twice or lost.
  let total = 0;
  let billed = 0;
  const rows: (typeof meterReports.$inferInsert)[] = [];
  for (const { hour, records } of usage) {
    total += records;
    const due = Math.min(Math.max(0, total - included), cap ?? Number.POSITIVE_INFINITY);
    const already = reported.get(hour);
    if (already !== undefined) {
      billed += already;
      continue;
    }
    const value = due - billed;
    if (value <= 0) continue;
    billed += value;
    rows.push({ accountId, hour, identifier: `${accountId}:${hour}`, value, stripeCustomerId: customer, createdAt: now, sentAt: null });
  }
  for (const row of rows) await db.insert(meterReports).values(row).onConflictDoNothing();
  return rows.length;
}

/** Sends what the outbox holds, oldest hour first, within the invocation's subrequest budget. */
async function sendQueued(env: Env, settings: StripeConfig, oldest: number, run: MeterRun): Promise<void> {
  const db = database(env.DB);
  // Each event may take the stripe package's one retry, and the rest of the cron needs room too.
  const budget = Math.max(1, Math.floor(config(env).subrequestBudget / 4));
  const pending = await db
    .select()
    .from(meterReports)
    .where(and(isNull(meterReports.sentAt), gte(meterReports.hour, oldest)))
    .orderBy(asc(meterReports.hour))
    .limit(budget);
  const stripe = stripeClient(settings);
  for (const row of pending) {
    try {
      await stripe.billing.meterEvents.create(
        {
          event_name: settings.meterEventName,
          payload: { stripe_customer_id: row.stripeCustomerId, value: String(row.value) },
          identifier: row.identifier,
          timestamp: Math.floor(row.hour / 1000),
        },
        { idempotencyKey: `vitrine-meter-${row.identifier}` },
      );
    } catch (error) {
      run.failed++;
      console.error(JSON.stringify({ level: "error", msg: "meter event not sent", identifier: row.identifier, error: String(error) }));
      continue;
    }
    await db.update(meterReports).set({ sentAt: Date.now() }).where(and(eq(meterReports.accountId, row.accountId), eq(meterReports.hour, row.hour)));
    run.sent++;
  }
}

const priceCache = new Map<string, { price: Stripe.Price; until: number }>();

/**
 * How many overage validations a spend cap pays for, at the metered price Stripe will bill with
 * (per unit, usually with transform_quantity dividing by 1,000 and rounding up).
 */
async function capInValidations(settings: StripeConfig, plan: "pro" | "business", capCents: number): Promise<number | null> {
  const id = settings.overagePrices[plan];
  let hit = priceCache.get(id);
  if (!hit || hit.until < Date.now()) {
    hit = { price: await stripeClient(settings).prices.retrieve(id), until: Date.now() + PRICE_CACHE_MS };
    priceCache.set(id, hit);
  }
  const unit = hit.price.unit_amount_decimal === null ? null : Number(hit.price.unit_amount_decimal);
  if (unit === null || !(unit > 0)) {
    console.error(JSON.stringify({ level: "error", msg: "overage price has no per-unit amount; spend cap not applied to the meter", price: id }));
    return null;
  }
  const divideBy = hit.price.transform_quantity?.divide_by ?? 1;
  return Math.floor(capCents / unit) * divideBy;
}
