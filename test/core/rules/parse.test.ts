import { describe, expect, it } from "vitest";
import { PackError, parsePack, type PackProblem } from "../../../src/core/rules";

const HEADER = "id: test-pack\nname: Test\nversion: 1.0.0\n";

function problems(source: string, opts?: Parameters<typeof parsePack>[1]): PackProblem[] {
  try {
    parsePack(source, opts);
  } catch (e) {
    if (e instanceof PackError) return e.problems;
    throw e;
  }
  throw new Error("expected the pack to be rejected");
}

describe("a valid pack", () => {
  it("parses with strings kept as strings and parameters coerced", () => {
    const def = parsePack(`${HEADER}description: Regras
extends: common
rules:
  - id: ml.gtin.default
    field: gtin
    check: required
    fix: { default: "07891234567895" }
  - id: ml.warranty
    field: warranty
    check: one_of
    values: [0123, 12, true]
    case_insensitive: true
  - id: ml.title.max
    field: title
    check: max_length
    max: 60
    severity: warning
    message:
      en: "Too long ({length}/{max})."
      pt-BR: "Longo demais ({length}/{max})."
    source: https://developers.mercadolivre.com.br/
`);
    expect(def).toMatchObject({ id: "test-pack", name: "Test", version: "1.0.0", description: "Regras", extends: ["common"], categories: [], overrides: [] });
    expect(def.rules[0].fix).toEqual([{ op: "default", value: "07891234567895" }]);
    expect(def.rules[1].params).toEqual({ values: ["0123", "12", "true"], case_insensitive: true });
    expect(def.rules[2]).toMatchObject({ params: { max: 60 }, severity: "warning", line: 16, pointer: "/rules/2" });
    expect(def.source).toContain("ml.title.max");
  });

  it("accepts the same structure as JSON", () => {
    const def = parsePack(
      JSON.stringify({ id: "json-pack", name: "J", version: "1", rules: [{ id: "r", field: "price", check: "range", min: 0.5 }] }),
      { format: "json" },
    );
    expect(def.rules[0].params).toEqual({ min: 0.5 });
  });

  it("accepts anchors and aliases within the limit", () => {
    const def = parsePack(`${HEADER}rules:
  - &req { id: a, field: title, check: required }
  - { id: b, field: sku, check: required, message: &msg { en: "Missing.", pt-BR: "Faltando." } }
  - { id: c, field: brand, check: required, message: *msg }
`);
    expect(def.rules[2].message).toEqual({ en: "Missing.", "pt-BR": "Faltando." });
  });
});

describe("rejected packs", () => {
  it("unparseable YAML, with the line", () => {
    const ps = problems(`${HEADER}rules:\n  - id: a\n    field: [title\n  - id: b\n`);
    expect(ps[0].detail).toMatch(/^YAML syntax error: /);
    expect(ps[0].line).toBeGreaterThanOrEqual(6);
  });

  it("duplicate keys", () => {
    const ps = problems(`${HEADER}name: Again\n`);
    expect(ps[0]).toMatchObject({ line: 4 });
    expect(ps[0].detail).toContain("Map keys must be unique");
  });

  it("invalid JSON in JSON mode", () => {
    const ps = problems('{\n  "id": "x1",\n  "name": "X",,\n}', { format: "json" });
    expect(ps[0].line).toBe(3);
  });

  it("unknown check, naming the rule and suggesting a fix", () => {
    const ps = problems(`${HEADER}rules:\n  - id: ml.title.max\n    field: title\n    check: max_lenght\n    max: 60\n`);
    expect(ps).toMatchObject([
      {
        detail: expect.stringContaining('unknown check "max_lenght" (did you mean "max_length"?)'),
        pointer: "/rules/0/check",
        line: 7,
        rule: "ml.title.max",
      },
    ]);
  });

  it("unknown field", () => {
    const [p] = problems(`${HEADER}rules:\n  - { id: a, field: titel, check: required }\n`);
    expect(p).toMatchObject({ pointer: "/rules/0/field", line: 5, rule: "a" });
    expect(p.detail).toContain('unknown field "titel" (did you mean "title"?)');
  });

  it("accepts any attributes.<KEY> but not other nested paths", () => {
    expect(() => parsePack(`${HEADER}rules:\n  - { id: a, field: attributes.SELLER_SKU, check: required }\n`)).not.toThrow();
    expect(problems(`${HEADER}rules:\n  - { id: a, field: images.0, check: required }\n`)[0].pointer).toBe("/rules/0/field");
  });

  it("unknown and missing parameters, bad severities, bad values — all at once", () => {
    const ps = problems(`${HEADER}rules:
  - { id: a, field: title, check: max_length, maximum: 60 }
  - { id: b, field: title, check: required, severity: fatal }
  - { id: c, field: price, check: range, min: "dez" }
  - { id: d, field: title, check: type, type: text }
  - { id: e, field: title, check: required, each: true }
`);
    expect(ps.map((p) => [p.rule, p.pointer])).toEqual([
      ["a", "/rules/0/maximum"],
      ["a", "/rules/0"],
      ["b", "/rules/1/severity"],
      ["c", "/rules/2/min"],
      ["d", "/rules/3/type"],
      ["e", "/rules/4/each"],
    ]);
    expect(ps[0].detail).toBe('unknown parameter "maximum" for check max_length; it takes max');
    expect(ps[1].detail).toBe('check max_length needs the parameter "max"');
    expect(ps[2].detail).toBe('unknown severity "fatal"; use one of error, warning, info');
    expect(ps.every((p) => p.line !== undefined)).toBe(true);
  });

  it("unsafe and invalid regular expressions", () => {
    const ps = problems(`${HEADER}rules:
  - { id: a, field: title, check: pattern, pattern: "(a+)+$" }
  - { id: b, field: title, check: pattern, pattern: "(\\\\d)\\\\1" }
  - { id: c, field: title, check: pattern, pattern: "[a-" }
  - { id: d, field: title, check: pattern, pattern: "^x", flags: g }
  - { id: e, field: title, check: required, when: { field: title, matches: "(a|aa)+" } }
  - { id: f, field: title, check: required, fix: { replace: { pattern: "(?<=a)b", with: "" } } }
  - { id: g, field: title, check: pattern, pattern: "${"a".repeat(300)}" }
`);
    expect(ps.map((p) => [p.rule, p.pointer])).toEqual([
      ["a", "/rules/0/pattern"],
      ["b", "/rules/1/pattern"],
      ["c", "/rules/2/pattern"],
      ["d", "/rules/3/flags"],
      ["e", "/rules/4/when/matches"],
      ["f", "/rules/5/fix/replace/pattern"],
      ["g", "/rules/6/pattern"],
    ]);
    expect(ps[0].detail).toContain("nested quantifier");
    expect(ps[1].detail).toContain("backreferences");
    expect(ps[2].detail).toMatch(/^invalid regular expression/);
    expect(ps[5].detail).toContain("lookbehind");
    expect(ps[6].detail).toContain("at most 256");
  });

  it("bad when conditions", () => {
    const ps = problems(`${HEADER}rules:
  - { id: a, field: title, check: required, when: { field: condition } }
  - { id: b, field: title, check: required, when: { field: nope, equals: x } }
  - { id: c, field: title, check: required, when: { and: [] } }
  - { id: d, field: title, check: required, when: { field: gtin, exists: maybe } }
  - { id: e, field: title, check: required, when: { or: [{ field: sku, equals: a }], not: { field: sku, exists: true } } }
`);
    expect(ps.map((p) => p.rule)).toEqual(["a", "b", "c", "d", "e"]);
    expect(ps[0].detail).toBe("a condition needs exactly one of equals, in, exists, matches");
  });

  it("bad fixes, and normalized or unique with the wrong fix", () => {
    const ps = problems(`${HEADER}rules:
  - { id: a, field: title, check: required, fix: squash }
  - { id: b, field: title, check: required, fix: truncate }
  - { id: c, field: title, check: required, fix: { truncate: { max: 0 } } }
  - { id: d, field: title, check: required, fix: { case: camel } }
  - { id: e, field: title, check: normalized }
  - { id: f, field: sku, check: unique, fix: trim }
  - { id: g, field: condition, check: required, fix: { value_map: { Novo: new, novo: new } } }
  - { id: h, field: title, check: required, fix: [trim, { trim: true }] }
`);
    expect(ps.map((p) => p.rule)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(ps[0].detail).toContain('unknown fix "squash"');
    expect(ps[1].detail).toContain("needs parameters");
    expect(ps[4].detail).toBe("check normalized needs a fix: it passes when the fix changes nothing");
    expect(ps[5].detail).toBe("check unique cannot have a fix");
    expect(ps[6].detail).toContain("same when case and accents are ignored");
    expect(ps[7].pointer).toBe("/rules/7/fix/1/trim");
  });

  it("bad messages: unknown locale or placeholder", () => {
    const ps = problems(`${HEADER}rules:
  - { id: a, field: title, check: required, message: { es: "Falta" } }
  - { id: b, field: title, check: max_length, max: 3, message: "Too long: {lenght}" }
  - { id: c, field: title, check: required, message: "Broken {" }
`);
    expect(ps.map((p) => [p.rule, p.pointer])).toEqual([
      ["a", "/rules/0/message/es"],
      ["b", "/rules/1/message"],
      ["c", "/rules/2/message"],
    ]);
    expect(ps[1].detail).toContain("unknown placeholder {lenght}");
  });

  it("duplicate rule ids, bad ids, unknown top-level keys, missing header", () => {
    const ps = problems(`id: Bad_Id
version: one
rulez: []
rules:
  - { id: a, field: title, check: required }
  - { id: a, field: sku, check: required }
  - { id: "Upper.Case", field: sku, check: required }
`);
    const details = ps.map((p) => p.detail);
    expect(details).toContain('unknown key "rulez" in the pack (did you mean "rules"?); allowed: id, name, version, description, extends, locale_default, rules, categories, overrides');
    expect(details.some((d) => d.startsWith('pack id "Bad_Id" is invalid'))).toBe(true);
    expect(details).toContain("the pack needs a name (text of at most 200 characters)");
    expect(details).toContain('version "one" is invalid; use a version such as 1.0.0');
    expect(details).toContain('rule id "a" is already used at /rules/0');
    expect(ps.find((p) => p.detail.startsWith('rule id "Upper.Case"'))?.pointer).toBe("/rules/2/id");
  });

  it("overrides without extends", () => {
    const [p] = problems(`${HEADER}overrides:\n  - { id: x, severity: info }\n`);
    expect(p.detail).toBe("overrides change inherited rules, so they need extends");
  });

  it("a pack over the size limit, before parsing", () => {
    const big = HEADER + "description: " + "x".repeat(300 * 1024) + "\n";
    const [p] = problems(big);
    expect(p.detail).toBe("the pack is larger than 262144 bytes (256 KiB)");
    expect(problems(HEADER, { limits: { maxBytes: 10 } })[0].detail).toContain("larger than 10 bytes");
  });

  it("counts multi-byte characters as bytes", () => {
    const text = HEADER + "description: " + "ã".repeat(140 * 1024) + "\n"; // ~280 KiB in UTF-8
    expect(problems(text)[0].detail).toContain("larger than");
  });

  it("too many rules, category rules included", () => {
    const rule = (i: number) => `  - { id: r${i}, field: title, check: required }\n`;
    const body = `${HEADER}rules:\n${rule(0)}${rule(1)}categories:\n  C1:\n    rules:\n${rule(2).replace(/^/, "    ")}`;
    expect(() => parsePack(body, { limits: { maxRules: 3 } })).not.toThrow();
    const [p] = problems(body, { limits: { maxRules: 2 } });
    expect(p.detail).toBe("the pack has 3 rules; at most 2 are allowed (category rules included)");
  });

  it("a billion-laughs document", () => {
    const laughs = `${HEADER}description: &a0 "lol"
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
x4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
x5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
x6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
x7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
x8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
x9: &a9 [*a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8]
`;
    const [p] = problems(laughs);
    expect(p.detail).toBe("the pack uses more than 50 YAML aliases");
    expect(p.line).toBe(10); // where the 51st alias is
  });

  it("a small alias bomb that stays under the alias count", () => {
    const bomb = `${HEADER}description: &a0 "lol"
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
x4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
x5: [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
`;
    const [p] = problems(bomb);
    expect(p.detail).toBe("YAML aliases expand too much (more than 50 expansions)");
  });

  it("a document that is not a mapping", () => {
    expect(problems("- a\n- b\n")[0].detail).toBe("a pack must be a mapping with id, name, version and rules");
    expect(problems("   \n")[0].detail).toBe("the pack is empty");
  });

  it("reports problems as a PackError with a summary message", () => {
    try {
      parsePack(`${HEADER}rules:\n  - { id: a, field: titel, check: required }\n  - { id: b, field: sku, check: nope }\n`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PackError);
      expect((e as PackError).message).toMatch(/^Invalid rule pack: unknown field "titel".* \(line 5\) and 1 more problem\(s\)$/);
    }
  });
});
