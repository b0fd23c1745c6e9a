import { describe, expect, it } from "vitest";
import { resolveMapping } from "../../src/services/mappings";
import { SHEET_HEADER, SHEET_RECORDS, SHEET_ROWS } from "../fixtures/mapping/brazilian-sheet";
import { call, env, expectProblem, newAccount } from "../helpers";

const PHONE_MAPPING = {
  name: "Planilha de celulares",
  marketplace: "mercadolivre",
  category: "MLB1055",
  fields: [
    { target: "sku", source: "SKU", transforms: ["trim"] },
    { target: "title", source: "Nome do Produto", transforms: ["trim"] },
    { target: "description", source: "Descrição" },
    { target: "brand", source: "Marca" },
    { target: "attributes.BRAND", source: "Marca" },
    { target: "model", source: "Modelo" },
    { target: "attributes.MODEL", source: "Modelo" },
    { target: "attributes.LINE", source: "Linha" },
    { target: "attributes.COLOR", source: "Cor" },
    { target: "attributes.INTERNAL_MEMORY", source: "Memória Interna" },
    { target: "attributes.RAM", source: "Memória RAM" },
    { target: "attributes.IS_DUAL_SIM", source: "Dual SIM" },
    { target: "attributes.CARRIER", source: "Operadora" },
    { target: "attributes.CELLPHONES_ANATEL_HOMOLOGATION_NUMBER", source: "Homologação Anatel" },
    { target: "gtin", source: "EAN" },
    { target: "price", source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "sale_price", source: "Preço Promocional", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "stock", source: "Estoque", transforms: ["number"] },
    { target: "condition", source: "Condição", transforms: [{ op: "value_map", values: { novo: "new", usado: "used" } }] },
    { target: "weight_g", source: "Peso (kg)", transforms: [{ op: "unit", from: "kg", to: "g" }] },
    { target: "ncm", source: "NCM" },
    { target: "images", sources: ["Imagem *"], transforms: ["trim", "collect"] },
    { target: "currency", value: "BRL" },
  ],
};

async function create(key: string, body: unknown = PHONE_MAPPING) {
  const res = await call("/api/v1/mappings", { method: "POST", key, json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as any;
}

describe("GET /api/v1/mappings/templates", () => {
  it("describes what a marketplace category needs, derived from its pack", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/mappings/templates?marketplace=mercadolivre&category=MLB1055", { key });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as any;
    expect(data).toHaveLength(1);
    const t = data[0];
    expect(t).toMatchObject({ marketplace: "mercadolivre", category: { id: "MLB1055", name: "Celulares e Smartphones" } });
    expect(t.required).toEqual(expect.arrayContaining(["title", "price", "attributes.BRAND", "attributes.LINE", "attributes.RAM"]));
    const title = t.fields.find((f: any) => f.field === "title");
    expect(title).toMatchObject({ required: true, type: "string", max_length: 60, example: expect.any(String), synonyms: { "pt-BR": expect.arrayContaining(["nome do produto"]) } });
  });

  it("without a marketplace lists every built-in marketplace, general and per category", async () => {
    const { key } = await newAccount();
    const { data } = (await (await call("/api/v1/mappings/templates", { key })).json()) as any;
    const names = data.map((t: any) => `${t.marketplace}${t.category ? `/${t.category.id}` : ""}`);
    expect(names).toEqual(["mercadolivre", "mercadolivre/MLB1055", "mercadolivre/MLB1652", "mercadolivre/MLB1430", "shopee", "google-merchant"]);
  });

  it("names the parameter that is wrong", async () => {
    const { key } = await newAccount();
    expect((await expectProblem(await call("/api/v1/mappings/templates?marketplace=amazon", { key }), 400)).errors![0].parameter).toBe("marketplace");
    expect((await expectProblem(await call("/api/v1/mappings/templates?marketplace=mercadolivre&category=MLB1", { key }), 400)).errors![0].parameter).toBe("category");
    expect((await expectProblem(await call("/api/v1/mappings/templates?category=MLB1055", { key }), 400)).errors![0].parameter).toBe("category");
  });
});

describe("POST /api/v1/mappings/suggest", () => {
  it("proposes a complete mapping for the Brazilian phone sheet, which then saves as is", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/mappings/suggest", {
      method: "POST",
      key,
      json: { marketplace: "mercadolivre", category: "MLB1055", headers: SHEET_HEADER, sample_rows: SHEET_ROWS.slice(0, 3) },
    });
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s.unmapped_required).toEqual([]);
    expect(s.unmapped_columns).toEqual([]);
    const byTarget = Object.fromEntries(s.fields.map((f: any) => [f.target, f]));
    expect(byTarget.price).toMatchObject({ source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }], confidence: expect.any(Number) });
    expect(byTarget.images).toMatchObject({ sources: SHEET_HEADER.filter((h) => h.startsWith("Imagem")), match: "numbered_columns" });
    expect(byTarget.gtin).toMatchObject({ source: "EAN", match: "name_and_values" });
    expect(byTarget.currency).toMatchObject({ value: "BRL", match: "constant" });
    const saved = await create(key, { ...s.mapping, name: "Sugestão revisada" });
    expect(saved).toMatchObject({ version: 1, marketplace: "mercadolivre", category: "MLB1055" });
  });

  it("refuses an unknown marketplace with a pointer", async () => {
    const { key } = await newAccount();
    const problem = await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: "amazon", headers: ["a"] } }), 400);
    expect(problem.errors![0].pointer).toBe("/marketplace");
  });
});

describe("mappings: create, read, list, update, delete", () => {
  it("creates version 1 in normal form, readable by id and listed per marketplace", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/mappings", { method: "POST", key, json: PHONE_MAPPING });
    expect(res.status).toBe(201);
    const m = (await res.json()) as any;
    expect(m.id).toMatch(/^map_[0-9a-z]{26}$/);
    expect(res.headers.get("location")).toBe(`/api/v1/mappings/${m.id}`);
    expect(m).toMatchObject({ name: "Planilha de celulares", marketplace: "mercadolivre", category: "MLB1055", version: 1, created_at: expect.any(String) });
    expect(m.fields[0]).toEqual({ target: "sku", source: "SKU", transforms: [{ op: "trim" }] });

    expect(await (await call(`/api/v1/mappings/${m.id}`, { key })).json()).toEqual(m);
    const shopee = await create(key, { ...PHONE_MAPPING, name: "Shopee", marketplace: "shopee", category: null });
    const all = (await (await call("/api/v1/mappings", { key })).json()) as any;
    expect(all.data.map((x: any) => x.id)).toEqual([shopee.id, m.id]);
    const ml = (await (await call("/api/v1/mappings/mercadolivre", { key })).json()) as any;
    expect(ml).toEqual({ data: [m], has_more: false });
    const filtered = (await (await call("/api/v1/mappings?marketplace=shopee&limit=1", { key })).json()) as any;
    expect(filtered.data.map((x: any) => x.id)).toEqual([shopee.id]);
    await expectProblem(await call("/api/v1/mappings/amazon", { key }), 404, "not-found");
  });

  it("paginates with limit and starting_after", async () => {
    const { key } = await newAccount();
    const ids = [];
    for (const name of ["a", "b", "c"]) ids.push((await create(key, { ...PHONE_MAPPING, name })).id);
    const first = (await (await call("/api/v1/mappings?limit=2", { key })).json()) as any;
    expect(first.data.map((m: any) => m.name)).toEqual(["c", "b"]);
    expect(first.has_more).toBe(true);
    const next = (await (await call(`/api/v1/mappings/mercadolivre?limit=2&starting_after=${first.data[1].id}`, { key })).json()) as any;
    expect(next).toMatchObject({ data: [{ id: ids[0], name: "a", version: 1 }], has_more: false });
  });

  it("PUT saves a new version; earlier versions stay readable", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const edited = { ...PHONE_MAPPING, name: "v2", fields: PHONE_MAPPING.fields.filter((f) => f.target !== "description") };
    const res = await call(`/api/v1/mappings/${m.id}`, { method: "PUT", key, json: edited });
    expect(res.status).toBe(200);
    const v2 = (await res.json()) as any;
    expect(v2).toMatchObject({ id: m.id, version: 2, name: "v2", created_at: m.created_at });
    expect(v2.fields).toHaveLength(PHONE_MAPPING.fields.length - 1);
    const v1 = (await (await call(`/api/v1/mappings/${m.id}?version=1`, { key })).json()) as any;
    expect(v1).toMatchObject({ version: 1, name: "Planilha de celulares" });
    expect(v1.fields).toHaveLength(PHONE_MAPPING.fields.length);
    const versions = (await (await call(`/api/v1/mappings/${m.id}/versions`, { key })).json()) as any;
    expect(versions.data.map((v: any) => [v.version, v.name])).toEqual([
      [2, "v2"],
      [1, "Planilha de celulares"],
    ]);
    await expectProblem(await call(`/api/v1/mappings/${m.id}?version=3`, { key }), 404);
  });

  it("DELETE hides the mapping but keeps its versions for the jobs that pinned them", async () => {
    const { key, accountId } = await newAccount();
    const m = await create(key);
    expect((await call(`/api/v1/mappings/${m.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectProblem(await call(`/api/v1/mappings/${m.id}`, { key }), 404);
    await expectProblem(await call(`/api/v1/mappings/${m.id}`, { method: "DELETE", key }), 404);
    await expectProblem(await call(`/api/v1/mappings/${m.id}`, { method: "PUT", key, json: PHONE_MAPPING }), 404);
    expect((await (await call("/api/v1/mappings", { key })).json()) as any).toEqual({ data: [], has_more: false });
    const pinned = await resolveMapping(env, accountId, m.id, 1);
    expect(pinned).toMatchObject({ id: m.id, version: 1, marketplace: "mercadolivre" });
    await expect(resolveMapping(env, accountId, m.id)).rejects.toThrow();
  });

  it("refuses invalid mappings with invalid_mapping and a pointer per problem", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/mappings", {
      method: "POST",
      key,
      headers: { "accept-language": "pt-BR" },
      json: {
        name: "ruim",
        marketplace: "mercadolivre",
        fields: [
          { target: "preço", source: "Preço" },
          { target: "title", source: "Nome", transforms: [{ op: "replace", pattern: "(a+)+", with: "" }] },
          { target: "price", source: "P", transforms: ["numero"] },
        ],
      },
    });
    const problem = await expectProblem(res, 422, "invalid-mapping");
    expect(problem.title).toBe("Mapeamento inválido");
    expect(problem.detail).toMatch(/^O mapeamento tem 3 problemas/);
    expect(problem.errors!.map((e) => e.pointer)).toEqual(["/fields/0/target", "/fields/1/transforms/0/pattern", "/fields/2/transforms/0"]);
  });

  it("refuses an unknown marketplace or category, and keys a field mapping does not have", async () => {
    const { key } = await newAccount();
    const bad = async (body: unknown) => expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: body }), 422, "invalid-mapping");
    expect((await bad({ ...PHONE_MAPPING, marketplace: "amazon" })).errors![0].pointer).toBe("/marketplace");
    expect((await bad({ ...PHONE_MAPPING, category: "MLB9" })).errors![0]).toMatchObject({ pointer: "/category", detail: expect.stringContaining("MLB1055") });
    const typo = await expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: { ...PHONE_MAPPING, fields: [{ target: "title", sorce: "Nome" }] } }), 400);
    expect(typo.errors![0].pointer).toBe("/fields/0");
  });

  it("replays a create with the same Idempotency-Key", async () => {
    const { key } = await newAccount();
    const headers = { "idempotency-key": "create-mapping-1" };
    const first = await call("/api/v1/mappings", { method: "POST", key, headers, json: PHONE_MAPPING });
    const again = await call("/api/v1/mappings", { method: "POST", key, headers, json: PHONE_MAPPING });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(((await (await call("/api/v1/mappings", { key })).json()) as any).data).toHaveLength(1);
  });
});

describe("POST /api/v1/mappings/{id}/preview", () => {
  it("maps the seller's records, reports mapping and pack issues, and writes corrections back in the seller's columns", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const res = await call(`/api/v1/mappings/${m.id}/preview`, { method: "POST", key, json: { records: SHEET_RECORDS, apply_fixes: true } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ rule_pack: { id: "mercadolivre" }, category: "MLB1055", mapping: { id: m.id, version: 1 } });
    const [a15, g54, iphone, redmi] = body.results;
    expect(a15).toMatchObject({ row: 1, valid: true, issues: [] });
    expect(a15.mapped).toMatchObject({ price: 1299.9, weight_g: 250, currency: "BRL", attributes: { BRAND: "Samsung", LINE: "Galaxy A" } });
    expect(a15.corrected_source).toEqual(SHEET_RECORDS[0]);
    expect(g54.corrected_source.NCM).toBe("85171300");
    expect(g54.issues.map((i: any) => i.rule)).toEqual(["common.ncm.format"]);
    expect(iphone.valid).toBe(false);
    expect(iphone.corrected_source["Nome do Produto"]).toBe("Apple iPhone 11 64GB Preto Seminovo Com Garantia E Nota");
    expect(iphone.corrected_source["Imagem 1"]).toBe("https://cdn.loja.com.br/fotos/iphone11-1.jpg");
    expect(redmi.valid).toBe(false);
    expect(redmi.issues[0]).toMatchObject({ row: 4, field: "price", rule: "mapping.number.invalid", severity: "error", value: "consultar" });
    expect(body.summary).toMatchObject({ records: 4, valid: 2, invalid: 2 });
    expect(body.summary.by_rule["mapping.number.invalid"]).toEqual({ severity: "error", count: 1 });
  });

  it("previews an earlier version, and 404s for unknown mappings", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const withoutPrice = { ...PHONE_MAPPING, fields: PHONE_MAPPING.fields.filter((f) => f.target !== "price") };
    await call(`/api/v1/mappings/${m.id}`, { method: "PUT", key, json: withoutPrice });
    const latest = (await (await call(`/api/v1/mappings/${m.id}/preview`, { method: "POST", key, json: { records: [SHEET_RECORDS[0]] } })).json()) as any;
    expect(latest.mapping.version).toBe(2);
    expect(latest.results[0].issues.map((i: any) => i.rule)).toContain("common.price.required");
    const v1 = (await (await call(`/api/v1/mappings/${m.id}/preview`, { method: "POST", key, json: { records: [SHEET_RECORDS[0]], version: 1 } })).json()) as any;
    expect(v1).toMatchObject({ mapping: { version: 1 }, results: [{ valid: true }] });
    await expectProblem(await call("/api/v1/mappings/map_nope/preview", { method: "POST", key, json: { records: [{}] } }), 404);
  });
});

describe("POST /api/v1/validate with a mapping", () => {
  it("mapping_id: records in the seller's layout are mapped first; the pack and category default to the mapping's", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const res = await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, records: SHEET_RECORDS } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ rule_pack: { id: "mercadolivre" }, category: "MLB1055", mapping: { id: m.id, version: 1 } });
    expect(body.summary).toMatchObject({ records: 4, valid: 1, invalid: 3 });
    expect(body.summary.by_rule["mapping.number.invalid"].count).toBe(1);
    expect(body.summary.by_field.price).toBeGreaterThanOrEqual(1);
    expect(body.results[3].issues[0].rule).toBe("mapping.number.invalid");
    expect(body.results[0].mapped.attributes.BRAND).toBe("Samsung");
  });

  it("an explicit rule_pack and category win over the mapping's", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const body = (await (await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, rule_pack: "common", records: [SHEET_RECORDS[0]] } })).json()) as any;
    expect(body).toMatchObject({ rule_pack: { id: "common" }, category: null, results: [{ valid: true }] });
  });

  it("editing a mapping after validating leaves the earlier version's result reproducible with mapping_version", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const before = (await (await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, records: SHEET_RECORDS } })).json()) as any;
    await call(`/api/v1/mappings/${m.id}`, { method: "PUT", key, json: { ...PHONE_MAPPING, fields: PHONE_MAPPING.fields.filter((f) => f.target !== "price") } });
    const after = (await (await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, records: SHEET_RECORDS } })).json()) as any;
    expect(after.mapping.version).toBe(2);
    expect(after.summary).not.toEqual(before.summary);
    const pinned = (await (await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, mapping_version: 1, records: SHEET_RECORDS } })).json()) as any;
    expect(pinned.mapping.version).toBe(1);
    expect(pinned.summary).toEqual(before.summary);
    expect(pinned.results).toEqual(before.results);
  });

  it("an inline mapping works without saving; its problems point inside /mapping", async () => {
    const { key } = await newAccount();
    const inline = { marketplace: "mercadolivre", fields: [{ target: "title", source: "Nome" }, { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] }] };
    const res = await call("/api/v1/validate", { method: "POST", key, json: { mapping: inline, records: [{ Nome: "Caneca", Preço: "10,90" }], apply_fixes: true } });
    const body = (await res.json()) as any;
    expect(body.mapping).toEqual({ id: null, version: null });
    expect(body.results[0].mapped).toEqual({ title: "Caneca", price: 10.9 });
    expect(body.results[0].corrected_source).toEqual({ Nome: "Caneca", Preço: "10,90" });
    const bad = await expectProblem(
      await call("/api/v1/validate", { method: "POST", key, json: { mapping: { fields: [{ target: "nome", source: "Nome" }] }, rule_pack: "common", records: [{}] } }),
      422,
      "invalid-mapping",
    );
    expect(bad.errors![0].pointer).toBe("/mapping/fields/0/target");
  });

  it("refuses ambiguous requests", async () => {
    const { key } = await newAccount();
    const m = await create(key);
    const inline = { fields: [{ target: "title", source: "Nome" }] };
    expect((await expectProblem(await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: m.id, mapping: inline, records: [{}] } }), 400)).errors![0].pointer).toBe("/mapping");
    expect((await expectProblem(await call("/api/v1/validate", { method: "POST", key, json: { mapping: inline, records: [{}] } }), 400)).errors![0].pointer).toBe("/rule_pack");
    expect((await expectProblem(await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", mapping_version: 1, records: [{}] } }), 400)).errors![0].pointer).toBe(
      "/mapping_version",
    );
    await expectProblem(await call("/api/v1/validate", { method: "POST", key, json: { mapping_id: "map_missing", records: [{}] } }), 404);
  });

  it("without a mapping, validates canonical records as before", async () => {
    const { key } = await newAccount();
    const body = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: [{ sku: "A", title: "Caneca", price: 10 }] } })).json()) as any;
    expect(body).toMatchObject({ mapping: null, results: [{ valid: true, issues: [] }] });
    expect(body.results[0]).not.toHaveProperty("mapped");
  });
});
