import { eq } from "drizzle-orm";
import { calendarMonth } from "../../core/billing/calendar";
import type { Plan } from "../../core/plans";
import { database } from "../../db/client";
import { accounts, subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { stripeConfig } from "./stripe-client";

export type PlanStatus = "active" | "past_due" | "canceled" | "none";

/** The plan whose allowances apply to an account now, and the period usage is counted in (ms). */
export interface PlanState {
  plan: Plan;
  status: PlanStatus;
  period_start: number;
  period_end: number;
  /** Past-due subscriptions keep their plan until then; null unless status is past_due. */
  grace_until: number | null;
  /** The monthly spend cap on overage, in cents of the subscription's currency; null: none. */
  spend_cap_cents: number | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The account's plan: an operator's Enterprise first, then a live Stripe subscription (its own
 * period; past_due keeps the plan for the grace days, then Free allowances until paid), else
 * `accounts.plan` on the Free calendar month of São Paulo. Billing off: `accounts.plan` alone.
 */
export async function accountPlan(env: Env, accountId: string, now = Date.now()): Promise<PlanState> {
  const db = database(env.DB);
  const [row] = await db
    .select({ plan: accounts.plan, subscription: subscriptions })
    .from(accounts)
    .leftJoin(subscriptions, eq(subscriptions.accountId, accounts.id))
    .where(eq(accounts.id, accountId))
    .limit(1);
  const month = calendarMonth(now);
  const settings = stripeConfig(env);
  const sub = row?.subscription;
  const spendCap = settings ? (sub?.spendCapCents ?? null) : null;
  const onCalendar = (plan: Plan, status: PlanStatus): PlanState => ({ plan, status, period_start: month.start, period_end: month.end, grace_until: null, spend_cap_cents: spendCap });
  const accountPlanValue: Plan = row?.plan ?? "free";
  if (!settings || accountPlanValue === "enterprise" || !sub?.stripeSubscriptionId || !sub.plan) {
    return onCalendar(accountPlanValue, accountPlanValue === "free" ? "none" : "active");
  }
  const period = (plan: Plan, status: PlanStatus, graceUntil: number | null): PlanState =>
    sub.currentPeriodStart !== null && sub.currentPeriodEnd !== null && now < sub.currentPeriodEnd
      ? { plan, status, period_start: sub.currentPeriodStart, period_end: sub.currentPeriodEnd, grace_until: graceUntil, spend_cap_cents: spendCap }
      : { ...onCalendar(plan, status), grace_until: graceUntil };
  switch (sub.status) {
    case "active":
      return period(sub.plan, "active", null);
    case "past_due": {
      const graceUntil = (sub.pastDueSince ?? now) + settings.pastDueGraceDays * DAY_MS;
      return period(now < graceUntil ? sub.plan : "free", "past_due", graceUntil);
    }
    case "canceled":
      return onCalendar("free", "canceled");
    default:
      return onCalendar(accountPlanValue, accountPlanValue === "free" ? "none" : "active");
  }
}
