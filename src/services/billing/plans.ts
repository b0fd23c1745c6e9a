import { allowanceOf, hasOverage, jobPriority } from "../../core/billing/allowance";
import { PLAN_IDS, PLANS, type Plan } from "../../core/plans";
import { config } from "../../config";
import type { Env } from "../../env";

export interface PlanOffer {
  id: Plan;
  name: string;
  /** Validations included per period; null: unlimited. */
  included_validations: number | null;
  /** The monthly price in the currency's minor units; null: set by the operator per contract. */
  price: { amount: number; currency: string; interval: "month" } | null;
  /** What each 1,000 validations past the allowance cost; null: the plan has no overage. */
  overage: { amount: number; currency: string; per: 1000 } | null;
  /** Work stops at the allowance (Free) rather than going into overage. */
  hard_limit: boolean;
  priority_queue: boolean;
}

/** The plans this deployment sells, with the overage prices it is configured with. */
export function listPlans(env: Env): { data: PlanOffer[]; billing_enabled: boolean } {
  const billing = config(env).billing;
  const data = PLAN_IDS.map((id): PlanOffer => {
    const plan = PLANS[id];
    const overage = id === "pro" ? billing.overageCentsPer1000.pro : id === "business" ? billing.overageCentsPer1000.business : null;
    const { included, limit } = allowanceOf(id);
    return {
      id,
      name: plan.name,
      included_validations: included,
      price: plan.price_usd === null ? null : { amount: plan.price_usd * 100, currency: billing.currency, interval: "month" },
      overage: hasOverage(id) && overage !== null ? { amount: overage, currency: billing.currency, per: 1000 } : null,
      hard_limit: limit !== null,
      priority_queue: jobPriority(id) === "high",
    };
  });
  return { data, billing_enabled: billing.enabled };
}
