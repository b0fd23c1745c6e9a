import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { env } from "../helpers";
import { BASE, expectNotFoundPage, signUpInBrowser } from "./helpers";

const TOKEN = "op-test-token-0123456789abcdefghijklmnopqrstuvwxyz";

/** A browser against a Worker whose env has `operatorToken` (or none): cookies kept, CSRF token sent like the pages do. */
function operatorBrowser(operatorToken: string | undefined, cookies = new Map<string, string>()) {
  const workerEnv = { ...env, OPERATOR_TOKEN: operatorToken };
  async function fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(BASE + path, { ...init, headers, redirect: "manual" }), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()];
      if (value === "" || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name);
      else cookies.set(name, value);
    }
    return { res, html: await res.text() };
  }
  async function post(path: string, fields: Record<string, string>) {
    if (!cookies.has("__Host-vt_csrf")) await fetch("/login");
    const body = new URLSearchParams({ ...fields, _csrf: cookies.get("__Host-vt_csrf")! });
    return fetch(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE } });
  }
  return { fetch, post, cookies };
}

describe("operator page", () => {
  it("does not exist while OPERATOR_TOKEN is unset, even for the right-looking token", async () => {
    const browser = operatorBrowser(undefined);
    const page = await browser.fetch("/operator");
    expectNotFoundPage(page.res, page.html);
    const signIn = await browser.post("/operator/sign-in", { token: TOKEN });
    expect(signIn.res.status).toBe(404);
    expect(browser.cookies.has("__Host-vt_operator")).toBe(false);
  });

  it("refuses a wrong token and shows no KPIs to a signed-in seller", async () => {
    const seller = await signUpInBrowser();
    const browser = operatorBrowser(TOKEN, new Map(seller.browser.cookies));
    const page = await browser.fetch("/operator");
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('action="/operator/sign-in"');
    expect(page.html).not.toMatch(/Job success rate|Taxa de sucesso/);

    for (const wrong of [TOKEN.slice(0, -1), TOKEN + "x", "", TOKEN.toUpperCase()]) {
      const refused = await browser.post("/operator/sign-in", { token: wrong });
      expect(refused.res.status).toBe(401);
      expect(refused.html).toMatch(/not this deployment's operator token|não é o token de operador/);
    }
    expect(browser.cookies.has("__Host-vt_operator")).toBe(false);
    // A forged cookie (an expiry with a made-up MAC) opens nothing either.
    browser.cookies.set("__Host-vt_operator", `${Date.now() + 3_600_000}.AAAA`);
    expect((await browser.fetch("/operator")).html).toContain('action="/operator/sign-in"');
  });

  it("shows the KPIs of both windows after signing in with the token, until sign-out or a new token", async () => {
    const browser = operatorBrowser(TOKEN);
    const signIn = await browser.post("/operator/sign-in", { token: TOKEN });
    expect(signIn.res.status).toBe(303);
    expect(signIn.res.headers.get("location")).toBe("/operator");
    const cookie = signIn.res.headers.getSetCookie().find((c) => c.startsWith("__Host-vt_operator="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/Max-Age=3600/i);
    expect(cookie).not.toContain(TOKEN);

    const page = await browser.fetch("/operator", { headers: { "accept-language": "en" } });
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("cache-control")).toBe("no-store");
    expect(page.html).toContain("Last 24 hours");
    expect(page.html).toContain("Last 7 days");
    expect(page.html).toContain("Job success rate");
    expect(page.html).toContain("Webhooks eventually delivered");
    // The sign-in request itself was counted under its route (flushed in the background).
    expect(page.html).toContain("POST /operator/sign-in");

    // Rotating the secret signs every browser out.
    const rotated = operatorBrowser(`${TOKEN}-rotated`, browser.cookies);
    expect((await rotated.fetch("/operator")).html).toContain('action="/operator/sign-in"');

    await browser.post("/operator/sign-out", {});
    expect(browser.cookies.has("__Host-vt_operator")).toBe(false);
    expect((await browser.fetch("/operator")).html).toContain('action="/operator/sign-in"');
  });

  it("refuses a configured token shorter than 32 characters, loudly", async () => {
    const res = await worker.fetch(new Request(`${BASE}/api/v1/health`), { ...env, OPERATOR_TOKEN: "short" }, createExecutionContext());
    expect(res.status).toBe(500);
  });
});
