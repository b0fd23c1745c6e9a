import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { SESSION_IDLE_MS } from "../../src/services/sessions";
import { Browser, expectNotFoundPage, expectSentToSignIn, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

async function sessionRows(accountId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM sessions WHERE account_id = ? ORDER BY id").bind(accountId).all<Record<string, any>>();
  return results;
}

describe("dashboard sessions", () => {
  it("live in an HttpOnly, Secure, SameSite=Lax __Host- cookie holding a random token", async () => {
    const browser = new Browser();
    await browser.fetch("/");
    const res = await browser.post("/signup", { name: "Loja", email: `c-${crypto.randomUUID()}@example.com`, password: "uma senha bem longa" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-vt_session="))!;
    expect(cookie).toMatch(/^__Host-vt_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("are stored as SHA-256 hashes: the table never holds the cookie's value", async () => {
    const seller = await signUpInBrowser();
    const token = seller.browser.cookies.get("__Host-vt_session")!;
    const [row] = await sessionRows(seller.accountId);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.token_hash).toBe(await sha256Hex(token));
    expect(row.id).toMatch(/^ses_/);
  });

  it("open the dashboard only while live: pages without one send the browser to sign in", async () => {
    expectSentToSignIn(await new Browser().fetch("/app"));
    expectSentToSignIn(await new Browser().fetch("/app/account"));
    const seller = await signUpInBrowser();
    expect((await seller.browser.fetch("/app")).status).toBe(200);
  });

  it("end 30 days after sign-in", async () => {
    const seller = await signUpInBrowser();
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE account_id = ?").bind(Date.now() - 1, seller.accountId).run();
    expectSentToSignIn(await seller.browser.fetch("/app"));
    expect(seller.browser.signedIn()).toBe(false);
  });

  it("end after 7 days without use", async () => {
    const seller = await signUpInBrowser();
    await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE account_id = ?").bind(Date.now() - SESSION_IDLE_MS - 1000, seller.accountId).run();
    expectSentToSignIn(await seller.browser.fetch("/app"));
  });

  it("end on sign-out, on the server too: the old cookie opens nothing afterwards", async () => {
    const seller = await signUpInBrowser();
    const stolen = seller.browser.cookies.get("__Host-vt_session")!;
    const res = await seller.browser.post("/logout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?notice=signedOut");
    expect(seller.browser.signedIn()).toBe(false);
    const replay = new Browser();
    replay.cookies.set("__Host-vt_session", stolen);
    expectSentToSignIn(await replay.fetch("/app"));
  });

  it("are listed on the account page, and one can be revoked from another browser", async () => {
    const seller = await signUpInBrowser();
    const laptop = seller.browser;
    const { browser: phone } = await signInInBrowser(seller.email);
    phone.userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/605.1.15";
    await phone.fetch("/app");
    const { html } = await laptop.page("/app/account");
    const rows = await sessionRows(seller.accountId);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(html).toContain(`/app/account/sessions/${row.id}/revoke`);
    expect(visibleText(html)).toContain("Este navegador");

    const phoneSession = rows[1].id;
    const res = await laptop.post(`/app/account/sessions/${phoneSession}/revoke`, {});
    expect(res.headers.get("location")).toBe("/app/account?notice=sessionRevoked");
    expectSentToSignIn(await phone.fetch("/app"));
    expect((await laptop.fetch("/app")).status).toBe(200);
  });

  it("'sign out everywhere' ends every session of the account, this one included", async () => {
    const seller = await signUpInBrowser();
    const { browser: other } = await signInInBrowser(seller.email);
    const res = await seller.browser.post("/app/account/sessions/revoke-all", {});
    expect(res.headers.get("location")).toBe("/login?notice=signedOut");
    expectSentToSignIn(await seller.browser.fetch("/app"));
    expectSentToSignIn(await other.fetch("/app"));
    expect((await sessionRows(seller.accountId)).every((r) => r.revoked_at !== null)).toBe(true);
  });

  it("of another account cannot be revoked: the attempt changes nothing", async () => {
    const owner = await signUpInBrowser();
    const intruder = await signUpInBrowser();
    const [ownerSession] = await sessionRows(owner.accountId);
    await intruder.browser.post(`/app/account/sessions/${ownerSession.id}/revoke`, {});
    expect((await owner.browser.fetch("/app")).status).toBe(200);
    const { html } = await intruder.browser.page("/app/account");
    expect(html).not.toContain(ownerSession.id);
  });

  it("have a dashboard 404 for unknown pages, like another account's objects", async () => {
    const seller = await signUpInBrowser();
    const { res, html } = await seller.browser.page("/app/jobs/job_does_not_exist");
    expectNotFoundPage(res, html);
  });
});
