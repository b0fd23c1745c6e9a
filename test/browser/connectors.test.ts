import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, fakeParts } from "../fakes/mercadolivre";
import { expectAccessible, expectNoHorizontalScroll, launchChromium, newPage, type RunningApp, saveScreenshot, signUp, startApp } from "./harness";

/**
 * The Mercado Livre fake (test/fakes/mercadolivre.ts) served on a local port for `wrangler dev`:
 * /auth/* is the authorization server, /api/* the API. The seller approving in the browser is
 * `SELLER_ID` (the fake reads who is signed in at Mercado Livre from a header, which this server adds).
 */
const SELLER_ID = 515_151_515;
let fake: http.Server;
let fakeBase: string;
/** The catalog served at /feed/catalog.csv (http on loopback: allowed for feeds in development), changed between syncs. */
let feedBody = "sku,title,price\nA1,Camiseta,10.00\nA2,,20.00\nA3,Caneca,\n";
let feedVersion = 1;

async function serveFake() {
  fake = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const incoming = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, part, ...rest] = incoming.pathname.split("/");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    if (part === "auth") headers.set("x-fake-seller", String(SELLER_ID));
    const request = new Request(new URL(`/${rest.join("/")}${incoming.search}`, "http://127.0.0.1"), {
      method: req.method,
      headers,
      body: chunks.length && req.method !== "GET" ? Buffer.concat(chunks) : undefined,
    });
    const answer =
      part === "auth"
        ? await fakeParts.authorize(request)
        : part === "api"
          ? await fakeParts.api(request)
          : part === "feed"
            ? new Response(feedBody, { headers: { "content-type": "text/csv", etag: `"v${feedVersion}"` } })
            : new Response("unknown", { status: 404 });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeBase = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  const seeded = await fakeParts.control(new Request(`http://control.test/sellers/${SELLER_ID}`, { method: "PUT", body: JSON.stringify({ generate: 12 }) }));
  expect(seeded.status).toBe(204);
}

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  await serveFake();
  app = await startApp({
    vars: {
      MERCADOLIVRE_CLIENT_ID: FAKE_CLIENT_ID,
      MERCADOLIVRE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      MERCADOLIVRE_AUTH_URL: `${fakeBase}/auth`,
      MERCADOLIVRE_API_URL: `${fakeBase}/api`,
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise((resolve) => fake?.close(resolve));
});

/** axe and no sideways scroll, at 1400 and 390 px. */
async function expectUsableAtBothWidths(page: Page) {
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

describe("store connections in a browser", () => {
  it("connects a store through Mercado Livre and the confirmation page, syncs it and previews its corrections", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page, { name: "Loja da Ana" });
    await page.getByRole("navigation").getByRole("link", { name: "Conexões com lojas" }).click();
    await page.waitForURL("**/app/connectors");
    await expectUsableAtBothWidths(page);

    await page.getByLabel("Nome", { exact: true }).fill("Loja principal");
    await page.getByLabel("Título").check();
    await page.getByRole("button", { name: "Continuar no Mercado Livre" }).click();
    // Mercado Livre (the fake) approves at once and sends the browser back to Vitrine's confirmation page.
    await page.waitForURL("**/api/v1/connectors/oauth/callback?**");
    expect(await page.locator("main").textContent()).toContain("Loja da Ana");
    await page.getByRole("button", { name: "Vincular minha loja a esta conta" }).click();

    await page.waitForURL(/\/app\/connectors\/con_[0-9A-Za-z]+$/);
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    expect(heading).toContain("Loja principal");
    expect(heading).toContain("Ativa");
    await expectUsableAtBothWidths(page);
    await saveScreenshot(page, "connector");

    const connectorUrl = page.url();
    await page.getByRole("button", { name: "Sincronizar agora" }).click();
    await page.waitForURL(/\/app\/jobs\/job_[0-9A-Za-z]+$/);

    // Push review: once the sync has completed, its corrections are previewed as a per-listing diff.
    const review = page.getByRole("button", { name: "Mostrar as alterações (nada é enviado)" });
    for (let i = 0; i < 120 && !(await review.count()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.goto(connectorUrl);
    }
    await review.click();
    await page.waitForURL(/\/pushes\/psh_[0-9A-Za-z]+$/);
    for (let i = 0; i < 120 && (await page.getByText("Ainda em andamento").count()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await page.locator("main").textContent()).toContain("Anúncio MLB900000010");
    await expectUsableAtBothWidths(page);
    await context.close();
  });
});

describe("a feed's page in a browser", () => {
  it("adds a feed from the form, syncs it twice and shows what changed and the trend, usable at 390 and 1400 px", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page, { name: "Loja do Feed" });
    await page.goto("/app/connectors");
    await page.getByRole("link", { name: "URL de feed (CSV, Excel ou JSON)" }).click();
    await page.getByLabel("Endereço do feed").fill(`${fakeBase}/feed/catalog.csv`);
    await page.getByLabel("Nome", { exact: true }).fill("Catálogo do site");
    await expectUsableAtBothWidths(page);
    await page.getByRole("button", { name: "Adicionar o feed" }).click();
    await page.waitForURL(/\/app\/connectors\/con_[0-9A-Za-z]+$/);
    const connectorUrl = page.url();

    const syncOnce = async () => {
      await page.goto(connectorUrl);
      await page.getByRole("button", { name: "Sincronizar agora" }).click();
      await page.waitForURL(/\/app\/jobs\/job_[0-9A-Za-z]+$/);
      // Done when the connector's page no longer shows a sync running.
      for (let i = 0; i < 120; i++) {
        await page.goto(connectorUrl);
        if (!((await page.locator("main").textContent()) ?? "").includes("Sincronizando agora")) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    await syncOnce();
    feedBody = "sku,title,price\nA1,,10.00\nA2,Chaveiro,20.00\nA3,Caneca,\nA4,,\n";
    feedVersion = 2;
    await syncOnce();

    const trend = page.getByRole("img", { name: "Problemas em aberto ao longo das sincronizações" });
    for (let i = 0; i < 120; i++) {
      await page.goto(connectorUrl);
      if (await trend.count()) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await trend.count()).toBe(1);
    expect(await page.locator("main").textContent()).toContain("Comparada com a sincronização anterior.");
    await expectUsableAtBothWidths(page);
    await saveScreenshot(page, "connector-trend");
    await context.close();
  });
});
