import { listPlans } from "../../services/billing/plans";
import type { AppContext } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { jsonResponse, problemResponses } from "../schemas";
import { PlanList } from "./models/billing-plans";

// What plans exist: the same on every deployment, billing on or off.

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

export function mountBillingPlans(api: Api) {
  mount(api, "get", "/billing/plans", ListPlans, { public: true });
}
