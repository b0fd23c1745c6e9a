import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { approveAtMarketplace, eventually, newSeller } from "../connectors/helpers";
import { createConnector } from "../../src/services/connectors/connectors";
import { newSpreadsheet } from "../connectors/google-sheets-helpers";
import type { FakeFeed } from "../fakes/feed";
import { FAKE_SERVICE_ACCOUNT_EMAIL } from "../fakes/google-sheets";
import { type Browser, type BrowserSeller, expectNotFoundPage, signUpInBrowser, visibleText } from "./helpers";

/** Connects a store through the pages: the connect form, Mercado Livre (the fake), the confirmation page. */
async function connectThroughPages(seller: BrowserSeller, store: { userId: number }, fields: Record<string, string> = {}) {
  const res = await seller.browser.post("/app/connectors", { type: "mercadolivre", name: "Loja principal", rule_pack: "mercadolivre", category: "", schedule: "", ...fields });
  expect(res.status, await res.clone().text()).toBe(303);
  const authorizeUrl = res.headers.get("location")!;
  expect(authorizeUrl).toMatch(/^https:\/\/auth\.mercadolivre\.test\/authorization\?/);
  const back = await approveAtMarketplace(authorizeUrl, store);
  const { html } = await seller.browser.page(back.pathname + back.search);
  expect(html).toContain('name="decision" value="confirm"');
  const row = await env.DB.prepare("SELECT id FROM connectors WHERE account_id = ? ORDER BY id DESC").bind(seller.accountId).first<{ id: string }>();
  return { id: row!.id, state: back.searchParams.get("state")!, code: back.searchParams.get("code")! };
}

/** The confirmation page's form, posted from a browser (with its cookies: the dashboard session, if any). */
function confirm(browser: Browser, state: string, code: string) {
  return browser.fetch("/api/v1/connectors/oauth/callback", {
    method: "POST",
    body: new URLSearchParams({ state, code, decision: "confirm" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

async function activeStore(seller: BrowserSeller, store: { userId: number }, fields: Record<string, string> = {}) {
  const link = await connectThroughPages(seller, store, fields);
  const res = await confirm(seller.browser, link.state, link.code);
  expect(res.status, await res.clone().text()).toBe(303);
  return link.id;
}

async function jobEnded(jobId: string) {
  return eventually(
    () => env.DB.prepare("SELECT status FROM jobs WHERE id = ?").bind(jobId).first<{ status: string }>(),
    (row) => ["completed", "failed", "cancelled"].includes(row?.status ?? ""),
    60_000,
  );
}

/** Polls a push's page until the push has finished. */
async function finishedPushPage(browser: Browser, path: string) {
  return eventually(
    async () => (await browser.page(path)).html,
    (html) => !html.includes("Ainda em andamento") && !html.includes("Still working"),
    30_000,
  );
}

/** A feed published on the fake feed server (test/fakes/feed.ts) at https://shop.feeds.test/{name}. */
async function publishFeed(feed: FakeFeed, name = `feed-${crypto.randomUUID().slice(0, 8)}.csv`) {
  const res = await fetch(`https://control.feeds.test/feeds/${name}`, { method: "PUT", body: JSON.stringify(feed) });
  expect(res.status).toBe(204);
  return { url: `https://shop.feeds.test/${name}`, republish: (next: FakeFeed) => publishFeed(next, name) };
}

/** Syncs through the connector page's button and waits for the job. */
async function syncThroughPage(seller: BrowserSeller, id: string) {
  const sync = await seller.browser.post(`/app/connectors/${id}/sync`, { apply_fixes: "on" });
  expect(sync.status, await sync.clone().text()).toBe(303);
  const jobId = /^\/app\/jobs\/(job_[0-9A-Za-z]+)$/.exec(sync.headers.get("location")!)![1];
  expect((await jobEnded(jobId))!.status).toBe("completed");
  return jobId;
}

// Sync 1: A2 and A4 lack a title, A3 and A4 a price (4 problems, 5 products).
const FEED_V1 = "sku,title,price\nA1,Camiseta,10.00\nA2,,20.00\nA3,Caneca,\nA4,,\nA5,Boné,15.00\n";
// Sync 2: A1's title, A6's price and A8's title and price are new (4), A2's title and A4's price resolved (2),
// A3's price and A4's title still open (2): 6 open; A6, A7 and A8 added, A5 removed.
const FEED_V2 = "sku,title,price\nA1,,10.00\nA2,Chaveiro,20.00\nA3,Caneca,\nA4,,30.00\nA6,Mochila,\nA7,Garrafa,12.00\nA8,,\n";

describe("store connections pages", () => {
  it("lists connections, connects a store through Mercado Livre and shows it waiting for authorization", async () => {
    const seller = await signUpInBrowser();
    const { res, html } = await seller.browser.page("/app/connectors");
    expect(res.status).toBe(200);
    expect(html).toContain('href="/app/connectors"');
    expect(visibleText(html)).toContain("Nenhuma loja conectada ainda.");
    expect(html).toContain('name="push_fields" value="title"');
    // The connect form's answer redirects to Mercado Livre: browsers check that redirect against form-action.
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self' https://auth.mercadolivre.test;");
    expect((await seller.browser.fetch("/app/webhooks")).headers.get("content-security-policy")).toContain("form-action 'self';");

    const post = await seller.browser.post("/app/connectors", { type: "mercadolivre", name: "Loja <b>centro</b>", rule_pack: "mercadolivre", push_fields: "title" });
    expect(post.status).toBe(303);
    const authorize = new URL(post.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe("https://auth.mercadolivre.test/authorization");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    const list = await seller.browser.page("/app/connectors");
    expect(list.html).toContain("Loja &lt;b&gt;centro&lt;/b&gt;");
    expect(visibleText(list.html)).toContain("Aguardando autorização");
    const id = /href="\/app\/connectors\/(con_[0-9A-Za-z]+)"/.exec(list.html)![1];
    const detail = await seller.browser.page(`/app/connectors/${id}`);
    expect(detail.res.status).toBe(200);
    expect(detail.html).toContain(`action="/app/connectors/${id}/authorize"`);
    expect(visibleText(detail.html)).toContain("Nunca sincronizada");

    // Authorizing again goes to a fresh authorize_url.
    const again = await seller.browser.post(`/app/connectors/${id}/authorize`, {});
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toMatch(/^https:\/\/auth\.mercadolivre\.test\/authorization\?/);

    // Bad settings come back to the form with the service's reason at the field.
    const bad = await seller.browser.post("/app/connectors", { type: "mercadolivre", name: "x", rule_pack: "mercadolivre", schedule: "every tuesday" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="f-schedule-error"');
  });

  it("the OAuth callback refuses a browser signed in to another account and accepts the right one", async () => {
    const owner = await signUpInBrowser({ name: "Loja da Ana" });
    const intruder = await signUpInBrowser({ name: "Outra loja" });
    const store = await newSeller({ generate: 3 });
    const link = await connectThroughPages(owner, store);

    const refused = await confirm(intruder.browser, link.state, link.code);
    expect(refused.status).toBe(200);
    expect(await refused.text()).toMatch(/another account|outra conta/);
    const pending = await env.DB.prepare("SELECT status FROM connectors WHERE id = ?").bind(link.id).first<{ status: string }>();
    expect(pending!.status).toBe("pending_authorization");

    const accepted = await confirm(owner.browser, link.state, link.code);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe(`/app/connectors/${link.id}`);
    const page = await owner.browser.page(`/app/connectors/${link.id}`);
    expect(visibleText(page.html)).toContain("Ativa");
    expect(page.html).toContain(String(store.userId));
  });

  it("syncs now into a job, then reviews a push as a diff, applies it and reverts it", async () => {
    const seller = await signUpInBrowser();
    // 20 generated items: long titles on items 0 and 10 (0 has sales), a refusal scripted on item 10's neighbour below.
    const store = await newSeller({ generate: 20 });
    const id = await activeStore(seller, store);

    // Nothing may be written back until the seller allows fields.
    let detail = await seller.browser.page(`/app/connectors/${id}`);
    expect(visibleText(detail.html)).toContain("Escolha nas configurações os campos");
    const saved = await seller.browser.post(`/app/connectors/${id}/settings`, { name: "Loja principal", rule_pack: "mercadolivre", category: "", schedule: "daily", push_fields: "title" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/app/connectors/${id}?notice=connectorSaved`);

    const sync = await seller.browser.post(`/app/connectors/${id}/sync`, { apply_fixes: "on" });
    expect(sync.status, await sync.clone().text()).toBe(303);
    const jobId = /^\/app\/jobs\/(job_[0-9A-Za-z]+)$/.exec(sync.headers.get("location")!)![1];
    expect((await jobEnded(jobId))!.status).toBe("completed");

    detail = await seller.browser.page(`/app/connectors/${id}`);
    const text = visibleText(detail.html);
    expect(text).toContain("concluída");
    expect(text).toMatch(/20 registros/);
    expect(detail.html).toContain(`href="/app/jobs/${jobId}"`);
    expect(text).toContain("daily");

    // The dry run: a per-item diff, nothing sent.
    const review = await seller.browser.post(`/app/connectors/${id}/push`, { job_id: jobId });
    expect(review.status).toBe(303);
    const previewPath = review.headers.get("location")!;
    expect(previewPath).toMatch(new RegExp(`^/app/connectors/${id}/pushes/psh_`));
    const preview = visibleText(await finishedPushPage(seller.browser, previewPath));
    expect(preview).toContain("Anúncio MLB900000010 mudaria");
    expect(preview).toContain("Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro 10 Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera");
    expect(preview).toContain("Anúncio MLB900000000 deixado como estava");
    expect(preview).toContain("o anúncio tem vendas");
    expect((await store.state()).counters.puts).toEqual([]);

    // Applied after confirmation: per-item results with Mercado Livre's cause for the refusal.
    await store.script({ refuse: { MLB900000010: [{ code: "item.title.length_invalid", message: "Title is not valid for this category" }] } });
    const applied = await seller.browser.post(`${previewPath}/apply`, {});
    expect(applied.status).toBe(303);
    const appliedPath = applied.headers.get("location")!;
    expect(appliedPath).not.toBe(previewPath);
    const outcome = visibleText(await finishedPushPage(seller.browser, appliedPath));
    expect(outcome).toContain("Anúncio MLB900000010 recusado");
    expect(outcome).toContain("item.title.length_invalid Title is not valid for this category");
    expect((await store.state()).counters.puts.length).toBe(1);

    // A push with an accepted item can be undone.
    await store.script({ refuse: {} });
    const again = await seller.browser.post(`${previewPath}/apply`, {});
    const secondPath = again.headers.get("location")!;
    const second = await finishedPushPage(seller.browser, secondPath);
    expect(visibleText(second)).toContain("Anúncio MLB900000010 aceito");
    expect(second).toContain(`action="${secondPath}/revert"`);
    expect((await store.item("MLB900000010")).item.title).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera");
    const revert = await seller.browser.post(`${secondPath}/revert`, {});
    expect(revert.status).toBe(303);
    const reverted = visibleText(await finishedPushPage(seller.browser, revert.headers.get("location")!));
    expect(reverted).toContain("Anúncio MLB900000010 aceito");
    expect((await store.item("MLB900000010")).item.title).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro 10");

    // The connector's page lists them.
    detail = await seller.browser.page(`/app/connectors/${id}`);
    expect(visibleText(detail.html)).toContain("Desfazer");

    // Delete, after the confirm.
    const deleted = await seller.browser.post(`/app/connectors/${id}/delete`, {});
    expect(deleted.headers.get("location")).toBe("/app/connectors?notice=connectorDeleted");
    expectNotFoundPage(...(await (async () => {
      const p = await seller.browser.page(`/app/connectors/${id}`);
      return [p.res, p.html] as const;
    })()));
  });

  it("shows the marketplace's reason and the way back when the connection must be authorized again", async () => {
    const seller = await signUpInBrowser();
    const store = await newSeller({ generate: 1 });
    const id = await activeStore(seller, store);
    const problem = { code: "connector.reauthorization_required", message: { en: "The seller revoked access (invalid_grant).", "pt-BR": "O vendedor revogou o acesso (invalid_grant)." } };
    await env.DB.prepare("UPDATE connectors SET status = 'reauthorization_required', problem = ? WHERE id = ?").bind(JSON.stringify(problem), id).run();
    const { html } = await seller.browser.page(`/app/connectors/${id}`);
    const text = visibleText(html);
    expect(text).toContain("Autorize de novo");
    expect(text).toContain("O vendedor revogou o acesso (invalid_grant).");
    expect(html).toContain(`action="/app/connectors/${id}/authorize"`);
    expect(html).not.toContain(`action="/app/connectors/${id}/sync"`);
    const res = await seller.browser.post(`/app/connectors/${id}/authorize`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^https:\/\/auth\.mercadolivre\.test\/authorization\?/);
  });

  it("ticks the checklist's sixth step once the account has a store connection", async () => {
    const seller = await signUpInBrowser();
    const before = await seller.browser.page("/app");
    expect(before.html).toContain('href="/app/connectors"');
    expect(before.html).not.toContain('<li class="step step-done" id="step-6">');
    await seller.browser.post("/app/connectors", { type: "mercadolivre", name: "Loja", rule_pack: "mercadolivre" });
    expect((await seller.browser.page("/app")).html).toContain('<li class="step step-done" id="step-6">');
  });

  it("answers another account's connection with the 404 page, and refuses a form without its token", async () => {
    const owner = await signUpInBrowser();
    const other = await signUpInBrowser();
    const store = await newSeller({ generate: 1 });
    const id = await activeStore(owner, store);

    const page = await other.browser.page(`/app/connectors/${id}`);
    expectNotFoundPage(page.res, page.html);
    for (const action of ["sync", "settings", "authorize", "delete", "push"]) {
      const res = await other.browser.post(`/app/connectors/${id}/${action}`, { name: "x", rule_pack: "mercadolivre", job_id: "job_x" });
      expectNotFoundPage(res, await res.text());
    }
    const push = await other.browser.page(`/app/connectors/${id}/pushes/psh_nothing`);
    expectNotFoundPage(push.res, push.html);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM connectors WHERE id = ?").bind(id).first<{ n: number }>())!.n).toBe(1);

    const noToken = await owner.browser.post(`/app/connectors/${id}/sync`, { apply_fixes: "on" }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE account_id = ?").bind(owner.accountId).first<{ n: number }>())!.n).toBe(0);

    // A feed's page, with its syncs and trend, is the owner's alone too.
    const feed = await publishFeed({ body: FEED_V1 });
    const created = await owner.browser.post("/app/connectors", { type: "url", name: "Feed", url: feed.url, rule_pack: "common" });
    const feedId = /(con_[0-9A-Za-z]+)$/.exec(created.headers.get("location")!)![1];
    await syncThroughPage(owner, feedId);
    const feedPage = await other.browser.page(`/app/connectors/${feedId}`);
    expectNotFoundPage(feedPage.res, feedPage.html);
  });
});

describe("what changed between syncs, on a connector's page", () => {
  it("shows the last sync's delta and the trend of open problems as an accessible line, in both languages", async () => {
    const seller = await signUpInBrowser();
    const feed = await publishFeed({ body: FEED_V1, etag: '"v1"' });
    const { row } = await createConnector(env, seller.accountId, { type: "url", name: "Catálogo", config: { url: feed.url } }, "https://vitrine.test");
    const id = row.id;

    let page = await seller.browser.page(`/app/connectors/${id}`);
    expect(visibleText(page.html)).toContain("Nenhuma sincronização terminou ainda");
    expect(page.html).not.toContain('role="img"');

    await syncThroughPage(seller, id);
    page = await seller.browser.page(`/app/connectors/${id}`);
    let text = visibleText(page.html);
    expect(text).toContain("Foi a primeira: tudo o que ela encontrou é novo.");
    expect(text).toMatch(/Problemas novos\s*4/);
    expect(text).toMatch(/Produtos adicionados\s*5/);
    expect(text).toContain("A evolução dos problemas em aberto aparece depois de duas sincronizações.");

    await feed.republish({ body: FEED_V2, etag: '"v2"' });
    const second = await syncThroughPage(seller, id);
    page = await seller.browser.page(`/app/connectors/${id}`);
    text = visibleText(page.html);
    expect(text).toContain("Comparada com a sincronização anterior.");
    expect(text).toMatch(/Problemas novos\s*4/);
    expect(text).toMatch(/Problemas resolvidos\s*2/);
    expect(text).toMatch(/Problemas ainda em aberto\s*2/);
    expect(text).toMatch(/Produtos adicionados\s*3/);
    expect(text).toMatch(/Produtos removidos\s*1/);
    expect(page.html).toContain(`href="/app/jobs/${second}"`);

    // The line: an image named by its title, described with every point (4 open, then 6), the same numbers in a table.
    const svg = /<svg[^>]*role="img"[^>]*>[\s\S]*?<\/svg>/.exec(page.html)![0];
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)![1];
    expect(new RegExp(`<title id="${labelledBy}">Problemas em aberto ao longo das sincronizações</title>`).test(svg)).toBe(true);
    const describedBy = /aria-describedby="([^"]+)"/.exec(svg)![1];
    const desc = new RegExp(`<desc id="${describedBy}">([^<]*)</desc>`).exec(svg)![1];
    expect(desc).toMatch(/últimas 2 sincronizações.*: 4; .*: 6$/);
    expect(svg).toContain("<polyline");
    expect((svg.match(/<circle/g) ?? []).length).toBe(2);
    const table = /<summary>Ver os números<\/summary>[\s\S]*?<\/table>/.exec(page.html)![0];
    expect(visibleText(table)).toMatch(/Problemas em aberto.*4.*6/s);

    // In English, with English numbers.
    await env.DB.prepare("UPDATE accounts SET locale = 'en' WHERE id = ?").bind(seller.accountId).run();
    const english = visibleText((await seller.browser.page(`/app/connectors/${id}`)).html);
    expect(english).toContain("What changed in the last sync");
    expect(english).toMatch(/Problems resolved\s*2/);
    expect(english).toContain("Open problems across syncs");
  });
});

describe("the connect form, for every configured type", () => {
  it("offers Mercado Livre, Shopee, Google Sheets and a feed URL, each form sending only where it leads", async () => {
    const seller = await signUpInBrowser();
    const list = await seller.browser.page("/app/connectors");
    for (const type of ["mercadolivre", "shopee", "google_sheets", "url"]) expect(list.html).toContain(`href="/app/connectors?type=${type}#connect-heading"`);
    expect(list.html).toContain('<input type="hidden" name="type" value="mercadolivre"/>');

    const shopee = await seller.browser.page("/app/connectors?type=shopee");
    expect(shopee.html).toContain('<input type="hidden" name="type" value="shopee"/>');
    expect(shopee.html).toContain('name="push_fields" value="item_name"');
    expect(shopee.res.headers.get("content-security-policy")).toContain("form-action 'self' https://partner.shopee.test;");
    const post = await seller.browser.post("/app/connectors", { type: "shopee", name: "Loja Shopee", rule_pack: "shopee", push_fields: "item_name" });
    expect(post.status, await post.clone().text()).toBe(303);
    const authorize = new URL(post.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe("https://partner.shopee.test/api/v2/shop/auth_partner");

    const sheets = await seller.browser.page("/app/connectors?type=google_sheets");
    expect(sheets.html).toContain('name="auth" value="oauth"');
    expect(sheets.html).toContain('name="auth" value="service_account"');
    expect(sheets.res.headers.get("content-security-policy")).toContain("form-action 'self' https://accounts.google.test;");

    const feed = await seller.browser.page("/app/connectors?type=url");
    expect(feed.html).toContain('name="header_value" type="password"');
    expect(feed.res.headers.get("content-security-policy")).toContain("form-action 'self';");

    // A type the form does not know is refused; a bad feed address comes back at its field.
    expect((await seller.browser.post("/app/connectors", { type: "amazon", name: "x", rule_pack: "common" })).status).toBe(422);
    const bad = await seller.browser.post("/app/connectors", { type: "url", name: "x", rule_pack: "common", url: "https://192.168.0.10/feed.csv" });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('id="f-url-error"');
    expect(badHtml).toContain('value="https://192.168.0.10/feed.csv"');
  });

  it("adds a feed that is active at once, its header kept secret", async () => {
    const seller = await signUpInBrowser();
    const feed = await publishFeed({ body: FEED_V1, requireHeader: { name: "Authorization", value: "Basic c2VjcmV0" } });
    const res = await seller.browser.post("/app/connectors", {
      type: "url",
      name: "Catálogo do site",
      url: feed.url,
      header_name: "Authorization",
      header_value: "Basic c2VjcmV0",
      rule_pack: "common",
      schedule: "daily",
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = /^\/app\/connectors\/(con_[0-9A-Za-z]+)$/.exec(res.headers.get("location")!)![1];
    const { html } = await seller.browser.page(`/app/connectors/${id}`);
    const text = visibleText(html);
    expect(text).toContain("Ativa");
    expect(text).toContain(feed.url);
    expect(text).toContain("Authorization");
    expect(html).not.toContain("c2VjcmV0");
    expect(html).toContain(`action="/app/connectors/${id}/sync"`);
    expect(html).not.toContain(`action="/app/connectors/${id}/authorize"`);
    // The protected feed is read with its header.
    await syncThroughPage(seller, id);
    expect(visibleText((await seller.browser.page(`/app/connectors/${id}`)).html)).toMatch(/Problemas novos\s*4/);
  });

  it("connects a sheet with the service account: its page shows the code and where to put it, and verifies it", async () => {
    const seller = await signUpInBrowser();
    const book = await newSpreadsheet({ shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 5 }] });
    const res = await seller.browser.post("/app/connectors", { type: "google_sheets", name: "Planilha", spreadsheet: book.url, sheet: "Produtos", auth: "service_account", rule_pack: "common" });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = /^\/app\/connectors\/(con_[0-9A-Za-z]+)$/.exec(res.headers.get("location")!)![1];
    let page = await seller.browser.page(`/app/connectors/${id}`);
    let text = visibleText(page.html);
    expect(text).toContain("Aguardando verificação");
    expect(text).toContain(FAKE_SERVICE_ACCOUNT_EMAIL);
    expect(text).toContain(`vitrine-verify:${id}`);
    expect(text).toContain("na célula A1 de uma aba chamada “Vitrine”");
    // Its forms never leave for Google: nothing to consent to.
    expect(page.res.headers.get("content-security-policy")).toContain("form-action 'self';");

    // Verify before the code is there: still waiting, the reason shown.
    let verify = await seller.browser.post(`/app/connectors/${id}/authorize`, {});
    expect(verify.headers.get("location")).toBe(`/app/connectors/${id}`);
    page = await seller.browser.page(`/app/connectors/${id}`);
    expect(visibleText(page.html)).toContain("A planilha não contém o código de verificação deste conector");

    await book.setCells([["Vitrine", 1, 1, `vitrine-verify:${id}`]]);
    verify = await seller.browser.post(`/app/connectors/${id}/authorize`, {});
    expect(verify.status).toBe(303);
    page = await seller.browser.page(`/app/connectors/${id}`);
    text = visibleText(page.html);
    expect(text).toContain("Ativa");
    expect(text).not.toContain(`vitrine-verify:${id}`);
    expect(page.html).toContain(`action="/app/connectors/${id}/sync"`);
  });
});

describe("a connection's page speaks of its own source, and edits what the API edits", () => {
  it("names Shopee (never Mercado Livre) on a Shopee connection, and the sheet on a sheet's, in both languages", async () => {
    // The rules list may offer any pack, Mercado Livre's too: every other text is about the connection's own source.
    const withoutPacks = (html: string) => visibleText(html.replace(/<select id="f-rule_pack"[\s\S]*?<\/select>/, ""));
    const seller = await signUpInBrowser();
    const { row } = await createConnector(env, seller.accountId, { type: "shopee", name: "Loja Shopee", rule_pack: "shopee", push_fields: ["item_name"] }, "https://vitrine.test");
    await env.DB.prepare("UPDATE connectors SET status = 'active' WHERE id = ?").bind(row.id).run();
    let text = withoutPacks((await seller.browser.page(`/app/connectors/${row.id}`)).html);
    expect(text).toContain("Lê todos os anúncios da sua loja na Shopee e valida");
    expect(text).toContain("Campos que o Vitrine pode corrigir na Shopee");
    expect(text).not.toContain("Mercado Livre");

    await env.DB.prepare("UPDATE accounts SET locale = 'en' WHERE id = ?").bind(seller.accountId).run();
    text = withoutPacks((await seller.browser.page(`/app/connectors/${row.id}`)).html);
    expect(text).toContain("Reads every listing of your store on Shopee and validates it");
    expect(text).not.toContain("Mercado Livre");

    const book = await newSpreadsheet({ shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 2 }] });
    const sheet = await createConnector(env, seller.accountId, { type: "google_sheets", name: "Planilha", config: { spreadsheet: book.url, auth: "service_account" } }, "https://vitrine.test");
    await env.DB.prepare("UPDATE connectors SET status = 'active' WHERE id = ?").bind(sheet.row.id).run();
    text = withoutPacks((await seller.browser.page(`/app/connectors/${sheet.row.id}`)).html);
    expect(text).toContain("Reads every row of the sheet and validates it");
    expect(text).toContain("Columns Vitrine may correct in the sheet");
    expect(text).not.toContain("Mercado Livre");
  });

  it("names a sheet's push items by their row, as the sheet numbers them", async () => {
    const seller = await signUpInBrowser();
    const book = await newSpreadsheet({ shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 12 }] });
    const { row } = await createConnector(env, seller.accountId, { type: "google_sheets", name: "Planilha", config: { spreadsheet: book.url, auth: "service_account" } }, "https://vitrine.test");
    await env.DB.prepare("UPDATE connectors SET push_fields = '[\"title\"]' WHERE id = ?").bind(row.id).run();
    await book.setCells([["Vitrine", 1, 1, `vitrine-verify:${row.id}`]]);
    expect((await seller.browser.post(`/app/connectors/${row.id}/authorize`, {})).status).toBe(303);
    const sync = await seller.browser.post(`/app/connectors/${row.id}/sync`, { apply_fixes: "on" });
    expect(sync.status, await sync.clone().text()).toBe(303);
    const jobId = /^\/app\/jobs\/(job_[0-9A-Za-z]+)$/.exec(sync.headers.get("location")!)![1];
    expect((await jobEnded(jobId))!.status).toBe("completed");
    const review = await seller.browser.post(`/app/connectors/${row.id}/push`, { job_id: jobId });
    expect(review.status).toBe(303);
    const html = await finishedPushPage(seller.browser, review.headers.get("location")!);
    // Data row 10's title has doubled spaces: the sheet shows it on row 11.
    expect(visibleText(html)).toContain("Linha 11 mudaria");
    expect(html).toContain("Alterações na linha 11");
    expect(visibleText(html)).not.toContain("Anúncio");
  });

  it("edits a sheet's push columns, one a line", async () => {
    const seller = await signUpInBrowser();
    const book = await newSpreadsheet({ shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 2 }] });
    const { row } = await createConnector(env, seller.accountId, { type: "google_sheets", name: "Planilha", config: { spreadsheet: book.url, auth: "service_account" } }, "https://vitrine.test");
    let page = await seller.browser.page(`/app/connectors/${row.id}`);
    expect(page.html).toMatch(/<textarea[^>]*name="push_fields"[^>]*><\/textarea>/);

    const saved = await seller.browser.post(`/app/connectors/${row.id}/settings`, { name: "Planilha", rule_pack: "common", push_fields: "Título\r\n\r\n  Preço de venda \r\n" });
    expect(saved.status, await saved.clone().text()).toBe(303);
    const stored = await env.DB.prepare("SELECT push_fields FROM connectors WHERE id = ?").bind(row.id).first<{ push_fields: string }>();
    expect(JSON.parse(stored!.push_fields)).toEqual(["Título", "Preço de venda"]);
    page = await seller.browser.page(`/app/connectors/${row.id}`);
    expect(page.html).toMatch(/<textarea[^>]*name="push_fields"[^>]*>Título\nPreço de venda<\/textarea>/);

    // Emptied: nothing may be written back any more.
    expect((await seller.browser.post(`/app/connectors/${row.id}/settings`, { name: "Planilha", rule_pack: "common", push_fields: "" })).status).toBe(303);
    const emptied = await env.DB.prepare("SELECT push_fields FROM connectors WHERE id = ?").bind(row.id).first<{ push_fields: string }>();
    expect(JSON.parse(emptied!.push_fields)).toEqual([]);
  });

  it("edits a feed's address and header: an empty value keeps the stored one, the checkbox removes it, errors at their field", async () => {
    const seller = await signUpInBrowser();
    const header = { name: "Authorization", value: "Basic c2VjcmV0" };
    const first = await publishFeed({ body: FEED_V1, requireHeader: header });
    const created = await seller.browser.post("/app/connectors", { type: "url", name: "Feed", url: first.url, header_name: header.name, header_value: header.value, rule_pack: "common" });
    const id = /(con_[0-9A-Za-z]+)$/.exec(created.headers.get("location")!)![1];
    const stored = () => env.DB.prepare("SELECT config, secret_sealed FROM connectors WHERE id = ?").bind(id).first<{ config: string; secret_sealed: string | null }>();
    const sealed = (await stored())!.secret_sealed;
    expect(sealed).toBeTruthy();

    const page = await seller.browser.page(`/app/connectors/${id}`);
    expect(page.html).toContain(`value="${first.url}"`);
    expect(page.html).toContain('name="remove_header"');
    expect(page.html).not.toContain("c2VjcmV0");

    // A new address, the header left as it is: the stored value goes on being sent.
    const second = await publishFeed({ body: FEED_V2, requireHeader: header });
    const settings = { name: "Feed", rule_pack: "common", url: second.url, header_name: header.name, header_value: "" };
    let res = await seller.browser.post(`/app/connectors/${id}/settings`, settings);
    expect(res.status, await res.clone().text()).toBe(303);
    expect(JSON.parse((await stored())!.config)).toEqual({ url: second.url, header_name: "Authorization" });
    expect((await stored())!.secret_sealed).toBe(sealed);
    await syncThroughPage(seller, id);
    expect(visibleText((await seller.browser.page(`/app/connectors/${id}`)).html)).toMatch(/Produtos adicionados\s*7/);

    // Renaming the header needs its value; a refused address comes back at its field; nothing changes.
    res = await seller.browser.post(`/app/connectors/${id}/settings`, { ...settings, header_name: "X-Api-Key" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-header_value-error"');
    res = await seller.browser.post(`/app/connectors/${id}/settings`, { ...settings, url: "https://192.168.0.10/feed.csv" });
    expect(res.status).toBe(422);
    const refused = await res.text();
    expect(refused).toContain('id="f-url-error"');
    expect(refused).toContain('value="https://192.168.0.10/feed.csv"');
    res = await seller.browser.post(`/app/connectors/${id}/settings`, { ...settings, header_name: "Host", header_value: "x" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-header_name-error"');
    expect(JSON.parse((await stored())!.config)).toEqual({ url: second.url, header_name: "Authorization" });
    expect((await stored())!.secret_sealed).toBe(sealed);

    // A new value is sealed again; the checkbox removes the header.
    res = await seller.browser.post(`/app/connectors/${id}/settings`, { ...settings, header_name: "X-Api-Key", header_value: "k-123" });
    expect(res.status).toBe(303);
    expect(JSON.parse((await stored())!.config)).toEqual({ url: second.url, header_name: "X-Api-Key" });
    expect((await stored())!.secret_sealed).not.toBe(sealed);
    res = await seller.browser.post(`/app/connectors/${id}/settings`, { ...settings, header_name: "X-Api-Key", remove_header: "on" });
    expect(res.status).toBe(303);
    expect(JSON.parse((await stored())!.config)).toEqual({ url: second.url });
    expect((await stored())!.secret_sealed).toBeNull();
    expect((await seller.browser.page(`/app/connectors/${id}`)).html).not.toContain('name="remove_header"');
  });
});
