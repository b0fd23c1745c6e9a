/**
 * The browser tests' harness, shared by every page's tests:
 *
 *   const app = await startApp();          // once per file (beforeAll), like `npm start`
 *   const browser = await launchChromium(); // Debian's chromium
 *   const page = await newPage(browser, app, { width: 390 });
 *   await signUp(page, app);                // lands on the checklist, signed in
 *   await expectAccessible(page);           // axe-core: no serious or critical violation
 *   await expectNoHorizontalScroll(page);
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { RunningApp } from "../running-app";

export { freePort, type RunningApp, startApp } from "../running-app";

const ROOT = path.join(import.meta.dirname, "../..");

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(candidate)) {
    throw new Error(
      `Chromium was not found at ${candidate}. The browser tests drive Debian's Chromium: install it with ` +
        "`sudo apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary), then run `npm run test:browser` again.",
    );
  }
  return candidate;
}

// Flags that let Chromium run here: no sandbox (containers, root), no GPU, no calls home.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A headless Chromium with a fresh profile (playwright gives every launch its own user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

const cspViolations = new WeakMap<Page, string[]>();

/** A page in a fresh context (its own cookies) at a given width; CSP violations it reports are kept for `expectAccessible`. */
export async function newPage(browser: Browser, app: RunningApp, viewport = { width: 1400, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: app.origin, locale: "pt-BR" });
  const page = await context.newPage();
  const violations: string[] = [];
  cspViolations.set(page, violations);
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return { context, page };
}

let sellers = 0;

export interface Seller {
  name: string;
  email: string;
  password: string;
}

/** Signs up through the landing page's form; ends on the onboarding checklist, signed in. */
export async function signUp(page: Page, seller: Partial<Seller> = {}): Promise<Seller> {
  sellers++;
  const filled: Seller = {
    name: seller.name ?? "Loja da Ana",
    email: seller.email ?? `ana-${sellers}-${Date.now()}@example.com`,
    password: seller.password ?? "uma senha bem comprida",
  };
  await page.goto("/");
  await page.getByLabel("Seu nome").fill(filled.name);
  await page.getByLabel("E-mail").fill(filled.email);
  await page.getByLabel("Senha", { exact: true }).fill(filled.password);
  await page.getByRole("button", { name: "Criar conta" }).click();
  await page.waitForURL("**/app");
  return filled;
}

/** Signs in through the form; the page ends wherever the dashboard sends it. */
export async function signIn(page: Page, seller: Pick<Seller, "email" | "password">): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(seller.email);
  await page.getByLabel("Senha", { exact: true }).fill(seller.password);
  await page.getByRole("button", { name: "Entrar" }).last().click();
  await page.waitForLoadState("load");
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation (and on
 * any CSP violation the page reported so far). The script is evaluated through the DevTools
 * protocol, which the page's CSP does not govern, so the page is checked with its real headers.
 */
export async function expectAccessible(page: Page): Promise<void> {
  expect(cspViolations.get(page) ?? [], "CSP violations").toEqual([]);
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

/** Nothing wider than the viewport: the page never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.content, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(widths.viewport);
}

/**
 * `npm run screenshots` (SCREENSHOTS=1) saves the page as docs/screenshots/<name>.png for the
 * README, so the pictures come from the same runs that test the pages; otherwise it does nothing.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== "1") return;
  const dir = path.join(ROOT, "docs/screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
