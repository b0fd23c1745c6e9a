import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { describePack, listPackRevisions, packRevisionSource, savePack } from "../../src/services/rule-packs";
import { Browser, expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

const PACK = `id: loja-teste
name: Loja teste
version: "1"
extends: mercadolivre
rules:
  - id: loja.brand.required
    field: brand
    check: required
    message:
      pt-BR: Informe a marca
      en: Give the brand
`;

// Line 8 names a check that does not exist.
const BROKEN = PACK.replace("check: required", "check: no_such_check");

describe("the rule packs pages", () => {
  it("browses the built-in packs: rules with field, severity, message in the reader's language, categories", async () => {
    const seller = await signUpInBrowser();
    const list = await seller.browser.page("/app/rule-packs");
    expect(list.res.status).toBe(200);
    expect(list.html).toContain('href="/app/rule-packs/mercadolivre"');
    expect(visibleText(list.html)).toContain("Você ainda não tem pacotes próprios.");

    const { res, html } = await seller.browser.page("/app/rule-packs/mercadolivre");
    expect(res.status).toBe(200);
    const pack = await describePack(env, seller.accountId, "mercadolivre");
    const general = pack.rules.filter((r) => r.category === undefined);
    expect(general.length).toBeGreaterThan(0);
    for (const rule of general.slice(0, 5)) expect(html).toContain(`<code>${rule.id}</code>`);
    expect(html).toMatch(/class="severity severity-error">Erro</);
    // The pack has categories; each has its own page of rules.
    expect(pack.categories.length).toBeGreaterThan(0);
    const category = pack.categories[0];
    expect(html).toContain(`?category=${encodeURIComponent(category.id)}`);
    const cat = await seller.browser.page(`/app/rule-packs/mercadolivre?category=${encodeURIComponent(category.id)}`);
    expect(visibleText(cat.html)).toContain(`Regras da categoria ${category.name}`);
    // Built-ins are not edited here.
    expect(html).not.toContain('name="source"');
    const withSource = pack.rules.find((r) => r.source?.startsWith("https://"));
    if (withSource) expect(html).toContain(`href="${withSource.source!.replaceAll("&", "&amp;")}"`);
  });

  it("creates a custom pack from YAML, saves a new revision, lists revisions, shows an old one, deletes it", async () => {
    const seller = await signUpInBrowser();
    const created = await seller.browser.post("/app/rule-packs", { source: PACK });
    expect(created.status, await created.clone().text()).toBe(303);
    expect(created.headers.get("location")).toBe("/app/rule-packs/loja-teste?notice=packSaved");
    const page = await seller.browser.page("/app/rule-packs/loja-teste?notice=packSaved");
    expect(visibleText(page.html)).toContain("Pacote salvo.");
    expect(visibleText(page.html)).toContain("Informe a marca");
    expect(page.html).toContain("id: loja-teste");

    const updated = await seller.browser.post("/app/rule-packs/loja-teste", { source: PACK.replace('version: "1"', 'version: "2"') });
    expect(updated.status).toBe(303);
    expect((await listPackRevisions(env, seller.accountId, "loja-teste")).map((r) => r.revision)).toEqual([2, 1]);
    const latest = await seller.browser.page("/app/rule-packs/loja-teste");
    expect(latest.html).toContain('href="/app/rule-packs/loja-teste?revision=1"');
    const old = await seller.browser.page("/app/rule-packs/loja-teste?revision=1");
    expect(visibleText(old.html)).toContain("Revisão 1 (a mais recente é a 2)");
    expect(old.html).toContain('version: &quot;1&quot;');

    const deleted = await seller.browser.post("/app/rule-packs/loja-teste/delete", {});
    expect(deleted.headers.get("location")).toBe("/app/rule-packs?notice=packDeleted");
    const gone = await seller.browser.page("/app/rule-packs/loja-teste");
    expectNotFoundPage(gone.res, gone.html);
  });

  it("shows a YAML error next to its line number, linked to the marked line, keeping what was typed", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/rule-packs", { source: BROKEN });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<a href="#line-8">Linha 8<\/a>: [^<]*no_such_check/);
    expect(html).toMatch(/<li id="line-8" class="line-bad"><code>    check: no_such_check<\/code><span class="line-problem">/);
    expect(html).toMatch(/<textarea id="f-source"[^>]*>[^<]*check: no_such_check\n[^<]*<\/textarea>/);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM rule_packs WHERE account_id = ?").bind(seller.accountId).first("n")).toBe(0);

    // The same on an existing pack's page: the stored revision is untouched.
    await savePack(env, seller.accountId, PACK, "yaml");
    const edit = await seller.browser.post("/app/rule-packs/loja-teste", { source: BROKEN });
    expect(edit.status).toBe(422);
    expect(await edit.text()).toMatch(/<a href="#line-8">Linha 8<\/a>/);
    expect((await packRevisionSource(env, seller.accountId, "loja-teste", 1)).source).toBe(PACK);
  });

  it("escapes what a pack says: names, messages, sources", async () => {
    const seller = await signUpInBrowser();
    const evil = "<img src=x onerror=alert(1)>";
    await savePack(env, seller.accountId, PACK.replace("name: Loja teste", `name: "${evil}"`).replace("Informe a marca", `"${evil}"`).replace("    field: brand", `    field: brand\n    source: "javascript:alert(1)"`), "yaml");
    for (const path of ["/app/rule-packs", "/app/rule-packs/loja-teste"]) {
      const { html } = await seller.browser.page(path);
      expect(html).not.toContain(evil);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain('href="javascript:');
    }
  });

  it("answers another account's pack with the 404 page, and refuses to edit built-ins", async () => {
    const owner = await signUpInBrowser();
    await savePack(env, owner.accountId, PACK, "yaml");
    const other = await signUpInBrowser();
    const view = await other.browser.page("/app/rule-packs/loja-teste");
    expectNotFoundPage(view.res, view.html);
    const old = await other.browser.page("/app/rule-packs/loja-teste?revision=1");
    expectNotFoundPage(old.res, old.html);
    const edit = await other.browser.post("/app/rule-packs/loja-teste", { source: PACK });
    expectNotFoundPage(edit, await edit.text());
    const del = await other.browser.post("/app/rule-packs/loja-teste/delete", {});
    expectNotFoundPage(del, await del.text());
    const builtin = await other.browser.post("/app/rule-packs/mercadolivre/delete", {});
    expectNotFoundPage(builtin, await builtin.text());
    expect((await listPackRevisions(env, owner.accountId, "loja-teste")).length).toBe(1);
  });

  it("refuses posts without the form token or from another site, and pages without a session", async () => {
    const seller = await signUpInBrowser();
    await savePack(env, seller.accountId, PACK, "yaml");
    expect((await seller.browser.post("/app/rule-packs/loja-teste/delete", {}, { csrf: false })).status).toBe(403);
    expect((await seller.browser.post("/app/rule-packs", { source: PACK.replaceAll("loja-teste", "outra") }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await listPackRevisions(env, seller.accountId, "loja-teste")).length).toBe(1);
    expectSentToSignIn(await new Browser().fetch("/app/rule-packs"));
  });
});
