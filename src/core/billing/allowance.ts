import { type Plan, PLANS } from "../plans";

/** What a plan lets an account validate in one period. */
export interface Allowance {
  /** Validations the plan includes; null: unlimited. */
  included: number | null;
  /** Where work stops: Free at its allowance, a paid plan where its spend cap runs out; null: never. */
  limit: number | null;
}

/** Plans that may validate past their allowance, each validation beyond it billed as overage. */
export function hasOverage(plan: Plan): boolean {
  return plan === "pro" || plan === "business";
}

/** Paid plans' jobs run on the priority queue. */
export function jobPriority(plan: Plan): "high" | "normal" {
  return plan === "free" ? "normal" : "high";
}

/**
 * The allowance of `plan`. A paid plan with a monthly spend cap (in the currency's minor units)
 * stops when its overage would cost more than the cap, at the overage price per 1,000.
 */
export function allowanceOf(plan: Plan, spendCap?: { capCents: number; overageCentsPer1000: number } | null): Allowance {
  const included = PLANS[plan].monthly_validations;
  if (included === null) return { included: null, limit: null };
  if (!hasOverage(plan)) return { included, limit: included };
  if (!spendCap || spendCap.overageCentsPer1000 <= 0) return { included, limit: null };
  return { included, limit: included + Math.floor((spendCap.capCents * 1000) / spendCap.overageCentsPer1000) };
}

/** Percentages of the included allowance at which the account is told (billing.quota_warning). */
export const QUOTA_WARNING_PERCENTS = [80, 100] as const;
export type QuotaWarningPercent = (typeof QUOTA_WARNING_PERCENTS)[number];

/** The warning thresholds usage went across when it grew from `before` to `after`. */
export function crossedWarnings(included: number | null, before: number, after: number): QuotaWarningPercent[] {
  if (included === null || included <= 0) return [];
  return QUOTA_WARNING_PERCENTS.filter((percent) => {
    const threshold = Math.ceil((included * percent) / 100);
    return before < threshold && after >= threshold;
  });
}
