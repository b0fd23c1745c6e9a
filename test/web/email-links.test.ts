import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app";
import { call, newAccount } from "../helpers";
import { Browser, PASSWORD, requestLink, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

const NEW_PASSWORD = "outra senha bem comprida";

afterEach(() => vi.restoreAllMocks());

/** The JSON lines the development mail sender wrote. */
function mailsIn(spy: { mock: { calls: unknown[][] } }): { to: string; subject: string; text: string }[] {
  return spy.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.includes('"msg":"mail"'))
    .map((line) => JSON.parse(line));
}

describe("emailed one-time links", () => {
  it("let an account created through the API choose a password, revoking every key and session it had, and say so", async () => {
    const log = vi.spyOn(console, "log");
    const apiSeller = await newAccount("Loja API");
    expect((await call("/api/v1/account", { key: apiSeller.key })).status).toBe(200);

    const link = await requestLink(apiSeller.email);
    expect(link).toMatch(/^\/password\/new\?token=/);
    const [mail] = mailsIn(log);
    expect(mail.to).toBe(apiSeller.email);
    expect(mail.text).toContain(`https://vitrine.test${link}`);

    const browser = new Browser();
    const { html } = await browser.page(link);
    expect(visibleText(html)).toContain("Escolha sua senha");
    expect(visibleText(html)).toContain("todas as chaves de API e sessões que a conta tinha deixam de funcionar");
    const token = new URL("https://x" + link).searchParams.get("token")!;
    const res = await browser.post("/password/new", { token, password: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?notice=tookOver&keys=1&sessions=0");
    const notice = visibleText(await (await browser.fetch(res.headers.get("location")!)).text());
    expect(notice).toContain("as 1 chave(s) de API e 0 sessão(ões) que a conta tinha foram revogadas");

    // The key that came with the API signup no longer works; the owner is told by email too.
    expect((await call("/api/v1/account", { key: apiSeller.key })).status).toBe(401);
    expect(mailsIn(log).some((m) => m.to === apiSeller.email && m.text.includes("1 chave(s) de API"))).toBe(true);
    expect((await signInInBrowser(apiSeller.email, NEW_PASSWORD)).res.status).toBe(303);
  });

  it("take the account from whoever signed up with someone else's address", async () => {
    const squatter = await signUpInBrowser();
    const { browser: squatterPhone } = await signInInBrowser(squatter.email);
    const link = await requestLink(squatter.email);
    const owner = new Browser();
    await owner.page(link);
    const token = new URL("https://x" + link).searchParams.get("token")!;
    const res = await owner.post("/password/new", { token, password: NEW_PASSWORD });
    expect(res.headers.get("location")).toBe("/login?notice=tookOver&keys=0&sessions=2");
    expect((await squatter.browser.fetch("/app")).status).toBe(303);
    expect((await squatterPhone.fetch("/app")).status).toBe(303);
    expect((await signInInBrowser(squatter.email, PASSWORD)).res.status).toBe(401);
    expect((await signInInBrowser(squatter.email, NEW_PASSWORD)).res.status).toBe(303);
  });

  it("reset a proven account's password: sessions end, API keys stay", async () => {
    const seller = await newAccount();
    // First proof of the address (revokes the signup key), then a key of the proven owner.
    const first = await requestLink(seller.email);
    await new Browser().post("/password/new", { token: new URL("https://x" + first).searchParams.get("token")!, password: PASSWORD });
    const { browser } = await signInInBrowser(seller.email);
    const created = await env.DB.prepare("UPDATE api_keys SET revoked_at = NULL WHERE account_id = ? RETURNING id").bind(seller.accountId).all();
    expect(created.results).toHaveLength(1);

    const reset = await requestLink(seller.email);
    const { html } = await new Browser().page(reset);
    expect(visibleText(html)).toContain("Escolha uma nova senha");
    const res = await new Browser().post("/password/new", { token: new URL("https://x" + reset).searchParams.get("token")!, password: NEW_PASSWORD });
    expect(res.headers.get("location")).toBe("/login?notice=passwordSet");
    expect((await browser.fetch("/app")).status).toBe(303);
    expect((await call("/api/v1/account", { key: seller.key })).status).toBe(200);
    expect((await signInInBrowser(seller.email, NEW_PASSWORD)).res.status).toBe(303);
  });

  it("work once", async () => {
    const seller = await signUpInBrowser();
    const link = await requestLink(seller.email);
    const token = new URL("https://x" + link).searchParams.get("token")!;
    expect((await new Browser().post("/password/new", { token, password: NEW_PASSWORD })).status).toBe(303);
    const again = await new Browser().post("/password/new", { token, password: "a third long password" });
    expect(again.status).toBe(410);
    expect(visibleText(await again.text())).toContain("Este link expirou ou já foi usado.");
    expect((await new Browser().page(link)).res.status).toBe(410);
    expect((await signInInBrowser(seller.email, "a third long password")).res.status).toBe(401);
  });

  it("expire", async () => {
    const seller = await signUpInBrowser();
    const link = await requestLink(seller.email);
    await env.DB.prepare("UPDATE email_tokens SET expires_at = ? WHERE account_id = ?").bind(Date.now() - 1, seller.accountId).run();
    const token = new URL("https://x" + link).searchParams.get("token")!;
    expect((await new Browser().post("/password/new", { token, password: NEW_PASSWORD })).status).toBe(410);
    expect((await signInInBrowser(seller.email, NEW_PASSWORD)).res.status).toBe(401);
  });

  it("are replaced by the next one requested", async () => {
    const seller = await signUpInBrowser();
    const older = await requestLink(seller.email);
    const newer = await requestLink(seller.email);
    expect((await new Browser().page(older)).res.status).toBe(410);
    expect((await new Browser().page(newer)).res.status).toBe(200);
  });

  it("are stored hashed: the table never holds the token", async () => {
    const seller = await signUpInBrowser();
    const token = new URL("https://x" + (await requestLink(seller.email))).searchParams.get("token")!;
    const { results } = await env.DB.prepare("SELECT * FROM email_tokens WHERE account_id = ?").bind(seller.accountId).all();
    expect(JSON.stringify(results)).not.toContain(token);
  });

  it("keep the password rules", async () => {
    const seller = await signUpInBrowser();
    const link = await requestLink(seller.email);
    const token = new URL("https://x" + link).searchParams.get("token")!;
    const res = await new Browser().post("/password/new", { token, password: "curta" });
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain("Use pelo menos 10 caracteres.");
    // A refused password does not use the link up.
    expect((await new Browser().post("/password/new", { token, password: NEW_PASSWORD })).status).toBe(303);
  });

  it("answer the same whether the address has an account or not", async () => {
    const browser = new Browser();
    await browser.fetch("/password");
    const email = `nobody-${crypto.randomUUID()}@example.com`;
    const res = await browser.post("/password", { email });
    const text = visibleText(await res.text());
    expect(res.status).toBe(200);
    expect(text).toContain(`Se alguma conta usa ${email}, um link está a caminho.`);
    expect(text).not.toContain("/password/new");
  });

  it("start with PUBLIC_URL, whatever address the request came to", async () => {
    const seller = await signUpInBrowser();
    const app = buildApp();
    const development = { ...env, PUBLIC_URL: "https://painel.example.com.br" };
    const form = await app.request("http://localhost:8787/password", {}, development);
    const cookie = form.headers.getSetCookie()[0].split(";")[0];
    const res = await app.request(
      "http://localhost:8787/password",
      {
        method: "POST",
        headers: { cookie, origin: "http://localhost:8787", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: cookie.split("=")[1], email: seller.email }),
      },
      development,
    );
    expect(await res.text()).toMatch(/href="https:\/\/painel\.example\.com\.br\/password\/new\?token=/);
  });

  it("in production, are never shown on the page or written to the log", async () => {
    const log = vi.spyOn(console, "log");
    const warn = vi.spyOn(console, "warn");
    const seller = await signUpInBrowser();
    const app = buildApp();
    const production = { ...env, ENVIRONMENT: "production", PUBLIC_URL: "https://painel.example.com.br" };
    const form = await app.request("https://painel.example.com.br/password", {}, production);
    const cookie = form.headers.getSetCookie()[0].split(";")[0];
    const token = cookie.split("=")[1];
    const res = await app.request(
      "https://painel.example.com.br/password",
      {
        method: "POST",
        headers: { cookie, origin: "https://painel.example.com.br", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: token, email: seller.email }),
      },
      production,
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(visibleText(html)).toContain("um link está a caminho");
    expect(html).not.toContain("/password/new");
    const written = [...log.mock.calls, ...warn.mock.calls].map((args) => String(args[0])).join("\n");
    expect(written).not.toContain("/password/new");
    expect(written).toContain("mail.not_delivered");
  });

  it("are limited to 5 emails per address per hour", async () => {
    const seller = await signUpInBrowser();
    for (let i = 0; i < 5; i++) await requestLink(seller.email);
    const browser = new Browser();
    await browser.fetch("/password");
    const res = await browser.post("/password", { email: seller.email });
    expect(res.status).toBe(429);
  });
});
