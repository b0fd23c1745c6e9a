import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, signUpInBrowser } from "./helpers";

async function liveSessions(accountId: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE account_id = ? AND revoked_at IS NULL").bind(accountId).first<{ n: number }>();
  return row!.n;
}

/** "Sign out everywhere": a forged post would log the seller out; nothing may happen when it is refused. */
async function attempt(options: { csrf?: string | false; origin?: string | null; headers?: Record<string, string> }) {
  const seller = await signUpInBrowser();
  const res = options.headers
    ? await seller.browser.fetch("/app/account/sessions/revoke-all", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
        body: new URLSearchParams({ _csrf: seller.browser.csrf() }),
      })
    : await seller.browser.post("/app/account/sessions/revoke-all", {}, options);
  return { res, html: await res.text(), live: await liveSessions(seller.accountId) };
}

describe("CSRF protection on dashboard forms", () => {
  it("acts on a form from our own page (same Origin, the browser's token)", async () => {
    const { res, live } = await attempt({});
    expect(res.status).toBe(303);
    expect(live).toBe(0);
  });

  it("refuses a post without the token", async () => {
    const { res, html, live } = await attempt({ csrf: false });
    expect(res.status).toBe(403);
    expect(html).toContain("Este formulário não pode ser enviado");
    expect(live).toBe(1);
  });

  it("refuses a post with a wrong token", async () => {
    const { res, live } = await attempt({ csrf: "A".repeat(43) });
    expect(res.status).toBe(403);
    expect(live).toBe(1);
  });

  it("refuses a post from another origin, even one carrying the right token", async () => {
    const { res, live } = await attempt({ origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(live).toBe(1);
  });

  it("refuses Origin: null (sandboxed frames, privacy redirects)", async () => {
    const { res, live } = await attempt({ origin: "null" });
    expect(res.status).toBe(403);
    expect(live).toBe(1);
  });

  it("refuses a cross-site post that has no Origin but says Sec-Fetch-Site: cross-site", async () => {
    const { res, live } = await attempt({ headers: { "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(live).toBe(1);
  });

  it("protects the forms of signed-out visitors too (sign-up, sign-in, links, language)", async () => {
    const visitor = new Browser();
    await visitor.fetch("/");
    for (const path of ["/signup", "/login", "/password", "/language"]) {
      const res = await visitor.post(path, { email: "x@example.com" }, { csrf: false });
      expect(res.status, path).toBe(403);
    }
  });

  it("renews the token at sign-in, so a token planted or seen before sign-in is useless after", async () => {
    const seller = await signUpInBrowser();
    const browser = new Browser();
    await browser.fetch("/login");
    const before = browser.csrf();
    await browser.post("/login", { email: seller.email, password: seller.password });
    expect(browser.csrf()).not.toBe(before);
    const res = await browser.post("/app/account/sessions/revoke-all", {}, { csrf: before });
    expect(res.status).toBe(403);
  });

  it("accepts the token in the X-CSRF-Token header (scripts posting raw bodies) under the same Origin rule", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.fetch("/app/account/sessions/revoke-all", {
      method: "POST",
      headers: { "x-csrf-token": seller.browser.csrf(), origin: "https://vitrine.test" },
    });
    expect(res.status).toBe(303);
  });
});
