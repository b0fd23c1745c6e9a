import { describe, expect, it } from "vitest";
import { hourOf, HOUR_MS } from "../../../src/core/billing/period";
import { runScheduled } from "../../../src/cron";
import { call, env, expectProblem, newAccount, uploadFile, waitForJob } from "../../helpers";
import { control, customersOf, signature, stripeEvent } from "../helpers";

/**
 * The "Done when", as a seller and Stripe go through it: every step of the seller is a
 * public API call; Stripe's part is the fake (the customer paying at Checkout) and the signed events
 * it then sends to the public webhook endpoint; the meter is the Worker's own cron.
 */

function records(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({ sku: `CEL-${from + i}`, title: `Smartphone Galaxy A15 128GB ${from + i}`, price: 1299.9 }));
}

const validate = (key: string, n: number, from = 0) => call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(n, from) } });

/** A Stripe event delivered to the public endpoint exactly as Stripe sends it: raw JSON, signed. */
async function stripeSends(type: string, object: unknown, created: number) {
  const payload = JSON.stringify(stripeEvent(type, object, { created }));
  const res = await call("/api/v1/billing/stripe/webhook", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": await signature(payload) },
  });
  expect(res.status, `${type}: ${res.status}`).toBe(200);
  return res.json();
}

const json = async (res: Response) => {
  expect(res.status, `${res.url} ${res.status}`).toBeLessThan(300);
  return (await res.json()) as any;
};

describe("billing end to end: Free → 402 → Checkout → Pro → overage metered exactly", () => {
  it("walks a seller from the Free stop to Pro overage, usage, invoices and the portal", async () => {
    const { key, accountId } = await newAccount();

    // Free: the 100th record goes through, the 101st is refused with a problem saying when it resets.
    const hundred = await validate(key, 100);
    expect(hundred.status).toBe(200);
    expect(hundred.headers.get("vitrine-quota-remaining")).toBe("0");
    const freeHour = hourOf(Date.now());
    const refused = (await expectProblem(await validate(key, 1, 100), 402, "quota-exceeded")) as any;
    expect(refused).toMatchObject({ plan: "free", remaining: 0, requested: 1, included: 100 });
    expect(Date.parse(refused.reset_at)).toBeGreaterThan(Date.now());

    // The plans on sale, then Checkout for Pro.
    const plans = await json(await call("/api/v1/billing/plans"));
    expect(plans.billing_enabled).toBe(true);
    expect(plans.data.find((p: any) => p.id === "pro")).toMatchObject({ included_validations: 10_000, price: { amount: 4900, currency: "usd" } });
    const checkout = await json(
      await call("/api/v1/billing/subscribe", {
        method: "POST",
        key,
        json: { plan: "pro", success_url: "https://vitrine.test/app/billing?checkout=done", cancel_url: "https://vitrine.test/app/billing" },
      }),
    );
    expect(new URL(checkout.checkout_url).hostname).toBe("checkout.stripe.test");

    // The seller pays on Stripe's page; Stripe then sends its two events, signed.
    const paid = (await control(`/checkout/${checkout.checkout_url.split("/").pop()}/complete`, {})) as { session: any; subscription: any; invoice: any };
    const t = paid.subscription.created;
    await stripeSends("checkout.session.completed", paid.session, t);
    await stripeSends("customer.subscription.created", paid.subscription, t);
    expect(await json(await call("/api/v1/account", { key }))).toMatchObject({ plan: "pro", plan_status: "active" });

    // Pro: 10,000 included, then overage; through /validate and a file job.
    for (let i = 0; i < 10; i++) expect((await validate(key, 1000, 1000 * (i + 1))).status).toBe(200);
    const csv = ["sku;title;price", ...records(1_537, 20_000).map((r) => `${r.sku};${r.title};1299,90`)].join("\n");
    const file = await uploadFile(key, csv, "catalogo.csv");
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common" } });
    expect(created.status).toBe(202);
    const job = await waitForJob(key, ((await created.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(1_537);
    const validatedAsPro = 10 * 1000 + 1_537;

    // Usage is exact: what Pro validated, plus the Free records of the hour the subscription began in
    // (usage is kept per hour, and a period counts the whole hour it starts in).
    // Stripe keeps the period on the subscription's items (API versions since 2025-03-31).
    const periodStart = paid.subscription.items.data[0].current_period_start * 1000;
    const carried = hourOf(periodStart) <= freeHour ? 100 : 0;
    const usage = await json(await call("/api/v1/billing/usage", { key }));
    expect(usage).toMatchObject({ plan: "pro", included: 10_000, used: validatedAsPro + carried, remaining: 0 });
    const overage = validatedAsPro + carried - 10_000;
    expect(usage.overage).toBe(overage);
    expect(usage.by_day.reduce((sum: number, d: any) => sum + d.records, 0)).toBe(validatedAsPro + carried);

    // The cron reports the closed hours to Stripe's meter: exactly the overage, once however often it runs.
    const tick = (scheduledTime: number) => runScheduled({ scheduledTime, cron: "* * * * *", noRetry() {} } as ScheduledController, env as any);
    const later = hourOf(Date.now()) + 2 * HOUR_MS + 6 * 60_000;
    await tick(later);
    await tick(later + 15 * 60_000);
    const [customer] = await customersOf(accountId);
    expect(customer.meter.total).toBe(overage);
    expect(new Set(customer.meter.events.map((e: any) => e.identifier)).size).toBe(customer.meter.events.length);

    // Invoices as Stripe's events described them, and the portal.
    await stripeSends("invoice.finalized", paid.invoice, t + 1);
    await stripeSends("invoice.paid", paid.invoice, t + 2);
    const invoices = await json(await call("/api/v1/billing/invoices", { key }));
    expect(invoices.data).toHaveLength(1);
    expect(invoices.data[0]).toMatchObject({ number: paid.invoice.number, status: "paid", currency: "usd", hosted_invoice_url: paid.invoice.hosted_invoice_url });
    const portal = await json(await call("/api/v1/billing/portal", { method: "POST", key }));
    expect(new URL(portal.url).hostname).toBe("billing.stripe.test");
  });
});
