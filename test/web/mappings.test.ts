import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createFile } from "../../src/services/files";
import { createMapping, getMapping, listMappingVersions } from "../../src/services/mappings";
import { Browser, expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

const CSV = "Código,Título do anúncio,Preço,Estoque\nSKU-1,Camiseta básica de algodão,\"49,90\",10\nSKU-2,,\"0,00\",3\n";

async function storeFile(accountId: string, content = CSV, name = "catalogo.csv") {
  const bytes = new TextEncoder().encode(content);
  return createFile(env, accountId, { name, size: bytes.length, body: new Blob([bytes]).stream() });
}

const simpleMapping = { name: "Planilha", marketplace: "mercadolivre", fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Título do anúncio" }] };

describe("the mappings pages", () => {
  it("lists nothing at first, then creates a mapping from the plain form (no script) and shows it", async () => {
    const seller = await signUpInBrowser();
    const empty = await seller.browser.page("/app/mappings");
    expect(empty.res.status).toBe(200);
    expect(visibleText(empty.html)).toContain("Nenhum mapeamento ainda");

    const res = await seller.browser.post("/app/mappings", {
      name: "Minha planilha",
      marketplace: "mercadolivre",
      category: "",
      "target-0": "sku",
      "columns-0": "Código",
      "transforms-0": "trim\nupper",
      "fallback-0": "",
      "target-1": "currency",
      "columns-1": "",
      "transforms-1": "",
      "fallback-1": "BRL",
      "target-2": "",
      "columns-2": "",
      "transforms-2": "",
      "fallback-2": "",
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/app\/mappings\/map_[^?]+\?notice=mappingSaved$/);
    const id = location.split("/")[3].split("?")[0];
    const saved = await getMapping(env, seller.accountId, id);
    expect(saved.fields).toEqual([
      { target: "sku", source: "Código", transforms: [{ op: "trim" }, { op: "upper" }] },
      { target: "currency", value: "BRL" },
    ]);
    const { html } = await seller.browser.page(location);
    expect(visibleText(html)).toContain("Mapeamento salvo.");
    expect(html).toContain(">Código</textarea>");
    const list = await seller.browser.page("/app/mappings");
    expect(visibleText(list.html)).toContain("Minha planilha");
    // The onboarding's step 3 is ticked by the mapping.
    expect((await seller.browser.page("/app")).html).toMatch(/class="step step-done" id="step-3"/);
  });

  it("'add a field' shows the form again with one more row, saving nothing", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/mappings", { intent: "add-row", name: "X", marketplace: "mercadolivre", "target-0": "sku", "columns-0": "Código" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="target-1"');
    expect(html).toContain('value="X"');
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM mappings WHERE account_id = ?").bind(seller.accountId).first("n")).toBe(0);
  });

  it("shows the form's and the service's problems at their field and row", async () => {
    const seller = await signUpInBrowser();
    const bad = await seller.browser.post("/app/mappings", {
      name: "Com erro",
      marketplace: "mercadolivre",
      "target-0": "sku",
      "columns-0": "Código",
      "transforms-0": "",
      "target-1": "title",
      "columns-1": "Título",
      "transforms-1": "no_such_transform",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    // The service's MappingError for /fields/1/transforms/0 is shown at row 2's transforms.
    expect(html).toMatch(/<p class="field-error" id="f-transforms-1-error">[^<]*no_such_transform/);
    expect(html).toContain('aria-invalid="true" aria-describedby="f-transforms-1-error"');

    const formProblem = await seller.browser.post("/app/mappings", { name: "", marketplace: "mercadolivre", "target-0": "", "columns-0": "Código", "transforms-0": "{not json" });
    expect(formProblem.status).toBe(422);
    const text = visibleText(await formProblem.text());
    expect(text).toContain("Dê um nome ao mapeamento.");
    expect(text).toContain("Escolha o campo que esta linha preenche.");
    expect(text).toContain("A linha 1 não é nem o nome de uma transformação");

    const unknownCategory = await seller.browser.post("/app/mappings", { name: "C", marketplace: "shopee", category: "MLB1055", "target-0": "sku", "columns-0": "Código" });
    expect(unknownCategory.status).toBe(422);
    expect(await unknownCategory.text()).toMatch(/id="f-category-error">[^<]*MLB1055/);
  });

  it("suggests a mapping from a stored file, with its confidence, ready to save", async () => {
    const seller = await signUpInBrowser();
    const file = await storeFile(seller.accountId);
    const { res, html } = await seller.browser.page(`/app/mappings/new?file=${file.id}&suggest_marketplace=mercadolivre`);
    expect(res.status).toBe(200);
    expect(html).toContain("catalogo.csv");
    expect(visibleText(html)).toMatch(/sugerido · \d+% de certeza/);
    expect(html).toMatch(/<option value="sku" selected="">/);
    expect(html).toContain(">Código</textarea>");
    // Another account's file id: the 404 page, as for an unknown one.
    const other = await signUpInBrowser();
    const foreign = await other.browser.page(`/app/mappings/new?file=${file.id}&suggest_marketplace=mercadolivre`);
    expectNotFoundPage(foreign.res, foreign.html);
  });

  it("previews sample rows of a file with the issues inline, for a chosen pack", async () => {
    const seller = await signUpInBrowser();
    const file = await storeFile(seller.accountId);
    const mapping = await createMapping(env, seller.accountId, simpleMapping);
    const { res, html } = await seller.browser.page(`/app/mappings/${mapping.id}/preview?file=${file.id}&pack=shopee`);
    expect(res.status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain("conferidas com shopee");
    expect(text).toContain("Linha 2");
    expect(text).toContain("Linha 3");
    expect(html).toMatch(/class="preview-record record-invalid"/);
    expect(html).toMatch(/class="issue issue-error"><strong>Erro<\/strong> <code>title<\/code>/);
  });

  it("saves new versions and shows an older one read-only", async () => {
    const seller = await signUpInBrowser();
    const mapping = await createMapping(env, seller.accountId, simpleMapping);
    const res = await seller.browser.post(`/app/mappings/${mapping.id}`, {
      name: "Planilha v2",
      marketplace: "mercadolivre",
      "target-0": "sku",
      "columns-0": "SKU novo",
    });
    expect(res.status).toBe(303);
    expect((await listMappingVersions(env, seller.accountId, mapping.id)).map((v) => v.version)).toEqual([2, 1]);
    const latest = await seller.browser.page(`/app/mappings/${mapping.id}`);
    expect(visibleText(latest.html)).toContain("Versão 2");
    expect(latest.html).toContain(`href="/app/mappings/${mapping.id}?version=1"`);
    const old = await seller.browser.page(`/app/mappings/${mapping.id}?version=1`);
    expect(visibleText(old.html)).toContain("Versão 1 (a mais recente é a 2)");
    expect(visibleText(old.html)).toContain("Título do anúncio");
    expect(old.html).not.toContain('action="/app/mappings/' + mapping.id + '"');
  });

  it("deletes a mapping", async () => {
    const seller = await signUpInBrowser();
    const mapping = await createMapping(env, seller.accountId, simpleMapping);
    const res = await seller.browser.post(`/app/mappings/${mapping.id}/delete`, {});
    expect(res.headers.get("location")).toBe("/app/mappings?notice=mappingDeleted");
    const gone = await seller.browser.page(`/app/mappings/${mapping.id}`);
    expectNotFoundPage(gone.res, gone.html);
  });

  it("escapes a mapping's name and a file's column headers", async () => {
    const seller = await signUpInBrowser();
    const evil = "<img src=x onerror=alert(1)>";
    const mapping = await createMapping(env, seller.accountId, { ...simpleMapping, name: evil, fields: [{ target: "sku", source: evil }] });
    for (const path of ["/app/mappings", `/app/mappings/${mapping.id}`]) {
      const { html } = await seller.browser.page(path);
      expect(html).not.toContain(evil);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    }
    const file = await storeFile(seller.accountId, `${evil},Título\n1,Camiseta\n`, "<b>x</b>.csv");
    const { html } = await seller.browser.page(`/app/mappings/new?file=${file.id}&suggest_marketplace=mercadolivre`);
    expect(html).not.toContain(evil);
    expect(html).not.toContain("<b>x</b>");
  });

  it("answers another account's mapping with the 404 page, for every route", async () => {
    const owner = await signUpInBrowser();
    const mapping = await createMapping(env, owner.accountId, simpleMapping);
    const other = await signUpInBrowser();
    for (const path of [`/app/mappings/${mapping.id}`, `/app/mappings/${mapping.id}?version=1`, `/app/mappings/${mapping.id}/preview?file=x`]) {
      const { res, html } = await other.browser.page(path);
      expectNotFoundPage(res, html);
    }
    const update = await other.browser.post(`/app/mappings/${mapping.id}`, { name: "mine", marketplace: "mercadolivre", "target-0": "sku", "columns-0": "A" });
    expectNotFoundPage(update, await update.text());
    const del = await other.browser.post(`/app/mappings/${mapping.id}/delete`, {});
    expectNotFoundPage(del, await del.text());
    expect((await getMapping(env, owner.accountId, mapping.id)).version).toBe(1);
  });

  it("refuses posts without the form token or from another site, and pages without a session", async () => {
    const seller = await signUpInBrowser();
    const mapping = await createMapping(env, seller.accountId, simpleMapping);
    const noToken = await seller.browser.post(`/app/mappings/${mapping.id}/delete`, {}, { csrf: false });
    expect(noToken.status).toBe(403);
    const crossSite = await seller.browser.post("/app/mappings", { name: "x", marketplace: "mercadolivre", "target-0": "sku", "columns-0": "A" }, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await getMapping(env, seller.accountId, mapping.id)).id).toBe(mapping.id);
    expectSentToSignIn(await new Browser().fetch("/app/mappings"));
  });
});
