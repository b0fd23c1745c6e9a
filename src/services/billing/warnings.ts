import { allowanceOf, crossedWarnings, hasOverage } from "../../core/billing/allowance";
import type { Period } from "../../core/billing/period";
import type { Plan } from "../../core/plans";
import { config } from "../../config";
import type { Env } from "../../env";
import { recordEvent } from "../events";

/**
 * Tells the account (billing.quota_warning) when its usage grew from `before` to `after` across 80 %
 * or 100 % of the plan's included validations: once per threshold per period, however many requests
 * or chunks race across it. Only where quotas mean something: billing on, a finite allowance.
 */
export async function warnOnThresholds(env: Env, accountId: string, plan: Plan, period: Period, before: number, after: number): Promise<void> {
  if (!config(env).billing.enabled) return;
  const { included } = allowanceOf(plan);
  for (const percent of crossedWarnings(included, before, after)) {
    await recordEvent(
      env,
      accountId,
      "billing.quota_warning",
      {
        percent,
        plan,
        included: included!,
        used: after,
        period: { start: new Date(period.start).toISOString(), end: new Date(period.end).toISOString() },
        stops: percent === 100 && !hasOverage(plan),
        links: { usage: "/api/v1/billing/usage", plans: "/api/v1/billing/plans" },
      },
      { dedupeKey: `billing.quota_warning:${period.start}:${percent}` },
    );
  }
}
