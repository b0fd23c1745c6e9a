import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { config } from "../../src/config";
import { bytesReader, openZip, readEntry } from "../../src/core/tabular";
import { deletionMarkerKey } from "../../src/services/account-deletion";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { everyObject, everyRow } from "../fixtures/account-data";
import { call, uploadFile } from "../helpers";
import { type BrowserSeller, expectSentToSignIn, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

const CATALOG = "sku;title;price\nA-1;Camiseta básica;49,90\n";

async function unzip(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await openZip(bytesReader(bytes));
  const out = new Map<string, string>();
  for (const entry of zip.entries.values()) {
    let text = "";
    const decoder = new TextDecoder();
    for await (const piece of readEntry(zip, entry)) text += decoder.decode(piece, { stream: true });
    out.set(entry.name, text + decoder.decode());
  }
  return out;
}

const ndjson = (text: string | undefined) => (text ?? "").split("\n").filter(Boolean).map((l) => JSON.parse(l));

/** A seller with something in every corner: a key (made on the page), a file, a webhook with a delivery. */
async function sellerWithData(): Promise<BrowserSeller & { key: string; fileId: string; webhookId: string }> {
  const seller = await signUpInBrowser({ name: "Loja LGPD" });
  const keyPage = await (await seller.browser.post("/app/api-keys", { name: "ERP" })).text();
  const key = /<code id="new-key" class="secret">(vt_test_[0-9A-Za-z]{32})<\/code>/.exec(keyPage)![1];
  const file = await uploadFile(key, CATALOG, "catalogo.csv");
  const receiver = await fakeReceiver();
  const created = await call("/api/v1/webhooks", { method: "POST", key, json: { url: receiver.url, events: ["*"] } });
  const webhookId = ((await created.json()) as { id: string }).id;
  expect((await seller.browser.post(`/app/webhooks/${webhookId}/test`, {})).status).toBe(200);
  return { ...seller, key, fileId: file.id, webhookId };
}

describe("the account page's LGPD section", () => {
  it("states the retention period from the configuration, and offers export and deletion", async () => {
    const seller = await signUpInBrowser();
    const { html } = await seller.browser.page("/app/account");
    const text = visibleText(html);
    expect(text).toContain(`ficam guardados por ${config(env).retentionDays} dias`);
    expect(html).toContain('href="/app/account/export"');
    expect(html).toContain('action="/app/account/delete"');
    expect(text).toContain(`Digite seu e-mail (${seller.email}) para confirmar`);
  });

  it("downloads everything the account holds as a ZIP, through the session", async () => {
    const seller = await sellerWithData();
    const res = await seller.browser.fetch("/app/account/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="vitrine-${seller.accountId}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`));
    const archive = await unzip(new Uint8Array(await res.arrayBuffer()));
    expect(ndjson(archive.get("data/accounts.ndjson"))).toMatchObject([{ id: seller.accountId, email: seller.email, name: "Loja LGPD" }]);
    const keys = ndjson(archive.get("data/api_keys.ndjson"));
    expect(keys).toMatchObject([{ name: "ERP" }]);
    expect(JSON.stringify(keys)).not.toContain(seller.key);
    expect(archive.get(`files/${seller.fileId}/catalogo.csv`)).toBe(CATALOG);
    expect(ndjson(archive.get("data/webhook_endpoints.ndjson"))).toMatchObject([{ id: seller.webhookId }]);
    expect(ndjson(archive.get("data/webhook_deliveries.ndjson"))).toHaveLength(1);
    // Nothing that opens the account leaves in the archive: no password hash, no session.
    const everything = [...archive.values()].join("\n");
    expect(everything).not.toContain("pbkdf2-sha256$");
    expect(archive.get("README.txt")).toContain(seller.accountId);
  });

  it("without a session the export is not served", async () => {
    const res = await call("/app/account/export", { redirect: "manual" });
    expectSentToSignIn(res);
    expect(res.headers.get("content-type") ?? "").not.toContain("zip");
  });

  it("deletes the account with the email typed as confirmation: everything goes, every session ends", async () => {
    const seller = await sellerWithData();
    const { browser: elsewhere } = await signInInBrowser(seller.email);
    const res = await seller.browser.post("/app/account/delete", { confirm: ` ${seller.email.toUpperCase()} ` });
    expect(res.status).toBe(200);
    const text = visibleText(await res.text());
    expect(text).toContain("Sua conta foi apagada");
    expect(text).not.toContain("Sair");
    expect(seller.browser.signedIn()).toBe(false);

    // No row mentions the account, no object is left under its prefixes, the key is refused.
    expect((await everyRow()).filter(([, row]) => JSON.stringify(row).includes(seller.accountId))).toEqual([]);
    expect((await everyObject()).filter((k) => k.includes(seller.accountId) && k !== deletionMarkerKey(seller.accountId))).toEqual([]);
    expect((await call("/api/v1/api-keys", { key: seller.key })).status).toBe(401);
    // Both browsers are signed out, and the password opens nothing.
    expectSentToSignIn(await seller.browser.fetch("/app"));
    expectSentToSignIn(await elsewhere.fetch("/app"));
    expect((await signInInBrowser(seller.email)).res.status).toBe(401);
  });

  it("refuses a wrong confirmation and changes nothing", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/account/delete", { confirm: "someone-else@example.com" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(visibleText(html)).toContain("Digite exatamente o e-mail desta conta.");
    expect(html).toContain('aria-invalid="true"');
    expect(await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE id = ?").bind(seller.accountId).first("n")).toBe(1);
    expect((await seller.browser.fetch("/app")).status).toBe(200);
  });

  it("refuses a deletion without the form token or from another site", async () => {
    const seller = await signUpInBrowser();
    expect((await seller.browser.post("/app/account/delete", { confirm: seller.email }, { csrf: false })).status).toBe(403);
    expect((await seller.browser.post("/app/account/delete", { confirm: seller.email }, { origin: "https://evil.example" })).status).toBe(403);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE id = ?").bind(seller.accountId).first("n")).toBe(1);
    expect((await seller.browser.fetch("/app")).status).toBe(200);
  });
});
