import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectNoHorizontalScroll, launchChromium, newPage, type RunningApp, signUp, startApp } from "./harness";

let app: RunningApp;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-upload-"));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const MIB = 1024 * 1024;

/** A CSV file on disk of about `size` bytes (a real file keeps its date, which the script's resume key uses). */
function bigCsv(name: string, size: number): string {
  const line = "A1;Caneca azul de cerâmica 300 ml;29,90\n";
  const file = path.join(dir, name);
  writeFileSync(file, "sku;title;price\n" + line.repeat(Math.ceil(size / Buffer.byteLength(line))));
  return file;
}

/** Resolves when called; lets a test hold a request until it has looked at the page. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const fileInput = (page: Page) => page.getByLabel("Arquivo do catálogo (CSV, XLSX ou JSON)");
const uploadButton = (page: Page) => page.getByRole("button", { name: "Enviar", exact: true });

describe("the catalog upload page in a browser", () => {
  it("uploads a small CSV chosen with the file picker, shows its details and starts a validation", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page);
    await page.getByRole("link", { name: "Catálogo", exact: true }).click();
    await page.waitForURL("**/app/upload");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    // The script ran under the CSP: only it shows the drag-and-drop hint.
    expect(await page.getByText("Ou arraste o arquivo e solte aqui.").isVisible()).toBe(true);

    await fileInput(page).setInputFiles({ name: "catalogo.csv", mimeType: "text/csv", buffer: Buffer.from("sku;title;price\nA1;Caneca azul;29,90\n") });
    await uploadButton(page).click();
    await page.waitForURL(/\/app\/upload\/files\/file_\w+\?notice=fileUploaded$/);
    expect(await page.getByRole("heading", { name: "catalogo.csv" }).isVisible()).toBe(true);
    expect(await page.getByText("ponto e vírgula (;)").isVisible()).toBe(true);
    expect(await page.getByText("3 colunas: sku, title, price").isVisible()).toBe(true);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    // The category list follows the chosen rules (the script hides other packs' categories).
    const mercadoLivreCategories = page.locator('optgroup[data-pack="mercadolivre"]');
    await page.getByLabel("Regras do marketplace").selectOption("shopee");
    expect(await mercadoLivreCategories.evaluate((group: HTMLOptGroupElement) => group.disabled)).toBe(true);
    await page.getByLabel("Regras do marketplace").selectOption("mercadolivre");
    expect(await mercadoLivreCategories.evaluate((group: HTMLOptGroupElement) => group.disabled)).toBe(false);
    await page.getByRole("button", { name: "Iniciar validação" }).click();
    await page.waitForURL(/\/app\/jobs\/job_\w+$/);
    await context.close();
  });

  it("tries the sample catalog at 390 px", async () => {
    const { context, page } = await newPage(browser, app, { width: 390, height: 844 });
    await signUp(page);
    await page.goto("/app/upload");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole("button", { name: "Testar com um catálogo de exemplo" }).click();
    await page.waitForURL(/\/app\/upload\/files\/file_\w+\?notice=sampleAdded/);
    expect(await page.getByRole("heading", { name: "catalogo-exemplo.csv" }).isVisible()).toBe(true);
    expect(await page.getByText("Windows-1252").isVisible()).toBe(true);
    expect(await page.getByLabel("Regras do marketplace").inputValue()).toBe("mercadolivre");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    await page.goto("/app/upload");
    expect(await page.getByRole("link", { name: "Validar catalogo-exemplo.csv" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await context.close();
  });

  it("sends a file of a few MB in parts: a part that fails once is retried, the progress shows, the upload completes", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page);
    await page.goto("/app/upload");
    const file = bigCsv("grande.csv", 12 * MIB);
    const attempts: Record<string, number> = {};
    const partTwo = gate();
    await page.route(/\/app\/upload\/multipart\/upl_\w+\/parts\/\d+$/, async (route: Route) => {
      const n = route.request().url().split("/").pop()!;
      attempts[n] = (attempts[n] ?? 0) + 1;
      if (n === "1" && attempts[n] === 1) return route.abort("connectionreset");
      if (n === "2") await partTwo.opened;
      return route.continue();
    });

    await fileInput(page).setInputFiles(file);
    await uploadButton(page).click();
    await page.getByText("A parte 1 não chegou; tentando de novo em 1 s.").waitFor();
    // Part 1 (8 MiB of 12) arrived on the second try; part 2 is held while the progress is read.
    await page.getByText(/^Enviando grande\.csv: 8 MB de 12 MB\.$/).waitFor();
    expect(Number(await page.getByLabel("Progresso do envio").getAttribute("value"))).toBeGreaterThanOrEqual(66);
    await expectAccessible(page);
    partTwo.open();

    await page.waitForURL(/\/app\/upload\/files\/file_\w+\?notice=fileUploaded$/, { timeout: 30_000 });
    expect(await page.getByRole("heading", { name: "grande.csv" }).isVisible()).toBe(true);
    expect(await page.getByText("12 MB").isVisible()).toBe(true);
    expect(attempts).toEqual({ "1": 2, "2": 1 });
    await context.close();
  });

  it("continues an unfinished upload after a reload, sending only the parts the server lacks", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page);
    await page.goto("/app/upload");
    const file = bigCsv("retomada.csv", 12 * MIB);
    const sent: string[] = [];
    let holdPartTwo = true;
    const partTwoAsked = gate();
    await page.route(/\/app\/upload\/multipart\/upl_\w+\/parts\/\d+$/, async (route: Route) => {
      const n = route.request().url().split("/").pop()!;
      sent.push(n);
      // The first try of part 2 never ends: the seller reloads the page meanwhile.
      if (n === "2" && holdPartTwo) return partTwoAsked.open();
      return route.continue();
    });
    await fileInput(page).setInputFiles(file);
    await uploadButton(page).click();
    await partTwoAsked.opened;

    holdPartTwo = false;
    await page.reload();
    expect(await page.getByText("Um envio de retomada.csv não terminou.", { exact: false }).isVisible()).toBe(true);
    await fileInput(page).setInputFiles(file);
    await uploadButton(page).click();
    await page.waitForURL(/\/app\/upload\/files\/file_\w+\?notice=fileUploaded$/, { timeout: 30_000 });
    expect(await page.getByRole("heading", { name: "retomada.csv" }).isVisible()).toBe(true);
    expect(sent).toEqual(["1", "2", "2"]);
    await context.close();
  });
});
