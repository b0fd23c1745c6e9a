import { describe, expect, it } from "vitest";
import { call, expectProblem, newAccount, waitForJob } from "../helpers";

/** What the sample catalog's defects trip in the mercadolivre pack, one rule each at least. */
const SAMPLE_RULES = [
  "common.gtin.check_digit",
  "common.ncm.format",
  "common.price.range",
  "common.sale_price.below_price",
  "common.sku.trim",
  "common.sku.unique",
  "common.title.spaces",
  "file.formula",
  "ml.attributes.brand.required",
  "ml.attributes.model.required",
  "ml.condition.one_of",
  "ml.condition.required",
  "ml.description.plain_text",
  "ml.gtin.empty_reason",
  "ml.images.https",
  "ml.images.required",
  "ml.stock.available",
  "ml.stock.required",
  "ml.title.all_caps",
  "ml.title.max_length",
  "ml.title.promotional_words",
];

describe("POST /api/v1/files/sample", () => {
  it("stores the sample catalog as the account's file: Windows-1252, ';'", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/files/sample", { method: "POST", key });
    expect(res.status).toBe(201);
    const file = (await res.json()) as any;
    expect(res.headers.get("location")).toBe(`/api/v1/files/${file.id}`);
    expect(file).toMatchObject({ name: "catalogo-exemplo.csv", format: "csv", encoding: "windows-1252", delimiter: ";" });
    const content = new Uint8Array(await (await call(`/api/v1/files/${file.id}/content`, { key })).arrayBuffer());
    expect(content.length).toBe(file.size);
    const text = new TextDecoder("windows-1252").decode(content);
    expect(text.split("\r\n")[0]).toBe("sku;title;description;price;sale_price;stock;condition;brand;model;gtin;ncm;Imagem 1;Imagem 2;Imagem 3;Observações");
    expect(text.trimEnd().split("\r\n")).toHaveLength(41);
  });

  it("needs an API key", async () => {
    await expectProblem(await call("/api/v1/files/sample", { method: "POST" }), 401);
  });
});

describe("a job on the sample catalog with the mercadolivre pack", () => {
  it("maps its columns without a mapping and finds issues of many rules, with fixes, in a corrected file", async () => {
    const { key } = await newAccount();
    const file = (await (await call("/api/v1/files/sample", { method: "POST", key })).json()) as any;
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "mercadolivre", options: { apply_fixes: true } } });
    expect(created.status).toBe(202);
    const job = await waitForJob(key, ((await created.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(job.counts).toMatchObject({ records: 40 });
    expect(job.counts.invalid).toBeGreaterThan(5);
    expect(job.counts.valid).toBeGreaterThan(5);
    expect(job.counts.corrected).toBeGreaterThan(5);

    const result = (await (await call(`/api/v1/jobs/${job.id}/result`, { key })).json()) as any;
    expect(Object.keys(result.summary.by_rule).sort()).toEqual(SAMPLE_RULES);
    expect(result.top_issues.length).toBe(SAMPLE_RULES.length);
    // The columns mapped by their names: nothing about missing titles, prices or SKUs across the board.
    expect(result.summary.by_rule["common.title.required"]).toBeUndefined();
    expect(result.summary.by_rule["common.price.required"]).toBeUndefined();

    const issues = new TextDecoder().decode(await (await call(`/api/v1/jobs/${job.id}/result/issues?format=ndjson`, { key })).arrayBuffer()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(issues.filter((i) => i.fixed).map((i) => i.rule)).toEqual(expect.arrayContaining(["ml.title.max_length", "common.ncm.format", "ml.images.https", "ml.gtin.empty_reason", "ml.description.plain_text"]));
    expect(issues.find((i) => i.rule === "file.formula")).toMatchObject({ column: "Observações", sku: "CEL-FONE-BT" });

    const corrected = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get("x-vitrine-encoding")).toBe("windows-1252");
    const source = new TextDecoder("windows-1252").decode(await (await call(`/api/v1/files/${file.id}/content`, { key })).arrayBuffer()).split("\r\n");
    const fixed = new TextDecoder("windows-1252").decode(await corrected.arrayBuffer()).split("\r\n");
    expect(fixed.length).toBe(source.length);
    const line = (lines: string[], sku: string) => lines.find((l) => l.startsWith(`${sku};`))!;
    // A record no fix touched is the seller's line, byte for byte.
    expect(line(fixed, "CEL-A15-128-AZ")).toBe(line(source, "CEL-A15-128-AZ"));
    expect(line(source, "CEL-G54-256")).toContain(";8517.13.00;");
    expect(line(fixed, "CEL-G54-256")).toContain(";85171300;");
    expect(line(source, "CEL-POCO-X6")).toContain(";http://cdn.example.com/minhaloja/poco-x6-1.jpg;");
    expect(line(fixed, "CEL-POCO-X6")).toContain(";https://cdn.example.com/minhaloja/poco-x6-1.jpg;");
    expect(line(fixed, "CEL-A15-128-PT").split(";")[1].length).toBeLessThanOrEqual(60);
  });
});
