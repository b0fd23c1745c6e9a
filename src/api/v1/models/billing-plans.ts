import { z } from "zod";
import { PLAN_IDS } from "../../../core/plans";
import { Timestamp } from "../../schemas";

// Amounts are integers in the currency's minor units (cents), as Stripe and most billing APIs write them.
const Money = z.object({ amount: z.number().int().describe("In minor units: 4900 is US$ 49.00"), currency: z.string().describe("ISO 4217, lower case") });

export const PlanOffer = z
  .object({
    id: z.enum(PLAN_IDS),
    name: z.string(),
    included_validations: z.number().int().nullable().describe("Records validated per period (one validation = one record, any path); null: unlimited"),
    price: Money.extend({ interval: z.literal("month") }).nullable().describe("null: priced per contract (Enterprise)"),
    overage: Money.extend({ per: z.literal(1000) })
      .nullable()
      .describe("The price of each 1,000 validations past the allowance; null: no overage (Free stops at its allowance)"),
    hard_limit: z.boolean().describe("Work stops at the allowance (402) instead of going into overage"),
    priority_queue: z.boolean().describe("Jobs run on the priority queue"),
  })
  .meta({ id: "Plan" });

export const PlanList = z
  .object({
    data: z.array(PlanOffer),
    billing_enabled: z.boolean().describe("false on deployments without billing (self-hosted): usage is shown, nothing is blocked, plans are set by the operator"),
  })
  .meta({ id: "PlanList" });

export const Usage = z
  .object({
    period: z.object({ start: Timestamp, end: Timestamp }).describe("Free: the calendar month in São Paulo; paid plans: the subscription's period"),
    plan: z.enum(PLAN_IDS),
    included: z.number().int().nullable().describe("Validations the plan includes in the period; null: unlimited"),
    used: z.number().int().describe("Validations counted so far in the period"),
    reserved: z.number().int().describe("Validations granted to jobs still running, not yet in used"),
    remaining: z.number().int().nullable().describe("Left of the included allowance after used and reserved; null: unlimited"),
    overage: z.number().int().describe("Validations past the allowance so far (paid plans), billed per 1,000"),
    spend_cap: Money.nullable().describe("The monthly cap on overage spending; null: none"),
    enforced: z.boolean().describe("Whether the quota stops work on this deployment (false: billing off, usage only shown)"),
    by_day: z.array(z.object({ date: z.string().describe("YYYY-MM-DD, São Paulo"), records: z.number().int() })).describe("Every day of the period so far, oldest first"),
  })
  .meta({ id: "Usage" });
