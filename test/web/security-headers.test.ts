import { describe, expect, it } from "vitest";
import { Browser, requestLink, signUpInBrowser } from "./helpers";

function expectSecurityHeaders(res: Response, label: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, label).toContain("script-src 'self'");
  expect(csp, label).not.toContain("unsafe-inline");
  expect(csp, label).not.toContain("unsafe-eval");
  expect(csp, label).toContain("frame-ancestors 'none'");
  expect(csp, label).toContain("base-uri 'none'");
  expect(csp, label).toContain("form-action 'self'");
  expect(csp, label).toContain("object-src 'none'");
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), label).toBe("same-origin");
  expect(res.headers.get("cache-control"), label).toBe("no-store");
}

describe("security headers", () => {
  it("are on every dashboard answer: pages, redirects, errors", async () => {
    const visitor = new Browser();
    for (const path of ["/", "/login", "/password", "/password/new?token=unknown", "/app", "/app/account"]) {
      expectSecurityHeaders(await visitor.fetch(path), path);
    }
    expectSecurityHeaders(await visitor.post("/login", { email: "x@example.com", password: "wrong password" }), "wrong password");
    expectSecurityHeaders(await visitor.post("/login", {}, { csrf: false }), "csrf refusal");

    const seller = await signUpInBrowser();
    const link = await requestLink(seller.email);
    for (const path of ["/app", "/app/account", "/app/no-such-page", link]) {
      expectSecurityHeaders(await seller.browser.fetch(path), path);
    }
    expectSecurityHeaders(await seller.browser.post("/app/account/profile", { name: "" }), "form with errors");
  });

  it("pages load only this origin's hashed script and stylesheet, and no inline script or style", async () => {
    const { html } = await new Browser().page("/");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toMatch(/src="\/assets\/app-[A-Z0-9]+\.js"/);
    expect(scripts[0][2]).toBe("");
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app-[A-Z0-9]+\.css"\/>/);
    expect(html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/);
  });

  it("leave the API's own answers alone", async () => {
    const res = await new Browser().fetch("/api/v1/health");
    expect(res.headers.get("content-security-policy")).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
