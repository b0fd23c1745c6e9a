import { describe, expect, it } from "vitest";
import { FAIL, OPERATIONS, operation, type OpContext } from "../../../src/core/ops";
import { FIX_NAMES, fixSyntax } from "../../../src/core/rules/fixes";
import { TRANSFORM_OPS, transformSyntax } from "../../../src/core/mapping/transforms";
import { isAbsent } from "../../../src/core/rules/values";
import { compileMapping, mapRecordObject } from "../../../src/core/mapping";
import { mapRow } from "../mapping/helpers";
import { run } from "../rules/helpers";

/** A fix applied by a `normalized` rule with apply_fixes: the value the record ends with. */
function viaFix(fix: unknown, value: unknown, field = "title"): unknown {
  return run({ field, check: "normalized", fix }, value === undefined ? {} : { [field]: value }, { applyFixes: true }).corrected?.[field];
}

/** A transform applied to one cell (or to several columns, for the ops that combine them). */
function viaTransform(transforms: unknown[], cells: Record<string, string>, target = "title"): unknown {
  const names = Object.keys(cells);
  const field = names.length === 1 ? { target, source: names[0], transforms } : { target, sources: names, transforms };
  const { record, issues } = mapRow([field as never], cells);
  if (issues.length) throw new Error(`unexpected issue ${issues[0].rule}`);
  const [head, attribute] = target.split(".");
  return attribute === undefined ? record[head] : (record[head] as Record<string, unknown>)[attribute];
}

/** The registry operation run directly, with the parameters a syntax would give it. */
function direct(op: string, params: Record<string, unknown>, value: unknown, ctx: Partial<OpContext> = {}): unknown {
  const compiled = operation(op).compile(params, { trusted: false, maxPatternLength: 256, isAbsent, ...ctx }, (d) => {
    throw new Error(d.en);
  });
  const out = compiled!.forward(value);
  return out === FAIL ? value : out;
}

interface Use {
  /** The syntax's name for the op. */
  name: string;
  apply(): unknown;
  /** Registry op name and the parameters (presets included) this use amounts to. */
  params: Record<string, unknown>;
  input: unknown;
  ctx?: Partial<OpContext>;
  expected: unknown;
}

/** Every registry operation, with how each syntax writes it, or why a syntax does not offer it. */
const TABLE: Record<string, { fix: Use | string; transform: Use | string }> = {
  trim: {
    fix: { name: "trim", apply: () => viaFix("trim", "  Caneca  "), params: {}, input: "  Caneca  ", expected: "Caneca" },
    transform: { name: "trim", apply: () => viaTransform(["trim"], { c: "  Caneca  " }), params: {}, input: "  Caneca  ", expected: "Caneca" },
  },
  collapse_spaces: {
    // The two syntaxes have always differed: the fix squeezes line breaks too and leaves the edges;
    // the transform keeps line breaks and trims. Each presets the registry op's parameters.
    fix: {
      name: "collapse_spaces",
      apply: () => viaFix("collapse_spaces", " a \n\n b "),
      params: { newlines: true, trim: false },
      input: " a \n\n b ",
      expected: " a b ",
    },
    transform: {
      name: "collapse_spaces",
      apply: () => viaTransform(["collapse_spaces"], { c: " a  \n  b " }),
      params: { newlines: false, trim: true },
      input: " a  \n  b ",
      expected: "a \n b",
    },
  },
  case: {
    fix: { name: "case", apply: () => viaFix({ case: "title" }, "caneca de vidro"), params: { to: "title" }, input: "caneca de vidro", expected: "Caneca de Vidro" },
    transform: { name: "title", apply: () => viaTransform(["title"], { c: "caneca de vidro" }), params: { to: "title" }, input: "caneca de vidro", expected: "Caneca de Vidro" },
  },
  truncate: {
    fix: {
      name: "truncate",
      apply: () => run({ field: "title", check: "max_length", max: 13, fix: { truncate: 13 } }, { title: "Caneca Azul Grande" }, { applyFixes: true }).corrected?.title,
      params: { max: 13 },
      input: "Caneca Azul Grande",
      expected: "Caneca Azul",
    },
    transform: {
      name: "truncate",
      apply: () => viaTransform([{ op: "truncate", max: 13 }], { c: "Caneca Azul Grande" }),
      params: { max: 13 },
      input: "Caneca Azul Grande",
      expected: "Caneca Azul",
    },
  },
  replace: {
    fix: {
      name: "replace",
      apply: () => viaFix({ replace: { pattern: "^http://", with: "https://", flags: "i" } }, "HTTP://a.com/1.jpg", "url"),
      params: { pattern: "^http://", with: "https://", flags: "i" },
      input: "HTTP://a.com/1.jpg",
      expected: "https://a.com/1.jpg",
    },
    transform: {
      name: "replace",
      apply: () => viaTransform([{ op: "replace", pattern: "^http://", with: "https://", flags: "i" }], { c: "HTTP://a.com/1.jpg" }, "url"),
      params: { pattern: "^http://", with: "https://", flags: "i" },
      input: "HTTP://a.com/1.jpg",
      expected: "https://a.com/1.jpg",
    },
  },
  strip_html: {
    fix: { name: "strip_html", apply: () => viaFix("strip_html", "<b>Caneca</b> azul", "description"), params: {}, input: "<b>Caneca</b> azul", expected: "Caneca azul" },
    transform: "not offered: mappings have never had it (docs/mappings.md); offering it is a change to the public mapping format, not part of this refactor",
  },
  digits_only: {
    fix: { name: "digits_only", apply: () => viaFix("digits_only", "8517.13.00", "ncm"), params: { integers: false }, input: "8517.13.00", expected: "85171300" },
    transform: {
      name: "digits_only",
      apply: () => viaTransform(["digits_only"], { c: "8517.13.00" }, "ncm"),
      // Mappings also read whole JSON numbers as their digits; fixes leave numbers alone.
      params: { integers: true },
      input: "8517.13.00",
      expected: "85171300",
    },
  },
  default: {
    fix: { name: "default", apply: () => viaFix({ default: "BRL" }, undefined, "currency"), params: { value: "BRL" }, input: undefined, expected: "BRL" },
    transform: {
      name: "default",
      apply: () => viaTransform([{ op: "default", value: "BRL" }], { c: "" }, "currency"),
      params: { value: "BRL" },
      input: undefined,
      expected: "BRL",
    },
  },
  value_map: {
    fix: {
      name: "value_map",
      apply: () => viaFix({ value_map: { novo: "new", usado: "used" } }, " NOVO ", "condition"),
      params: { values: { novo: "new", usado: "used" }, booleans: false },
      input: " NOVO ",
      expected: "new",
    },
    transform: {
      name: "value_map",
      apply: () => viaTransform([{ op: "value_map", values: { novo: "new", usado: "used" } }], { c: " NOVO " }, "condition"),
      params: { values: { novo: "new", usado: "used" }, booleans: true },
      input: " NOVO ",
      expected: "new",
    },
  },
  number: {
    fix: { name: "normalize_number", apply: () => viaFix("normalize_number", "R$ 1.234,56", "price"), params: {}, input: "R$ 1.234,56", expected: 1234.56 },
    transform: {
      name: "number",
      apply: () => viaTransform([{ op: "number", locale: "pt-BR" }], { c: "R$ 1.234,56" }, "price"),
      params: { locale: "pt-BR" },
      input: "R$ 1.234,56",
      expected: 1234.56,
    },
  },
  format_number: {
    fix: "not offered: a fix must leave a value its rule accepts, and no check asks for numbers written as pt-BR text",
    transform: {
      name: "format_number",
      apply: () => viaTransform([{ op: "format_number", decimals: 2, grouping: true }], { c: "1234.5" }, "attributes.PRICE_TEXT"),
      params: { decimals: 2, grouping: true },
      input: "1234.5",
      expected: "1.234,50",
    },
  },
  date: {
    fix: "not offered: the canonical record has no date field a rule checks; dates are read when mapping a sheet",
    transform: {
      name: "date",
      apply: () => viaTransform(["date"], { c: "31/12/2024" }, "attributes.RELEASE_DATE"),
      params: {},
      input: "31/12/2024",
      expected: "2024-12-31",
    },
  },
  unit: {
    fix: "not offered: a fix sees one value without its column's unit; units are converted when mapping a sheet",
    transform: {
      name: "unit",
      apply: () => viaTransform([{ op: "unit", from: "kg", to: "g" }], { c: "0,45" }, "weight_g"),
      params: { from: "kg", to: "g" },
      input: "0,45",
      expected: 450,
    },
  },
  split: {
    fix: "not offered: rules already read text lists (a|b) as lists, so a fix never needs to split",
    transform: { name: "split", apply: () => viaTransform(["split"], { c: "a | b" }, "images"), params: {}, input: "a | b", expected: ["a", "b"] },
  },
  collect: {
    fix: "not offered: it combines several columns, and a fix sees one field's value",
    transform: { name: "collect", apply: () => viaTransform(["collect"], { A: "a", B: "", C: "c" }, "images"), params: {}, input: ["a", undefined, "c"], expected: ["a", "c"] },
  },
  first: {
    fix: "not offered: it combines several columns, and a fix sees one field's value",
    transform: { name: "first", apply: () => viaTransform(["first"], { A: "", B: "b" }), params: {}, input: [undefined, "b"], expected: "b" },
  },
  concat: {
    fix: "not offered: it combines several columns, and a fix sees one field's value",
    transform: {
      name: "concat",
      apply: () => viaTransform([{ op: "concat", separator: " - " }], { A: "x", B: "y" }),
      params: { separator: " - " },
      input: ["x", "y"],
      expected: "x - y",
    },
  },
  template: {
    fix: "not offered: it writes several columns into one text, and a fix sees one field's value",
    transform: {
      name: "template",
      apply: () => viaTransform([{ op: "template", template: "{A} {B}" }], { A: "Samsung", B: "A15" }),
      params: { template: "{A} {B}" },
      input: ["Samsung", "A15"],
      ctx: { sources: ["A", "B"], multi: true },
      expected: "Samsung A15",
    },
  },
};

describe("the operations registry", () => {
  it("lists every operation once, each in one family", () => {
    expect([...OPERATIONS.keys()].sort()).toEqual(Object.keys(TABLE).sort());
    for (const op of OPERATIONS.values()) expect(["text", "number", "date", "list", "units"]).toContain(op.family);
  });

  it("every fix and every transform names a registry operation", () => {
    for (const name of FIX_NAMES) expect(OPERATIONS.has(fixSyntax(name)!.op), name).toBe(true);
    for (const name of TRANSFORM_OPS) expect(OPERATIONS.has(transformSyntax(name)!.op), name).toBe(true);
    // and each is listed in the table below under the operation it names
    const listed = (syntax: "fix" | "transform") =>
      Object.values(TABLE)
        .map((row) => row[syntax])
        .filter((use): use is Use => typeof use !== "string")
        .map((use) => use.name);
    expect(new Set(FIX_NAMES)).toEqual(new Set(listed("fix")));
    expect(new Set(TRANSFORM_OPS.filter((n) => !["upper", "lower", "sentence"].includes(n)))).toEqual(new Set(listed("transform")));
  });

  it.each(Object.entries(TABLE))("%s: each syntax reaches it, or says why it does not offer it", (op, row) => {
    for (const [syntax, use] of [
      ["fix", row.fix],
      ["transform", row.transform],
    ] as const) {
      if (typeof use === "string") {
        expect(use).toMatch(/^not offered: .{20,}/);
        expect(syntax === "fix" ? fixSyntax(op) : transformSyntax(op)).toBeUndefined();
        continue;
      }
      const entry = syntax === "fix" ? fixSyntax(use.name) : transformSyntax(use.name);
      expect(entry?.op, `${syntax} ${use.name}`).toBe(op);
      const presets = { ...entry!.preset };
      for (const [k, v] of Object.entries(presets)) expect(use.params[k], `${syntax} ${use.name} presets ${k}`).toEqual(v);
      expect(use.apply(), `${syntax} ${use.name}`).toEqual(use.expected);
      expect(direct(op, use.params, use.input, use.ctx), `registry ${op}`).toEqual(use.expected);
    }
  });

  it("the transforms upper, lower and sentence are the case operation with a preset", () => {
    for (const to of ["upper", "lower", "sentence"]) expect(transformSyntax(to)).toEqual({ op: "case", preset: { to } });
    expect(viaTransform(["upper"], { c: "ação" })).toBe(viaFix({ case: "upper" }, "ação"));
    expect(viaTransform(["sentence"], { c: "CANECA AZUL" })).toBe(viaFix({ case: "sentence" }, "CANECA AZUL"));
  });
});

describe("where the two syntaxes have always differed, each keeps its behaviour", () => {
  it("digits_only: a mapping reads a whole JSON number as its digits; a fix leaves numbers alone", () => {
    const mapping = compileMapping({ fields: [{ target: "gtin", source: "ean", transforms: ["digits_only"] }] });
    expect(mapRecordObject(mapping, { ean: 7891234567895 }).record.gtin).toBe("7891234567895");
    expect(run({ field: "gtin", check: "normalized", fix: "digits_only" }, { gtin: 7891234567895 }).issues).toEqual([]);
  });

  it("value_map: a mapping looks up true/false by their text; a fix leaves them alone", () => {
    const values = { true: "yes", false: "no" };
    expect(direct("value_map", { values, booleans: true }, true)).toBe("yes");
    expect(run({ field: "attributes.X", check: "normalized", fix: { value_map: values } }, { attributes: { X: true } }).issues).toEqual([]);
  });

  it("value_map: a fix refuses keys that fold together; a mapping keeps the first", () => {
    expect(() => run({ field: "condition", check: "normalized", fix: { value_map: { Novo: "new", novo: "used" } } }, {})).toThrow(/same when case and accents are ignored/);
    expect(viaTransform([{ op: "value_map", values: { Novo: "new", novo: "used" } }], { c: "NOVO" }, "condition")).toBe("new");
  });
});
