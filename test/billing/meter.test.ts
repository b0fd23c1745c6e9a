import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/cron";
import { reportOverage } from "../../src/services/billing/meter";
import { accountPlan } from "../../src/services/billing/plan-state";
import { call, env, expectProblem, newAccount } from "../helpers";
import { billingEnv, callBilling, control, customersOf, deliver, stripeEvent, subscribed } from "./helpers";

const HOUR = 3600_000;

/** A Pro (or Business) subscriber whose current period is [start, end), applied through a signed event. */
async function subscriberWithPeriod(plan: "pro" | "business", start: number, end: number) {
  const paid = await subscribed(plan);
  const moved = await control(`/subscriptions/${paid.subscription.id}`, { period_start: Math.floor(start / 1000), period_end: Math.floor(end / 1000) });
  const res = await deliver(stripeEvent("customer.subscription.updated", moved, { created: paid.subscription.created + 10 }));
  expect(await res.json()).toMatchObject({ outcome: "applied" });
  return { ...paid, subscription: moved };
}

/** What billing-core's recordUsage leaves behind: validations per account per UTC hour. */
async function used(accountId: string, hour: number, records: number) {
  await env.DB.prepare("insert into usage_hours (account_id, hour, records) values (?1, ?2, ?3) on conflict (account_id, hour) do update set records = records + ?3")
    .bind(accountId, hour, records)
    .run();
}

async function meterOf(accountId: string) {
  const [found] = await customersOf(accountId);
  return found.meter;
}

async function posts(): Promise<number> {
  return (await control("/meter-posts")).posts;
}

const thisHour = () => Math.floor(Date.now() / HOUR) * HOUR;

describe("the meter (cron): overage per account per hour", () => {
  it("reports each closed hour's validations beyond the allowance once, with identifier <account>:<hour>", async () => {
    const now = thisHour() + 10 * 60_000;
    const h = thisHour();
    const sub = await subscriberWithPeriod("pro", h - 10 * HOUR, h + 20 * 24 * HOUR);
    await used(sub.accountId, h - 5 * HOUR, 6000);
    await used(sub.accountId, h - 4 * HOUR, 5000); // passes the 10,000 included: 1,000 over
    await used(sub.accountId, h - 3 * HOUR, 2500);
    await used(sub.accountId, h, 700); // the hour still running is not reported
    await used(sub.accountId, h - 11 * HOUR, 90_000); // before the period: not this period's usage

    expect(await reportOverage(billingEnv, now)).toMatchObject({ sent: 2, failed: 0 });
    const meter = await meterOf(sub.accountId);
    expect(meter.total).toBe(3500);
    expect(meter.events.map((e: any) => [e.identifier, e.payload.value, e.timestamp, e.event_name])).toEqual([
      [`${sub.accountId}:${h - 4 * HOUR}`, "1000", (h - 4 * HOUR) / 1000, "vitrine_validations"],
      [`${sub.accountId}:${h - 3 * HOUR}`, "2500", (h - 3 * HOUR) / 1000, "vitrine_validations"],
    ]);

    // Nothing new: nothing sent.
    const before = await posts();
    expect(await reportOverage(billingEnv, now)).toMatchObject({ queued: 0, sent: 0 });
    expect(await posts()).toBe(before);

    // Records that landed late in a reported hour are billed with the next hour, never twice or lost.
    await used(sub.accountId, h - 4 * HOUR, 100);
    await used(sub.accountId, h - 2 * HOUR, 10);
    await reportOverage(billingEnv, now);
    expect((await meterOf(sub.accountId)).total).toBe(6000 + 5100 + 2500 + 10 - 10_000);
  });

  it("bills the hour a period starts in, as the quota and GET /billing/usage count it", async () => {
    const h = thisHour();
    // Subscribed at 20 past the hour, three hours ago; 10,250 validations in that first hour.
    const sub = await subscriberWithPeriod("pro", h - 3 * HOUR + 20 * 60_000, h + 20 * 24 * HOUR);
    await used(sub.accountId, h - 3 * HOUR, 10_250);
    const usage = (await (await callBilling("/api/v1/billing/usage", { key: sub.key })).json()) as any;
    expect(usage.overage).toBe(250);
    await reportOverage(billingEnv, h + 10 * 60_000);
    expect((await meterOf(sub.accountId)).total).toBe(250);
  });

  it("does not double-count a report that crashed after Stripe took it", async () => {
    const h = thisHour();
    const now = h + 10 * 60_000;
    const sub = await subscriberWithPeriod("pro", h - 10 * HOUR, h + 20 * 24 * HOUR);
    await used(sub.accountId, h - 2 * HOUR, 10_500);
    const customer = sub.subscription.customer;
    // Stripe records the event but the answer is lost, for the call and the stripe package's retry.
    await control("/script", { path: "/v1/billing/meter_events", customer, times: 2, status: 500, lose_response: true });
    expect(await reportOverage(billingEnv, now)).toMatchObject({ queued: 1, sent: 0, failed: 1 });
    expect((await meterOf(sub.accountId)).total).toBe(500);

    // The next run sends the same identifier and value again; Stripe counts it once.
    const before = await posts();
    expect(await reportOverage(billingEnv, now)).toMatchObject({ queued: 0, sent: 1, failed: 0 });
    expect(await posts()).toBeGreaterThan(before);
    const meter = await meterOf(sub.accountId);
    expect(meter.total).toBe(500);
    expect(meter.events).toHaveLength(1);
    expect(await reportOverage(billingEnv, now)).toMatchObject({ sent: 0 });
  });

  it("never reports overage beyond the spend cap", async () => {
    const h = thisHour();
    const now = h + 10 * 60_000;
    const sub = await subscriberWithPeriod("pro", h - 10 * HOUR, h + 20 * 24 * HOUR);
    // US$ 10.00 at US$ 5.00 per 1,000 (the fake's metered price): 2,000 validations of overage.
    const set = await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key: sub.key, json: { spend_cap_cents: 1000 } });
    expect(await set.json()).toEqual({ spend_cap_cents: 1000, currency: "usd" });
    await used(sub.accountId, h - 3 * HOUR, 11_500);
    await used(sub.accountId, h - 2 * HOUR, 3000);
    await reportOverage(billingEnv, now);
    expect((await meterOf(sub.accountId)).total).toBe(2000);
  });

  it("still reports the last hours of a period after Stripe has renewed the subscription", async () => {
    const h = thisHour();
    const now = h + 10 * 60_000;
    const sub = await subscriberWithPeriod("business", h - 10 * HOUR, h - 2 * HOUR);
    await used(sub.accountId, h - 3 * HOUR, 100_250);
    await used(sub.accountId, h - 1 * HOUR, 100_040); // the new period has its own allowance
    const renewed = await control(`/subscriptions/${sub.subscription.id}`, { period_start: Math.floor((h - 2 * HOUR) / 1000), period_end: Math.floor((h + 30 * 24 * HOUR) / 1000) });
    await deliver(stripeEvent("customer.subscription.updated", renewed, { created: sub.subscription.created + 20 }));
    await reportOverage(billingEnv, now);
    const meter = await meterOf(sub.accountId);
    expect(meter.events.map((e: any) => Number(e.payload.value))).toEqual([250, 40]);
  });

  it("runs from the minute cron four times an hour (minutes 6, 21, 36, 51)", async () => {
    const h = thisHour();
    const sub = await subscriberWithPeriod("pro", h - 10 * HOUR, h + 20 * 24 * HOUR);
    await used(sub.accountId, h - 2 * HOUR, 10_042);
    const tick = (minute: number) => runScheduled({ scheduledTime: h + minute * 60_000, cron: "* * * * *", noRetry() {} } as ScheduledController, billingEnv);
    await tick(7);
    expect((await meterOf(sub.accountId)).total).toBe(0);
    await tick(6);
    expect((await meterOf(sub.accountId)).total).toBe(42);
  });

  it("reports nothing with billing off, or for accounts without a paid subscription", async () => {
    const free = await newAccount();
    await used(free.accountId, thisHour() - 2 * HOUR, 5000);
    expect(await reportOverage(env)).toEqual({ queued: 0, sent: 0, failed: 0 });
    await reportOverage(billingEnv);
    expect(await customersOf(free.accountId)).toHaveLength(0);
  });
});

describe("/api/v1/billing/spend-cap", () => {
  it("sets, reads and removes the cap", async () => {
    const { key } = await newAccount();
    expect(await (await callBilling("/api/v1/billing/spend-cap", { key })).json()).toEqual({ spend_cap_cents: null, currency: null });
    expect(await (await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key, json: { spend_cap_cents: 2500 } })).json()).toMatchObject({ spend_cap_cents: 2500 });
    expect(await (await callBilling("/api/v1/billing/spend-cap", { key })).json()).toMatchObject({ spend_cap_cents: 2500 });
    expect(await (await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key, json: { spend_cap_cents: null } })).json()).toMatchObject({ spend_cap_cents: null });
    await expectProblem(await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key, json: { spend_cap_cents: -1 } }), 400, "invalid-request");
    await expectProblem(await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key, json: { spend_cap_cents: 10.5 } }), 400, "invalid-request");
  });

  it("binds the quota of a plan the operator set, with no Stripe subscription behind it", async () => {
    const { key, accountId } = await newAccount();
    await env.DB.prepare("UPDATE accounts SET plan = 'pro' WHERE id = ?1").bind(accountId).run();
    await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key, json: { spend_cap_cents: 700 } });
    expect(await accountPlan(billingEnv, accountId)).toMatchObject({ plan: "pro", status: "active", spend_cap_cents: 700 });
  });

  it("is one account's own, and 501 when billing is off", async () => {
    const a = await newAccount();
    const b = await newAccount();
    await callBilling("/api/v1/billing/spend-cap", { method: "PUT", key: a.key, json: { spend_cap_cents: 700 } });
    expect(await (await callBilling("/api/v1/billing/spend-cap", { key: b.key })).json()).toEqual({ spend_cap_cents: null, currency: null });
    await expectProblem(await call("/api/v1/billing/spend-cap", { method: "PUT", key: a.key, json: { spend_cap_cents: 700 } }), 501, "billing-not-configured");
    await expectProblem(await callBilling("/api/v1/billing/spend-cap"), 401);
  });
});
