import { describe, expect, it } from "vitest";
import { BUILTIN_SOURCES, builtinDefinition, builtinPack } from "./builtin-packs";

// Placeholders the engine fills (docs/rule-engine-design.md) plus check parameter names used by the packs.
const PLACEHOLDERS = new Set([
  "field", "value", "rule", "suggestion", "length", "min", "max", "count", "values", "other", "other_value", "word",
  "first_row", "type", "type_label", "bounds", "op_label", "schemes", "max_length", "gt", "lt", "op", "pattern",
  "prefix",
]);
const PREFIX: Record<string, string> = {
  common: "common.",
  mercadolivre: "ml.",
  shopee: "shopee.",
  "google-merchant": "gmc.",
};

describe.each(Object.keys(BUILTIN_SOURCES))("built-in pack %s", (id) => {
  const def = builtinDefinition(id);
  const all = [...def.rules, ...def.categories.flatMap((c) => c.rules)];

  it("parses with the id of its file and compiles with its parents", () => {
    expect(def.id).toBe(id);
    expect(def.version).toMatch(/^\d+\.\d+\.\d+$/);
    const pack = builtinPack(id);
    expect(pack.id).toBe(id);
    expect(pack.rules().length).toBeGreaterThanOrEqual(def.rules.length);
  });

  it("names its rules with the pack prefix, each id once", () => {
    for (const r of all) expect(r.id.startsWith(PREFIX[id]), r.id).toBe(true);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  it("traces every rule to a published requirement", () => {
    for (const r of all) expect(r.source && r.source.length > 20, r.id).toBe(true);
  });

  it("has an English and a Portuguese message for every rule, with known placeholders only", () => {
    for (const r of all) {
      expect(r.message?.en, r.id).toBeTruthy();
      expect(r.message?.["pt-BR"], r.id).toBeTruthy();
      for (const text of [r.message!.en!, r.message!["pt-BR"]!]) {
        for (const m of text.matchAll(/\{([a-z_]+)\}/g)) expect(PLACEHOLDERS.has(m[1]), `${r.id}: {${m[1]}}`).toBe(true);
      }
      // Same placeholders in both languages, so neither translation loses information.
      const names = (t: string) => [...t.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
      expect(names(r.message!["pt-BR"]!), r.id).toEqual(names(r.message!.en!));
    }
  });
});

describe("effective rule sets", () => {
  it("every marketplace pack inherits the common rules first", () => {
    const common = builtinPack("common").rules().map((r) => r.id);
    for (const id of ["mercadolivre", "shopee", "google-merchant"]) {
      const ids = builtinPack(id).rules().map((r) => r.id);
      const inherited = ids.filter((r) => r.startsWith("common."));
      expect(ids.slice(0, inherited.length), id).toEqual(inherited);
      for (const r of inherited) expect(common).toContain(r);
    }
  });

  it("overridden common rules are gone from the packs that replace them", () => {
    expect(builtinPack("mercadolivre").rules().map((r) => r.id)).not.toContain("common.condition.one_of");
    expect(builtinPack("google-merchant").rules().map((r) => r.id)).not.toContain("common.sku.max_length");
    expect(builtinPack("shopee").rules().map((r) => r.id)).toContain("common.condition.one_of");
  });

  it("rule info says which pack and category a rule comes from", () => {
    const rules = builtinPack("mercadolivre").rules("MLB1055");
    expect(rules.find((r) => r.id === "common.gtin.check_digit")).toMatchObject({ pack: "common", has_fix: true });
    expect(rules.find((r) => r.id === "ml.mlb1055.line.required")).toMatchObject({ pack: "mercadolivre", category: "MLB1055" });
  });
});
