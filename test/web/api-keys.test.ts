import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

/** The secret the page shows once, read from its one `<code class="secret">`. */
function shownKey(html: string): string | undefined {
  return /<code id="new-key" class="secret">(vt_test_[0-9A-Za-z]{32})<\/code>/.exec(html)?.[1];
}

describe("the API keys page", () => {
  it("creates a key, shows it once, and the key works as a Bearer on the API while the session cookie does not", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/api-keys", { name: "ERP Bling" });
    expect(res.status).toBe(200);
    const html = await res.text();
    const key = shownKey(html);
    expect(key).toBeDefined();
    expect(visibleText(html)).toContain("Copie agora e guarde em lugar seguro");
    // The copy button exists for the script to reveal; without it the key is plain selectable text.
    expect(html).toMatch(/<button type="button" class="button secondary small" hidden="" data-module="copy-secret" data-target="new-key"/);

    // Shown once: the list shows the prefix, never the secret again.
    const { html: list } = await seller.browser.page("/app/api-keys");
    expect(list).not.toContain(key!);
    expect(visibleText(list)).toContain("ERP Bling");
    expect(list).toContain(`${key!.slice(0, 12)}…`);
    expect(visibleText(list)).toContain("Nunca");

    const api = await call("/api/v1/api-keys", { key });
    expect(api.status).toBe(200);
    const cookie = [...seller.browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    expect((await call("/api/v1/api-keys", { headers: { cookie } })).status).toBe(401);

    // The key was used: the list says when (the API records it in the background).
    await expect.poll(async () => visibleText((await seller.browser.page("/app/api-keys")).html)).not.toContain("Nunca");
  });

  it("marks onboarding step 6 from the real key", async () => {
    const seller = await signUpInBrowser();
    const before = visibleText((await seller.browser.page("/app")).html);
    await seller.browser.post("/app/api-keys", { name: "Loja" });
    const after = visibleText((await seller.browser.page("/app")).html);
    const done = (text: string) => Number(/(\d) de 6 passos concluídos/.exec(text)?.[1]);
    expect(done(after)).toBe(done(before) + 1);
  });

  it("refuses a key without a name, keeping the form", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/api-keys", { name: "   " });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(visibleText(html)).toContain("Dê um nome à chave");
    expect(shownKey(html)).toBeUndefined();
  });

  it("revokes a key: it stops working on the API and the list says so", async () => {
    const seller = await signUpInBrowser();
    const key = shownKey(await (await seller.browser.post("/app/api-keys", { name: "Script" })).text())!;
    const row = await env.DB.prepare("SELECT id FROM api_keys WHERE account_id = ? AND name = 'Script'").bind(seller.accountId).first<{ id: string }>();
    const { html } = await seller.browser.page("/app/api-keys");
    expect(html).toContain(`action="/app/api-keys/${row!.id}/revoke"`);
    expect(html).toContain('data-module="confirm"');

    const res = await seller.browser.post(`/app/api-keys/${row!.id}/revoke`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/api-keys?notice=apiKeyRevoked");
    expect((await call("/api/v1/api-keys", { key })).status).toBe(401);
    const { html: after } = await seller.browser.page("/app/api-keys?notice=apiKeyRevoked");
    expect(visibleText(after)).toContain("Chave revogada");
    expect(visibleText(after)).toMatch(/Revogada em/);
    expect(after).not.toContain(`action="/app/api-keys/${row!.id}/revoke"`);
  });

  it("answers another account's key with the 404 page and leaves it working", async () => {
    const owner = await signUpInBrowser();
    const key = shownKey(await (await owner.browser.post("/app/api-keys", { name: "Dono" })).text())!;
    const row = await env.DB.prepare("SELECT id FROM api_keys WHERE account_id = ?").bind(owner.accountId).first<{ id: string }>();
    const intruder = await signUpInBrowser();
    const res = await intruder.browser.post(`/app/api-keys/${row!.id}/revoke`, {});
    expectNotFoundPage(res, await res.text());
    expect((await call("/api/v1/api-keys", { key })).status).toBe(200);
    expect(visibleText((await intruder.browser.page("/app/api-keys")).html)).not.toContain("Dono");
  });

  it("refuses a post without the form token or from another site", async () => {
    const seller = await signUpInBrowser();
    const noToken = await seller.browser.post("/app/api-keys", { name: "x" }, { csrf: false });
    expect(noToken.status).toBe(403);
    const otherSite = await seller.browser.post("/app/api-keys", { name: "x" }, { origin: "https://evil.example" });
    expect(otherSite.status).toBe(403);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE account_id = ?").bind(seller.accountId).first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("sends a browser without a session to sign in", async () => {
    expectSentToSignIn(await call("/app/api-keys", { redirect: "manual" }));
  });
});
