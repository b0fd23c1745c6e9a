import { describe, expect, it } from "vitest";
import { VitrineError } from "../../../src/core/errors";
import { compileMapping, MappingBindError, MappingError, type MappingProblem } from "../../../src/core/mapping";

function mappingError(f: () => unknown): MappingError {
  try {
    f();
  } catch (e) {
    if (e instanceof MappingError) return e;
    throw e;
  }
  throw new Error("expected a MappingError");
}

const REFUSED: unknown[] = [
  null,
  { fields: "x" },
  { fields: [] },
  {
    name: "x".repeat(101),
    fields: [
      "not an object",
      { target: "titel", source: "Preço", extra: 1 },
      { target: "title", source: "Nome", transforms: ["trimm", 3] },
      { target: "price", source: "P", transforms: [{ op: "number", locale: "fr", round: 2 }] },
      { target: "title", source: "Outro" },
      { target: "sku" },
      { target: "gtin", source: "EAN", value: "1" },
      { target: "attributes", source: "Attrs" },
      { source: "x" },
      { target: "brand", source: "" },
      { target: "model", source: "a*b*" },
      { target: "images", source: "Imagem *" },
      { target: "images", sources: [] },
      { target: "currency", value: { a: 1 } },
      { target: "images", sources: ["A", "B"], transforms: ["trim"] },
      { target: "stock", value: "abc", transforms: ["number"] },
      { target: "weight_g", source: "p", transforms: [{ op: "unit", from: "stone", to: "cm" }] },
      { target: "height_cm", source: "p", transforms: [{ op: "unit", from: "kg", to: "cm" }] },
      { target: "attributes.D", source: "d", transforms: [{ op: "date", format: "MM/YYYY", output: "" }] },
      { target: "attributes.E", source: "e", transforms: [{ op: "date", format: "DD/DD/YYYY" }] },
      { target: "description", source: "t", transforms: [{ op: "replace", pattern: "(a+)+$" }, { op: "replace", pattern: "a", find: "b" }, { op: "replace", find: "a", flags: "i" }] },
      { target: "url", source: "t", transforms: [{ op: "template", template: "{B" }, { op: "truncate" }, { op: "value_map", values: {} }] },
      { target: "warranty", sources: ["A"], transforms: [{ op: "template", template: "{B}" }] },
      { target: "ncm", source: "n", transforms: [{}] },
    ],
  },
];

function expectBilingual(p: MappingProblem) {
  expect(p.detail).toBe(p.text.en);
  expect(p.text["pt-BR"].length, p.detail).toBeGreaterThan(0);
  expect(p.text["pt-BR"], p.detail).not.toBe(p.text.en);
}

describe("mapping problems in English and pt-BR", () => {
  it("every problem of a refused mapping has its English detail and a pt-BR text", () => {
    let seen = 0;
    for (const def of REFUSED) {
      for (const p of mappingError(() => compileMapping(def as never)).problems) {
        expectBilingual(p);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(30);
  });

  it("a MappingError is the one typed error: invalid_mapping, a summary in both languages, errors with pointers", () => {
    const error = mappingError(() =>
      compileMapping({
        fields: [
          { target: "preço", source: "Preço" },
          { target: "title", source: "Nome", transforms: [{ op: "replace", pattern: "(a+)+", with: "" }] },
          { target: "price", source: "P", transforms: ["numero"] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(VitrineError);
    expect(error.code).toBe("invalid_mapping");
    expect(error.detail.en).toMatch(/^The mapping has 3 problems: unknown target field "preço".*; see errors\.$/);
    expect(error.detail["pt-BR"]).toMatch(/^O mapeamento tem 3 problemas: campo de destino "preço" desconhecido.*; veja errors\.$/);
    expect(error.extra.errors).toEqual(error.problems.map((p) => ({ detail: p.text, pointer: p.pointer })));
  });

  it("a file without a column the mapping reads names it, in both languages", () => {
    const mapping = compileMapping({ fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome" }] });
    const error = mappingError(() => mapping.bind(["SKU", "Nome"]));
    expect(error).toBeInstanceOf(MappingBindError);
    expect(error.detail).toEqual({
      en: 'The file has no column "Código" required by the mapping',
      "pt-BR": 'O arquivo não tem a coluna "Código", exigida pelo mapeamento',
    });
    error.problems.forEach(expectBilingual);
  });

  it("a cell a transform cannot read is reported in the reader's language", () => {
    const mapper = compileMapping({ fields: [{ target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] }] }).bind(["Preço"], { locale: "pt-BR" });
    expect(mapper.map(["abc"], 2).issues[0].message).toBe('"abc" na coluna "Preço" não é um número');
  });
});
