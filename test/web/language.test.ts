import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { i18n, pickWebLocale } from "../../src/web/i18n";
import { Browser, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

describe("the dashboard's language", () => {
  it("is pt-BR unless the browser prefers English", () => {
    expect(pickWebLocale(undefined)).toBe("pt-BR");
    expect(pickWebLocale("fr-FR,fr;q=0.9")).toBe("pt-BR");
    expect(pickWebLocale("pt-BR,pt;q=0.9,en;q=0.8")).toBe("pt-BR");
    expect(pickWebLocale("en-US,en;q=0.9,pt;q=0.5")).toBe("en");
    expect(pickWebLocale("en-US")).toBe("en");
  });

  it("formats money, numbers and dates for the reader", () => {
    expect(i18n("pt-BR").money(1299.9)).toBe("R$\u00a01.299,90");
    expect(i18n("en").money(1299.9)).toBe("R$1,299.90");
    expect(i18n("pt-BR").number(1234567.5)).toBe("1.234.567,5");
    expect(i18n("pt-BR").date(Date.UTC(2026, 6, 1, 12))).toBe("1 de jul. de 2026");
    expect(i18n("en").date(Date.UTC(2026, 6, 1, 12))).toBe("Jul 1, 2026");
    // São Paulo's clock: 02:30 UTC is still the previous evening there.
    expect(i18n("pt-BR").dateTime(Date.UTC(2026, 6, 1, 2, 30))).toBe("30 de jun. de 2026, 23:30");
  });

  it("follows Accept-Language on the first visit", async () => {
    const { html } = await new Browser().page("/", { headers: { "accept-language": "en-US,en;q=0.9" } });
    expect(html).toContain('<html lang="en">');
    expect(visibleText(html)).toContain("Create your free account");
    expect((await new Browser().page("/")).html).toContain('<html lang="pt-BR">');
  });

  it("switches with the header's button and is remembered in a cookie before sign-in", async () => {
    const browser = new Browser();
    await browser.fetch("/login");
    const res = await browser.post("/language", { locale: "en", next: "/login" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
    const { html } = await browser.page("/login", { headers: { "accept-language": "pt-BR" } });
    expect(html).toContain('<html lang="en">');
    // Only paths of this site are returned to.
    expect((await browser.post("/language", { locale: "pt-BR", next: "//evil.example" })).headers.get("location")).toBe("/");
  });

  it("is stored on the account once signed in, so it follows the seller to another browser", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.post("/language", { locale: "en", next: "/app" });
    const row = await env.DB.prepare("SELECT locale FROM accounts WHERE id = ?").bind(seller.accountId).first<{ locale: string }>();
    expect(row!.locale).toBe("en");
    const { browser } = await signInInBrowser(seller.email);
    const { html } = await browser.page("/app", { headers: { "accept-language": "pt-BR" } });
    expect(visibleText(html)).toContain("Get started");
  });
});
