import { describe, expect, it } from "vitest";
import { accountPlan } from "../../src/services/billing/plan-state";
import { call, env, expectProblem, newAccount } from "../helpers";
import { billingEnv, callBilling, control, deliver, paidCheckout, signature, stripeEvent, subscribed } from "./helpers";

const DAY_S = 24 * 3600;

async function planOf(key: string): Promise<string> {
  return ((await (await call("/api/v1/account", { key })).json()) as { plan: string }).plan;
}

async function billingEvents(key: string, type: string): Promise<any[]> {
  const res = await call(`/api/v1/events?type=${type}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: any[] }).data;
}

describe("POST /api/v1/billing/stripe/webhook", () => {
  it("moves an account to Pro on checkout.session.completed + customer.subscription.created", async () => {
    const paid = await paidCheckout();
    expect(await planOf(paid.key)).toBe("free");
    const t = paid.subscription.created;
    const completed = await deliver(stripeEvent("checkout.session.completed", paid.session, { created: t }));
    expect(completed.status).toBe(200);
    expect(await completed.json()).toEqual({ received: true, outcome: "applied" });
    expect(await planOf(paid.key)).toBe("pro");
    // The same state again, from the subscription's own event: nothing more happens.
    const created = await deliver(stripeEvent("customer.subscription.created", paid.subscription, { created: t }));
    expect(created.status).toBe(200);

    const state = await accountPlan(billingEnv, paid.accountId, Date.now());
    const item = paid.subscription.items.data[0];
    expect(state).toEqual({ plan: "pro", status: "active", period_start: item.current_period_start * 1000, period_end: item.current_period_end * 1000, grace_until: null, spend_cap_cents: null });
    const [changed, ...more] = await billingEvents(paid.key, "billing.plan_changed");
    expect(more).toHaveLength(0);
    expect(changed.data).toMatchObject({ previous_plan: "free", plan: "pro", previous_status: "none", status: "active", cancel_at_period_end: false });
  });

  it("sends a subscriber's jobs to the priority queue, and a Free account's to the normal one", async () => {
    const paid = await subscribed("pro");
    const free = await newAccount();
    const priorities = [];
    for (const key of [paid.key, free.key]) {
      const res = await callBilling("/api/v1/jobs", { method: "POST", key, json: { source: { records: [{ sku: "1", title: "Camiseta", price: "10" }] }, rule_pack: "mercadolivre" } });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      priorities.push((await env.DB.prepare("select priority from jobs where id = ?1").bind(id).first<{ priority: string }>())?.priority);
    }
    expect(priorities).toEqual(["high", "normal"]);
  });

  it("refuses a bad signature, a tampered body, a missing header and a stale timestamp, changing nothing", async () => {
    const paid = await paidCheckout();
    const event = stripeEvent("customer.subscription.created", paid.subscription);
    const payload = JSON.stringify(event);
    const post = (body: string, header?: string) =>
      callBilling("/api/v1/billing/stripe/webhook", { method: "POST", body, headers: { "content-type": "application/json", ...(header && { "stripe-signature": header }) } });

    await expectProblem(await deliver(event, { secret: "whsec_someone_else" }), 400, "invalid-request");
    await expectProblem(await post(payload.replace('"status":"active"', '"status":"canceled"'), await signature(payload)), 400);
    await expectProblem(await post(payload), 400);
    const stale = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const problem = await expectProblem(stale, 400);
    expect(problem.errors?.[0]).toMatchObject({ parameter: "Stripe-Signature" });
    expect(await planOf(paid.key)).toBe("free");

    // The same event, properly signed now, is applied: it was never remembered as seen.
    expect(await (await deliver(event)).json()).toEqual({ received: true, outcome: "applied" });
    expect(await planOf(paid.key)).toBe("pro");
  });

  it("applies a replayed event once", async () => {
    const paid = await paidCheckout();
    const event = stripeEvent("customer.subscription.created", paid.subscription);
    expect(await (await deliver(event)).json()).toEqual({ received: true, outcome: "applied" });
    expect(await (await deliver(event)).json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await billingEvents(paid.key, "billing.plan_changed")).toHaveLength(1);
  });

  it("keeps the newest version when subscription.updated events arrive out of order", async () => {
    const paid = await subscribed("pro");
    const t = paid.subscription.created;
    const business = await control(`/subscriptions/${paid.subscription.id}`, { plan: "business" });
    const pastDue = structuredClone(business);
    pastDue.status = "past_due";
    // Newest first: business, then the older event that still says pro.
    expect(await (await deliver(stripeEvent("customer.subscription.updated", business, { created: t + 20 }))).json()).toMatchObject({ outcome: "applied" });
    expect(await (await deliver(stripeEvent("customer.subscription.updated", paid.subscription, { created: t + 10 }))).json()).toMatchObject({ outcome: "stale" });
    expect(await planOf(paid.key)).toBe("business");

    // Two versions from the same second: in doubt, so Stripe is asked (it says active, business).
    expect(await (await deliver(stripeEvent("customer.subscription.updated", pastDue, { created: t + 20 }))).json()).toMatchObject({ outcome: "applied" });
    expect(await accountPlan(billingEnv, paid.accountId, Date.now())).toMatchObject({ plan: "business", status: "active" });

    const events = await billingEvents(paid.key, "billing.plan_changed");
    expect(events.map((e) => `${e.data.previous_plan}→${e.data.plan}`)).toEqual(["pro→business", "free→pro"]);
  });

  it("falls back to Free allowances when the subscription ends, and ignores news of it arriving late", async () => {
    const paid = await subscribed("pro");
    const t = paid.subscription.created;
    const ending = await control(`/subscriptions/${paid.subscription.id}`, { cancel_at_period_end: true });
    await deliver(stripeEvent("customer.subscription.updated", ending, { created: t + 5 }));
    expect(await accountPlan(billingEnv, paid.accountId, Date.now())).toMatchObject({ plan: "pro", status: "active" });
    const canceled = await control(`/subscriptions/${paid.subscription.id}`, { status: "canceled" });
    expect(await (await deliver(stripeEvent("customer.subscription.deleted", canceled, { created: t + 60 }))).json()).toMatchObject({ outcome: "applied" });
    expect(await (await deliver(stripeEvent("customer.subscription.updated", ending, { created: t + 30 }))).json()).toMatchObject({ outcome: "stale" });
    expect(await planOf(paid.key)).toBe("free");
    expect(await accountPlan(billingEnv, paid.accountId, Date.now())).toMatchObject({ plan: "free", status: "canceled", grace_until: null });
    const [last] = await billingEvents(paid.key, "billing.plan_changed");
    expect(last.data).toMatchObject({ previous_plan: "pro", plan: "free", status: "canceled", current_period_end: null });
  });

  it("keeps the plan for the grace period after a failed payment, then applies Free allowances until paid", async () => {
    const paid = await subscribed("pro");
    const t = paid.subscription.created;
    const invoice = await control("/invoices", { subscription: paid.subscription.id, status: "open", billing_reason: "subscription_cycle" });
    const failedAt = invoice.created;
    expect(await (await deliver(stripeEvent("invoice.payment_failed", invoice, { created: failedAt }))).json()).toMatchObject({ outcome: "applied" });
    const [failed] = await billingEvents(paid.key, "billing.payment_failed");
    expect(failed.data).toMatchObject({
      invoice_id: invoice.id,
      amount_due: 4900,
      currency: "usd",
      hosted_invoice_url: invoice.hosted_invoice_url,
      next_payment_attempt: new Date(invoice.next_payment_attempt * 1000).toISOString(),
      grace_until: new Date((failedAt + 7 * DAY_S) * 1000).toISOString(),
    });

    const pastDue = await control(`/subscriptions/${paid.subscription.id}`, { status: "past_due" });
    await deliver(stripeEvent("customer.subscription.updated", pastDue, { created: t + 100 }));
    const graceUntil = (failedAt + 7 * DAY_S) * 1000;
    expect(await accountPlan(billingEnv, paid.accountId, Date.now())).toMatchObject({ plan: "pro", status: "past_due", grace_until: graceUntil });
    expect(await accountPlan(billingEnv, paid.accountId, graceUntil + 1000)).toMatchObject({ plan: "free", status: "past_due", grace_until: graceUntil });
    // A shorter grace is configuration.
    expect(await accountPlan({ ...billingEnv, BILLING_PAST_DUE_GRACE_DAYS: "2" }, paid.accountId, (failedAt + 3 * DAY_S) * 1000)).toMatchObject({ plan: "free" });

    // Paid: active again, the grace is over.
    const active = await control(`/subscriptions/${paid.subscription.id}`, { status: "active" });
    await deliver(stripeEvent("customer.subscription.updated", active, { created: t + 200 }));
    expect(await accountPlan(billingEnv, paid.accountId, graceUntil + 1000)).toMatchObject({ plan: "pro", status: "active", grace_until: null });
  });

  it("acknowledges event types and customers that are not its own", async () => {
    const paid = await paidCheckout();
    expect(await (await deliver(stripeEvent("payment_intent.created", { id: "pi_1", object: "payment_intent" }))).json()).toEqual({ received: true, outcome: "ignored" });
    const stranger = { ...paid.subscription, customer: "cus_not_ours" };
    expect(await (await deliver(stripeEvent("customer.subscription.updated", stranger))).json()).toEqual({ received: true, outcome: "ignored" });
    expect(await planOf(paid.key)).toBe("free");
  });

  it("answers 501 when billing is off", async () => {
    const res = await deliver(stripeEvent("customer.subscription.updated", {}), { bindings: env });
    await expectProblem(res, 501, "billing-not-configured");
  });
});
