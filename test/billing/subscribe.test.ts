import { describe, expect, it } from "vitest";
import { FAKE_PRICES } from "../fakes/stripe";
import { call, expectProblem, newAccount } from "../helpers";
import { callBilling, control, customersOf } from "./helpers";

async function checkout(url: string) {
  const id = url.split("/").pop()!;
  return control(`/checkout/${id}`) as Promise<{ session: any; idempotencyKey: string | null; lineItems: { price: string; quantity?: number }[] }>;
}

describe("POST /api/v1/billing/subscribe", () => {
  it("answers 501 in both languages when billing is off", async () => {
    const { key } = await newAccount();
    const en = await expectProblem(await call("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" } }), 501, "billing-not-configured");
    expect(en.detail).toMatch(/Billing is not configured/);
    const pt = await expectProblem(
      await call("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" }, headers: { "accept-language": "pt-BR" } }),
      501,
    );
    expect(pt.detail).toMatch(/cobrança não está configurada/);
    expect((await call("/api/v1/billing/portal", { method: "POST", key, json: {} })).status).toBe(501);
  });

  it("sends the person to Checkout in subscription mode, for a customer created once with the account id", async () => {
    const { key, accountId, email } = await newAccount();
    const res = await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" } });
    expect(res.status).toBe(200);
    const { checkout_url } = (await res.json()) as { checkout_url: string };
    expect(checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);

    const { session, lineItems } = await checkout(checkout_url);
    const [{ customer }] = await customersOf(accountId);
    expect(customer).toMatchObject({ email, metadata: { account_id: accountId } });
    expect(session).toMatchObject({
      mode: "subscription",
      customer: customer.id,
      client_reference_id: accountId,
      success_url: "https://vitrine.test/app/billing?billing=subscribed",
      cancel_url: "https://vitrine.test/app/billing?billing=canceled",
      tax_id_collection: { enabled: true },
      metadata: { account_id: accountId, plan: "pro" },
    });
    // The plan's recurring price, and the metered overage price without a quantity (Stripe refuses one).
    expect(lineItems).toEqual([{ price: FAKE_PRICES.pro, quantity: 1 }, { price: FAKE_PRICES.proOverage }]);

    // Asking again (the person came back without paying) reuses the customer.
    const again = await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "business" } });
    expect(again.status).toBe(200);
    const second = await checkout(((await again.json()) as { checkout_url: string }).checkout_url);
    expect(second.session.customer).toBe(customer.id);
    expect(second.lineItems).toEqual([{ price: FAKE_PRICES.business, quantity: 1 }, { price: FAKE_PRICES.businessOverage }]);
    expect(await customersOf(accountId)).toHaveLength(1);
  });

  it("creates one customer even when the first two requests race", async () => {
    const { key, accountId } = await newAccount();
    const both = await Promise.all([1, 2].map(() => callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" } })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await customersOf(accountId)).toHaveLength(1);
  });

  it("honours Idempotency-Key and passes it to Stripe, scoped to the account", async () => {
    const { key, accountId } = await newAccount();
    const send = () => callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" }, headers: { "idempotency-key": "upgrade-1" } });
    const first = await send();
    const replay = await send();
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const url = ((await first.json()) as { checkout_url: string }).checkout_url;
    expect(((await replay.json()) as { checkout_url: string }).checkout_url).toBe(url);
    const { idempotencyKey } = await checkout(url);
    expect(idempotencyKey).toContain("upgrade-1");
    expect(idempotencyKey).toContain(accountId);
  });

  it("accepts return addresses on this deployment's origin only (no open redirect)", async () => {
    const { key, accountId } = await newAccount();
    const ok = await callBilling("/api/v1/billing/subscribe", {
      method: "POST",
      key,
      json: { plan: "pro", success_url: "https://vitrine.test/obrigado?x=1", cancel_url: "https://vitrine.test/planos" },
    });
    expect(ok.status).toBe(200);
    const { session } = await checkout(((await ok.json()) as { checkout_url: string }).checkout_url);
    expect(session).toMatchObject({ success_url: "https://vitrine.test/obrigado?x=1", cancel_url: "https://vitrine.test/planos" });

    const other = await newAccount();
    for (const json of [
      { plan: "pro", success_url: "https://evil.example/phish" },
      { plan: "pro", cancel_url: "https://vitrine.test.evil.example/" },
      { plan: "pro", success_url: "//evil.example/" },
      { plan: "pro", success_url: "https://user@vitrine.test/" },
      { plan: "pro", success_url: "javascript:alert(1)" },
    ]) {
      const problem = await expectProblem(await callBilling("/api/v1/billing/subscribe", { method: "POST", key: other.key, json }), 400, "invalid-request");
      expect(problem.errors?.[0].pointer).toBe(json.success_url ? "/success_url" : "/cancel_url");
    }
    // Refused before anything was created at Stripe.
    expect(await customersOf(other.accountId)).toHaveLength(0);
    expect(await customersOf(accountId)).toHaveLength(1);
  });

  it("tells how to get in touch for Enterprise, and that Free needs no subscription", async () => {
    const { key, accountId } = await newAccount();
    const enterprise = await expectProblem(await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "enterprise" } }), 422, "unprocessable");
    expect(enterprise.detail).toMatch(/Enterprise is arranged directly with the operator/);
    const free = await expectProblem(await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "free" } }), 422);
    expect(free.detail).toMatch(/Free needs no subscription/);
    expect(await customersOf(accountId)).toHaveLength(0);
  });

  it("refuses unknown plans and anonymous callers", async () => {
    const { key } = await newAccount();
    await expectProblem(await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "gold" } }), 400, "invalid-request");
    await expectProblem(await callBilling("/api/v1/billing/subscribe", { method: "POST", json: { plan: "pro" } }), 401, "unauthorized");
    await expectProblem(await callBilling("/api/v1/billing/portal", { method: "POST", json: {} }), 401, "unauthorized");
  });

  it("answers 502 when Stripe fails, and nothing is half-done", async () => {
    const { key, accountId } = await newAccount();
    const first = await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" } });
    expect(first.status).toBe(200);
    const [{ customer }] = await customersOf(accountId);
    // Both the call and the stripe package's one retry fail.
    await control("/script", { path: "/v1/checkout/sessions", customer: customer.id, times: 2, status: 500 });
    const failed = await callBilling("/api/v1/billing/subscribe", { method: "POST", key, json: { plan: "pro" } });
    const problem = await expectProblem(failed, 502, "payment-provider-error");
    expect(failed.headers.get("retry-after")).toBe("60");
    expect(JSON.stringify(problem)).not.toContain("sk_test");
  });
});

describe("POST /api/v1/billing/portal", () => {
  it("opens the portal for the account's own customer, returning to this deployment", async () => {
    const { key, accountId } = await newAccount();
    const res = await callBilling("/api/v1/billing/portal", { method: "POST", key, json: { return_url: "https://vitrine.test/settings#billing" } });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    expect(url).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\/bps_/);
    expect(await customersOf(accountId)).toHaveLength(1);
    await expectProblem(await callBilling("/api/v1/billing/portal", { method: "POST", key, json: { return_url: "https://evil.example/" } }), 400);
  });
});
