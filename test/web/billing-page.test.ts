import { describe, expect, it } from "vitest";
import { stripeHostedOrigins, parseSpendCap } from "../../src/web/pages/billing";
import { DASHBOARD_CSP } from "../../src/web/security-headers";
import { env } from "../helpers";
import { Browser, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

/** Validations counted this hour, as if the account had run them. */
async function used(accountId: string, records: number) {
  await env.DB.prepare("INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, ?3) ON CONFLICT (account_id, hour) DO UPDATE SET records = records + excluded.records")
    .bind(accountId, Math.floor(Date.now() / 3_600_000) * 3_600_000, records)
    .run();
}

// This file runs with billing off (no STRIPE_SECRET_KEY), as self-hosters and `npm start` do;
// test/billing/enforced/billing-page.test.ts covers the page with Stripe's fake configured.
describe("the Billing page with billing off", () => {
  it("shows plan, usage and the plans, says billing is not configured, and offers no action that needs Stripe", async () => {
    const seller = await signUpInBrowser();
    await used(seller.accountId, 37);
    const { res, html } = await seller.browser.page("/app/billing");
    expect(res.status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain("Planos e cobrança");
    expect(text).toContain("A cobrança não está configurada nesta instalação");
    expect(text).toMatch(/Plano Free Situação Sem assinatura Período/);
    expect(text).toContain("37 de 100 validações");
    expect(text).toMatch(/Restantes 63\b/);
    expect(html).toMatch(/<meter id="usage-meter" min="0" max="100" value="37"/);
    // The day-by-day chart, drawn on the server, with the same numbers as a table.
    expect(html).toContain('<svg viewBox="0 0 400 160"');
    expect(text).toContain("Validações por dia");
    expect(text).toMatch(/Ver os números Dia Validações .* 37/);
    // The plans, priced with Intl in the reader's language.
    expect(text).toContain("US$ 49,00 por mês");
    expect(text).toContain("US$ 299,00 por mês");
    expect(text).toContain("Sob consulta");
    expect(text).toContain("O Enterprise é combinado com quem opera esta instalação.");
    // No Checkout, portal or spend cap without Stripe; the policy names no other origin.
    expect(html).not.toContain('action="/app/billing/checkout"');
    expect(html).not.toContain('action="/app/billing/portal"');
    expect(html).not.toContain('action="/app/billing/spend-cap"');
    expect(text).toContain("Nenhuma fatura: a cobrança não está configurada nesta instalação.");
    expect(res.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
  });

  it("speaks English to an English reader", async () => {
    const seller = await signUpInBrowser();
    await env.DB.prepare("UPDATE accounts SET locale = 'en' WHERE id = ?1").bind(seller.accountId).run();
    const text = visibleText((await seller.browser.page("/app/billing")).html);
    expect(text).toContain("Billing is not configured on this deployment");
    expect(text).toContain("0 of 100 validations");
    expect(text).toContain("$49.00 a month");
  });

  it("shows the plan the operator set (set-plan), unlimited for Enterprise", async () => {
    const seller = await signUpInBrowser();
    await env.DB.prepare("UPDATE accounts SET plan = 'enterprise' WHERE id = ?1").bind(seller.accountId).run();
    await used(seller.accountId, 1234);
    const text = visibleText((await seller.browser.page("/app/billing")).html);
    expect(text).toMatch(/Plano Enterprise Situação Ativa/);
    expect(text).toContain("1.234 validações (plano ilimitado)");
  });

  it("answers the billing actions with the page saying billing is off (501), nothing done", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    for (const [path, fields] of [
      ["/app/billing/checkout", { plan: "pro" }],
      ["/app/billing/portal", {}],
      ["/app/billing/spend-cap", { spend_cap: "50" }],
    ] as const) {
      const res = await seller.browser.post(path, fields);
      expect(res.status, path).toBe(501);
      expect(visibleText(await res.text())).toContain("A cobrança não está configurada nesta instalação: os recursos de todos os planos estão disponíveis sem assinatura.");
    }
    const row = await env.DB.prepare("SELECT count(*) AS n FROM subscriptions WHERE account_id = ?1").bind(seller.accountId).first<{ n: number }>();
    expect(row!.n).toBe(0);
  });

  it("needs a session, and the form token on its forms", async () => {
    expectSentToSignIn(await new Browser().fetch("/app/billing"));
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/billing/checkout", { plan: "pro" }, { csrf: false });
    expect(res.status).toBe(403);
  });

  it("is in the navigation, and the checklist's step 6 links to it and is ticked by a paid plan", async () => {
    const seller = await signUpInBrowser();
    const { html } = await seller.browser.page("/app");
    expect(html).toContain('href="/app/billing"');
    expect(visibleText(html)).not.toContain("em breve");
    const stepSix = () => seller.browser.page("/app").then(({ html }) => /<li class="step step-done" id="step-6">/.test(html));
    expect(await stepSix()).toBe(false);
    await env.DB.prepare("UPDATE accounts SET plan = 'pro' WHERE id = ?1").bind(seller.accountId).run();
    expect(await stepSix()).toBe(true);
    const page = await seller.browser.page("/app/billing");
    expect(page.html).toMatch(/<a[^>]*href="\/app\/billing"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/app\/billing"/);
  });
});

describe("parseSpendCap", () => {
  it("reads amounts in major units, with a comma or a point, into cents", () => {
    expect(parseSpendCap("")).toEqual({ cents: null });
    expect(parseSpendCap("  ")).toEqual({ cents: null });
    expect(parseSpendCap("50")).toEqual({ cents: 5000 });
    expect(parseSpendCap("49,9")).toEqual({ cents: 4990 });
    expect(parseSpendCap("49.90")).toEqual({ cents: 4990 });
    expect(parseSpendCap("0")).toEqual({ cents: 0 });
    expect(parseSpendCap("1000000")).toEqual({ cents: 100_000_000 });
  });

  it("refuses what it cannot read for sure, and more than the API allows", () => {
    for (const raw of ["abc", "-5", "1.000", "1.000,00", "12,345", "US$ 5", "1e3"]) expect(parseSpendCap(raw), raw).toEqual({ error: "invalid" });
    expect(parseSpendCap("1000000,01")).toEqual({ error: "tooHigh" });
  });
});

describe("stripeHostedOrigins", () => {
  const api = (host: string, protocol: "https" | "http", port: number) => ({ api: { host, protocol, port } }) as never;
  it("names Stripe's Checkout and portal origins, a fake's siblings, or a local fake's own origin", () => {
    expect(stripeHostedOrigins(api("api.stripe.com", "https", 443))).toEqual(["https://checkout.stripe.com", "https://billing.stripe.com"]);
    expect(stripeHostedOrigins(api("api.stripe.test", "https", 443))).toEqual(["https://checkout.stripe.test", "https://billing.stripe.test"]);
    expect(stripeHostedOrigins(api("127.0.0.1", "http", 12111))).toEqual(["http://127.0.0.1:12111"]);
  });
});
