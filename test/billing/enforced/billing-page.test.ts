import { describe, expect, it } from "vitest";
import { subscriptionStanding } from "../../../src/services/billing/standing";
import { env } from "../../helpers";
import { signUpInBrowser, visibleText } from "../../web/helpers";
import { control, customersOf, deliver, stripeEvent } from "../helpers";

// This project runs the Worker with Stripe's fake configured (vitest.config.ts, "billing"): billing on.

/** The Checkout session a redirect names (the fake's `https://checkout.stripe.test/c/pay/<id>`). */
function sessionOf(res: Response): string {
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  expect(location).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
  return location.split("/").pop()!;
}

/** A seller signed in who subscribed to a plan through the page, Stripe's two events delivered. */
async function subscribedSeller(plan: "pro" | "business" = "pro") {
  const seller = await signUpInBrowser();
  await seller.browser.page("/app/billing");
  const session = sessionOf(await seller.browser.post("/app/billing/checkout", { plan }));
  const done = (await control(`/checkout/${session}/complete`, {})) as { session: any; subscription: any; invoice: any };
  const t = done.subscription.created;
  expect((await deliver(stripeEvent("checkout.session.completed", done.session, { created: t }))).status).toBe(200);
  expect((await deliver(stripeEvent("customer.subscription.created", done.subscription, { created: t }))).status).toBe(200);
  return { ...seller, ...done };
}

describe("the Billing page with billing on", () => {
  it("offers Checkout for each paid plan, the portal and the spend cap, and lets its forms go on to Stripe's pages only", async () => {
    const seller = await signUpInBrowser();
    const { res, html } = await seller.browser.page("/app/billing");
    expect(res.status).toBe(200);
    const text = visibleText(html);
    expect(text).not.toContain("não está configurada");
    expect(text).toMatch(/Plano Free Situação Sem assinatura/);
    expect(html.match(/action="\/app\/billing\/checkout"/g)).toHaveLength(2);
    expect(html).toContain('name="plan" value="pro"');
    expect(html).toContain('name="plan" value="business"');
    expect(text).toContain("Assinar o Pro");
    expect(text).toContain("Assinar o Business");
    expect(text).toContain("Gerenciar formas de pagamento e faturas");
    expect(html).toContain('action="/app/billing/spend-cap"');
    expect(text).toContain("Agora: sem limite.");
    expect(text).toContain("No Free, o trabalho para na franquia de todo modo: um limite definido agora vale a partir do seu primeiro período pago.");
    expect(text).toContain("Nenhuma fatura ainda.");
    expect(text).toContain("O Free para na franquia");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("form-action 'self' https://checkout.stripe.test https://billing.stripe.test;");
    // Other pages keep the plain policy.
    const other = await seller.browser.fetch("/app/account");
    expect(other.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  it("upgrades through Checkout: 303 to the session's URL, the customer created once, back to this page with a notice", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    const first = sessionOf(await seller.browser.post("/app/billing/checkout", { plan: "pro" }));
    const second = sessionOf(await seller.browser.post("/app/billing/checkout", { plan: "business" }));
    expect(second).not.toBe(first);
    const customers = await customersOf(seller.accountId);
    expect(customers).toHaveLength(1);
    const created = (await control(`/checkout/${first}`)) as { session: any; lineItems: { price: string }[] };
    expect(created.session.customer).toBe(customers[0].customer.id);
    expect(created.session.success_url).toBe("https://vitrine.test/app/billing?billing=subscribed");
    expect(created.session.cancel_url).toBe("https://vitrine.test/app/billing?billing=canceled");
    expect(created.session.locale).toBe("pt-BR");

    expect(visibleText((await seller.browser.page("/app/billing?billing=subscribed")).html)).toContain("Assinatura confirmada: ela aparece aqui quando o Stripe avisar");
    expect(visibleText((await seller.browser.page("/app/billing?billing=canceled")).html)).toContain("Pagamento cancelado: nada foi cobrado");
  });

  it("answers Enterprise and unknown plans on the page, without going to Stripe", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    const enterprise = await seller.browser.post("/app/billing/checkout", { plan: "enterprise" });
    expect(enterprise.status).toBe(422);
    expect(visibleText(await enterprise.text())).toContain("O plano Enterprise é combinado diretamente");
    const unknown = await seller.browser.post("/app/billing/checkout", { plan: "gold" });
    expect(unknown.status).toBe(422);
    expect(visibleText(await unknown.text())).toContain("Escolha um dos planos abaixo.");
    expect(await customersOf(seller.accountId)).toHaveLength(0);
  });

  it("opens the billing portal: 303 to the portal session's URL", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    const res = await seller.browser.post("/app/billing/portal", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\/bps_/);
    expect(await customersOf(seller.accountId)).toHaveLength(1);
  });

  it("sets, shows, clears and refuses spend caps in the currency's major units (stored in cents)", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    const cap = async () => (await env.DB.prepare("SELECT spend_cap_cents AS cap FROM subscriptions WHERE account_id = ?1").bind(seller.accountId).first<{ cap: number | null }>())?.cap;

    const saved = await seller.browser.post("/app/billing/spend-cap", { spend_cap: "49,90" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/app/billing?billing=capSaved#cap-heading");
    expect(await cap()).toBe(4990);
    const { html } = await seller.browser.page("/app/billing?billing=capSaved");
    const text = visibleText(html);
    expect(text).toContain("Limite de gastos salvo: US$ 49,90 por período.");
    expect(text).toContain("Agora: US$ 49,90 por período.");
    expect(html).toContain('value="49,90"');

    for (const [input, message] of [
      ["muito", "Digite um valor como 50 ou 49,90."],
      ["1.000", "Digite um valor como 50 ou 49,90."],
      ["2000000", "No máximo US$ 1.000.000,00."],
    ]) {
      const res = await seller.browser.post("/app/billing/spend-cap", { spend_cap: input });
      expect(res.status, input).toBe(422);
      const page = await res.text();
      expect(visibleText(page)).toContain(message);
      expect(page).toContain(`value="${input}"`);
      expect(page).toContain('aria-invalid="true"');
      expect(await cap()).toBe(4990);
    }

    expect((await seller.browser.post("/app/billing/spend-cap", { spend_cap: "" })).status).toBe(303);
    expect(await cap()).toBeNull();
    expect(visibleText((await seller.browser.page("/app/billing?billing=capSaved")).html)).toContain("Limite de gastos removido");
  });

  it("refuses every billing form without the form token: nothing reaches Stripe", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.page("/app/billing");
    for (const [path, fields] of [
      ["/app/billing/checkout", { plan: "pro" }],
      ["/app/billing/portal", {}],
      ["/app/billing/spend-cap", { spend_cap: "10" }],
    ] as const) {
      expect((await seller.browser.post(path, fields, { csrf: false })).status, path).toBe(403);
      expect((await seller.browser.post(path, fields, { origin: "https://evil.example" })).status, path).toBe(403);
    }
    expect(await customersOf(seller.accountId)).toHaveLength(0);
  });

  it("shows the subscription once Stripe's events arrive, and its invoices after a signed invoice.finalized", async () => {
    const seller = await subscribedSeller("pro");
    const before = visibleText((await seller.browser.page("/app/billing")).html);
    expect(before).toMatch(/Plano Pro Situação Ativa/);
    expect(before).toContain("0 de 10.000 validações");
    expect(before).toMatch(/Além da franquia 0 validações, US\$ 0,00 até agora a US\$ 5,00 a cada 1\.000/);
    expect(before).toContain("Mudar para o Business");
    expect(before).not.toContain("Assinar o Business");
    expect(before).toContain("Agora: sem limite.");
    expect(before).not.toContain("No Free, o trabalho para na franquia");

    expect((await deliver(stripeEvent("invoice.finalized", seller.invoice))).status).toBe(200);
    const { html } = await seller.browser.page("/app/billing");
    const text = visibleText(html);
    expect(text).toContain(seller.invoice.number);
    expect(text).toContain("Paga");
    expect(text).toContain("US$ 49,00");
    expect(html).toContain(`href="${seller.invoice.hosted_invoice_url}"`);
    expect(html).toContain(`href="${seller.invoice.invoice_pdf}"`);
    expect(text).toContain(`Ver a fatura ${seller.invoice.number}`);
  });

  it("shows the overage so far and its cost at the configured price, and what running validations reserved", async () => {
    const seller = await subscribedSeller("pro");
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await env.DB.prepare("INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, 12345)").bind(seller.accountId, hour).run();
    await env.DB.prepare("INSERT INTO usage_holds (account_id, hold_key, records, expires_at, created_at) VALUES (?1, 'job_running', 250, ?2, ?3)").bind(seller.accountId, Date.now() + 3_600_000, Date.now()).run();
    const text = visibleText((await seller.browser.page("/app/billing")).html);
    expect(text).toContain("12.345 de 10.000 validações");
    expect(text).toMatch(/Restantes 0 Reservadas por validações em andamento 250/);
    // Stripe bills whole thousands, rounding up: 2,345 → 3 × US$ 5.00.
    expect(text).toContain("Além da franquia 2.345 validações, US$ 15,00 até agora a US$ 5,00 a cada 1.000");
  });

  it("pages the invoices, ten at a time, newest first", async () => {
    const seller = await subscribedSeller("pro");
    expect((await deliver(stripeEvent("invoice.finalized", seller.invoice))).status).toBe(200);
    const numbers = [seller.invoice.number];
    for (let n = 1; n <= 10; n++) {
      const invoice = await control("/invoices", { subscription: seller.subscription.id, status: "open", amount_due: 1000 + n });
      // Stripe's `created` is in seconds: later invoices must sort after the first.
      invoice.created = seller.invoice.created + n;
      expect((await deliver(stripeEvent("invoice.finalized", invoice))).status).toBe(200);
      numbers.push(invoice.number);
    }
    const first = await seller.browser.page("/app/billing");
    const firstText = visibleText(first.html);
    expect(firstText).toContain("Em aberto");
    expect(firstText).toContain("US$ 10,10");
    expect(firstText).not.toContain(seller.invoice.number);
    const next = /href="(\/app\/billing\?starting_after=in_[^"#]+)#invoices-heading" rel="next"/.exec(first.html);
    expect(next).not.toBeNull();
    const second = visibleText((await seller.browser.page(next![1])).html);
    expect(second).toContain(seller.invoice.number);
    expect(second).toContain("Faturas mais recentes");
    expect(second).not.toContain("Faturas mais antigas");
  });

  it("says when the subscription ends at the period's end, and when a payment failed (grace)", async () => {
    const seller = await subscribedSeller("business");
    const ending = await control(`/subscriptions/${seller.subscription.id}`, { cancel_at_period_end: true });
    expect((await deliver(stripeEvent("customer.subscription.updated", ending, { created: seller.subscription.created + 1 }))).status).toBe(200);
    expect((await subscriptionStanding(env as never, seller.accountId)).cancel_at_period_end).toBe(true);
    expect(visibleText((await seller.browser.page("/app/billing")).html)).toMatch(/A assinatura termina em .+, no fim deste período/);

    const overdue = await control(`/subscriptions/${seller.subscription.id}`, { status: "past_due" });
    expect((await deliver(stripeEvent("customer.subscription.updated", overdue, { created: seller.subscription.created + 2 }))).status).toBe(200);
    const text = visibleText((await seller.browser.page("/app/billing")).html);
    expect(text).toMatch(/Plano Business Situação Pagamento em atraso/);
    expect(text).toMatch(/O último pagamento falhou\. O plano continua até .+; depois disso/);
  });

  it("never shows another account's subscription or invoices, even asked for by id", async () => {
    const theirs = await subscribedSeller("pro");
    expect((await deliver(stripeEvent("invoice.finalized", theirs.invoice))).status).toBe(200);
    const mine = await signUpInBrowser();
    for (const path of ["/app/billing", `/app/billing?starting_after=${theirs.invoice.id}`]) {
      const { res, html } = await mine.browser.page(path);
      expect(res.status).toBe(200);
      const text = visibleText(html);
      expect(text).not.toContain(theirs.invoice.number);
      expect(text).toMatch(/Plano Free Situação Sem assinatura/);
      expect(text).toContain("Nenhuma fatura ainda.");
    }
    // Their portal is not mine: opening it makes (or uses) my own customer.
    await mine.browser.post("/app/billing/portal", {});
    const [mineCustomer] = await customersOf(mine.accountId);
    const [theirCustomer] = await customersOf(theirs.accountId);
    expect(mineCustomer.customer.id).not.toBe(theirCustomer.customer.id);
  });
});
