/**
 * The worked example of docs/rules.md ("A custom pack for your store") and the error examples of
 * the same page, kept here so the documentation cannot drift from what the engine does.
 */
import { describe, expect, it } from "vitest";
import { compilePack, PackError, parsePack } from "../../src/core/rules";
import { check as checkBuiltin, resolveBuiltin, ruleIds, withAttributes, withFields } from "./builtin-packs";
import { galaxyA15, nikeRevolution7 } from "./fixtures";

// Same text as in docs/rules.md.
const LOJA_DO_ZE = `
id: loja-do-ze
name: Loja do Zé — Mercado Livre
version: 1.2.0
description: Regras da casa por cima do pacote do Mercado Livre.
extends: mercadolivre
locale_default: pt-BR

rules:
  # Our titles are shown in a 55-character widget on the store site too.
  - id: loja.title.max_length
    field: title
    check: max_length
    max: 55
    fix: { truncate: { max: 55, at_word: true } }
    message:
      en: "Keep titles to {max} characters for the store widget (this one has {length})."
      pt-BR: "Use no máximo {max} caracteres no título por causa da vitrine da loja (este tem {length})."

  - id: loja.sku.format
    field: sku
    check: pattern
    pattern: "^[A-Z]{2,4}-[A-Z0-9-]+$"
    message:
      pt-BR: "O SKU \\"{value}\\" não segue o padrão da loja (ex.: SM-A155M-128)."
      en: "SKU \\"{value}\\" does not follow the store pattern (e.g. SM-A155M-128)."

  - id: loja.warranty.required
    field: warranty
    check: required
    severity: warning
    when: { field: condition, equals: new }
    fix: { default: "12 meses de garantia do fabricante" }
    message:
      pt-BR: "Produto novo sem garantia informada; vamos usar \\"12 meses de garantia do fabricante\\"."
      en: "New product without a warranty; \\"12 meses de garantia do fabricante\\" will be used."

categories:
  MLB1055:
    name: Celulares e Smartphones
    rules:
      - id: loja.mlb1055.color.one_of
        field: attributes.COLOR
        check: one_of
        values: [Preto, Branco, Azul, Azul-escuro, Verde, Rosa, Prata]
        severity: warning
        message:
          pt-BR: "A cor \\"{value}\\" não está na nossa lista de cores: {values}."
          en: "Color \\"{value}\\" is not one of our colors: {values}."

overrides:
  - id: ml.title.max_length         # replaced by loja.title.max_length (55)
    disabled: true
  - id: ml.title.promotional_words  # the store forbids them outright
    severity: error
  - id: ml.images.https             # our CDN answers on http too; keep it as a hint
    severity: info
`;

const lojaDef = parsePack(LOJA_DO_ZE);
const loja = compilePack(lojaDef, resolveBuiltin);

function checkLoja(record: Record<string, unknown>, opts: { category?: string; applyFixes?: boolean; locale?: "en" | "pt-BR" } = {}) {
  return loja.createValidator(opts).validate(record, 1);
}

describe("docs example: a custom pack extending mercadolivre", () => {
  it("compiles with the inherited rules first and its own after them", () => {
    const ids = loja.rules("MLB1055").map((r) => r.id);
    expect(ids[0]).toBe("common.sku.required");
    expect(ids).not.toContain("ml.title.max_length");
    expect(ids.indexOf("loja.title.max_length")).toBeGreaterThan(ids.indexOf("ml.attributes.model.required"));
    expect(ids.at(-1)).toBe("loja.mlb1055.color.one_of");
    expect(loja.rules().find((r) => r.id === "ml.title.promotional_words")?.severity).toBe("error");
    expect(loja.categories.map((c) => c.id)).toEqual(["MLB1055", "MLB1652", "MLB1430"]);
  });

  it("accepts the Galaxy A15 in MLB1055 except for the store's SKU format", () => {
    expect(ruleIds(checkLoja(galaxyA15, { category: "MLB1055" }))).toEqual([]);
    expect(ruleIds(checkLoja(withFields(galaxyA15, { sku: "sm-a155m" }), { category: "MLB1055" }))).toEqual(["loja.sku.format"]);
  });

  it("uses pt-BR by default and truncates titles to 55 characters", () => {
    const record = withFields(galaxyA15, { title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro Dual" });
    const result = checkLoja(record);
    expect(ruleIds(result)).toEqual(["loja.title.max_length"]);
    expect(result.issues[0].message).toBe("Use no máximo 55 caracteres no título por causa da vitrine da loja (este tem 60).");
    expect(result.issues[0].suggestion).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro");
  });

  it("makes promotional words an error and http pictures a hint", () => {
    const result = checkLoja(withFields(nikeRevolution7, {
      sku: "NK-FB2207-001-41",
      title: "Tênis Nike Revolution 7 Oferta",
      warranty: "3 meses",
      images: ["http://static.lojadoze.com.br/nike/fb2207-001-1.jpg"],
    }));
    expect(result.issues.map((i) => [i.rule, i.severity])).toEqual([
      ["ml.title.promotional_words", "error"],
      ["ml.images.https", "info"],
    ]);
    expect(result.valid).toBe(false);
  });

  it("fills the warranty of new products, and only of new products", () => {
    const record = withFields(nikeRevolution7, { sku: "NK-FB2207-001-41" });
    const fixed = checkLoja(record, { applyFixes: true });
    expect(fixed.corrected?.warranty).toBe("12 meses de garantia do fabricante");
    expect(fixed.issues.map((i) => i.rule)).toEqual(["loja.warranty.required"]);
    expect(ruleIds(checkLoja(withFields(record, { condition: "used" })))).toEqual([]);
  });

  it("adds its own rule to the parent's MLB1055 section", () => {
    const result = checkLoja(withAttributes(galaxyA15, { COLOR: "Lilás" }), { category: "MLB1055", locale: "en" });
    expect(ruleIds(result)).toEqual(["loja.mlb1055.color.one_of"]);
    expect(result.issues[0].message).toBe(
      'Color "Lilás" is not one of our colors: Preto, Branco, Azul, Azul-escuro, Verde, Rosa or Prata.',
    );
  });

  it("leaves the built-in pack untouched", () => {
    expect(ruleIds(checkBuiltin("mercadolivre", withFields(galaxyA15, { sku: "sm-a155m" })))).toEqual([]);
  });
});

describe("docs examples: packs that are refused", () => {
  function problemsOf(f: () => unknown) {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(PackError);
      return (e as PackError).problems;
    }
    throw new Error("expected a PackError");
  }

  it("reports every problem of a rule with its line, pointer and rule id", () => {
    const problems = problemsOf(() =>
      parsePack(`id: minha-loja
name: Minha loja
version: 1.0.0
extends: mercadolivre
rules:
  - id: loja.title.min
    field: titel
    check: min_length
    min: 10
  - id: loja.sku.pattern
    field: sku
    check: pattern
    pattern: "^(a+)+$"
  - id: loja.price.range
    field: price
    check: range
    minimum: 1
`),
    );
    expect(problems.map((p) => [p.line, p.pointer, p.rule])).toEqual([
      [7, "/rules/0/field", "loja.title.min"],
      [13, "/rules/1/pattern", "loja.sku.pattern"],
      [17, "/rules/2/minimum", "loja.price.range"],
    ]);
    expect(problems[0].detail).toMatch(/^unknown field "titel" \(did you mean "title"\?\)/);
    expect(problems[1].detail).toMatch(/^unsafe regular expression: a nested quantifier/);
    expect(problems[2].detail).toBe('unknown parameter "minimum" for check range; it takes min, max, gt, lt');
  });

  it("refuses an override of a rule it does not inherit, and a redefined rule id", () => {
    const override = problemsOf(() =>
      compilePack(parsePack("id: minha-loja\nname: x\nversion: 1.0.0\nextends: mercadolivre\noverrides:\n  - id: ml.title.maxlength\n    severity: warning\n"), resolveBuiltin),
    );
    expect(override[0].detail).toBe('override of unknown rule "ml.title.maxlength" (did you mean "ml.title.max_length"?): no inherited rule has this id');
    const redefined = problemsOf(() =>
      compilePack(parsePack("id: minha-loja\nname: x\nversion: 1.0.0\nextends: mercadolivre\nrules:\n  - id: ml.title.max_length\n    field: title\n    check: max_length\n    max: 50\n"), resolveBuiltin),
    );
    expect(redefined[0].detail).toMatch(/^rule id "ml.title.max_length" is already defined in pack "mercadolivre"/);
  });

  it("refuses a category the pack does not have", () => {
    const problems = problemsOf(() => loja.createValidator({ category: "MLB9999" }));
    expect(problems[0].detail).toMatch(/^unknown category "MLB9999" for pack "loja-do-ze"; valid categories: MLB1055 \(Celulares e Smartphones\)/);
  });
});
