import { describe, expect, it } from "vitest";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { call, createPack, newAccount, uploadFile, waitForJob } from "../helpers";
import { galaxyA15, MLB1055_MISSING_ATTRIBUTE_RULES } from "../rules/fixtures";


/** Phones whose seller never filled the category's attributes. */
const phones = (n: number) => Array.from({ length: n }, (_, i) => ({ ...galaxyA15, sku: `CEL-${i}`, attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" } }));

/** The pipeline pack, plus a rule no record of the seller catalog passes. */
const PACK_WITH_GTIN = `${PIPELINE_PACK.replace("id: pipeline-test", "id: pipeline-gtin")}  - id: t.gtin.required
    field: gtin
    check: required
    message:
      en: "The GTIN/EAN is missing."
      pt-BR: "Falta o GTIN/EAN."
`;

describe("POST /validate top_issues", () => {
  it("groups a rule that fails on every record into one entry with the right count", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "mercadolivre", category: "MLB1055", records: phones(300) } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.summary.issues.error).toBe(2100);
    expect(body.top_issues.map((t: any) => t.rule)).toEqual(MLB1055_MISSING_ATTRIBUTE_RULES);
    expect(body.top_issues.find((t: any) => t.rule === "ml.mlb1055.color.required")).toEqual({
      rule: "ml.mlb1055.color.required",
      severity: "error",
      field: "attributes.COLOR",
      records: 300,
      share: 1,
      corrected: 0,
      issues: 300,
      explanation: 'The COLOR attribute is missing. Say which color the phone is, e.g. "Azul-escuro".',
      examples: [1, 2, 3, 4, 5],
    });
  });

  it("explains in the reader's language", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/validate", {
      method: "POST",
      key,
      headers: { "accept-language": "pt-BR,pt;q=0.9" },
      json: { rule_pack: "mercadolivre", category: "MLB1055", records: phones(2) },
    });
    const body = (await res.json()) as any;
    expect(body.top_issues.find((t: any) => t.rule === "ml.mlb1055.color.required").explanation).toBe(
      'Falta o atributo COLOR (Cor). Informe a cor do celular, por exemplo "Azul-escuro".',
    );
  });
});

describe("GET /jobs/{id}/result top_issues", () => {
  it("groups a CSV job's issues across chunks (and cross-chunk duplicates) the way /validate does", async () => {
    const { key } = await newAccount();
    await createPack(key, PACK_WITH_GTIN);
    const rows = sellerCatalog(230);
    const file = await uploadFile(key, catalogCsv(rows), "catalogo.csv");
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "pipeline-gtin" } });
    expect(created.status).toBe(202);
    const job = (await created.json()) as any;
    expect((await waitForJob(key, job.id)).status).toBe("completed");

    const result = (await (await call(`/api/v1/jobs/${job.id}/result`, { key, headers: { "accept-language": "pt-BR" } })).json()) as any;
    const gtin = result.top_issues.find((t: any) => t.rule === "t.gtin.required");
    expect(gtin).toMatchObject({ severity: "error", field: "gtin", records: 230, share: 1, issues: 230, explanation: "Falta o GTIN/EAN." });
    expect(result.top_issues.filter((t: any) => t.rule === "t.gtin.required")).toHaveLength(1);

    // The same records validated at once: the same groups and counts (JOB_CHUNK_ROWS is 50, so 5 chunks).
    const oracle = (await (
      await call("/api/v1/validate", { method: "POST", key, headers: { "accept-language": "pt-BR" }, json: { rule_pack: "pipeline-gtin", records: rows } })
    ).json()) as any;
    const withoutRows = (entries: any[]) => entries.map(({ examples: _examples, ...rest }) => rest);
    expect(withoutRows(result.top_issues)).toEqual(withoutRows(oracle.top_issues));
    expect(result.top_issues.find((t: any) => t.rule === "t.sku.unique").records).toBe(2);

    // Examples are the smallest rows among the job's own issues of each rule.
    const issues = (await (await call(`/api/v1/jobs/${job.id}/result/issues?format=ndjson`, { key })).text())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const entry of result.top_issues) {
      const rowsOfRule = [...new Set(issues.filter((i) => i.rule === entry.rule).map((i) => i.row as number))].sort((a, b) => a - b);
      expect(entry.examples, entry.rule).toEqual(rowsOfRule.slice(0, 5));
    }
  });
});
