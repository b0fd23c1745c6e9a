export const PLANS = {
  free: { name: "Free", monthly_validations: 100, price_usd: 0 },
  pro: { name: "Pro", monthly_validations: 10_000, price_usd: 49 },
  business: { name: "Business", monthly_validations: 100_000, price_usd: 299 },
  enterprise: { name: "Enterprise", monthly_validations: null, price_usd: null },
} as const;

export type Plan = keyof typeof PLANS;
export const PLAN_IDS = Object.keys(PLANS) as Plan[];
