import { afterEach, describe, expect, it } from "vitest";
import { clearPackCache, getCompiledPack, parsePack } from "../../../src/core/rules";

// Workers refuse eval/new Function, but the vitest runtime allows them; prove the engine never uses them.
const g = globalThis as Record<string, unknown>;
const originals = { Function: g.Function, eval: g.eval, ctor: Function.prototype.constructor };

function forbid(): void {
  const stub = function () {
    throw new Error("code generation is not allowed");
  };
  g.Function = stub;
  g.eval = stub;
  Object.defineProperty(Function.prototype, "constructor", { value: stub, configurable: true, writable: true });
}

afterEach(() => {
  g.Function = originals.Function;
  g.eval = originals.eval;
  Object.defineProperty(Function.prototype, "constructor", { value: originals.ctor, configurable: true, writable: true });
});

const SOURCE = `
id: nocodegen
name: No codegen
version: 1.0.0
rules:
  - { id: t.req, field: title, check: required, fix: { default: Sem título } }
  - { id: t.max, field: title, check: max_length, max: 10, fix: [strip_html, trim, { case: title }, { truncate: { max: 10 } }] }
  - { id: t.words, field: title, check: forbidden_words, words: [grátis] }
  - { id: p.type, field: price, check: type, type: decimal, fix: normalize_number }
  - { id: p.range, field: price, check: range, gt: 0 }
  - { id: s.lt, field: sale_price, check: compare, op: lt, other: price }
  - { id: sku.pattern, field: sku, check: pattern, pattern: "^[A-Z0-9-]+$", fix: { replace: { pattern: "\\\\s+", with: "-" } } }
  - { id: sku.unique, field: sku, check: unique }
  - { id: gtin, field: gtin, check: gtin, fix: digits_only }
  - { id: cond, field: condition, check: one_of, values: [new, used], fix: { value_map: { novo: new } } }
  - { id: img, field: images, check: url, each: true, when: { and: [{ field: images, exists: true }, { not: { field: sku, matches: "^TEST" } }] } }
  - { id: img.count, field: images, check: count, max: 10 }
  - { id: desc, field: description, check: plain_text, fix: strip_html }
`;

describe("no code generation", () => {
  it("parses, compiles and validates with Function and eval replaced by throwing stubs", () => {
    expect(() => new Function("return 1")).not.toThrow(); // sanity: the test runtime allows it
    forbid();
    expect(() => (g.Function as () => void)()).toThrow("code generation is not allowed");
    clearPackCache();
    const pack = getCompiledPack(parsePack(SOURCE), () => undefined);
    const v = pack.createValidator({ applyFixes: true, locale: "pt-BR" });
    const r = v.validate(
      {
        title: "<b>caneca grande de porcelana</b>",
        price: "R$ 1.234,56",
        sale_price: "2000",
        sku: "AB 12",
        gtin: "789-1000-31550-7",
        condition: "Novo",
        images: ["https://a.com/1.jpg", "nope"],
        description: "<p>Oi</p>",
      },
      1,
    );
    expect(r.corrected).toMatchObject({ title: "Caneca", price: 1234.56, sku: "AB-12", gtin: "7891000315507", condition: "new", description: "Oi" });
    expect(r.issues.filter((i) => !i.fixed).map((i) => i.rule)).toEqual(["s.lt", "img"]);
    expect(v.validate({ title: "x", sku: "AB-12" }, 2).issues.map((i) => i.rule)).toEqual(["sku.unique"]);
  });
});
