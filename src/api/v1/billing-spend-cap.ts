import { z } from "zod";
import { getSpendCap, setSpendCap } from "../../services/billing/spend-cap";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";

const SpendCap = z
  .object({
    spend_cap_cents: z.number().int().nullable().describe("Most overage may cost per period, in cents; null: no cap"),
    currency: z.string().nullable().describe("The subscription's currency (usd, brl), once there is one"),
  })
  .meta({ id: "SpendCap" });

export class GetSpendCap extends ApiRoute {
  schema = {
    operationId: "getSpendCap",
    tags: ["Billing"],
    summary: "Get the monthly spend cap on overage",
    description: "The most overage may cost in a period, in cents of the subscription's currency; null while no cap is set. Set it with PUT.",
    responses: { "200": jsonResponse("The cap", SpendCap), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    return getSpendCap(c.env, caller(c).accountId);
  }
}

export class SetSpendCap extends ApiRoute {
  schema = {
    operationId: "setSpendCap",
    tags: ["Billing"],
    summary: "Set the monthly spend cap on overage",
    description:
      "Paid plans may validate past their allowance, each 1,000 beyond it billed at the overage price. With a cap, work stops " +
      "where the overage would cost more than the cap in the period, and no more overage is reported to Stripe. null removes the cap.",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z.object({ spend_cap_cents: z.number().int().min(0).max(100_000_000).nullable().describe("In cents of the subscription's currency; 0: no overage at all") }),
          },
        },
      },
    },
    responses: { "200": jsonResponse("The cap now", SpendCap), ...problemResponses(...AUTHED, 413, 415, 501, 502) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return setSpendCap(c.env, caller(c).accountId, body.spend_cap_cents);
  }
}

export function mountBillingSpendCap(api: Api) {
  mount(api, "get", "/billing/spend-cap", GetSpendCap);
  mount(api, "put", "/billing/spend-cap", SetSpendCap);
}
