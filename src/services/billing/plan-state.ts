import { eq } from "drizzle-orm";
import { calendarMonth } from "../../core/billing/period";
import type { Plan } from "../../core/plans";
import { database } from "../../db/client";
import { accounts, subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { stripeConfig } from "./stripe-client";

/** Where an account's subscription stands: `none` when no subscription is behind the plan (Free, or a plan the operator set). */
export type PlanStatus = "active" | "past_due" | "canceled" | "none";

/** The plan whose allowances apply to an account now, and the period usage is counted in (ms). */
export interface PlanState {
  plan: Plan;
  status: PlanStatus;
  /** The current period, [period_start, period_end) in epoch ms: São Paulo's calendar month unless a subscription says otherwise. */
  period_start: number;
  period_end: number;
  /** Past-due subscriptions keep their plan until then; null unless status is past_due. */
  grace_until: number | null;
  /** The monthly spend cap on overage, in cents of the subscription's currency; null: none. */
  spend_cap_cents: number | null;
}

/** What of an account's Stripe subscription decides its plan (the subscriptions row, read with the account). */
export type SubscriptionTerms = Pick<
  typeof subscriptions.$inferSelect,
  "stripeSubscriptionId" | "plan" | "status" | "currentPeriodStart" | "currentPeriodEnd" | "pastDueSince" | "spendCapCents"
>;

/**
 * The columns to select (e.g. joined into authentication's query) to build SubscriptionTerms.
 * `status` (never null) comes first: drizzle reads a left-joined object as absent when its first
 * column is null, and an account with a customer but no subscription still has its spend cap.
 */
export const SUBSCRIPTION_TERMS = {
  status: subscriptions.status,
  stripeSubscriptionId: subscriptions.stripeSubscriptionId,
  plan: subscriptions.plan,
  currentPeriodStart: subscriptions.currentPeriodStart,
  currentPeriodEnd: subscriptions.currentPeriodEnd,
  pastDueSince: subscriptions.pastDueSince,
  spendCapCents: subscriptions.spendCapCents,
} as const;

/** An account as read: its own plan column and, where billing runs through Stripe, its subscription. */
export interface PlanSource {
  plan: Plan;
  subscription?: SubscriptionTerms | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The account's plan: an operator's Enterprise first, then a live Stripe subscription (its own
 * period; past_due keeps the plan for the grace days, then Free allowances until paid), else
 * `accounts.plan` on the Free calendar month of São Paulo. Billing off: `accounts.plan` alone.
 * Pure given the row, so authentication's read serves the quota check without a query of its own.
 */
export function planStateOf(env: Env, source: PlanSource, now = Date.now()): PlanState {
  const month = calendarMonth(now);
  const settings = stripeConfig(env);
  const sub = source.subscription;
  const spendCap = settings ? (sub?.spendCapCents ?? null) : null;
  const onCalendar = (plan: Plan, status: PlanStatus): PlanState => ({ plan, status, period_start: month.start, period_end: month.end, grace_until: null, spend_cap_cents: spendCap });
  if (!settings || source.plan === "enterprise" || !sub?.stripeSubscriptionId || !sub.plan) {
    return onCalendar(source.plan, source.plan === "free" ? "none" : "active");
  }
  const subscribed = sub.plan;
  const period = (plan: Plan, status: PlanStatus, graceUntil: number | null): PlanState =>
    sub.currentPeriodStart !== null && sub.currentPeriodEnd !== null && now < sub.currentPeriodEnd
      ? { plan, status, period_start: sub.currentPeriodStart, period_end: sub.currentPeriodEnd, grace_until: graceUntil, spend_cap_cents: spendCap }
      : { ...onCalendar(plan, status), grace_until: graceUntil };
  switch (sub.status) {
    case "active":
      return period(subscribed, "active", null);
    case "past_due": {
      const graceUntil = (sub.pastDueSince ?? now) + settings.pastDueGraceDays * DAY_MS;
      return period(now < graceUntil ? subscribed : "free", "past_due", graceUntil);
    }
    case "canceled":
      return onCalendar("free", "canceled");
    default:
      return onCalendar(source.plan, source.plan === "free" ? "none" : "active");
  }
}

/** The plan an account is on at `now`. */
export async function accountPlan(env: Env, accountId: string, now = Date.now()): Promise<PlanState> {
  const [row] = await database(env.DB)
    .select({ plan: accounts.plan, subscription: SUBSCRIPTION_TERMS })
    .from(accounts)
    .leftJoin(subscriptions, eq(subscriptions.accountId, accounts.id))
    .where(eq(accounts.id, accountId))
    .limit(1);
  const subscription = row?.subscription?.status ? row.subscription : null;
  return planStateOf(env, { plan: row?.plan ?? "free", subscription }, now);
}

/**
 * The plan of whoever acts: an authenticated caller's was read with its key, so it costs no query;
 * work without a caller (a scheduled sync) reads the account.
 */
export function planOfCaller(env: Env, who: { accountId: string } | (PlanSource & { accountId: string }), now = Date.now()): Promise<PlanState> {
  return "plan" in who ? Promise.resolve(planStateOf(env, who, now)) : accountPlan(env, who.accountId, now);
}
