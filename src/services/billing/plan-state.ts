import { eq } from "drizzle-orm";
import { calendarMonth } from "../../core/billing/period";
import type { Plan } from "../../core/plans";
import { database } from "../../db/client";
import { accounts } from "../../db/schema";
import type { Env } from "../../env";

/** Where an account's subscription stands: `none` when no subscription is behind the plan (Free, or a plan the operator set). */
export type PlanStatus = "active" | "past_due" | "canceled" | "none";

export interface PlanState {
  /** The plan whose allowances apply now. */
  plan: Plan;
  status: PlanStatus;
  /** The current period, [period_start, period_end) in epoch ms: São Paulo's calendar month unless a subscription says otherwise. */
  period_start: number;
  period_end: number;
  /** past_due: until when the paid plan's allowances still apply. */
  grace_until: number | null;
  /** The monthly spend cap on overage, in cents; null: none. */
  spend_cap_cents: number | null;
}

/**
 * The plan state of an account row as it was read (authentication reads it with the API key, so a
 * request's quota check needs no query of its own). A plan without a subscription (Free, or one
 * the operator set with `npm run admin -- set-plan`) runs on São Paulo's calendar month.
 */
export function planStateOf(row: { plan: Plan }, now = Date.now()): PlanState {
  const month = calendarMonth(now);
  return { plan: row.plan, status: row.plan === "free" ? "none" : "active", period_start: month.start, period_end: month.end, grace_until: null, spend_cap_cents: null };
}

/** The plan an account is on at `now`. */
export async function accountPlan(env: Env, accountId: string, now = Date.now()): Promise<PlanState> {
  const [row] = await database(env.DB).select({ plan: accounts.plan }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return planStateOf({ plan: row?.plan ?? "free" }, now);
}
