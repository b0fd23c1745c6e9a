import { describe, expect, it } from "vitest";
import { call, newAccount } from "../helpers";
import { Browser, PASSWORD, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

describe("signing in", () => {
  it("opens a session and goes to the checklist", async () => {
    const seller = await signUpInBrowser();
    const { browser, res } = await signInInBrowser(seller.email);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app");
    expect(browser.signedIn()).toBe(true);
    expect((await browser.fetch("/app")).status).toBe(200);
  });

  it("says the same 'email or password wrong' for a wrong password, an unknown address and an account without a password", async () => {
    const seller = await signUpInBrowser();
    const apiOnly = await newAccount();
    const answers = [];
    for (const [email, password] of [
      [seller.email, "not the password at all"],
      [`nobody-${crypto.randomUUID()}@example.com`, PASSWORD],
      [apiOnly.email, PASSWORD],
    ]) {
      const { browser, res } = await signInInBrowser(email, password);
      const text = visibleText(await res.text());
      expect(res.status).toBe(401);
      expect(browser.signedIn()).toBe(false);
      answers.push(text.replace(/value="[^"]*"/g, "").replace(email, "EMAIL"));
    }
    expect(answers[0]).toContain("E-mail ou senha incorretos.");
    expect(new Set(answers).size).toBe(1);
  });

  it("returns to the dashboard page that asked for it, and only to a dashboard page", async () => {
    const seller = await signUpInBrowser();
    const asked = await new Browser().fetch("/app/account");
    expect(asked.headers.get("location")).toBe("/login?notice=signInFirst&next=%2Fapp%2Faccount");
    for (const [next, expected] of [
      ["/app/account", "/app/account"],
      ["//evil.example/app", "/app"],
      ["https://evil.example/", "/app"],
      ["/\\evil.example", "/app"],
    ]) {
      const browser = new Browser();
      await browser.fetch("/login");
      const res = await browser.post("/login", { email: seller.email, password: PASSWORD, next });
      expect(res.headers.get("location"), next).toBe(expected);
    }
  });

  it("sends a signed-in browser from the sign-in and landing pages to the dashboard", async () => {
    const seller = await signUpInBrowser();
    expect((await seller.browser.fetch("/login")).headers.get("location")).toBe("/app");
    expect((await seller.browser.fetch("/")).headers.get("location")).toBe("/app");
  });

  it("keeps sessions and API keys apart: a cookie never works on the API, a key never opens a page", async () => {
    const seller = await signUpInBrowser();
    const cookie = `__Host-vt_session=${seller.browser.cookies.get("__Host-vt_session")}`;
    expect((await call("/api/v1/account", { headers: { cookie } })).status).toBe(401);
    // The session's token presented as a Bearer key.
    expect((await call("/api/v1/account", { key: seller.browser.cookies.get("__Host-vt_session") })).status).toBe(401);

    const apiSeller = await newAccount();
    const withKey = await new Browser().fetch("/app", { headers: { authorization: `Bearer ${apiSeller.key}` } });
    expect(withKey.status).toBe(303);
    expect(withKey.headers.get("location")).toMatch(/^\/login/);
    const keyAsCookie = new Browser();
    keyAsCookie.cookies.set("__Host-vt_session", apiSeller.key);
    expect((await keyAsCookie.fetch("/app")).status).toBe(303);
  });
});
