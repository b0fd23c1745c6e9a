import { describe, expect, it } from "vitest";
import { call, expectProblem, newAccount } from "../helpers";
import { callBilling, control, deliver, stripeEvent, subscribed } from "./helpers";

async function list(key: string, query = ""): Promise<{ data: any[]; has_more: boolean }> {
  const res = await callBilling(`/api/v1/billing/invoices${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /api/v1/billing/invoices", () => {
  it("lists the invoices Stripe's events described, newest first, cursor-paginated", async () => {
    const paid = await subscribed("pro");
    const first = paid.invoice;
    await deliver(stripeEvent("invoice.finalized", { ...first, status: "open", amount_paid: 0, status_transitions: { ...first.status_transitions, paid_at: null } }, { created: first.created }));
    await deliver(stripeEvent("invoice.paid", first, { created: first.created + 1 }));
    const later = [];
    for (let i = 0; i < 3; i++) {
      const invoice = await control("/invoices", { subscription: paid.subscription.id, status: "open", amount_due: 1000 + i });
      // Stripe's invoices are a second apart at least in real life; here they are told apart by created.
      invoice.created = first.created + 10 + i;
      await deliver(stripeEvent("invoice.finalized", invoice, { created: invoice.created }));
      later.push(invoice);
    }

    const page1 = await list(paid.key, "?limit=2");
    expect(page1.has_more).toBe(true);
    expect(page1.data.map((i) => i.id)).toEqual([later[2].id, later[1].id]);
    const page2 = await list(paid.key, `?limit=2&starting_after=${page1.data[1].id}`);
    expect(page2.has_more).toBe(false);
    expect(page2.data.map((i) => i.id)).toEqual([later[0].id, first.id]);
    expect(page2.data[1]).toEqual({
      id: first.id,
      number: first.number,
      status: "paid",
      amount_due: 4900,
      amount_paid: 4900,
      total: 4900,
      currency: "usd",
      period: { start: new Date(first.period_start * 1000).toISOString(), end: new Date(first.period_end * 1000).toISOString() },
      hosted_invoice_url: first.hosted_invoice_url,
      invoice_pdf: first.invoice_pdf,
      created_at: new Date(first.created * 1000).toISOString(),
    });
    expect(page2.data[0]).toMatchObject({ status: "open", amount_due: 1000, amount_paid: 0 });
  });

  it("keeps the newest version of an invoice whatever the order of its events", async () => {
    const paid = await subscribed("business");
    const invoice = paid.invoice;
    await deliver(stripeEvent("invoice.paid", invoice, { created: invoice.created + 5 }));
    await deliver(stripeEvent("invoice.finalized", { ...invoice, status: "open", amount_paid: 0 }, { created: invoice.created }));
    const { data } = await list(paid.key);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ id: invoice.id, status: "paid", amount_paid: 29900 });
  });

  it("shows an account only its own invoices", async () => {
    const paid = await subscribed("pro");
    await deliver(stripeEvent("invoice.paid", paid.invoice, { created: paid.invoice.created }));
    const other = await newAccount();
    expect(await list(other.key)).toEqual({ data: [], has_more: false });
    await expectProblem(await callBilling(`/api/v1/billing/invoices?starting_after=${paid.invoice.id}`, { key: other.key }), 400, "invalid-request");
    await expectProblem(await callBilling("/api/v1/billing/invoices"), 401, "unauthorized");
  });

  it("answers an empty list when billing is off", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/billing/invoices", { key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [], has_more: false });
  });
});
