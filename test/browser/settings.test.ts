import http from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  expectNoHorizontalScroll,
  freePort,
  launchChromium,
  newPage,
  type RunningApp,
  saveScreenshot,
  type Seller,
  signIn,
  signUp,
  startApp,
} from "./harness";

let app: RunningApp;
let browser: Browser;

/** A webhook receiver on this machine (loopback receivers are allowed in development). */
interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  const port = await freePort();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("<b>recebido</b> pelo ERP");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${port}/vitrine-hook`;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** axe and the 390/1400 px layout checks, on the page as it is now. */
async function expectUsable(page: Page) {
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

let seller: Seller;
let webhookPath: string;

describe("settings pages in a browser", () => {
  it("creates an API key and shows it once, with a working copy button", async () => {
    const { context, page } = await newPage(browser, app);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
    seller = await signUp(page);
    // The checklist's sixth step leads here.
    expect(await page.locator("#step-6").getByText("A fazer").isVisible()).toBe(true);
    await page.locator("#step-6").getByRole("link", { name: "Chaves de API" }).click();
    await page.waitForURL("**/app/api-keys");
    await expectUsable(page);

    await page.getByLabel("Nome").fill("ERP Bling");
    await page.getByRole("button", { name: "Criar uma chave" }).click();
    const secret = page.locator("#new-key");
    const key = (await secret.textContent())!;
    expect(key).toMatch(/^vt_test_[0-9A-Za-z]{32}$/);
    await expectUsable(page);
    // The script revealed the copy button; it puts the key on the clipboard and says so.
    await page.getByRole("button", { name: "Copiar" }).click();
    await expect.poll(() => page.locator("#new-key-status").textContent()).toBe("Copiado.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    // Shown once: the list shows its prefix only.
    await page.goto("/app/api-keys");
    expect(await page.content()).not.toContain(key);
    expect(await page.getByText(`${key.slice(0, 12)}…`).isVisible()).toBe(true);
    const res = await fetch(`${app.origin}/api/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    // The sixth step is now done, from the key the account really has.
    await page.goto("/app");
    expect(await page.locator("#step-6").getByText("Concluído").isVisible()).toBe(true);
    await context.close();
  });

  it("creates a webhook pointing at a local receiver and sends it the test event", async () => {
    const { context, page } = await newPage(browser, app);
    await signIn(page, seller);
    await page.goto("/app/webhooks");
    await expectUsable(page);
    await page.getByLabel("URL", { exact: true }).fill(receiverUrl);
    await page.getByLabel("Todos os eventos, inclusive os que vierem depois").check();
    await page.getByRole("button", { name: "Adicionar um endpoint" }).click();
    expect(await page.locator("#signing-secret").textContent()).toMatch(/^whsec_/);
    await expectUsable(page);

    await page.getByRole("button", { name: "Enviar evento de teste" }).click();
    await page.getByText("Seu receptor aceitou o evento de teste.").waitFor();
    // The receiver's body is shown as text, never as markup.
    expect(await page.locator("pre.excerpt").textContent()).toBe("<b>recebido</b> pelo ERP");
    expect(await page.locator("pre.excerpt b").count()).toBe(0);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({ type: "webhook.test" });
    expect(received[0].headers["webhook-signature"]).toMatch(/^v1,/);
    await expectUsable(page);

    await page.getByRole("link", { name: "Todos os webhooks" }).click();
    await page.getByRole("link", { name: `Abrir ${receiverUrl}` }).click();
    webhookPath = new URL(page.url()).pathname;
    expect(webhookPath).toMatch(/^\/app\/webhooks\/whk_/);
    expect(await page.getByText("Tentativas (1)").isVisible()).toBe(true);
    await expectUsable(page);
    await saveScreenshot(page, "webhook");
    await context.close();
  });

  it("downloads the account's data from the account page", async () => {
    const { context, page } = await newPage(browser, app);
    await signIn(page, seller);
    await page.goto("/app/account");
    await expectUsable(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exportar todos os meus dados" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^vitrine-acct_[0-9A-Za-z]+-\d{4}-\d{2}-\d{2}\.zip$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const zip = Buffer.concat(chunks);
    expect(zip.subarray(0, 4).toString("latin1")).toBe("PK\x03\x04");
    expect(zip.toString("latin1")).toContain("data/accounts.ndjson");
    await context.close();
  });

  it("every settings page is usable at 390 px", async () => {
    const { context, page } = await newPage(browser, app, { width: 390, height: 844 });
    await signIn(page, seller);
    for (const path of ["/app/api-keys", "/app/webhooks", webhookPath, "/app/account"]) {
      await page.goto(path);
      expect(new URL(page.url()).pathname).toBe(path);
      await expectUsable(page);
    }
    await context.close();
  });
});
