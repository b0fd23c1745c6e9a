import { quotaHeaders } from "../../services/billing/quota";
import { usageSummary } from "../../services/billing/usage";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, QUOTA_HEADERS } from "../schemas";
import { Usage } from "./models/billing-plans";

// How much of its plan an account has used: metered on every deployment, enforced only where billing is on.

export class GetUsage extends ApiRoute {
  schema = {
    operationId: "getUsage",
    tags: ["Billing"],
    summary: "Get the account's usage in the current period, day by day",
    description:
      "Validations counted in the period, those running jobs hold, what is left of the plan's allowance and any overage, with a " +
      "count per São Paulo day. Where billing is on and the allowance is finite, the Vitrine-Quota-* headers say the same.",
    responses: { "200": { ...jsonResponse("The current period's usage", Usage), headers: QUOTA_HEADERS }, ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const accountId = caller(c).accountId;
    const now = Date.now();
    const usage = await usageSummary(c.env, accountId, now);
    const period = { start: Date.parse(usage.period.start), end: Date.parse(usage.period.end) };
    return c.json(usage, 200, quotaHeaders({ ...usage, period }, now));
  }
}

export function mountBillingUsage(api: Api) {
  mount(api, "get", "/billing/usage", GetUsage);
}
