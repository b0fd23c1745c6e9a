import { describe, expect, it } from "vitest";
import { compileMapping } from "../../../src/core/mapping";
import { isValid, RecordPipeline } from "../../../src/core/pipeline";
import type { Issue } from "../../../src/core/rules";
import { validatorFor } from "../rules/helpers";

const RULES = [
  { id: "title.required", field: "title", check: "required" },
  { id: "title.spaces", field: "title", check: "normalized", fix: ["trim", "collapse_spaces"], severity: "warning" },
  { id: "price.type", field: "price", check: "type", type: "decimal", fix: "normalize_number" },
  { id: "sku.unique", field: "sku", check: "unique" },
];
const MAPPING = compileMapping({
  fields: [
    { target: "sku", source: "Código" },
    { target: "title", source: "Nome" },
    { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] },
  ],
});
const HEADER = ["Código", "Nome", "Preço"];

function pipelines(applyFixes = true) {
  const setup = { applyFixes, locale: "pt-BR" as const };
  return {
    rows: new RecordPipeline({ ...setup, validator: validatorFor(RULES, { applyFixes, locale: "pt-BR" }), rows: MAPPING.bind(HEADER, { locale: "pt-BR" }) }),
    objects: new RecordPipeline({ ...setup, validator: validatorFor(RULES, { applyFixes, locale: "pt-BR" }), mapping: MAPPING }),
  };
}

const issue = (severity: Issue["severity"], fixed?: boolean): Issue => ({ row: 1, field: "f", rule: "r", severity, message: "", value: null, ...(fixed && { fixed }) });

describe("the one validity rule", () => {
  it("a record is valid unless an error-severity issue is left unfixed", () => {
    expect(isValid([])).toBe(true);
    expect(isValid([issue("warning"), issue("info"), issue("error", true)])).toBe(true);
    expect(isValid([issue("warning"), issue("error")])).toBe(false);
  });
});

describe("RecordPipeline", () => {
  const SOURCE = [
    ["A-1", "  Caneca   azul ", "29,90"],
    ["A-2", "Prato", "consultar"],
    ["A-1", "", "10"],
  ];

  it("rows of cells and JSON records with the same values give the same outcome", () => {
    const { rows, objects } = pipelines();
    SOURCE.forEach((cells, i) => {
      const fromCells = rows.cells(cells, i + 1);
      const fromObject = objects.object(Object.fromEntries(HEADER.map((h, k) => [h, cells[k]])), i + 1);
      expect({ ...fromObject, corrected_source: HEADER.map((h) => fromObject.corrected_source![h]) }).toEqual(fromCells);
    });
  });

  it("puts mapping issues before rule issues; a mapping error makes the record invalid", () => {
    const { objects } = pipelines();
    const fixed = objects.object({ Código: "A-1", Nome: "  Caneca   azul ", Preço: "29,90" }, 1);
    expect(fixed).toMatchObject({ valid: true, mapped: { sku: "A-1", title: "  Caneca   azul ", price: 29.9 }, corrected: { title: "Caneca azul" } });
    expect(fixed.corrected_source).toEqual({ Código: "A-1", Nome: "Caneca azul", Preço: "29,90" });
    const broken = objects.object({ Código: "A-2", Nome: "Prato", Preço: "consultar" }, 2);
    expect(broken.valid).toBe(false);
    expect(broken.issues.map((i) => i.rule)).toEqual(["mapping.number.invalid", "price.type"]);
    expect(broken.issues[0].message).toBe('"consultar" na coluna "Preço" não é um número');
    const duplicate = objects.object({ Código: "A-1", Nome: "", Preço: "10" }, 3);
    expect(duplicate.issues.map((i) => i.rule)).toEqual(["title.required", "sku.unique"]);
  });

  it("a row the reader could not read is an error issue; tabular rows keep their cells in the corrected file", () => {
    const { rows, objects } = pipelines();
    const cells = rows.cells(["A-9", "x"], 7, { code: "ragged_row", expected: 3, actual: 2 } as never);
    expect(cells).toEqual({
      row: 7,
      valid: false,
      issues: [{ row: 7, field: "", rule: "file.ragged_row", severity: "error", message: "A linha tem 2 valores, mas o cabeçalho tem 3 colunas.", value: null }],
      corrected_source: ["A-9", "x"],
    });
    const json = objects.object({}, 8, { code: "invalid_json", message: "Unexpected token" } as never);
    expect(json).toEqual({ row: 8, valid: false, issues: [expect.objectContaining({ rule: "file.invalid_json" })] });
  });

  it("without a mapping, JSON records are canonical; without apply_fixes nothing is corrected", () => {
    const canonical = new RecordPipeline({ validator: validatorFor(RULES, { applyFixes: true }), applyFixes: true, locale: "en" });
    expect(canonical.object({ sku: "1", title: "a  b", price: 1 }, 1)).toEqual({
      row: 1,
      valid: true,
      issues: [expect.objectContaining({ rule: "title.spaces", fixed: true })],
      corrected: { sku: "1", title: "a b", price: 1 },
    });
    const { objects } = pipelines(false);
    const plain = objects.object({ Código: "A-1", Nome: "a  b", Preço: "1" }, 1);
    expect(plain.corrected).toBeUndefined();
    expect(plain.corrected_source).toBeUndefined();
    expect(plain.mapped).toEqual({ sku: "A-1", title: "a  b", price: 1 });
  });
});
