import { describe, expect, it } from "vitest";
import { env } from "../helpers";
import { BASE, Browser, expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

const MIB = 1024 * 1024;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Posts a file through the upload form as a browser does (multipart/form-data, token in `_csrf`). */
async function postFile(browser: Browser, bytes: Uint8Array, name: string, options: { csrf?: false } = {}): Promise<Response> {
  if (!browser.cookies.has("__Host-vt_csrf")) await browser.fetch("/app/upload");
  const form = new FormData();
  if (options.csrf !== false) form.set("_csrf", browser.csrf());
  form.set("file", new File([bytes], name));
  const encoded = new Response(form);
  const body = new Uint8Array(await encoded.arrayBuffer());
  return browser.fetch("/app/upload/file", {
    method: "POST",
    body,
    headers: { origin: BASE, "content-type": encoded.headers.get("content-type")! },
  });
}

/** What the page's script sends: JSON or raw bytes with the token in X-CSRF-Token. */
function script(browser: Browser, method: string, path: string, body?: Uint8Array | object, options: { csrf?: false } = {}): Promise<Response> {
  const headers = new Headers({ origin: BASE });
  if (options.csrf !== false) headers.set("x-csrf-token", browser.csrf());
  let payload: BodyInit | undefined;
  if (body instanceof Uint8Array) {
    headers.set("content-type", "application/octet-stream");
    payload = body;
  } else if (body !== undefined) {
    headers.set("content-type", "application/json");
    payload = JSON.stringify(body);
  }
  return browser.fetch(path, { method, headers, body: payload });
}

/** A CSV of exactly `size` bytes: a header and padded product rows. */
function csvOfSize(size: number): Uint8Array {
  const head = "sku;title;price\n";
  const line = "A1;Caneca azul de cerâmica 300 ml;29,90\n";
  const lineBytes = utf8(line).length;
  const rows = Math.floor((size - head.length) / lineBytes);
  const text = head + line.repeat(rows);
  const bytes = new Uint8Array(size);
  bytes.set(utf8(text));
  bytes.fill(0x0a, utf8(text).length); // blank lines at the end make up the exact size
  return bytes;
}

async function fileIdFrom(res: Response): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(303);
  const match = /^\/app\/upload\/files\/(file_[0-9A-Za-z]+)\?notice=/.exec(res.headers.get("location") ?? "");
  expect(match, res.headers.get("location") ?? "").not.toBeNull();
  return match![1];
}

async function stepOneDone(browser: Browser): Promise<boolean> {
  const { html } = await browser.page("/app");
  return html.includes('<li class="step step-done" id="step-1">');
}

describe("the catalog upload page", () => {
  it("offers the upload form, the sample and the recent files, and is in the navigation", async () => {
    const seller = await signUpInBrowser();
    const { res, html } = await seller.browser.page("/app/upload");
    expect(res.status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain("Arquivo do catálogo (CSV, XLSX ou JSON)");
    expect(text).toContain("Testar com um catálogo de exemplo");
    expect(text).toContain("Nenhum arquivo ainda.");
    expect(html).toContain('action="/app/upload/file" enctype="multipart/form-data"');
    expect(html).toContain('<a href="/app/upload" aria-current="page">Catálogo</a>');
    expect(html).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it("sends a visitor without a session to sign in", async () => {
    expectSentToSignIn(await new Browser().fetch("/app/upload"));
  });

  it("takes a small file through the plain form and shows what was detected; the checklist's step 1 is ticked", async () => {
    const seller = await signUpInBrowser();
    expect(await stepOneDone(seller.browser)).toBe(false);
    const id = await fileIdFrom(await postFile(seller.browser, utf8("sku;title;price\nA1;Caneca azul;29,90\nA2;Prato fundo;19,90\n"), "loja/catalogo.csv"));
    const { res, html } = await seller.browser.page(`/app/upload/files/${id}?notice=fileUploaded`);
    expect(res.status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain("Arquivo enviado.");
    expect(text).toContain("catalogo.csv");
    expect(text).toContain("UTF-8");
    expect(text).toContain("ponto e vírgula (;)");
    expect(text).toContain("3 colunas: sku, title, price");
    expect(text).toContain("Iniciar validação");
    expect(html).toContain('<option value="mercadolivre" selected="">');
    expect(await stepOneDone(seller.browser)).toBe(true);

    const upload = visibleText((await seller.browser.page("/app/upload")).html);
    expect(upload).toContain("catalogo.csv");
    expect(upload).toContain("Validar");
  });

  it("refuses a file it cannot read with a clear message in the reader's language", async () => {
    const seller = await signUpInBrowser();
    const pdf = utf8("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n");
    let res = await postFile(seller.browser, pdf, "catalogo.pdf");
    expect(res.status).toBe(415);
    expect(visibleText(await res.text())).toContain("Este é um documento PDF. Envie CSV, XLSX, JSON (um array de objetos) ou NDJSON.");

    await seller.browser.post("/language", { locale: "en", next: "/app/upload" });
    res = await postFile(seller.browser, pdf, "catalogo.pdf");
    expect(res.status).toBe(415);
    expect(visibleText(await res.text())).toContain("This is a PDF document. Upload CSV, XLSX, JSON (an array of objects) or NDJSON.");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM files WHERE account_id = ?").bind(seller.accountId).first<{ n: number }>())!.n).toBe(0);
  });

  it("sends a form upload over the cap back to the page before reading it", async () => {
    const seller = await signUpInBrowser();
    const res = await postFile(seller.browser, csvOfSize(5 * MIB + 100 * 1024), "grande.csv");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/upload?error=tooLarge");
    const { html } = await seller.browser.page("/app/upload?error=tooLarge");
    expect(visibleText(html)).toContain("Este formulário aceita arquivos de até 5 MB. Ligue o JavaScript para enviar arquivos maiores em partes, ou use a API.");
  });

  it("refuses uploads without the form token", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.fetch("/app/upload");
    expect((await postFile(seller.browser, utf8("sku\nA1\n"), "a.csv", { csrf: false })).status).toBe(403);
    expect((await script(seller.browser, "POST", "/app/upload/multipart", { name: "a.csv", size: 10 }, { csrf: false })).status).toBe(403);
    const created = await script(seller.browser, "POST", "/app/upload/multipart", { name: "a.csv", size: 10 });
    expect(created.status).toBe(201);
    const { upload_id } = (await created.json()) as { upload_id: string };
    expect((await script(seller.browser, "PUT", `/app/upload/multipart/${upload_id}/parts/1`, utf8("sku\nA1\nA2\n"), { csrf: false })).status).toBe(403);
    expect((await script(seller.browser, "POST", `/app/upload/multipart/${upload_id}/complete`, undefined, { csrf: false })).status).toBe(403);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM upload_parts WHERE upload_id = ?").bind(upload_id).first<{ n: number }>())!.n).toBe(0);
  });

  it("uploads in parts through the dashboard: a failed part, the server's list of parts, resume, completion", async () => {
    const seller = await signUpInBrowser();
    await seller.browser.fetch("/app/upload");
    const bytes = csvOfSize(5 * MIB + 4096);
    const created = await script(seller.browser, "POST", "/app/upload/multipart", { name: "grande.csv", size: bytes.length });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as { upload_id: string; part_size: number; min_part_size: number };
    const partSize = upload.min_part_size;
    const parts = [bytes.subarray(0, partSize), bytes.subarray(partSize)];
    const path = `/app/upload/multipart/${upload.upload_id}`;

    // Part 2 arrives; part 1 is cut short on the way (fewer bytes than announced) and refused.
    expect((await script(seller.browser, "PUT", `${path}/parts/2`, parts[1])).status).toBe(200);
    const cut = await seller.browser.fetch(`${path}/parts/1`, {
      method: "PUT",
      headers: { origin: BASE, "x-csrf-token": seller.browser.csrf(), "content-type": "application/octet-stream", "content-length": String(partSize) },
      body: new Blob([parts[0].subarray(0, 1000)]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(cut.status).toBe(400);
    expect(((await cut.json()) as { error: string }).error).toContain("Content-Length");
    // Completing now fails: the parts do not add up to the announced size.
    const early = await script(seller.browser, "POST", `${path}/complete`);
    expect(early.status).toBe(422);
    expect(((await early.json()) as { error: string }).error).toContain(String(bytes.length));

    // Resume: the server says which parts it has; only the missing one is sent again.
    const status = (await (await seller.browser.fetch(path)).json()) as { status: string; parts: { part_number: number; size: number }[] };
    expect(status.status).toBe("open");
    expect(status.parts.map((p) => [p.part_number, p.size])).toEqual([[2, parts[1].length]]);
    expect((await script(seller.browser, "PUT", `${path}/parts/1`, parts[0])).status).toBe(200);
    const done = await script(seller.browser, "POST", `${path}/complete`);
    expect(done.status).toBe(201);
    const { file, location } = (await done.json()) as { file: { id: string; size: number }; location: string };
    expect(file.size).toBe(bytes.length);
    expect(location).toBe(`/app/upload/files/${file.id}?notice=fileUploaded`);
    const text = visibleText((await seller.browser.page(location)).html);
    expect(text).toContain("grande.csv");
    expect(text).toContain("5 MB");
    expect(text).toContain("3 colunas: sku, title, price");
  });

  it("adds the sample catalog and preselects Mercado Livre", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/upload/sample", {});
    const id = await fileIdFrom(res);
    expect(res.headers.get("location")).toContain("pack=mercadolivre");
    const { html } = await seller.browser.page(res.headers.get("location")!);
    const text = visibleText(html);
    expect(text).toContain("O catálogo de exemplo está nos seus arquivos.");
    expect(text).toContain("catalogo-exemplo.csv");
    expect(text).toContain("Windows-1252");
    expect(text).toContain("ponto e vírgula (;)");
    expect(html).toContain('<option value="mercadolivre" selected="">');
    expect(html).toContain(`action="/app/upload/files/${id}/validate"`);
    expect(await stepOneDone(seller.browser)).toBe(true);
  });

  it("starts a validation job through the jobs service and goes to its page", async () => {
    const seller = await signUpInBrowser();
    const id = await fileIdFrom(await seller.browser.post("/app/upload/sample", {}));
    const res = await seller.browser.post(`/app/upload/files/${id}/validate`, { rule_pack: "mercadolivre", category: "", mapping_id: "", apply_fixes: "1" });
    expect(res.status).toBe(303);
    const jobId = /^\/app\/jobs\/(job_[0-9A-Za-z]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    expect(jobId, res.headers.get("location") ?? "").toBeDefined();
    const job = await env.DB.prepare("SELECT account_id, file_id, rule_pack, apply_fixes, status FROM jobs WHERE id = ?").bind(jobId).first<Record<string, unknown>>();
    expect(job).toMatchObject({ account_id: seller.accountId, file_id: id, rule_pack: "mercadolivre", apply_fixes: 1 });
  });

  it("starts a job on a template's rows when the seller names them, and explains rows it cannot use", async () => {
    const seller = await signUpInBrowser();
    const id = await fileIdFrom(await seller.browser.post("/app/upload/sample", {}));
    const { html } = await seller.browser.page(`/app/upload/files/${id}`);
    expect(visibleText(html)).toContain("Linhas de um modelo (opcional)");
    expect(html).toContain('name="header_row"');

    for (const [rows, field, message] of [
      [{ header_row: "0" }, "header_row", "Escreva um número de linha, como a planilha mostra."],
      [{ header_row: "abc" }, "header_row", "Escreva um número de linha, como a planilha mostra."],
      [{ header_row: "3", first_data_row: "3" }, "first_data_row", "A primeira linha de produtos vem depois da linha dos nomes das colunas."],
    ] as const) {
      const res = await seller.browser.post(`/app/upload/files/${id}/validate`, { rule_pack: "mercadolivre", category: "", mapping_id: "", ...rows });
      expect(res.status, JSON.stringify(rows)).toBe(422);
      const page = await res.text();
      expect(visibleText(page)).toContain(message);
      expect(page).toContain(`id="f-${field}-error"`);
      expect(page).toMatch(/<details class="template-rows" open/);
    }
    expect((await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE account_id = ?").bind(seller.accountId).first<{ n: number }>())!.n).toBe(0);

    const res = await seller.browser.post(`/app/upload/files/${id}/validate`, { rule_pack: "mercadolivre", category: "", mapping_id: "", header_row: "1", first_data_row: "3" });
    expect(res.status).toBe(303);
    const jobId = /^\/app\/jobs\/(job_[0-9A-Za-z]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    const job = await env.DB.prepare("SELECT sheet_options FROM jobs WHERE id = ?").bind(jobId).first<{ sheet_options: string }>();
    expect(JSON.parse(job!.sheet_options)).toEqual({ headerRow: 1, firstDataRow: 3 });
  });

  it("explains a pack or a category it cannot use beside the field", async () => {
    const seller = await signUpInBrowser();
    const id = await fileIdFrom(await seller.browser.post("/app/upload/sample", {}));
    let res = await seller.browser.post(`/app/upload/files/${id}/validate`, { rule_pack: "amazon", category: "" });
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain("Escolha regras da lista.");
    res = await seller.browser.post(`/app/upload/files/${id}/validate`, { rule_pack: "shopee", category: "MLB1055" });
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain("Esta categoria não pertence às regras escolhidas.");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE account_id = ?").bind(seller.accountId).first<{ n: number }>())!.n).toBe(0);
  });

  it("answers another account's file and upload with the same 404 as missing ones", async () => {
    const owner = await signUpInBrowser();
    const other = await signUpInBrowser();
    const fileId = await fileIdFrom(await owner.browser.post("/app/upload/sample", {}));
    await owner.browser.fetch("/app/upload");
    const created = await script(owner.browser, "POST", "/app/upload/multipart", { name: "a.csv", size: 11 });
    const { upload_id } = (await created.json()) as { upload_id: string };

    const { res, html } = await other.browser.page(`/app/upload/files/${fileId}`);
    expectNotFoundPage(res, html);
    const missing = await other.browser.page("/app/upload/files/file_doesnotexist");
    expectNotFoundPage(missing.res, missing.html);
    const post = await other.browser.post(`/app/upload/files/${fileId}/validate`, { rule_pack: "mercadolivre" });
    expectNotFoundPage(post, await post.text());

    await other.browser.fetch("/app/upload");
    expect((await other.browser.fetch(`/app/upload/multipart/${upload_id}`)).status).toBe(404);
    expect((await script(other.browser, "PUT", `/app/upload/multipart/${upload_id}/parts/1`, utf8("sku\nA1\nA2\n"))).status).toBe(404);
    expect((await script(other.browser, "POST", `/app/upload/multipart/${upload_id}/complete`)).status).toBe(404);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE file_id = ?").bind(fileId).first<{ n: number }>())!.n).toBe(0);
  });
});
