import { describe, expect, it } from "vitest";
import { buildTemplate, exampleRecord } from "../../../src/core/mapping";
import { compilePack, parsePack } from "../../../src/core/rules";
import { builtinPack, resolveBuiltin } from "../../rules/builtin-packs";

describe("templates derived from rule packs", () => {
  it("Mercado Livre: required fields, limits and allowed values come from the pack", () => {
    const t = buildTemplate(builtinPack("mercadolivre"));
    expect(t).toMatchObject({ marketplace: "mercadolivre", category: null, pack: { id: "mercadolivre", version: "1.0.0" } });
    expect(t.required).toEqual(["sku", "title", "price", "currency", "stock", "condition", "images", "attributes.BRAND", "attributes.MODEL"]);
    const field = (f: string) => t.fields.find((x) => x.field === f)!;
    expect(field("title")).toMatchObject({ required: true, requirement: "required", type: "string", max_length: 60 });
    expect(field("condition").values).toEqual(["new", "used", "not_specified"]);
    expect(field("currency").values).toEqual(["BRL"]);
    expect(field("images")).toMatchObject({ type: "list", items: "url", min_items: 1, max_items: 12 });
    expect(field("price")).toMatchObject({ type: "decimal", gt: 0 });
    expect(field("weight_g")).toMatchObject({ requirement: "optional", unit: "g" });
    expect(field("attributes.BRAND")).toMatchObject({ required: true, max_length: 60, synonyms: { "pt-BR": expect.arrayContaining(["marca"]) } });
    expect(field("title").rules).toEqual(expect.arrayContaining(["common.title.required", "ml.title.max_length"]));
  });

  it("a category adds its section's attributes; conditional requirements are marked", () => {
    const t = buildTemplate(builtinPack("mercadolivre"), "MLB1055");
    expect(t.category).toEqual({ id: "MLB1055", name: "Celulares e Smartphones" });
    expect(t.required).toEqual(
      expect.arrayContaining(["attributes.LINE", "attributes.COLOR", "attributes.INTERNAL_MEMORY", "attributes.RAM", "attributes.IS_DUAL_SIM", "attributes.CARRIER"]),
    );
    expect(t.fields.find((f) => f.field === "gtin")).toMatchObject({ requirement: "conditional", required: false });
    expect(t.fields.find((f) => f.field === "attributes.IS_DUAL_SIM")!.values).toEqual(["Sim", "Não"]);
    expect(() => buildTemplate(builtinPack("mercadolivre"), "MLB0")).toThrow(/unknown category/);
  });

  it("Shopee and Google Merchant read their own packs", () => {
    const shopee = buildTemplate(builtinPack("shopee"));
    expect(shopee.fields.find((f) => f.field === "title")).toMatchObject({ min_length: 20, max_length: 120 });
    expect(shopee.required).toEqual(expect.arrayContaining(["description", "weight_g", "ncm", "brand"]));
    expect(shopee.fields.find((f) => f.field === "width_cm")!.requirement).toBe("recommended");
    const gmc = buildTemplate(builtinPack("google-merchant"));
    expect(gmc.fields.find((f) => f.field === "sku")!.max_length).toBe(50);
    expect(gmc.fields.find((f) => f.field === "attributes.availability")).toMatchObject({ required: true, values: ["in_stock", "out_of_stock", "preorder", "backorder"] });
    expect(gmc.fields.find((f) => f.field === "brand")!.requirement).toBe("conditional");
  });

  it("the example record of every template passes its pack without errors", () => {
    for (const id of ["mercadolivre", "shopee", "google-merchant", "common"]) {
      const pack = builtinPack(id);
      for (const category of [undefined, ...pack.categories.map((c) => c.id)]) {
        const record = exampleRecord(buildTemplate(pack, category));
        const errors = pack.createValidator({ category }).validate(record, 1).issues.filter((i) => i.severity === "error");
        expect(errors, `${id} ${category ?? ""}`).toEqual([]);
      }
    }
  });

  it("examples bend to a custom pack's limits and values", () => {
    const def = parsePack(
      `id: minha-loja\nname: Minha loja\nversion: 1.0.0\nextends: mercadolivre\nrules:\n  - { id: x.title, field: title, check: max_length, max: 20 }\n  - { id: x.cond, field: condition, check: one_of, values: [used] }\n  - { id: x.voltage, field: attributes.VOLTAGE, check: one_of, values: [110V, 220V] }\n`,
    );
    const pack = compilePack(def, (id) => (id === def.id ? def : resolveBuiltin(id)));
    const t = buildTemplate(pack);
    const field = (f: string) => t.fields.find((x) => x.field === f)!;
    expect(field("title").example).toBe("Smartphone Samsung");
    expect(field("condition").example).toBe("used");
    expect(field("attributes.VOLTAGE")).toMatchObject({ example: "110V", label: { en: "VOLTAGE" } });
    const errors = pack.createValidator().validate(exampleRecord(t), 1).issues.filter((i) => i.severity === "error");
    expect(errors).toEqual([]);
  });
});
