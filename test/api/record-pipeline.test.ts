import { describe, expect, it } from "vitest";
import { call, newAccount, uploadFile, waitForJob } from "../helpers";

/** A seller's records, keyed by their own columns: clean, fixable, a mapping error, a duplicate, a bad GTIN, a blank price. */
const HEADER = ["Código", "Nome", "Preço", "Estoque", "Condição", "EAN", "Foto 1", "Foto 2"];
const ROWS = [
  ["CAN-1", "Caneca Azul", "29,90", "10", "new", "7891234567895", "https://cdn.loja.com.br/1.jpg", ""],
  ["CAN-2", "  Caneca   Verde ", "1.299,90", "3", "novo", "", "http://cdn.loja.com.br/2.jpg", "https://cdn.loja.com.br/2b.jpg"],
  ["CAN-3", "Caneca Rosa", "consultar", "5", "Usado", "", "", ""],
  ["CAN-1", "Caneca Azul de novo", "29,90", "10", "Novo", "", "", ""],
  ["CAN-5", "Caneca Preta", "15", "-2", "recondicionado", "7891234567890", "ftp://cdn.loja.com.br/5.jpg", ""],
  ["CAN-6", "Caneca Branca", "", "1", "Novo", "", "", ""],
];
const RECORDS: Record<string, string>[] = ROWS.map((cells) => Object.fromEntries(HEADER.map((h, i) => [h, cells[i]])));

const MAPPING = {
  name: "Canecas",
  marketplace: "common",
  fields: [
    { target: "sku", source: "Código" },
    { target: "title", source: "Nome" },
    { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "stock", source: "Estoque", transforms: ["number"] },
    { target: "condition", source: "Condição" },
    { target: "gtin", source: "EAN", transforms: ["digits_only"] },
    { target: "images", sources: ["Foto *"], transforms: ["trim", "collect"] },
    { target: "currency", value: "BRL" },
  ],
};

async function ok(res: Response) {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as any;
}

async function lines(res: Response): Promise<string[]> {
  expect(res.status).toBe(200);
  return (await res.text()).split(/\r?\n/).filter(Boolean);
}

/** A job's issues, in the order the pipeline wrote them for each row. */
async function jobIssues(key: string, jobId: string): Promise<any[]> {
  const all = (await lines(await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson`, { key }))).map((l) => JSON.parse(l));
  return all.sort((a, b) => a.row - b.row);
}

describe("/validate, the mapping preview and a job run the same record pipeline", () => {
  it("give identical issues and corrected records for the same records", async () => {
    const { key } = await newAccount();
    const mapping = await ok(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));

    const validated = await ok(await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: mapping.id, records: RECORDS, apply_fixes: true } }));
    const previewed = await ok(await call(`/api/v1/mappings/${mapping.id}/preview`, { method: "POST", key, json: { records: RECORDS, apply_fixes: true } }));

    // The records exercise what the pipeline combines: fixes, a mapping error, a duplicate across records, plain errors.
    const rules = validated.results.map((r: any) => r.issues.map((i: any) => i.rule));
    expect(rules[0]).toEqual([]);
    expect(rules[1]).toEqual(["common.title.spaces", "common.condition.one_of"]);
    expect(rules[2][0]).toBe("mapping.number.invalid");
    expect(rules[3]).toContain("common.sku.unique");
    expect(rules[4]).toEqual(expect.arrayContaining(["common.gtin.check_digit", "common.stock.range", "common.condition.one_of", "common.images.url"]));
    expect(rules[5]).toContain("common.price.required");
    expect(validated.results.map((r: any) => r.valid)).toEqual([true, true, false, false, false, false]);
    expect(validated.results[1].corrected_source).toEqual({ ...RECORDS[1], Nome: "Caneca Verde", Condição: "new" });

    // The preview is /validate with the mapping's pack: everything it returns per record is the same.
    expect(previewed.results).toEqual(validated.results);
    expect(previewed.summary).toEqual(validated.summary);

    // An inline job (NDJSON) with the same mapping.
    const inline = await ok(
      await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: RECORDS }, rule_pack: "common", mapping_id: mapping.id, options: { apply_fixes: true } } }),
    );
    const inlineDone = await waitForJob(key, inline.id);
    expect(inlineDone.status).toBe("completed");
    expect(inlineDone.counts).toMatchObject({
      records: validated.summary.records,
      valid: validated.summary.valid,
      invalid: validated.summary.invalid,
      corrected: validated.summary.corrected,
      issues: validated.summary.issues,
    });
    const byRow = validated.results.flatMap((r: any) => r.issues);
    expect(await jobIssues(key, inline.id)).toEqual(byRow);
    const inlineCorrected = (await lines(await call(`/api/v1/jobs/${inline.id}/result/corrected`, { key }))).map((l) => JSON.parse(l));
    expect(inlineCorrected).toEqual(validated.results.map((r: any) => r.corrected_source));

    // The same records as a CSV file: rows are the spreadsheet's (header = row 1), so each record is one row further down.
    const csv = [HEADER, ...ROWS].map((cells) => cells.join(";")).join("\r\n") + "\r\n";
    const file = await uploadFile(key, csv, "canecas.csv");
    const fromFile = await ok(
      await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", mapping_id: mapping.id, options: { apply_fixes: true } } }),
    );
    const fileDone = await waitForJob(key, fromFile.id);
    expect(fileDone.status).toBe("completed");
    expect(fileDone.counts).toMatchObject({ records: 6, valid: validated.summary.valid, invalid: validated.summary.invalid, issues: validated.summary.issues });
    // Cross-row messages ("already used on row N") count the same way.
    const oneDown = (issue: any) => ({ ...issue, row: issue.row + 1, message: issue.message.replace(/row (\d+)/, (_: string, n: string) => `row ${Number(n) + 1}`) });
    expect(await jobIssues(key, fromFile.id)).toEqual(byRow.map(oneDown));
    const fileCorrected = await lines(await call(`/api/v1/jobs/${fromFile.id}/result/corrected`, { key }));
    expect(fileCorrected[0]).toBe(HEADER.join(";"));
    expect(fileCorrected.slice(1)).toEqual(validated.results.map((r: any) => HEADER.map((h) => r.corrected_source[h]).join(";")));
  });
});
