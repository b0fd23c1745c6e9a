import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectNoHorizontalScroll, launchChromium, newPage, type RunningApp, saveScreenshot, signIn, signUp, startApp } from "./harness";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const PASSWORD = "uma senha bem comprida";

/**
 * For the crafted catalog: the seller signs up through the API, uploads and starts the job with the
 * key it gets, then takes the account into the browser through the emailed link (development shows
 * it on the page) — which revokes that key, as it would for anyone.
 */
async function apiSeller() {
  const res = await fetch(`${app.origin}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `jobs-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`, name: "Loja da Ana" }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { account: { email: string }; api_key: { key: string } };
  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${body.api_key.key}`);
    const answer = await fetch(`${app.origin}/api/v1${path}`, { ...init, headers });
    if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as any;
  };
  const startJob = async (fileId: string, applyFixes: boolean) =>
    (await api("/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ source: { file_id: fileId }, rule_pack: "mercadolivre", options: { apply_fixes: applyFixes } }) })).id as string;
  const upload = async (name: string, body: string) =>
    (await api(`/files?name=${encodeURIComponent(name)}`, { method: "POST", headers: { "content-type": "text/csv" }, body })).id as string;
  return { email: body.account.email, api, startJob, upload };
}

/** Takes an API-created account into this browser: a password through the emailed link, then sign in. */
async function claimInBrowser(page: Page, email: string) {
  await page.goto("/password");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Enviar link" }).click();
  const link = await page.locator(".dev-link a").getAttribute("href");
  await page.goto(link!);
  await page.getByLabel("Nova senha").fill(PASSWORD);
  await page.getByRole("button", { name: "Salvar senha" }).click();
  await page.waitForURL("**/login?notice=tookOver**");
  await signIn(page, { email, password: PASSWORD });
}

describe("validations in a browser", () => {
  it("sign-up → onboarding → sample catalog → job progress → top issues → filter by rule → corrected download", async () => {
    const { context, page } = await newPage(browser, app);
    const seller = await signUp(page);

    // The checklist's first step leads to the upload page and its sample catalog.
    await page.getByRole("link", { name: "Enviar um catálogo" }).click();
    await page.waitForURL("**/app/upload");
    await page.getByRole("button", { name: "Testar com um catálogo de exemplo" }).click();
    await page.waitForURL(/\/app\/upload\/files\/file_\w+\?notice=sampleAdded/);
    await page.getByRole("button", { name: "Iniciar validação" }).click();
    await page.waitForURL(/\/app\/jobs\/job_\w+$/);
    const sampleJob = new URL(page.url()).pathname.split("/").pop()!;

    // While it runs, the progress script (the only thing that shows this hint) polls and reloads
    // the page when it ends; a job that already ended shows its results at once.
    if (await page.locator("[data-progress-text]").count()) {
      await page.getByText("Esta página se atualiza sozinha").waitFor();
      await expectAccessible(page);
    }

    // The results: top issues with their explanations, charts, the issues table.
    await page.getByRole("heading", { name: "O que corrigir primeiro" }).waitFor({ timeout: 30_000 });
    expect(await page.locator(".top-issues li").count()).toBeGreaterThan(10);
    expect(await page.getByRole("img", { name: "Problemas por regra" }).isVisible()).toBe(true);
    expect(await page.locator(".job-cards").textContent()).toContain("40");

    await page.getByLabel("Regra", { exact: true }).selectOption("ml.title.max_length");
    await page.getByRole("button", { name: "Filtrar" }).click();
    await page.waitForURL("**rule=ml.title.max_length**");
    const rules = await page.locator("table.issues tbody tr td:nth-child(4)").allTextContents();
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules)).toEqual(new Set(["ml.title.max_length"]));
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await saveScreenshot(page, "job-result");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Catálogo corrigido (CSV)" }).click()]);
    expect(download.suggestedFilename()).toBe(`${sampleJob}-corrected.csv`);
    const lines = new TextDecoder("windows-1252").decode(readFileSync((await download.path())!)).split("\r\n");
    expect(lines[0]).toBe("sku;title;description;price;sale_price;stock;condition;brand;model;gtin;ncm;Imagem 1;Imagem 2;Imagem 3;Observações");
    expect(lines.filter(Boolean)).toHaveLength(41);


    // The list, from the navigation, leads back to it.
    await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Validações" }).click();
    await page.waitForURL("**/app/jobs");
    await expectAccessible(page);
    await page.getByRole("link", { name: "catalogo-exemplo.csv" }).click();
    await page.waitForURL(`**/app/jobs/${sampleJob}`);

    // At 390 px: the same pages, no sideways scroll, accessible.
    const phone = await newPage(browser, app, { width: 390, height: 844 });
    await signIn(phone.page, seller);
    for (const path of ["/app/jobs", `/app/jobs/${sampleJob}`]) {
      await phone.page.goto(path);
      await expectAccessible(phone.page);
      await expectNoHorizontalScroll(phone.page);
    }
    await phone.context.close();
    await context.close();
  });

  it("renders a catalog's markup inert: no dialog, the text shown as text", async () => {
    const seller = await apiSeller();
    const attack = "<img src=x onerror=alert(1)>";
    const file = await seller.upload("xss.csv", `sku;title;description;price;stock;condition;brand;model\r\n${attack};${attack} celular;${attack};10,00;1;new;Marca;Modelo\r\n`);
    const job = await seller.startJob(file, false);
    const { context, page } = await newPage(browser, app);
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await claimInBrowser(page, seller.email);
    await page.goto(`/app/jobs/${job}`);
    await page.getByRole("heading", { name: "O que corrigir primeiro" }).waitFor({ timeout: 30_000 });
    expect(await page.locator("table.issues tbody tr td:nth-child(2)").first().textContent()).toBe(attack);
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });
});
