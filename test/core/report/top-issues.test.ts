import { describe, expect, it } from "vitest";
import { addResult, emptySummary, explainRule, topIssues } from "../../../src/core/report";
import { compilePack, parsePack, type RuleInfo } from "../../../src/core/rules";
import { BUILTIN_SOURCES, builtinPack } from "../../rules/builtin-packs";
import { galaxyA15, MLB1055_MISSING_ATTRIBUTE_RULES } from "../../rules/fixtures";

/** 2,000 phones for MLB1055 whose seller never filled the category's attributes, a few with a bad GTIN. */
function phonesWithoutAttributes(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    ...galaxyA15,
    sku: `CEL-${i}`,
    gtin: i % 500 === 7 ? "7892509125841" : galaxyA15.gtin,
    attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" },
  }));
}


describe("top_issues", () => {
  const pack = builtinPack("mercadolivre");
  const validator = pack.createValidator({ category: "MLB1055" });
  const summary = emptySummary();
  phonesWithoutAttributes(2000).forEach((record, i) => addResult(summary, validator.validate(record, i + 2)));

  it("groups a rule that fails on every record into one entry per rule with the right count", () => {
    expect(summary.issues.error).toBe(14_004);
    const top = topIssues(summary, pack.rules("MLB1055"), "en");
    expect(top.map((t) => t.rule)).toEqual([...MLB1055_MISSING_ATTRIBUTE_RULES, "common.gtin.check_digit"]);
    for (const entry of top.slice(0, 7)) {
      expect(entry).toMatchObject({ severity: "error", records: 2000, share: 1, issues: 2000, corrected: 0, examples: [2, 3, 4, 5, 6] });
    }
    expect(top[7]).toEqual({
      rule: "common.gtin.check_digit",
      severity: "error",
      field: "gtin",
      records: 4,
      share: 0.002,
      corrected: 0,
      issues: 4,
      explanation: "The gtin field is not a valid GTIN (EAN/UPC): it needs 8, 12, 13 or 14 digits with a correct check digit.",
      examples: [9, 509, 1009, 1509],
    });
  });

  it("explains each group in the reader's language, from the rule's own message when it names nothing record-specific", () => {
    const line = (locale: "en" | "pt-BR") => topIssues(summary, pack.rules("MLB1055"), locale).find((t) => t.rule === "ml.mlb1055.line.required")!;
    expect(line("en")).toMatchObject({ field: "attributes.LINE", explanation: 'The LINE attribute is missing, e.g. "Galaxy A" for a Samsung Galaxy A15.' });
    expect(line("pt-BR").explanation).toBe('Falta o atributo LINE (Linha), por exemplo "Galaxy A" para um Samsung Galaxy A15.');
  });

  it("orders errors before warnings before info, then by affected records", () => {
    const def = parsePack(
      JSON.stringify({
        id: "order",
        name: "Order",
        version: "1.0.0",
        rules: [
          { id: "a.info", field: "title", check: "required", severity: "info" },
          { id: "b.warning.few", field: "price", check: "required", severity: "warning" },
          { id: "c.warning.many", field: "stock", check: "required", severity: "warning" },
          { id: "d.error", field: "sku", check: "required" },
        ],
      }),
      { format: "json" },
    );
    const p = compilePack(def, () => undefined);
    const v = p.createValidator();
    const s = emptySummary();
    const records = [{ price: 1 }, { price: 1 }, {}, { sku: "x", title: "t" }];
    records.forEach((r, i) => addResult(s, v.validate(r, i + 1)));
    expect(topIssues(s, p.rules(), "en").map((t) => [t.rule, t.records])).toEqual([
      ["d.error", 3],
      ["c.warning.many", 4],
      ["b.warning.few", 2],
      ["a.info", 3],
    ]);
  });

  it("explains mapping and file problems, which no pack defines", () => {
    const s = emptySummary();
    const base = { severity: "error" as const, message: "", value: null };
    addResult(s, { valid: false, issues: [{ ...base, row: 2, field: "price", rule: "mapping.number.invalid" }] });
    addResult(s, { valid: false, issues: [{ ...base, row: 3, field: "", rule: "file.ragged_row" }] });
    const top = topIssues(s, [], "pt-BR");
    expect(top.find((t) => t.rule === "mapping.number.invalid")).toMatchObject({ field: "price", explanation: "Valores do campo price não são números." });
    expect(top.find((t) => t.rule === "file.ragged_row")).toMatchObject({
      field: null,
      explanation: "Linhas têm um número de valores diferente do número de colunas do cabeçalho.",
    });
  });

  it("still groups a summary stored before records were counted per rule, bounding records by issues", () => {
    const old = { ...emptySummary(), records: 10, by_rule: { "ml.condition.required": { severity: "error" as const, count: 3 } } } as Partial<ReturnType<typeof emptySummary>>;
    delete old.records_by_rule;
    expect(topIssues(old as ReturnType<typeof emptySummary>, pack.rules(), "en")).toEqual([
      expect.objectContaining({ rule: "ml.condition.required", field: "condition", records: 3, share: 0.3, examples: [] }),
    ]);
  });

  it("gives every built-in rule a whole sentence in both languages, with no placeholder left", () => {
    const seen = new Set<string>();
    for (const id of Object.keys(BUILTIN_SOURCES)) {
      const p = builtinPack(id);
      const rules: RuleInfo[] = [...p.rules(), ...p.categories.flatMap((c) => p.rules(c.id))];
      for (const rule of rules) {
        if (seen.has(rule.id)) continue;
        seen.add(rule.id);
        const t = explainRule(rule.id, rule, rule.field);
        for (const sentence of [t.en, t["pt-BR"]]) {
          expect(sentence, rule.id).toMatch(/^\S.*[.!?)"]$/s);
          // No placeholder, and no quotes around nothing (an emptied "{value}").
          expect(sentence, rule.id).not.toMatch(/[{}]|(^|[\s(])""/);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(60);
  });

  it("uses a rule's message with only the rule's parameters in it, and falls back when it quotes the record", () => {
    const def = parsePack(
      JSON.stringify({
        id: "msgs",
        name: "Msgs",
        version: "1.0.0",
        rules: [
          { id: "t.max", field: "title", check: "max_length", max: 60, message: { en: "Titles take at most {max} characters.", "pt-BR": "Títulos têm no máximo {max} caracteres." } },
          { id: "t.len", field: "title", check: "min_length", min: 10, message: { en: "The title has only {length} characters." } },
          { id: "p.range", field: "price", check: "range", min: 0.5, message: { en: "Prices must be {bounds}." } },
          { id: "c.one", field: "condition", check: "one_of", values: ["new", "used"], description: "Condition is new or used (seller docs, 2024)." },
        ],
      }),
      { format: "json" },
    );
    const rules = compilePack(def, () => undefined).rules();
    const explain = (id: string, locale: "en" | "pt-BR") => explainRule(id, rules.find((r) => r.id === id), null)[locale];
    expect(explain("t.max", "pt-BR")).toBe("Títulos têm no máximo 60 caracteres.");
    expect(explain("t.len", "en")).toBe("The title field is shorter than 10 characters.");
    expect(explain("t.len", "pt-BR")).toBe("O campo title tem menos de 10 caracteres.");
    expect(explain("p.range", "en")).toBe("Prices must be at least 0.5.");
    expect(explain("p.range", "pt-BR")).toBe("Prices must be no mínimo 0,5.");
    expect(explain("c.one", "en")).toBe("Condition is new or used (seller docs, 2024).");
  });
});
