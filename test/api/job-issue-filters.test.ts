import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/core/tabular";
import { bytesReader, xlsxToRows } from "../../src/core/tabular";
import { getJobRow } from "../../src/services/jobs/jobs";
import { decodeCursor, issuesPage } from "../../src/services/jobs/results";
import { call, createPack, env, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

const FILTER_PACK = `
id: filter-test
name: Filter test pack
version: 1.0.0
rules:
  - id: f.sku.required
    field: sku
    check: required
  - id: f.title.max
    field: title
    check: max_length
    max: 20
    severity: warning
  - id: f.price.range
    field: price
    check: range
    gt: 0
  - id: f.images.url
    field: images
    check: url
    each: true
    schemes: [https]
    severity: info
`;

const ROWS = 320;
/** A SKU with the characters JSON escapes, to show filters compare values, not their encoding. */
const ODD_SKU = 'Caixa "Grande" \\ 2';

/** 320 records (7 chunks of 50 in tests), each with a few issues on several fields and columns. */
function catalog(): string {
  const lines = ["sku;title;price;image_1;image_2"];
  for (let i = 1; i <= ROWS; i++) {
    const sku = i === 60 ? ODD_SKU : i % 40 === 0 ? "" : i % 3 === 0 ? `CEL-${i}` : `tenis-${i}`;
    const title = i % 2 === 0 ? `Tênis de corrida modelo número ${i}` : `Tênis ${i}`;
    const price = i % 5 === 0 ? "0" : "99,90";
    const image1 = i % 4 === 0 ? `http://cdn.loja.com.br/${i}-1.jpg` : `https://cdn.loja.com.br/${i}-1.jpg`;
    const image2 = i % 6 === 0 ? `ftp://cdn.loja.com.br/${i}-2.jpg` : `https://cdn.loja.com.br/${i}-2.jpg`;
    const cell = (v: string) => (/[;"]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    lines.push([sku, title, price, image1, image2].map(cell).join(";"));
  }
  return lines.join("\r\n") + "\r\n";
}

let key: string;
let accountId: string;
let jobId: string;
/** Every issue of the job, in report order: the oracle each filter is checked against. */
let all: any[];

const issuesUrl = (query: string) => `/api/v1/jobs/${jobId}/result/issues?${query}`;

async function ndjson(query: string) {
  const res = await call(issuesUrl(`format=ndjson&${query}`), { key });
  expect(res.status).toBe(200);
  return new TextDecoder().decode(await res.arrayBuffer()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

async function pages(query: string, limit: number) {
  const out: any[] = [];
  let cursor: string | null = null;
  let count = 0;
  do {
    const res = await call(issuesUrl(`format=json&limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ""}`), { key });
    expect(res.status).toBe(200);
    const page = (await res.json()) as any;
    expect(page.data.length).toBeLessThanOrEqual(limit);
    out.push(...page.data);
    cursor = page.has_more ? page.next_cursor : null;
    count++;
  } while (cursor);
  return { issues: out, pages: count };
}

/** The filters under test, and what each selects, written independently of the service. */
const CASES: [string, (i: any) => boolean][] = [
  ["field=images", (i) => i.field.startsWith("images[")],
  ["field=images%5B1%5D", (i) => i.field === "images[1]"],
  ["field=title", (i) => i.field === "title"],
  ["column=image_2", (i) => i.column === "image_2"],
  ["sku=CEL-12", (i) => i.sku === "CEL-12"],
  [`sku=${encodeURIComponent(ODD_SKU)}`, (i) => i.sku === ODD_SKU],
  ["sku_prefix=TENIS-1", (i) => typeof i.sku === "string" && i.sku.toLowerCase().startsWith("tenis-1")],
  ["field=images&severity=info&sku_prefix=cel", (i) => i.field.startsWith("images[") && i.severity === "info" && /^cel/i.test(i.sku ?? "")],
  ["column=price&rule=f.price.range", (i) => i.column === "price" && i.rule === "f.price.range"],
];

beforeAll(async () => {
  ({ key, accountId } = await newAccount());
  await createPack(key, FILTER_PACK);
  const file = await uploadFile(key, catalog(), "tenis.csv");
  const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "filter-test" } });
  jobId = ((await res.json()) as any).id;
  const done = await waitForJob(key, jobId);
  expect(done.status).toBe("completed");
  expect(done.progress.chunks_total).toBe(7);
  all = await ndjson("");
  expect(all.length).toBe(done.counts.issues.total);
});

describe("GET /jobs/{id}/result/issues filters by field, column and SKU", () => {
  it("streams exactly the matching issues as NDJSON, for each filter and combination", async () => {
    for (const [query, select] of CASES) {
      const expected = all.filter(select);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(expected.length, query).toBeLessThan(all.length);
      expect(await ndjson(query), query).toEqual(expected);
    }
  });

  it("pages the same issues as JSON across chunks, following next_cursor", async () => {
    for (const [query, select] of CASES) {
      const expected = all.filter(select);
      const paged = await pages(query, 9);
      expect(paged.issues, query).toEqual(expected);
      expect(paged.pages, query).toBe(Math.max(1, Math.ceil(expected.length / 9)));
    }
    // Unfiltered, many pages across every chunk's object.
    const everything = await pages("", 50);
    expect(everything.issues).toEqual(all);
    expect(everything.pages).toBeGreaterThan(7);
  });

  it("writes only the matching issues into CSV and XLSX reports", async () => {
    const expected = all.filter((i) => i.field.startsWith("images[") && i.sku?.toLowerCase().startsWith("cel"));
    const csv = await call(issuesUrl("format=csv&field=images&sku_prefix=Cel"), { key });
    expect(csv.status).toBe(200);
    const reader = parseCsv(new Uint8Array(await csv.arrayBuffer()), { encoding: "utf-8", delimiter: ";" });
    expect(await reader.header()).toEqual(["Row", "SKU", "Column", "Rule", "Severity", "Message", "Value", "Suggestion"]);
    const csvRows: string[][] = [];
    for await (const row of reader) csvRows.push(row.values);
    expect(csvRows.map((r) => [Number(r[0]), r[1], r[2], r[3]])).toEqual(expected.map((i) => [i.row, i.sku, i.column, i.rule]));

    const xlsx = await call(issuesUrl("format=xlsx&column=image_2"), { key });
    expect(xlsx.status).toBe(200);
    const sheet: unknown[][] = [];
    for await (const row of xlsxToRows(bytesReader(new Uint8Array(await xlsx.arrayBuffer())))) sheet.push(row.values);
    const fromColumn = all.filter((i) => i.column === "image_2");
    expect(sheet.map((r) => String(r[2]))).toEqual(fromColumn.map((i) => i.column));
    expect(sheet.length).toBe(fromColumn.length);
  });

  it("answers an empty list when nothing matches, in every format", async () => {
    expect(await ndjson("sku=NO-SUCH-SKU")).toEqual([]);
    expect(await pages("column=nowhere", 10)).toEqual({ issues: [], pages: 1 });
  });

  it("refuses a cursor it did not hand out", async () => {
    const body = await expectProblem(await call(issuesUrl("format=json&cursor=bm90LWEtY3Vyc29y"), { key }), 400, "invalid-request");
    expect(body.errors).toEqual([{ detail: "invalid cursor", parameter: "cursor" }]);
    // Well formed, but pointing past the end of a stored object, or into the middle of a line.
    for (const made of ["0:999999999", "0:7"]) {
      await expectProblem(await call(issuesUrl(`format=json&cursor=${btoa(made).replaceAll("=", "")}`), { key }), 400, "invalid-request");
    }
  });
});

describe("issue pages read a bounded number of stored issues", () => {
  it("end early on a rare filter, and the cursors still lead through every match", async () => {
    const job = (await getJobRow(env, accountId, jobId))!;
    const expected = all.filter((i) => i.sku === "CEL-300");
    expect(expected.length).toBeGreaterThan(0);
    const found: any[] = [];
    let from: ReturnType<typeof decodeCursor> | undefined;
    let empty = 0;
    let count = 0;
    for (;;) {
      const page = await issuesPage(env, job, { sku: "CEL-300" }, 5, "en", from, 40);
      found.push(...page.data);
      if (page.data.length === 0) empty++;
      count++;
      if (!page.has_more) break;
      from = decodeCursor(page.next_cursor!);
    }
    expect(found).toEqual(expected);
    // Most pages read their 40 stored issues and found none.
    expect(count).toBeGreaterThanOrEqual(Math.floor(all.length / 40));
    expect(empty).toBeGreaterThan(0);
  });

  it("still honours cursors of the earlier, line-counting format", async () => {
    const legacy = btoa("0.3").replaceAll("=", "");
    const page = (await (await call(issuesUrl(`format=json&limit=4&cursor=${legacy}`), { key })).json()) as any;
    expect(page.data).toEqual(all.slice(3, 7));
    const next = (await (await call(issuesUrl(`format=json&limit=4&cursor=${page.next_cursor}`), { key })).json()) as any;
    expect(next.data).toEqual(all.slice(7, 11));
  });
});
