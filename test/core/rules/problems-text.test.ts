import { describe, expect, it } from "vitest";
import { VitrineError } from "../../../src/core/errors";
import { compilePack, PackError, parsePack, type PackProblem } from "../../../src/core/rules";
import { regexProblem } from "../../../src/core/rules/safe-regex";
import { registry, yamlPack } from "./helpers";

const HEADER = "id: test-pack\nname: Test\nversion: 1.0.0\n";

function packError(f: () => unknown): PackError {
  try {
    f();
  } catch (e) {
    if (e instanceof PackError) return e;
    throw e;
  }
  throw new Error("expected a PackError");
}

/** Packs that are refused for as many different reasons as fit in a few documents. */
const REFUSED = [
  "- a\n",
  "   \n",
  "id: x\nname: [\n",
  `id: Bad_Id\nname: ""\nversion: one\nrulez: []\nlocale_default: fr\nextends: [test-pack]\noverrides: [{ id: x }]\n`,
  `${HEADER}categories: { "bad id": { name: X, rules: [] }, ok: { nome: X } }\n`,
  `${HEADER}rules:
  - { field: titel, check: max_lenght, max: 60 }
  - { id: Upper.Case, field: title, check: required }
  - { id: a, field: title, check: max_length, maximum: 3, severity: fatal, each: maybe }
  - { id: b, field: title, check: required, each: true }
  - { id: c, field: images, check: count, each: true, min: 1 }
  - { id: d, field: title, check: pattern, pattern: "(a+)+$" }
  - { id: e, field: title, check: pattern, pattern: "^x", flags: g }
  - { id: f, field: title, check: required, when: { field: title } }
  - { id: g, field: title, check: required, when: { and: [] } }
  - { id: h, field: title, check: required, when: { field: gtin, exists: maybe } }
  - { id: i, field: title, check: required, fix: squash }
  - { id: j, field: title, check: required, fix: truncate }
  - { id: k, field: title, check: required, fix: { truncate: { max: 0, at_word: maybe } } }
  - { id: l, field: title, check: required, fix: { case: camel } }
  - { id: m, field: title, check: normalized }
  - { id: n, field: sku, check: unique, fix: trim }
  - { id: o, field: condition, check: required, fix: { value_map: { Novo: new, novo: new } } }
  - { id: p, field: title, check: required, fix: [trim, { trim: true }] }
  - { id: q, field: title, check: required, fix: { replace: { pattern: "(?<=a)b", colour: x } } }
  - { id: r, field: title, check: required, message: { es: "Falta" } }
  - { id: s, field: title, check: max_length, max: 3, message: "Too long: {lenght}" }
  - { id: t, field: title, check: required, message: "Broken {" }
  - { id: u, field: price, check: range }
  - { id: v, field: images, check: count, min: 3, max: 1 }
  - { id: w, field: title, check: one_of, values: [] }
  - { id: x, field: title, check: type, type: texto }
  - { id: y, field: price, check: compare, op: lt, other: preco }
  - { id: z, field: title, check: required, fix: { truncate: { max: 3, ellipsis: "..." } } }
`,
];

function expectBilingual(p: PackProblem) {
  expect(p.detail).toBe(p.text.en);
  expect(p.text["pt-BR"].length, p.detail).toBeGreaterThan(0);
  expect(p.text["pt-BR"], p.detail).not.toBe(p.text.en);
}

describe("rule-pack problems in English and pt-BR", () => {
  it("every problem of a refused pack has its English detail and a pt-BR text", () => {
    let seen = 0;
    for (const source of REFUSED) {
      for (const p of packError(() => parsePack(source)).problems) {
        expectBilingual(p);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(35);
  });

  it("compile problems too: unknown parents, cycles, overrides, redefined ids, categories", () => {
    const base = yamlPack("rules:\n  - { id: base.title, field: title, check: required }\n", "id: base\nname: Base\nversion: 1.0.0\n");
    const cyclic = yamlPack("", "id: pack-a\nname: A\nversion: 1.0.0\nextends: pack-b\n");
    const other = yamlPack("", "id: pack-b\nname: B\nversion: 1.0.0\nextends: pack-a\n");
    const child = yamlPack(
      "rules:\n  - { id: base.title, field: title, check: required }\noverrides:\n  - { id: base.titel, severity: warning }\n",
      "id: child\nname: C\nversion: 1.0.0\nextends: base\n",
    );
    const problems = [
      ...packError(() => compilePack(yamlPack("", "id: orphan\nname: O\nversion: 1.0.0\nextends: missing\n"), registry())).problems,
      ...packError(() => compilePack(cyclic, registry(cyclic, other))).problems,
      ...packError(() => compilePack(child, registry(base, child))).problems,
      ...packError(() => compilePack(base, registry(base)).createValidator({ category: "X" })).problems,
    ];
    expect(problems.length).toBeGreaterThanOrEqual(5);
    problems.forEach(expectBilingual);
  });

  it("a PackError is the one typed error: invalid_rule_pack, a bilingual summary, and errors with pointers and lines", () => {
    const error = packError(() => parsePack(`${HEADER}rules:\n  - { id: a, field: titel, check: required }\n  - { id: b, field: title, check: nope }\n`));
    expect(error).toBeInstanceOf(VitrineError);
    expect(error.code).toBe("invalid_rule_pack");
    expect(error.message).toBe(error.detail.en);
    expect(error.detail.en).toMatch(/^Invalid rule pack: unknown field "titel".* \(line 5\) and 1 more problem\(s\)$/);
    expect(error.detail["pt-BR"]).toMatch(/^Pacote de regras inválido: campo "titel" desconhecido \(quis dizer "title"\?\).* \(linha 5\) e mais 1 problema\(s\)$/);
    expect(error.extra.errors).toEqual(error.problems.map((p) => ({ detail: p.text, pointer: p.pointer, line: p.line, rule: p.rule })));
  });

  it("a problem in an ancestor names that pack in the error list", () => {
    const parent = yamlPack("", "id: parent\nname: P\nversion: 1.0.0\nextends: missing\n");
    const error = packError(() => compilePack(yamlPack("", "id: child\nname: C\nversion: 1.0.0\nextends: parent\n"), registry(parent)));
    expect(error.problems[0].pack).toBe("parent");
    expect(error.extra.errors![0].detail).toEqual({
      en: 'parent: pack "parent" extends unknown pack "missing"',
      "pt-BR": 'parent: o pacote "parent" estende o pacote desconhecido "missing"',
    });
  });

  it("unsafe regular expressions are explained in both languages", () => {
    expect(regexProblem("(a+)+$", "", 256)?.detail["pt-BR"]).toMatch(/^expressão regular insegura: um quantificador aninhado/);
    expect(regexProblem("a", "g", 256)).toEqual({
      detail: { en: 'regular expression flag "g" is not allowed (allowed: i, u)', "pt-BR": 'a flag "g" de expressão regular não é permitida (permitidas: i, u)' },
      inFlags: true,
    });
  });
});
