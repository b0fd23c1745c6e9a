import { describe, expect, it } from "vitest";
import { finishAccountDeletions } from "../../src/services/account-deletion";
import { expectProblem } from "../helpers";
import { billingEnv, callBilling, control, customersOf, subscribed } from "./helpers";

describe("deleting an account that subscribes", () => {
  it("deletes its Stripe customer, which ends the subscription at once", async () => {
    const paid = await subscribed("pro");
    const res = await callBilling("/api/v1/account", { method: "DELETE", key: paid.key, json: { confirm: paid.email } });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "deleted" });
    const [{ customer, subscriptions }] = await customersOf(paid.accountId);
    expect(customer.deleted).toBe(true);
    expect(subscriptions).toEqual([{ id: paid.subscription.id, status: "canceled" }]);
    await expectProblem(await callBilling("/api/v1/account", { key: paid.key }), 401);
  });

  it("keeps the account's billing rows, and says so, while Stripe cannot be reached", async () => {
    const paid = await subscribed("pro");
    await control("/script", { path: `/v1/customers/${paid.subscription.customer}`, times: 2, status: 500 });
    const res = await callBilling("/api/v1/account", { method: "DELETE", key: paid.key, json: { confirm: paid.email } });
    expect(await res.json()).toMatchObject({ status: "deleting" });
    expect((await customersOf(paid.accountId))[0].subscriptions).toEqual([{ id: paid.subscription.id, status: "active" }]);
    // The cron finishes the deletion once Stripe answers.
    await finishAccountDeletions(billingEnv);
    expect((await customersOf(paid.accountId))[0].subscriptions).toEqual([{ id: paid.subscription.id, status: "canceled" }]);
    await expectProblem(await callBilling("/api/v1/account", { key: paid.key }), 401);
  });
});
