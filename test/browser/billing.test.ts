import http from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_METER_EVENT_NAME, FAKE_PRICES, FAKE_STRIPE_SECRET_KEY, FAKE_STRIPE_WEBHOOK_SECRET, stripe } from "../fakes/stripe";
import { expectAccessible, expectNoHorizontalScroll, freePort, launchChromium, newPage, type RunningApp, saveScreenshot, signUp, startApp } from "./harness";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function expectUsable(page: Page) {
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

describe("the Billing page with billing off (as npm start runs)", () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  for (const width of [1400, 390]) {
    it(`shows plan, usage and plans at ${width} px, accessible, without sideways scroll`, async () => {
      const { context, page } = await newPage(browser, app, { width, height: 900 });
      await signUp(page);
      await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Planos e cobrança" }).click();
      await page.waitForURL("**/app/billing");
      await page.getByText("A cobrança não está configurada nesta instalação: nada é cobrado").waitFor();
      expect(await page.getByText("0 de 100 validações").first().isVisible()).toBe(true);
      expect(await page.getByRole("img", { name: "Validações por dia" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: /Assinar/ }).count()).toBe(0);
      await expectUsable(page);
      await context.close();
    });
  }
});

/**
 * Stripe's fake (test/fakes/stripe.ts), served over real HTTP for the Worker that wrangler dev
 * runs. Checkout's pages are served here too: the session's URL is rewritten to this origin, so the
 * browser really follows the redirect. The portal's URL is left on https://billing.stripe.test,
 * an origin the page's policy does not allow, to see the page offer a link instead.
 */
function startFakeStripe(port: number): Promise<http.Server> {
  const origin = `http://127.0.0.1:${port}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url!, "https://api.stripe.test");
      if (req.method === "GET" && url.pathname.startsWith("/c/pay/")) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end('<!doctype html><html lang="en"><title>Fake Checkout</title><h1>Fake Checkout</h1></html>');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
      const answer = await stripe.fetch(new Request(url, { method: req.method, headers, body }));
      const text = (await answer.text()).replaceAll("https://checkout.stripe.test", origin);
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json", "request-id": answer.headers.get("request-id") ?? "req_fake" }).end(text);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

describe("the Billing page with billing on (Stripe's fake over HTTP)", () => {
  let app: RunningApp;
  let fake: http.Server;
  let fakeOrigin: string;
  beforeAll(async () => {
    const port = await freePort();
    fakeOrigin = `http://127.0.0.1:${port}`;
    fake = await startFakeStripe(port);
    app = await startApp({
      vars: {
        STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
        STRIPE_PRICE_PRO: FAKE_PRICES.pro,
        STRIPE_PRICE_BUSINESS: FAKE_PRICES.business,
        STRIPE_PRICE_PRO_OVERAGE: FAKE_PRICES.proOverage,
        STRIPE_PRICE_BUSINESS_OVERAGE: FAKE_PRICES.businessOverage,
        STRIPE_METER_EVENT_NAME: FAKE_METER_EVENT_NAME,
        STRIPE_API_URL: fakeOrigin,
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await new Promise((resolve) => fake?.close(resolve));
  });

  it("sends Upgrade through Checkout: the browser follows the redirect to the fake's checkout page", async () => {
    const { context, page } = await newPage(browser, app, { width: 390, height: 900 });
    await signUp(page);
    await page.goto("/app/billing");
    await page.getByRole("button", { name: "Assinar o Pro" }).waitFor();
    await expectUsable(page);
    await page.getByRole("button", { name: "Assinar o Pro" }).click();
    await page.waitForURL(`${fakeOrigin}/c/pay/cs_test_*`);
    expect(await page.getByRole("heading", { name: "Fake Checkout" }).isVisible()).toBe(true);
    await context.close();
  });

  it("sets a spend cap and offers a link when Stripe's page is on an origin the policy does not name", async () => {
    const { context, page } = await newPage(browser, app, { width: 1400, height: 900 });
    await signUp(page);
    await page.goto("/app/billing");
    await page.getByLabel("Limite por período, em USD").fill("12,5");
    await page.getByRole("button", { name: "Salvar o limite" }).click();
    await page.getByText("Limite de gastos salvo: US$ 12,50 por período.").waitFor();
    await saveScreenshot(page, "billing");
    await page.getByLabel("Limite por período, em USD").fill("doze");
    await page.getByRole("button", { name: "Salvar o limite" }).click();
    await page.getByText("Digite um valor como 50 ou 49,90.").first().waitFor();
    await expectUsable(page);

    await page.getByRole("button", { name: "Gerenciar formas de pagamento e faturas" }).click();
    const link = page.getByRole("link", { name: "Continuar no Stripe" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\/bps_/);
    await expectUsable(page);
    await context.close();
  });
});
