import { describe, expect, it } from "vitest";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { bytesReader, openXlsx, xlsxToRows } from "../../src/core/tabular";
import { buildXlsx } from "../fixtures/tabular/xlsx-builder";
import { call, createPack, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

async function startJob(key: string, body: unknown, headers: Record<string, string> = {}) {
  return call("/api/v1/jobs", { method: "POST", key, json: body, headers });
}

async function issuesOf(key: string, jobId: string) {
  const text = await (await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson`, { key })).text();
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

const bySignature = (issues: any[]) => issues.map((i) => `${i.row}|${i.rule}|${i.severity}`).sort();
/** A file's issues count rows as its spreadsheet shows them (header = row 1): one further down than record numbers. */
const asSheetRows = (issues: any[]) => issues.map((i) => ({ ...i, row: i.row + 1 }));
/** The same shift for a summary's example rows per rule. */
const withSheetExamples = (summary: any) => ({
  ...summary,
  records_by_rule: Object.fromEntries(
    Object.entries(summary.records_by_rule).map(([rule, r]: [string, any]) => [rule, { ...r, examples: r.examples.map((row: number) => row + 1) }]),
  ),
});

describe("a CSV catalog through the pipeline", () => {
  it("gives exactly what a single pass over the same records gives, across chunks", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const rows = sellerCatalog(230);
    const file = await uploadFile(key, catalogCsv(rows), "catalogo.csv");
    expect(file.format).toBe("csv");

    const created = await startJob(key, { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } });
    expect(created.status).toBe(202);
    const job = (await created.json()) as any;
    expect(created.headers.get("location")).toBe(`/api/v1/jobs/${job.id}`);
    expect(job.status).toBe("queued");

    const done = await waitForJob(key, job.id);
    expect(done.status).toBe("completed");
    // JOB_CHUNK_ROWS is 50 in tests: 230 rows make 5 chunks.
    expect(done.progress).toEqual({ rows_processed: 230, rows_total: 230, chunks_done: 5, chunks_total: 5, percent: 100 });

    const oracle = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "pipeline-test", records: rows, apply_fixes: true } })).json()) as any;
    expect(done.counts).toEqual({
      records: oracle.summary.records,
      valid: oracle.summary.valid,
      invalid: oracle.summary.invalid,
      corrected: oracle.summary.corrected,
      issues: oracle.summary.issues,
    });
    const result = (await (await call(`/api/v1/jobs/${job.id}/result`, { key })).json()) as any;
    expect(result.summary).toEqual(withSheetExamples(oracle.summary));
    expect(result.first_issues.length).toBe(20);

    const pipelineIssues = await issuesOf(key, job.id);
    expect(bySignature(pipelineIssues)).toEqual(bySignature(asSheetRows(oracle.results.flatMap((r: any) => r.issues))));
    const crossChunk = pipelineIssues.find((i) => i.rule === "t.sku.unique" && i.row === 200);
    expect(crossChunk?.message).toContain("3");
  });

  it("streams the corrected catalog in the seller's own layout: only fixed cells change, formulas are reported and left alone", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const rows = sellerCatalog(60);
    rows[0].title = "=HYPERLINK(\"http://evil\")";
    const source = catalogCsv(rows);
    const file = await uploadFile(key, source, "catalogo.csv");
    const job = (await (await startJob(key, { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } })).json()) as any;
    await waitForJob(key, job.id);
    const res = await call(`/api/v1/jobs/${job.id}/result/corrected?format=csv`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    expect(res.headers.get("x-vitrine-encoding")).toBe("utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\ufeffsku;title;description;price\r\n")).toBe(true);
    // The formula cell is the seller's, byte for byte; it is reported instead of rewritten.
    expect(text).toContain('SKU-0001;"=HYPERLINK(""http://evil"")";Descrição 1;10.50\r\n');
    expect(text).not.toContain("'=HYPERLINK");
    const issues = await issuesOf(key, job.id);
    expect(issues).toContainEqual(expect.objectContaining({ row: 2, rule: "file.formula", severity: "warning", column: "title", sku: "SKU-0001" }));
    expect(text).toContain('"Linha 1\nLinha 2; com ""aspas"" e ponto e vírgula"');
    // Every line is the source's, except the cells a fix changed (prices, long titles).
    const before = source.split("\r\n");
    const after = text.split("\r\n");
    expect(after.length).toBe(before.length);
    const changed = after.map((line, i) => (line === before[i] ? null : [before[i].split(";"), line.split(";")])).filter(Boolean) as string[][][];
    expect(changed.length).toBeGreaterThan(0);
    for (const [was, now] of changed) {
      expect(now[0]).toBe(was[0]);
      expect(now[2]).toBe(was[2]);
      expect(now[3] === was[3] || (was[3] === "1.234,56" && now[3] === "1234.56")).toBe(true);
      expect(now[1] === was[1] || now[1] === "Fone de Ouvido Bluetooth").toBe(true);
    }
  });

  it("filters issues and pages them as JSON, and exports CSV", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const file = await uploadFile(key, catalogCsv(sellerCatalog(120)), "c.csv");
    const job = (await (await startJob(key, { source: { file_id: file.id }, rule_pack: "pipeline-test" })).json()) as any;
    await waitForJob(key, job.id);
    const all = await issuesOf(key, job.id);
    const errors = all.filter((i) => i.severity === "error");

    let cursor: string | null = null;
    const paged: any[] = [];
    do {
      const page = (await (await call(`/api/v1/jobs/${job.id}/result/issues?format=json&severity=error&limit=7${cursor ? `&cursor=${cursor}` : ""}`, { key })).json()) as any;
      expect(page.data.length).toBeLessThanOrEqual(7);
      paged.push(...page.data);
      cursor = page.has_more ? page.next_cursor : null;
    } while (cursor);
    expect(paged).toEqual(errors);

    const byRule = await (await call(`/api/v1/jobs/${job.id}/result/issues?format=ndjson&rule=t.price.range`, { key })).text();
    expect(byRule.split("\n").filter(Boolean).every((l) => JSON.parse(l).rule === "t.price.range")).toBe(true);

    // The issues report opens in the seller's spreadsheet: the source's ";", UTF-8 with a BOM, CRLF.
    const csv = await (await call(`/api/v1/jobs/${job.id}/result/issues?format=csv`, { key })).arrayBuffer();
    const csvText = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(csv);
    expect(csvText.split("\r\n")[0]).toBe("\ufeffRow;SKU;Column;Rule;Severity;Message;Value;Suggestion");
    await expectProblem(await call(`/api/v1/jobs/${job.id}/result/corrected`, { key }), 409);
  });
});

describe("inline records", () => {
  it("run through the same pipeline and return NDJSON corrections", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const records = [
      { sku: "A-1", title: "Camiseta", price: "49,90" },
      { sku: "A-1", title: "Camiseta duplicada", price: "10" },
      { sku: "A-3", title: "Caneca", price: "0" },
    ];
    const job = (await (await startJob(key, { source: { records }, rule_pack: "pipeline-test", options: { apply_fixes: true } })).json()) as any;
    const done = await waitForJob(key, job.id);
    expect(done.counts).toMatchObject({ records: 3, valid: 1, invalid: 2, corrected: 1 });
    const corrected = (await (await call(`/api/v1/jobs/${job.id}/result/corrected`, { key })).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(corrected[0].price).toBe(49.9);
  });
});

describe("job lifecycle", () => {
  it("lists jobs by status, newest first, and replays with Idempotency-Key", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const body = { source: { records: [{ sku: "1", title: "x", price: "1" }] }, rule_pack: "pipeline-test" };
    const first = (await (await startJob(key, body, { "idempotency-key": "job-1" })).json()) as any;
    const replay = await startJob(key, body, { "idempotency-key": "job-1" });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as any).id).toBe(first.id);
    await expectProblem(await startJob(key, { ...body, rule_pack: "common" }, { "idempotency-key": "job-1" }), 422, "idempotency-mismatch");
    const second = (await (await startJob(key, body)).json()) as any;
    await waitForJob(key, first.id);
    await waitForJob(key, second.id);
    // The list reads D1, which the coordinator's outbox updates moments after the job ends.
    await expect
      .poll(async () => ((await (await call("/api/v1/jobs?status=completed&limit=10", { key })).json()) as any).data.map((j: any) => j.id))
      .toEqual([second.id, first.id]);
    const none = (await (await call("/api/v1/jobs?status=failed", { key })).json()) as any;
    expect(none.data).toEqual([]);
  });

  it("refuses unknown packs, categories and files clearly", async () => {
    const { key } = await newAccount();
    await expectProblem(await startJob(key, { source: { records: [{ sku: "1" }] }, rule_pack: "nope" }), 404);
    await expectProblem(await startJob(key, { source: { records: [{ sku: "1" }] }, rule_pack: "mercadolivre", category: "MLB0" }), 422, "invalid-rule-pack");
    await expectProblem(await startJob(key, { source: { file_id: "file_nope" }, rule_pack: "common" }), 404);
    await expectProblem(await startJob(key, { source: {}, rule_pack: "common" }), 400);
  });

  it("answers 409 for results of an unfinished job and 404 for unknown jobs", async () => {
    const { key } = await newAccount();
    await expectProblem(await call("/api/v1/jobs/job_unknown", { key }), 404);
    await expectProblem(await call("/api/v1/jobs/job_unknown/result", { key }), 404);
  });

  it("fails a job whose workbook carries macros, saying why", async () => {
    const { key } = await newAccount();
    const xlsm = await buildXlsx({ sheets: [{ name: "Produtos", rows: [["sku", "title"], ["1", "Caneca"]] }], macro: true });
    const file = await uploadFile(key, xlsm, "planilha.xlsm", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const job = (await (await startJob(key, { source: { file_id: file.id }, rule_pack: "common" })).json()) as any;
    const done = await waitForJob(key, job.id);
    expect(done.status).toBe("failed");
    expect(done.error.code).toMatch(/macro/);
    await expectProblem(await call(`/api/v1/jobs/${job.id}/result`, { key }), 409);
  });
});

describe("an Excel catalog", () => {
  it("is converted once and validated like a CSV", async () => {
    const { key } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const rows = sellerCatalog(75);
    const header = ["sku", "title", "description", "price"] as const;
    const xlsx = await buildXlsx({ sheets: [{ name: "Produtos", rows: [[...header], ...rows.map((r) => header.map((h) => r[h]))] }] });
    const file = await uploadFile(key, xlsx, "catalogo.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(file.format).toBe("xlsx");
    const job = (await (await startJob(key, { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } })).json()) as any;
    const done = await waitForJob(key, job.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");
    const oracle = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "pipeline-test", records: rows, apply_fixes: true } })).json()) as any;
    expect(done.counts.invalid).toBe(oracle.summary.invalid);
    expect(done.counts.issues).toEqual(oracle.summary.issues);
    // XLSX in, XLSX out: the seller's own workbook, the same sheet and header, fixes written into it.
    const res = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const book = bytesReader(new Uint8Array(await res.arrayBuffer()));
    expect((await openXlsx(book)).sheets.map((s) => s.name)).toEqual(["Produtos"]);
    const back = xlsxToRows(book);
    expect(await back.header()).toEqual([...header]);
    const read: string[][] = [];
    for await (const row of back) read.push(row.values);
    expect(read).toHaveLength(75);
    const fixedByRow = new Map<number, Record<string, unknown>>(oracle.results.map((r: any, i: number) => [i, r.corrected]));
    read.forEach((values, i) => expect(values[1]).toBe(String(fixedByRow.get(i)!.title)));
    // …and the same rows as CSV on request.
    const csv = await (await call(`/api/v1/jobs/${job.id}/result/corrected?format=csv`, { key })).text();
    expect(csv.split("\r\n")[0]).toBe("sku,title,description,price");
  });
});

describe("POST /jobs and /validate agree on defaults", () => {
  it("takes the rule pack and category from the mapping when rule_pack is absent", async () => {
    const { key } = await newAccount();
    const mapping = (await (
      await call("/api/v1/mappings", {
        method: "POST",
        key,
        json: { name: "Loja", marketplace: "mercadolivre", category: "MLB1055", fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome" }] },
      })
    ).json()) as { id: string };
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: [{ Código: "A1", Nome: "Caneca" }] }, mapping_id: mapping.id } });
    expect(res.status).toBe(202);
    const job = (await res.json()) as any;
    expect(job).toMatchObject({ rule_pack: { id: "mercadolivre" }, category: "MLB1055", mapping: { id: mapping.id, version: 1 } });
    await expectProblem(await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: [{ sku: "A1" }] } } }), 400, "invalid-request");
  });
});
