import { describe, expect, it } from "vitest";
import { SHEET_CSV, SHEET_HEADER, SHEET_ROWS } from "../fixtures/mapping/brazilian-sheet";
import { call, newAccount, uploadFile, waitForJob } from "../helpers";

async function json(res: Response) {
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as any;
}

describe("a Brazilian seller's sheet, end to end", () => {
  it("is suggested a mapping, saved, and validated by a job against mercadolivre MLB1055", async () => {
    const { key } = await newAccount();
    const suggestion = await json(
      await call("/api/v1/mappings/suggest", {
        method: "POST",
        key,
        json: { marketplace: "mercadolivre", category: "MLB1055", headers: SHEET_HEADER, sample_rows: SHEET_ROWS.slice(0, 3) },
      }),
    );
    expect(suggestion.unmapped_required).toEqual([]);
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: { ...suggestion.mapping, name: "Planilha de celulares" } }));
    const file = await uploadFile(key, SHEET_CSV, "celulares.csv");

    const job = await json(
      await call("/api/v1/jobs", {
        method: "POST",
        key,
        json: { source: { file_id: file.id }, rule_pack: "mercadolivre", category: "MLB1055", mapping_id: mapping.id, options: { apply_fixes: true } },
      }),
    );
    expect(job.mapping).toEqual({ id: mapping.id, version: 1 });
    const done = await waitForJob(key, job.id);
    expect(done.status).toBe("completed");
    expect(done.counts.records).toBe(SHEET_ROWS.length);

    const issues = (await (await call(`/api/v1/jobs/${job.id}/result/issues?format=ndjson`, { key })).text())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    // Rows as the seller's spreadsheet shows them: the header is row 1, the first product row 2.
    const errorsByRow = (row: number) => issues.filter((i) => i.row === row && i.severity === "error" && !i.fixed);
    expect(errorsByRow(2)).toEqual([]);
    expect(errorsByRow(3)).toEqual([]);
    expect(errorsByRow(4).length).toBeGreaterThan(0);
    expect(errorsByRow(5).map((i) => i.rule)).toContain("mapping.number.invalid");
    expect(done.counts.valid).toBe(2);

    const corrected = await (await call(`/api/v1/jobs/${job.id}/result/corrected`, { key })).text();
    const lines = corrected.split("\r\n");
    expect(lines[0]).toBe(SHEET_HEADER.join(";"));
    expect(lines[1].split(";")[13]).toBe("1.299,90");

    // Editing the mapping afterwards changes neither the finished job nor its meaning.
    const before = await json(await call(`/api/v1/jobs/${job.id}/result`, { key }));
    const edited = { ...mapping, fields: mapping.fields.filter((f: any) => f.target !== "gtin") };
    const v2 = await json(await call(`/api/v1/mappings/${mapping.id}`, { method: "PUT", key, json: { name: edited.name, marketplace: edited.marketplace, category: edited.category, fields: edited.fields } }));
    expect(v2.version).toBe(2);
    expect(await json(await call(`/api/v1/jobs/${job.id}/result`, { key }))).toEqual(before);
    expect((await json(await call(`/api/v1/jobs/${job.id}`, { key }))).mapping).toEqual({ id: mapping.id, version: 1 });
    const next = await json(
      await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "mercadolivre", category: "MLB1055", mapping_id: mapping.id } }),
    );
    expect(next.mapping).toEqual({ id: mapping.id, version: 2 });
  });

  it("fails a job whose file lacks a column the mapping reads, naming it", async () => {
    const { key } = await newAccount();
    const mapping = await json(
      await call("/api/v1/mappings", {
        method: "POST",
        key,
        json: { name: "m", marketplace: "mercadolivre", fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome" }] },
      }),
    );
    const file = await uploadFile(key, "SKU;Nome\r\n1;Caneca\r\n", "c.csv");
    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", mapping_id: mapping.id } }));
    const done = await waitForJob(key, job.id);
    expect(done.status).toBe("failed");
    expect(done.error.code).toBe("mapping.missing_columns");
    expect(done.error.message).toContain("Código");
  });

  it("refuses another account's mapping as if it did not exist", async () => {
    const alice = await newAccount();
    const bob = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key: alice.key, json: { name: "m", marketplace: "mercadolivre", fields: [{ target: "sku", source: "SKU" }] } }));
    const res = await call("/api/v1/jobs", { method: "POST", key: bob.key, json: { source: { records: [{ SKU: "1" }] }, rule_pack: "common", mapping_id: mapping.id } });
    expect(res.status).toBe(404);
  });
});
