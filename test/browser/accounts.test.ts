import http from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  expectNoHorizontalScroll,
  freePort,
  launchChromium,
  newPage,
  type RunningApp,
  saveScreenshot,
  signIn,
  signUp,
  startApp,
} from "./harness";

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

describe("accounts in a browser", () => {
  it("signs up on the landing page and lands on the onboarding checklist", async () => {
    const { context, page } = await newPage(browser, app);
    await page.goto("/");
    expect(await page.getByRole("heading", { name: "Crie sua conta grátis" }).isVisible()).toBe(true);
    // The script ran under the CSP: the "show password" switch is only shown by it.
    expect(await page.getByLabel("Mostrar senha").isVisible()).toBe(true);
    await expectAccessible(page);
    await saveScreenshot(page, "landing");

    const seller = await signUp(page, { name: "Ana Lima" });
    expect(new URL(page.url()).pathname).toBe("/app");
    expect(await page.getByRole("heading", { name: "Boas-vindas, Ana Lima!" }).isVisible()).toBe(true);
    expect(await page.getByText("0 de 6 passos concluídos").isVisible()).toBe(true);
    await expectAccessible(page);

    // The checklist survives a reload, and the marketplace choice is kept on the account.
    await page.getByLabel("Marketplace").selectOption("shopee");
    await page.getByRole("button", { name: "Salvar escolha" }).click();
    // The form's answer is a navigation: reloading before it ends would race it.
    await page.waitForURL("**/app?notice=marketplaceSaved**");
    await page.reload();
    expect(await page.getByText("1 de 6 passos concluídos").isVisible()).toBe(true);
    expect(await page.getByLabel("Marketplace").inputValue()).toBe("shopee");
    await saveScreenshot(page, "onboarding");
    expect(seller.email).toContain("@");
    await context.close();
  });

  it("signs out, refuses a wrong password with the generic message, and signs in again", async () => {
    const { context, page } = await newPage(browser, app);
    const seller = await signUp(page);
    await page.getByRole("button", { name: "Sair" }).click();
    await page.waitForURL("**/login?notice=signedOut");
    expect(await page.getByRole("status").textContent()).toContain("Você saiu.");
    await page.goto("/app");
    expect(new URL(page.url()).pathname).toBe("/login");

    await signIn(page, { email: seller.email, password: "not the password" });
    expect(await page.getByRole("alert").textContent()).toContain("E-mail ou senha incorretos.");
    await expectAccessible(page);
    await signIn(page, seller);
    expect(new URL(page.url()).pathname).toBe("/app");
    await context.close();
  });

  it("'sign out everywhere' in one browser signs the other out", async () => {
    const first = await newPage(browser, app);
    const seller = await signUp(first.page);
    const second = await newPage(browser, app);
    await signIn(second.page, seller);
    expect(new URL(second.page.url()).pathname).toBe("/app");

    await first.page.goto("/app/account");
    expect(await first.page.locator("table.sessions tbody tr").count()).toBe(2);
    await expectAccessible(first.page);
    first.page.once("dialog", (dialog) => dialog.accept());
    await first.page.getByRole("button", { name: "Sair de todos os lugares" }).click();
    await first.page.waitForURL("**/login?notice=signedOut");

    await second.page.goto("/app/account");
    expect(new URL(second.page.url()).pathname).toBe("/login");
    await first.context.close();
    await second.context.close();
  });

  it("refuses a form posted from a page on another origin, leaving the session alone", async () => {
    const { context, page } = await newPage(browser, app);
    await signUp(page);
    // Same site (127.0.0.1), another origin (port): the SameSite=Lax cookie IS sent, so only the
    // Origin check and the token stand between this page and the account.
    const port = await freePort();
    const target = `${app.origin}/app/account/sessions/revoke-all`;
    const attacker = http.createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><form id="f" method="post" action="${target}"><input name="_csrf" value="guess"></form><script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
    try {
      const answer = page.waitForResponse((res) => res.url() === target);
      await page.goto(`http://127.0.0.1:${port}/`);
      const res = await answer;
      expect(res.status()).toBe(403);
      await page.waitForLoadState("load");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Este formulário não pode ser enviado");
    } finally {
      attacker.close();
    }
    await page.goto("/app");
    expect(new URL(page.url()).pathname).toBe("/app");
    await context.close();
  });

  it("chooses a password through the emailed link (development shows it on the page)", async () => {
    const signup = await fetch(`${app.origin}/api/v1/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `api-${Date.now()}@example.com`, name: "Loja API" }),
    });
    const { account } = (await signup.json()) as { account: { email: string } };
    const { context, page } = await newPage(browser, app);
    await page.goto("/password");
    await expectAccessible(page);
    await page.getByLabel("E-mail").fill(account.email);
    await page.getByRole("button", { name: "Enviar link" }).click();
    const link = await page.locator(".dev-link a").getAttribute("href");
    expect(app.log()).toContain(link!);
    await page.goto(link!);
    await expectAccessible(page);
    await page.getByLabel("Nova senha").fill("minha primeira senha");
    await page.getByRole("button", { name: "Salvar senha" }).click();
    await page.waitForURL("**/login?notice=tookOver**");
    expect(await page.getByRole("status").textContent()).toContain("as 1 chave(s) de API e 0 sessão(ões) que a conta tinha foram revogadas");
    await signIn(page, { email: account.email, password: "minha primeira senha" });
    expect(new URL(page.url()).pathname).toBe("/app");
    await context.close();
  });

  it("every page is accessible and fits 390 px and 1400 px without sideways scrolling, in both languages", async () => {
    for (const width of [390, 1400]) {
      const { context, page } = await newPage(browser, app, { width, height: 844 });
      for (const path of ["/", "/login", "/password", "/password/new?token=expired"]) {
        await page.goto(path);
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
      }
      await signUp(page, { name: "Comercial Exportadora de Utilidades Domésticas do Brasil Ltda" });
      for (const path of ["/app", "/app/account", "/app/no-such-page"]) {
        await page.goto(path);
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
      }
      // The language switch in the header, then the same pages in English.
      await page.getByRole("button", { name: /English/ }).click();
      await page.waitForLoadState("load");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      for (const path of ["/app", "/app/account"]) {
        await page.goto(path);
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
      }
      await context.close();
    }
  });
});
