import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectNoHorizontalScroll, launchChromium, newPage, type RunningApp, signIn, signUp, startApp } from "./harness";

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

const CSV = "Código,Título do anúncio,Preço,Estoque\nSKU-1,Camiseta básica de algodão,\"49,90\",10\nSKU-2,,\"0,00\",3\n";

/**
 * A seller with a stored file, made the way an API client makes one: sign up and upload through
 * the API, then choose a password through the emailed link (development shows it on the page) and
 * sign in. (Choosing the password revokes the signup's key; the file stays.)
 */
async function sellerWithFile(page: Page): Promise<void> {
  const email = `config-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const signup = await fetch(`${app.origin}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name: "Loja Config" }),
  });
  expect(signup.status).toBe(201);
  const { api_key } = (await signup.json()) as { api_key: { key: string } };
  const upload = await fetch(`${app.origin}/api/v1/files?name=catalogo.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${api_key.key}`, "content-type": "text/csv" },
    body: CSV,
  });
  expect(upload.status, await upload.clone().text()).toBe(201);
  await page.goto("/password");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Enviar link" }).click();
  const link = await page.locator(".dev-link a").getAttribute("href");
  await page.goto(link!);
  await page.getByLabel("Nova senha").fill("uma senha bem comprida");
  await page.getByRole("button", { name: "Salvar senha" }).click();
  await page.waitForURL("**/login?notice=tookOver**");
  await signIn(page, { email, password: "uma senha bem comprida" });
}

describe("mappings and rule packs in a browser", () => {
  it("creates a mapping from a suggestion for an uploaded file, and its preview shows the issues", async () => {
    const { context, page } = await newPage(browser, app);
    await sellerWithFile(page);
    await page.goto("/app/mappings/new");
    expect(await page.getByLabel("Arquivo").locator("option").first().textContent()).toContain("catalogo.csv");
    await page.getByRole("button", { name: "Sugerir mapeamento" }).click();
    await page.waitForURL("**/app/mappings/new?file=**");
    expect(await page.getByText(/sugerido · \d+% de certeza/).first().isVisible()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel("Nome", { exact: true }).fill("Planilha da loja");
    await page.getByRole("button", { name: "Salvar mapeamento" }).click();
    await page.waitForURL(/\/app\/mappings\/map_[^/?]+\?notice=mappingSaved/);
    expect(await page.getByRole("status").textContent()).toContain("Mapeamento salvo.");
    await expectAccessible(page);

    await page.getByLabel("Validar com").selectOption("mercadolivre");
    await page.getByRole("button", { name: "Pré-visualizar" }).click();
    await page.waitForURL("**/preview?**");
    expect(await page.getByText(/2 linha\(s\), \d com erros/).isVisible()).toBe(true);
    expect(await page.locator(".preview-record.record-invalid").count()).toBeGreaterThan(0);
    expect(await page.locator(".issue-error").count()).toBeGreaterThan(0);
    await expectAccessible(page);

    // The onboarding's step 3 is ticked.
    await page.goto("/app");
    expect(await page.locator("#step-3.step-done").count()).toBe(1);
    await context.close();
  });

  it("edits a custom pack: a YAML error is shown at its line, then fixed", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page);
    await page.goto("/app/rule-packs/new");
    await page.getByRole("button", { name: "Salvar pacote" }).click();
    await page.waitForURL("**/app/rule-packs/minha-loja?notice=packSaved");
    const source = await page.getByLabel("O pacote (YAML)").inputValue();
    await page.getByLabel("O pacote (YAML)").fill(source.replace("check: required", "check: no_such_check"));
    await page.getByRole("button", { name: "Salvar pacote" }).click();
    await page.waitForLoadState("load");
    const problem = page.locator(".pack-problem").first();
    expect(await problem.textContent()).toMatch(/^Linha 8: .*no_such_check/);
    await problem.getByRole("link").click();
    expect(await page.locator("#line-8:target").count()).toBe(1);
    expect(await page.locator("#line-8").textContent()).toContain("check: no_such_check");
    await expectAccessible(page);

    const broken = await page.getByLabel("O pacote (YAML)").inputValue();
    await page.getByLabel("O pacote (YAML)").fill(broken.replace("check: no_such_check", "check: required"));
    await page.getByRole("button", { name: "Salvar pacote" }).click();
    await page.waitForURL("**/app/rule-packs/minha-loja?notice=packSaved");
    expect(await page.locator(".pack-problem").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Revisão 2" }).isVisible()).toBe(true);
    await context.close();
  });

  it("every page is accessible and fits 390 px and 1400 px without sideways scrolling", async () => {
    for (const width of [390, 1400]) {
      const { context, page } = await newPage(browser, app, { width, height: 844 });
      await sellerWithFile(page);
      await page.goto("/app/mappings/new");
      await page.getByRole("button", { name: "Sugerir mapeamento" }).click();
      await page.waitForURL("**/app/mappings/new?file=**");
      await page.getByLabel("Nome", { exact: true }).fill("Comercial Exportadora de Utilidades Domésticas do Brasil Ltda — planilha principal");
      await page.getByRole("button", { name: "Salvar mapeamento" }).click();
      await page.waitForURL(/\/app\/mappings\/map_/);
      const mappingPath = new URL(page.url()).pathname;
      await page.getByRole("button", { name: "Pré-visualizar" }).click();
      await page.waitForURL("**/preview?**");
      const previewPath = new URL(page.url()).pathname + new URL(page.url()).search;
      await page.goto("/app/rule-packs/new");
      await page.getByRole("button", { name: "Salvar pacote" }).click();
      await page.waitForURL("**/app/rule-packs/minha-loja?**");
      const paths = [
        "/app/mappings",
        "/app/mappings/new",
        mappingPath,
        previewPath,
        "/app/rule-packs",
        "/app/rule-packs/mercadolivre",
        "/app/rule-packs/new",
        "/app/rule-packs/minha-loja",
      ];
      for (const path of paths) {
        await page.goto(path);
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
      }
      // A refused pack with its numbered source.
      await page.goto("/app/rule-packs/minha-loja");
      const source = await page.getByLabel("O pacote (YAML)").inputValue();
      await page.getByLabel("O pacote (YAML)").fill(source.replace("check: required", "check: no_such_check"));
      await page.getByRole("button", { name: "Salvar pacote" }).click();
      await page.waitForLoadState("load");
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
      await context.close();
    }
  });
});
