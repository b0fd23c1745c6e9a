import { describe, expect, it } from "vitest";
import { withLiveSections } from "../../../src/core/connectors/live-sections";
import { compileCategoryRules, coverageKey, MAX_LISTED_VALUES } from "../../../src/core/connectors/mercadolivre/category-rules";
import { getCompiledPack, parsePack } from "../../../src/core/rules";
import common from "../../../rules/common.yaml?raw";
import mercadolivre from "../../../rules/mercadolivre.yaml?raw";

/** Shaped like GET /categories/{id}/attributes (https://developers.mercadolivre.com.br/pt_br/atributos). */
const ATTRIBUTES = [
  { id: "BRAND", name: "Marca", tags: { required: true }, value_type: "string", value_max_length: 60 },
  { id: "HEADPHONE_FORMAT", name: "Formato", tags: { required: true }, value_type: "list", values: [{ id: "1", name: "In-Ear" }, { id: "2", name: "Over-Ear" }] },
  { id: "IS_WIRELESS", name: "É sem fio", tags: { catalog_required: true }, value_type: "boolean", values: [{ id: "3", name: "Sim" }, { id: "4", name: "Não" }] },
  { id: "BATTERY_LIFE", name: "Duração {total}", tags: {}, value_type: "number_unit", allowed_units: [{ id: "h", name: "h" }, { id: "min", name: "min" }] },
  { id: "WEIGHT", name: "Peso", tags: { conditional_required: true }, value_type: "number" },
  { id: "GTIN", name: "Código universal", tags: { conditional_required: true }, value_type: "string", value_max_length: 14 },
  { id: "ITEM_CONDITION", name: "Condição", tags: { read_only: true, required: true }, value_type: "list", values: [{ id: "5", name: "Novo" }] },
  { id: "bad id!", tags: { required: true } },
];

const packs = new Map([common, mercadolivre].map((source) => [parsePack(source, { trusted: true }).id, parsePack(source, { trusted: true })]));
const base = packs.get("mercadolivre")!;

function validate(category: ReturnType<typeof compileCategoryRules>["category"], record: Record<string, unknown>) {
  const def = withLiveSections(base, { packId: "mercadolivre", categories: [category], tag: `${category.id}@test` });
  const pack = getCompiledPack(def, (id) => (id === "mercadolivre" ? def : packs.get(id)));
  return pack.createValidator({ category: category.id, locale: "pt-BR" }).validate(record, 1);
}

describe("Mercado Livre category attributes compiled into rules", () => {
  const { category, readOnly } = compileCategoryRules("MLB271107", ATTRIBUTES, { name: "Fones" });

  it("turns tags, lists, lengths, numbers and units into rules with stable ids", () => {
    const byId = Object.fromEntries(category.rules.map((r) => [r.id, r]));
    expect(byId["ml.live.mlb271107.brand.required"]).toMatchObject({ field: "attributes.BRAND", check: "required", severity: "error" });
    expect(byId["ml.live.mlb271107.brand.max_length"]).toMatchObject({ check: "max_length", params: { max: 60 } });
    expect(byId["ml.live.mlb271107.headphone_format.one_of"]).toMatchObject({ check: "one_of", params: { values: ["In-Ear", "Over-Ear"] } });
    expect(byId["ml.live.mlb271107.is_wireless.catalog_required"]).toMatchObject({ check: "required", severity: "warning" });
    expect(byId["ml.live.mlb271107.battery_life.unit"]).toMatchObject({ check: "pattern" });
    expect(byId["ml.live.mlb271107.weight.conditional_required"]).toMatchObject({ severity: "info" });
    expect(byId["ml.live.mlb271107.weight.number"]).toMatchObject({ check: "type" });
    // GTIN goes to the canonical field, required unless EMPTY_GTIN_REASON says why there is none.
    expect(byId["ml.live.mlb271107.gtin.required"]).toMatchObject({ field: "gtin", when: { field: "attributes.EMPTY_GTIN_REASON", exists: false } });
    // read_only attributes are the marketplace's: no required rule, and pushes must leave them alone.
    expect(byId["ml.live.mlb271107.item_condition.required"]).toBeUndefined();
    expect(readOnly).toEqual(["ITEM_CONDITION"]);
    expect(category.rules.some((r) => r.field.includes("bad"))).toBe(false);
  });

  it("validates records with them, messages in both languages, names with braces kept literal", () => {
    const result = validate(category, { attributes: { BRAND: "JBL", HEADPHONE_FORMAT: "Sobre a orelha", BATTERY_LIFE: "20 horas" }, gtin: "7891000315507" });
    const rules = result.issues.map((i) => i.rule);
    expect(rules).toContain("ml.live.mlb271107.headphone_format.one_of");
    expect(rules).toContain("ml.live.mlb271107.battery_life.unit");
    expect(rules).not.toContain("ml.live.mlb271107.brand.required");
    const unit = result.issues.find((i) => i.rule === "ml.live.mlb271107.battery_life.unit")!;
    expect(unit.message).toContain("Duração {total}");
    expect(unit.message).toContain("h, min");
    const ok = validate(category, { attributes: { BRAND: "JBL", HEADPHONE_FORMAT: "in-ear", BATTERY_LIFE: "20 h", IS_WIRELESS: "Sim", WEIGHT: "250" }, gtin: "7891000315507" });
    expect(ok.issues.filter((i) => i.rule.startsWith("ml.live."))).toEqual([]);
  });

  it("does not repeat what the pack checks on every record, and keeps hand-written checks attributes cannot express", () => {
    const handwritten = base.categories.find((c) => c.id === "MLB1055")!;
    const covered = new Set([coverageKey("attributes.BRAND", "required")]);
    const live = compileCategoryRules("MLB1055", [{ id: "BRAND", tags: { required: true }, value_type: "string" }, { id: "LINE", tags: { required: true }, value_type: "string" }], {
      covered,
      handwritten,
    });
    const ids = live.category.rules.map((r) => r.id);
    expect(ids).not.toContain("ml.live.mlb1055.brand.required");
    expect(ids).toContain("ml.live.mlb1055.line.required");
    // The hand-written LINE and RAM "required" are the marketplace's to decide now; the Anatel number format stays.
    expect(ids).not.toContain("ml.mlb1055.line.required");
    expect(ids).not.toContain("ml.mlb1055.ram.required");
    expect(ids).toContain("ml.mlb1055.anatel.format");
    expect(live.category.name).toBe(handwritten.name);
  });

  it("leaves very long value lists to the marketplace instead of carrying them", () => {
    const values = Array.from({ length: MAX_LISTED_VALUES + 1 }, (_, i) => ({ id: String(i), name: `Marca ${i}` }));
    const live = compileCategoryRules("MLB1", [{ id: "BRAND", value_type: "list", values }]);
    expect(live.category.rules.find((r) => r.check === "one_of")).toBeUndefined();
  });

  it("grafted sections change the pack's hash, so results say which live rules ran", () => {
    const one = withLiveSections(base, { packId: "mercadolivre", categories: [category], tag: "MLB271107@aaa" });
    const two = withLiveSections(base, { packId: "mercadolivre", categories: [category], tag: "MLB271107@bbb" });
    const hash = (def: typeof base) => getCompiledPack(def, (id) => (id === "mercadolivre" ? def : packs.get(id))).hash;
    expect(hash(one)).not.toBe(hash(base));
    expect(hash(one)).not.toBe(hash(two));
    expect(withLiveSections(base, { packId: "mercadolivre", categories: [category], tag: "MLB271107@aaa" })).toBe(one);
  });
});
