import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids";
import { text } from "../../src/core/text";
import { database } from "../../src/db/client";
import { type JobRow, jobs } from "../../src/db/schema";
import { createFile } from "../../src/services/files";
import { coordinator, createJob } from "../../src/services/jobs/jobs";
import { createSampleFile } from "../../src/services/samples";
import { type Browser, expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

/** Starts a job on the sample catalog with fixes, as the upload page does, and waits for it through the page's progress JSON. */
async function completedSampleJob(browser: Browser, accountId: string) {
  const file = await createSampleFile(env, accountId);
  const job = await createJob(env, { accountId }, { source: { file_id: file.id }, rulePack: "mercadolivre", applyFixes: true, locale: "pt-BR" });
  await waitThroughProgress(browser, job.id);
  return { job: (await jobRow(job.id))!, file };
}

async function waitThroughProgress(browser: Browser, jobId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await browser.fetch(`/app/jobs/${jobId}/progress`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const progress = (await res.json()) as { status: string; finished: boolean; percent: number; text: string; status_label: string };
    expect(progress.percent).toBeGreaterThanOrEqual(0);
    if (progress.finished) return progress;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${progress.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function jobRow(id: string): Promise<JobRow | undefined> {
  const [row] = await database(env.DB).select().from(jobs).where(eq(jobs.id, id));
  return row;
}

/** A job stored as queued whose pipeline was never started: it stays queued, so cancelling it is deterministic. */
async function queuedJob(accountId: string, overrides: Partial<JobRow> = {}): Promise<JobRow> {
  const file = await createSampleFile(env, accountId);
  const now = Date.now();
  const row: JobRow = {
    id: newId("job", now),
    accountId,
    status: "queued",
    rulePack: "mercadolivre",
    rulePackRevision: null,
    rulePackHash: "test",
    category: null,
    mappingId: null,
    mappingVersion: null,
    applyFixes: true,
    locale: "pt-BR",
    sourceType: "file",
    connectorId: null,
    fileId: file.id,
    inputKey: file.id,
    priority: "normal",
    sheetOptions: null,
    layout: null,
    summary: null,
    error: null,
    rowsTotal: null,
    chunksTotal: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
    ...overrides,
  };
  await database(env.DB).insert(jobs).values(row);
  if (row.status === "queued") await coordinator(env, row.id).init({ jobId: row.id, accountId, priority: "normal" });
  return row;
}

/** The issues table's rows: each `<tr>` of `table.issues`' body as its cells' text. */
function issueRows(html: string): string[][] {
  const body = /<table class="issues">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => visibleText(td[1])));
}

function nextLink(html: string): string | null {
  const match = /<a href="([^"]+)" rel="next">/.exec(html);
  return match ? match[1].replaceAll("&amp;", "&") : null;
}

describe("the validations list", () => {
  it("starts empty, then lists the account's jobs newest first with status, counts, pack and file name", async () => {
    const seller = await signUpInBrowser();
    const empty = await seller.browser.page("/app/jobs");
    expect(empty.res.status).toBe(200);
    expect(visibleText(empty.html)).toContain("Nenhuma validação ainda");
    expect(empty.html).toContain('aria-current="page"');

    const { job } = await completedSampleJob(seller.browser, seller.accountId);
    const queued = await queuedJob(seller.accountId);
    const { html } = await seller.browser.page("/app/jobs");
    const text = visibleText(html);
    expect(text).toContain("catalogo-exemplo.csv");
    expect(text).toContain("Concluída");
    expect(text).toContain("Na fila");
    expect(text).toContain("40 produtos");
    expect(text).toContain("mercadolivre");
    // Newest first.
    expect(html.indexOf(`/app/jobs/${queued.id}`)).toBeLessThan(html.indexOf(`/app/jobs/${job.id}`));
  });

  it("pages with the jobs service's cursor", async () => {
    const seller = await signUpInBrowser();
    const made: string[] = [];
    for (let n = 0; n < 27; n++) made.push((await queuedJob(seller.accountId, { status: "cancelled", createdAt: Date.now() + n, finishedAt: Date.now() })).id);
    const first = await seller.browser.page("/app/jobs");
    const next = nextLink(first.html);
    expect(next).toMatch(/^\/app\/jobs\?starting_after=job_/);
    const second = await seller.browser.page(next!);
    const ids = (html: string) => [...html.matchAll(/href="\/app\/jobs\/(job_[^"]+)"/g)].map((m) => m[1]);
    expect(ids(first.html)).toHaveLength(25);
    expect(ids(second.html)).toHaveLength(2);
    expect(new Set([...ids(first.html), ...ids(second.html)])).toEqual(new Set(made));
    expect(nextLink(second.html)).toBeNull();
  });

  it("speaks English to an English reader", async () => {
    const seller = await signUpInBrowser();
    await queuedJob(seller.accountId);
    await seller.browser.post("/language", { locale: "en", next: "/app/jobs" });
    const { html } = await seller.browser.page("/app/jobs");
    expect(visibleText(html)).toContain("Validations");
    expect(visibleText(html)).toContain("Queued");
  });
});

describe("a job's page while it runs", () => {
  it("shows the progress, a refresh link without script, and the progress as JSON", async () => {
    const seller = await signUpInBrowser();
    const job = await queuedJob(seller.accountId);
    const { res, html } = await seller.browser.page(`/app/jobs/${job.id}`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-module="job-progress"');
    expect(html).toContain(`data-url="/app/jobs/${job.id}/progress"`);
    expect(html).toContain("<progress");
    expect(html).toContain(`<a href="/app/jobs/${job.id}">Atualizar</a>`);
    expect(html).not.toContain('http-equiv="refresh"');

    const progress = await seller.browser.fetch(`/app/jobs/${job.id}/progress`);
    expect(await progress.json()).toMatchObject({ status: "queued", status_label: "Na fila", percent: 0, finished: false });
  });

  it("cancels through a form with the CSRF token, and refuses one without it", async () => {
    const seller = await signUpInBrowser();
    const job = await queuedJob(seller.accountId);
    const page = await seller.browser.page(`/app/jobs/${job.id}`);
    expect(page.html).toContain(`action="/app/jobs/${job.id}/cancel"`);

    const refused = await seller.browser.post(`/app/jobs/${job.id}/cancel`, {}, { csrf: false });
    expect(refused.status).toBe(403);
    expect((await jobRow(job.id))!.status).toBe("queued");

    const res = await seller.browser.post(`/app/jobs/${job.id}/cancel`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/app/jobs/${job.id}?notice=jobCancelled`);
    expect((await jobRow(job.id))!.status).toBe("cancelled");
    const after = visibleText((await seller.browser.page(res.headers.get("location")!)).html);
    expect(after).toContain("Validação cancelada.");
    expect(after).toContain("Cancelada");
    const progress = (await (await seller.browser.fetch(`/app/jobs/${job.id}/progress`)).json()) as any;
    expect(progress).toMatchObject({ status: "cancelled", finished: true });
  });

  it("shows a failed job's error in the reader's language", async () => {
    const seller = await signUpInBrowser();
    const error = { code: "unreadable_input", message: text("The file could not be read as CSV.", "O arquivo não pôde ser lido como CSV.") };
    const job = await queuedJob(seller.accountId, { status: "failed", error, finishedAt: Date.now() });
    const pt = visibleText((await seller.browser.page(`/app/jobs/${job.id}`)).html);
    expect(pt).toContain("Esta validação falhou");
    expect(pt).toContain("O arquivo não pôde ser lido como CSV.");
    expect(pt).toContain("unreadable_input");
    await seller.browser.post("/language", { locale: "en", next: "/app" });
    const en = visibleText((await seller.browser.page(`/app/jobs/${job.id}`)).html);
    expect(en).toContain("The file could not be read as CSV.");
  });
});

describe("a completed job's page", () => {
  it("shows the summary, the top issues with explanations, the charts, the issues and the downloads", async () => {
    const seller = await signUpInBrowser();
    const { job } = await completedSampleJob(seller.browser, seller.accountId);
    const summary = job.summary!;
    const { res, html } = await seller.browser.page(`/app/jobs/${job.id}`);
    expect(res.status).toBe(200);
    const page = visibleText(html);
    expect(page).toContain("Validação de catalogo-exemplo.csv");
    expect(page).toContain(`40 Produtos ${summary.valid} Válidos ${summary.invalid} Com erros ${summary.corrected} Corrigidos`);
    // Top issues: every rule of the summary, explained in Portuguese.
    for (const rule of Object.keys(summary.by_rule)) expect(html).toContain(`<code>${rule}</code>`);
    expect(page).toContain("O que corrigir primeiro");
    expect(html).toContain(`href="/app/jobs/${job.id}?rule=ml.title.max_length#issues-heading"`);
    // Charts drawn on the server, labelled for screen readers, with their numbers as a table.
    expect(html.match(/<svg[^>]*role="img"/g)).toHaveLength(2);
    expect(html).toContain('<title id="chart-rule-svg-title">Problemas por regra</title>');
    expect(html).toContain('<title id="chart-field-svg-title">Problemas por campo</title>');
    expect(html).toMatch(/<desc id="chart-rule-svg-desc">[^<]*ml\.title\.max_length: \d+/);
    expect(html).toContain("Os mesmos números em tabela");
    // The sample's issues fit one page (of 50).
    expect(issueRows(html)).toHaveLength(summary.issues.total);
    // No progress polling once it is done.
    expect(html).not.toContain('data-module="job-progress"');
    // Downloads: the corrected catalog and the issues in every format.
    expect(html).toContain(`href="/app/jobs/${job.id}/download/corrected"`);
    for (const format of ["csv", "xlsx", "json", "ndjson"]) expect(html).toContain(`href="/app/jobs/${job.id}/download/issues/${format}"`);
    expect(page).toContain("Catálogo corrigido (CSV)");
  });

  it("filters the issues table by severity, rule, field, column, SKU and SKU prefix", async () => {
    const seller = await signUpInBrowser();
    const { job } = await completedSampleJob(seller.browser, seller.accountId);
    const base = `/app/jobs/${job.id}`;
    const rows = async (query: string) => issueRows((await seller.browser.page(`${base}?${query}`)).html);
    // Columns: row, SKU, severity, rule, field (column), message, value.
    const byRule = await rows("rule=ml.title.max_length");
    expect(byRule.length).toBe(job.summary!.by_rule["ml.title.max_length"].count);
    expect(byRule.every((r) => r[3] === "ml.title.max_length")).toBe(true);
    const warnings = await rows("severity=warning");
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((r) => r[2] === "Aviso")).toBe(true);
    const images = await rows("field=images");
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((r) => r[4].startsWith("images"))).toBe(true);
    const formula = await rows("column=Observa%C3%A7%C3%B5es");
    expect(formula.map((r) => r[3])).toContain("file.formula");
    const sku = await rows("sku=CEL-FONE-BT");
    expect(sku.length).toBeGreaterThan(0);
    expect(sku.every((r) => r[1] === "CEL-FONE-BT")).toBe(true);
    const prefix = await rows("sku_prefix=cel-");
    expect(prefix.length).toBeGreaterThan(sku.length);
    expect(prefix.every((r) => r[1].toUpperCase().startsWith("CEL-"))).toBe(true);
    const combined = await rows("sku_prefix=cel-&severity=error");
    expect(combined.every((r) => r[1].toUpperCase().startsWith("CEL-") && r[2] === "Erro")).toBe(true);
    const none = await seller.browser.page(`${base}?sku=NO-SUCH-SKU`);
    expect(visibleText(none.html)).toContain("Nenhum problema desta página corresponde aos filtros.");
    // The form shows the filters applied.
    const shown = (await seller.browser.page(`${base}?rule=ml.title.max_length&sku_prefix=cel-`)).html;
    expect(shown).toContain('<option value="ml.title.max_length" selected="">');
    expect(shown).toMatch(/id="f-sku_prefix" name="sku_prefix" type="text" value="cel-"/);
  });

  it("pages through the stored issues with the service's cursor, 50 at a time, keeping the filters", async () => {
    const seller = await signUpInBrowser();
    // 120 products with long, shouting titles: well over one page of issues, across several chunks.
    const lines = ["sku;title;price;stock;condition;brand;model"];
    for (let n = 1; n <= 120; n++) lines.push(`P-${n};SMARTPHONE GALAXY A15 128GB 4GB RAM TELA 6.5 CAMERA TRIPLA AZUL ESCURO ${n};10,00;1;new;Samsung;A15`);
    const bytes = new TextEncoder().encode(lines.join("\r\n") + "\r\n");
    const file = await createFile(env, seller.accountId, { name: "grande.csv", size: bytes.byteLength, body: new Blob([bytes]).stream() });
    const created = await createJob(env, { accountId: seller.accountId }, { source: { file_id: file.id }, rulePack: "mercadolivre", applyFixes: false, locale: "pt-BR" });
    await waitThroughProgress(seller.browser, created.id);
    const job = (await jobRow(created.id))!;
    expect(job.summary!.issues.total).toBeGreaterThan(100);
    const all = await seller.browser.fetch(`/app/jobs/${job.id}/download/issues/json`);
    const issues = (await all.json()) as any[];
    const first = await seller.browser.page(`/app/jobs/${job.id}`);
    const next = nextLink(first.html);
    expect(next).toMatch(/\?cursor=/);
    const second = await seller.browser.page(next!);
    expect(issueRows(first.html)).toHaveLength(50);
    expect(issueRows(second.html)).toHaveLength(50);
    const seen = [...issueRows(first.html), ...issueRows(second.html)];
    expect(seen.map((r) => `${r[0]}|${r[3]}`)).toEqual(issues.slice(0, seen.length).map((i) => `${i.row}|${i.rule}`));
    expect(second.html).toContain(`<a href="/app/jobs/${job.id}#issues-heading">Primeiros problemas</a>`);

    const titles = await seller.browser.page(`/app/jobs/${job.id}?rule=ml.title.max_length`);
    expect(issueRows(titles.html)).toHaveLength(50);
    const titleRows = issueRows(titles.html);
    let link = nextLink(titles.html);
    while (link) {
      expect(link).toContain("rule=ml.title.max_length");
      const page = await seller.browser.page(link);
      titleRows.push(...issueRows(page.html));
      link = nextLink(page.html);
    }
    expect(titleRows).toHaveLength(120);
    expect(titleRows.every((r) => r[3] === "ml.title.max_length")).toBe(true);
    // A cursor that is not one of ours starts over instead of failing.
    const foreign = await seller.browser.page(`/app/jobs/${job.id}?cursor=bm90LW91cnM`);
    expect(foreign.res.status).toBe(200);
    expect(issueRows(foreign.html)).toEqual(issueRows(first.html));
  });

  it("downloads the issues in every format and the corrected catalog in the source's format and encoding", async () => {
    const seller = await signUpInBrowser();
    const { job } = await completedSampleJob(seller.browser, seller.accountId);
    const total = job.summary!.issues.total;
    const base = `/app/jobs/${job.id}/download`;

    const json = await seller.browser.fetch(`${base}/issues/json`);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toBe(`attachment; filename="${job.id}-issues.json"`);
    const parsed = (await json.json()) as any[];
    expect(parsed).toHaveLength(total);
    expect(parsed[0].message).toMatch(/\S/);

    const ndjson = await seller.browser.fetch(`${base}/issues/ndjson`);
    expect(ndjson.headers.get("content-type")).toBe("application/x-ndjson");
    expect((await ndjson.text()).trimEnd().split("\n")).toHaveLength(total);

    const csv = await seller.browser.fetch(`${base}/issues/csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const csvText = await csv.text();
    expect(csvText.trimEnd().split("\r\n").length).toBeGreaterThan(total);

    const xlsx = await seller.browser.fetch(`${base}/issues/xlsx`);
    expect(xlsx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)]).toEqual([0x50, 0x4b]);

    // Filters apply to downloads too.
    const filtered = (await (await seller.browser.fetch(`${base}/issues/json?rule=ml.title.max_length`)).json()) as any[];
    expect(filtered).toHaveLength(job.summary!.by_rule["ml.title.max_length"].count);

    const corrected = await seller.browser.fetch(`${base}/corrected`);
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get("content-type")).toBe("text/csv; charset=windows-1252");
    expect(corrected.headers.get("x-vitrine-encoding")).toBe("windows-1252");
    const lines = new TextDecoder("windows-1252").decode(await corrected.arrayBuffer()).split("\r\n");
    expect(lines[0]).toBe("sku;title;description;price;sale_price;stock;condition;brand;model;gtin;ncm;Imagem 1;Imagem 2;Imagem 3;Observações");
    expect(lines.filter(Boolean)).toHaveLength(41);

    expect((await seller.browser.fetch(`${base}/issues/pdf`)).status).toBe(404);
  });

  it("explains results past the retention period instead of showing them, and downloads go back to the page", async () => {
    const seller = await signUpInBrowser();
    const { job } = await completedSampleJob(seller.browser, seller.accountId);
    const finishedAt = Date.now() - 91 * 24 * 3600 * 1000;
    await database(env.DB).update(jobs).set({ finishedAt }).where(eq(jobs.id, job.id));
    const { res, html } = await seller.browser.page(`/app/jobs/${job.id}`);
    expect(res.status).toBe(200);
    const page = visibleText(html);
    expect(page).toContain("Estes resultados foram apagados");
    expect(page).toContain("90 dias");
    expect(page).toContain("40 Produtos");
    expect(issueRows(html)).toHaveLength(0);
    const download = await seller.browser.fetch(`/app/jobs/${job.id}/download/corrected`);
    expect(download.status).toBe(303);
    expect(download.headers.get("location")).toBe(`/app/jobs/${job.id}`);
  });

  it("renders a catalog's markup inert: escaped in the issues table, never markup", async () => {
    const seller = await signUpInBrowser();
    const attack = "<img src=x onerror=alert(1)>";
    const csv = `sku;title;description;price;stock;condition;brand;model;gtin\r\n${attack};${attack} celular;${attack};10,00;1;new;Marca;Modelo;\r\n`;
    const bytes = new TextEncoder().encode(csv);
    const file = await createFile(env, seller.accountId, { name: "xss.csv", size: bytes.byteLength, body: new Blob([bytes]).stream() });
    const job = await createJob(env, { accountId: seller.accountId }, { source: { file_id: file.id }, rulePack: "mercadolivre", applyFixes: false, locale: "pt-BR" });
    await waitThroughProgress(seller.browser, job.id);
    const { html } = await seller.browser.page(`/app/jobs/${job.id}`);
    const rows = issueRows(html);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r[1] === attack)).toBe(true);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const byPrefix = await seller.browser.page(`/app/jobs/${job.id}?sku_prefix=${encodeURIComponent("<img")}`);
    expect(byPrefix.html).not.toContain("<img");
    expect(issueRows(byPrefix.html).length).toBe(rows.length);
  });
});

describe("how the file was read", () => {
  it("says which columns were read into which fields, which were not, and on which row the column names were found below a title", async () => {
    const seller = await signUpInBrowser();
    const csv = "Catálogo da Loja;;;\r\n;;;\r\nsku;Título;Preço (R$);Observação\r\nA1;Caneca Azul;29,90;frágil\r\n";
    const bytes = new TextEncoder().encode(csv);
    const file = await createFile(env, seller.accountId, { name: "com-titulo.csv", size: bytes.byteLength, body: new Blob([bytes]).stream() });
    const job = await createJob(env, { accountId: seller.accountId }, { source: { file_id: file.id }, rulePack: "common", applyFixes: false, locale: "pt-BR" });
    await waitThroughProgress(seller.browser, job.id);
    const titled = visibleText((await seller.browser.page(`/app/jobs/${job.id}`)).html);
    expect(titled).toContain("Nomes das colunas encontrados na linha 3; as linhas acima (um título) ficaram como estão.");
    expect(titled).toContain("Colunas lidas: sku → SKU, Título → Título, Preço (R$) → Preço.");
    expect(titled).toContain("Colunas não lidas: Observação. Para usá-las, salve um mapeamento (Mapeamentos).");
    expect(titled).toContain("1 Produtos");

    const { job: plain } = await completedSampleJob(seller.browser, seller.accountId);
    const page = visibleText((await seller.browser.page(`/app/jobs/${plain.id}`)).html);
    expect(page).toContain("Colunas lidas: sku → SKU, title → Título,");
    expect(page).not.toContain("Nomes das colunas encontrados");
  });
});

describe("isolation", () => {
  it("another account's job is the 404 page on every route, exactly like an unknown one", async () => {
    const owner = await signUpInBrowser();
    const { job } = await completedSampleJob(owner.browser, owner.accountId);
    const running = await queuedJob(owner.accountId);
    const other = await signUpInBrowser();
    for (const id of [job.id, "job_00000000000000000000000000"]) {
      for (const path of [`/app/jobs/${id}`, `/app/jobs/${id}/download/corrected`, `/app/jobs/${id}/download/issues/csv`]) {
        const { res, html } = await other.browser.page(path);
        expectNotFoundPage(res, html);
      }
      expect((await other.browser.fetch(`/app/jobs/${id}/progress`)).status).toBe(404);
    }
    const cancel = await other.browser.post(`/app/jobs/${running.id}/cancel`, {});
    expectNotFoundPage(cancel, await cancel.text());
    expect((await jobRow(running.id))!.status).toBe("queued");
    expect(visibleText((await other.browser.page("/app/jobs")).html)).not.toContain("catalogo-exemplo.csv");
  });

  it("sends a browser without a session to sign in", async () => {
    const owner = await signUpInBrowser();
    const job = await queuedJob(owner.accountId);
    const { Browser } = await import("./helpers");
    const stranger = new Browser();
    for (const path of ["/app/jobs", `/app/jobs/${job.id}`, `/app/jobs/${job.id}/progress`, `/app/jobs/${job.id}/download/issues/json`]) {
      expectSentToSignIn(await stranger.fetch(path));
    }
  });
});
