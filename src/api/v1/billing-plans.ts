import { listPlans } from "../../services/billing/plans";
import { quotaHeaders } from "../../services/billing/quota";
import { usageSummary } from "../../services/billing/usage";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, QUOTA_HEADERS } from "../schemas";
import { PlanList, Usage } from "./models/billing-plans";

// What plans exist and how much of one an account has used: the part of billing every deployment has.

export class ListPlans extends ApiRoute {
  schema = {
    operationId: "listPlans",
    tags: ["Billing"],
    summary: "List the plans, their allowances and prices",
    description: "Public. One validation is one record validated, whatever the path (POST /validate, file jobs, connector syncs).",
    security: [],
    responses: { "200": jsonResponse("The plans", PlanList), ...problemResponses() },
  };

  async handle(c: AppContext) {
    return c.json(listPlans(c.env), 200, { "Cache-Control": "public, max-age=300" });
  }
}

export class GetUsage extends ApiRoute {
  schema = {
    operationId: "getUsage",
    tags: ["Billing"],
    summary: "Get the account's usage in the current period, day by day",
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

export function mountBillingPlans(api: Api) {
  mount(api, "get", "/billing/plans", ListPlans, { public: true });
  mount(api, "get", "/billing/usage", GetUsage);
}
