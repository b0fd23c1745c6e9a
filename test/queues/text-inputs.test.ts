import { describe, expect, it } from "vitest";
import { PIPELINE_PACK, sellerCatalog, type CatalogRow } from "../fixtures/catalog";
import { utf16 } from "../fixtures/tabular/streams";
import { call, createPack, newAccount, uploadFile, waitForJob } from "../helpers";

/** The catalog in another dialect: `delimiter`, CRLF, quotes where a value needs them. */
function catalogText(rows: CatalogRow[], delimiter: string): string {
  const header = ["sku", "title", "description", "price"] as const;
  const field = (v: string) => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [header.join(delimiter), ...rows.map((r) => header.map((h) => field(r[h])).join(delimiter))].join("\r\n") + "\r\n";
}

async function runThroughApi(body: Uint8Array, name: string, rows: CatalogRow[]) {
  const { key } = await newAccount();
  await createPack(key, PIPELINE_PACK);
  const file = await uploadFile(key, body, name);
  const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "pipeline-test" } });
  expect(created.status).toBe(202);
  const done = await waitForJob(key, ((await created.json()) as any).id);
  const oracle = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "pipeline-test", records: rows } })).json()) as any;
  return { file, done, oracle };
}

describe("text files in other encodings and delimiters, through the pipeline", () => {
  it("reads Excel's Unicode Text (UTF-16LE, tab-separated) across chunks", async () => {
    const rows = sellerCatalog(230);
    const { file, done, oracle } = await runThroughApi(utf16(catalogText(rows, "\t")), "catalogo.txt", rows);
    expect(file).toMatchObject({ format: "csv", encoding: "utf-16le", delimiter: "\t" });
    expect(done.status).toBe("completed");
    expect(done.progress).toMatchObject({ rows_total: 230, chunks_total: 5 });
    expect(done.counts.issues).toEqual(oracle.summary.issues);
    expect(done.counts.invalid).toBe(oracle.summary.invalid);
  });

  it("reads a |-delimited file", async () => {
    const rows = sellerCatalog(120);
    const { file, done, oracle } = await runThroughApi(new TextEncoder().encode(catalogText(rows, "|")), "catalogo.csv", rows);
    expect(file).toMatchObject({ format: "csv", encoding: "utf-8", delimiter: "|" });
    expect(done.status).toBe("completed");
    expect(done.counts.records).toBe(120);
    expect(done.counts.issues).toEqual(oracle.summary.issues);
  });
});
