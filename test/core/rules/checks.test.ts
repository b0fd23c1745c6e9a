import { describe, expect, it } from "vitest";
import { compilePack, parsePack } from "../../../src/core/rules";
import { passes, run, validatorFor } from "./helpers";

describe("required", () => {
  const rule = { field: "title", check: "required" };
  it.each([
    ["a string", "Camiseta", true],
    ["the number 0", 0, true],
    ["false", false, true],
    ["undefined", undefined, false],
    ["null", null, false],
    ["an empty string", "", false],
    ["whitespace only (incl. NBSP and tabs)", " \u00a0\t\n", false],
  ])("%s → %s", (_name, value, ok) => {
    expect(passes(rule, value)).toBe(ok);
  });

  it("treats empty lists and objects as missing", () => {
    expect(passes({ field: "images", check: "required" }, [])).toBe(false);
    expect(passes({ field: "images", check: "required" }, ["https://x.com/a.jpg"])).toBe(true);
    expect(passes({ field: "attributes", check: "required" }, {})).toBe(false);
  });

  it("reads attributes.KEY nested or as a flat CSV column", () => {
    const rule = { field: "attributes.BRAND", check: "required" };
    expect(run(rule, { attributes: { BRAND: "Acme" } }).valid).toBe(true);
    expect(run(rule, { "attributes.BRAND": "Acme" }).valid).toBe(true);
    expect(run(rule, { attributes: { MODEL: "X" } }).valid).toBe(false);
  });
});

describe("type", () => {
  const t = (type: string, value: unknown) => passes({ field: "price", check: "type", type }, value, "price");

  it("integer accepts numbers and digit strings from CSV", () => {
    expect(t("integer", 12)).toBe(true);
    expect(t("integer", "12")).toBe(true);
    expect(t("integer", " -3 ")).toBe(true);
    expect(t("integer", 12.5)).toBe(false);
    expect(t("integer", "12.5")).toBe(false);
    expect(t("integer", "doze")).toBe(false);
  });

  it("decimal accepts dot decimals and rejects a decimal comma", () => {
    expect(t("decimal", 12.5)).toBe(true);
    expect(t("decimal", "12.5")).toBe(true);
    expect(t("decimal", ".5")).toBe(true);
    expect(t("decimal", "12,5")).toBe(false);
    expect(t("decimal", "R$ 12")).toBe(false);
    expect(t("decimal", true)).toBe(false);
  });

  it("decimal with a normalize_number fix suggests the number", () => {
    const r = run({ field: "price", check: "type", type: "decimal", fix: "normalize_number" }, { price: "1.234,56" });
    expect(r.issues[0]).toMatchObject({ value: "1.234,56", suggestion: 1234.56 });
  });

  it("boolean accepts true/false, sim/não and 1/0", () => {
    for (const v of [true, false, "true", "FALSE", "sim", "Não", "nao", "1", "0", 1]) expect(t("boolean", v)).toBe(true);
    for (const v of ["talvez", "2", 2]) expect(t("boolean", v)).toBe(false);
  });

  it("string accepts text and numbers but not lists", () => {
    expect(t("string", "abc")).toBe(true);
    expect(t("string", 12)).toBe(true);
    expect(t("string", ["a"])).toBe(false);
  });

  it("date accepts real ISO dates only", () => {
    expect(t("date", "2024-02-29")).toBe(true);
    expect(t("date", "2024-02-29T10:00:00Z")).toBe(true);
    expect(t("date", "2023-02-29")).toBe(false);
    expect(t("date", "2024-13-01")).toBe(false);
    expect(t("date", "29/02/2024")).toBe(false);
  });

  it("url accepts absolute http(s) URLs", () => {
    expect(t("url", "https://loja.com.br/p/1")).toBe(true);
    expect(t("url", "loja.com.br/p/1")).toBe(false);
  });
});

describe("min_length / max_length", () => {
  const max = { field: "title", check: "max_length", max: 5 };
  const min = { field: "title", check: "min_length", min: 3 };

  it("counts Unicode code points, so accents and emoji count once", () => {
    expect(passes(max, "ação!")).toBe(true); // 5 code points
    expect(passes(max, "👍👍👍👍👍")).toBe(true); // 5 code points, 10 UTF-16 units
    expect(passes(max, "👍👍👍👍👍👍")).toBe(false);
    expect(passes(min, "👍👍")).toBe(false);
    expect(passes(min, "👍👍👍")).toBe(true);
  });

  it("uses the exact boundaries", () => {
    expect(passes(max, "abcde")).toBe(true);
    expect(passes(max, "abcdef")).toBe(false);
    expect(passes(min, "ab")).toBe(false);
    expect(passes(min, "abc")).toBe(true);
  });

  it("reads numbers as text and skips missing values", () => {
    expect(passes(max, 123456)).toBe(false);
    expect(passes(min, "  ")).toBe(true);
  });

  it("reports the length in the message", () => {
    const r = run(max, { title: "Camiseta" });
    expect(r.issues[0].message).toBe("The title field is too long: it has 8 characters and at most 5 are allowed.");
  });

  it("rejects lists with a clear message", () => {
    const r = run(max, { title: ["a", "b"] });
    expect(r.issues[0].message).toBe("The title field must be text.");
  });
});

describe("pattern", () => {
  it("matches with the i flag and fails otherwise", () => {
    expect(passes({ field: "sku", check: "pattern", pattern: "^[A-Z]{3}-\\d+$" }, "ABC-12", "sku")).toBe(true);
    expect(passes({ field: "sku", check: "pattern", pattern: "^[A-Z]{3}-\\d+$" }, "abc-12", "sku")).toBe(false);
    expect(passes({ field: "sku", check: "pattern", pattern: "^[A-Z]{3}-\\d+$", flags: "i" }, "abc-12", "sku")).toBe(true);
  });

  it("tests numbers from JSON as their text", () => {
    expect(passes({ field: "ncm", check: "pattern", pattern: "^\\d{8}$" }, 85171231, "ncm")).toBe(true);
  });
});

describe("one_of", () => {
  const rule = { field: "condition", check: "one_of", values: ["new", "used", "refurbished"] };

  it("is case-sensitive unless case_insensitive is set", () => {
    expect(passes(rule, "new")).toBe(true);
    expect(passes(rule, "New")).toBe(false);
    expect(passes({ ...rule, case_insensitive: true }, "NEW")).toBe(true);
    const brl = { field: "currency", check: "one_of", values: ["BRL", "Straße"], case_insensitive: true };
    for (const ok of ["BRL", "brl", "Brl", "straße", "STRAßE"]) expect(passes(brl, ok)).toBe(true);
    // "Straße".toUpperCase() is "STRASSE", which lowercases to "strasse": not a spelling of the value
    for (const bad of ["BRLX", " BRL", "STRASSE", "strasse"]) expect(passes(brl, bad)).toBe(false);
  });

  it("keeps values as strings (leading zeros, numbers from CSV)", () => {
    const r = { field: "warranty", check: "one_of", values: ["0", "012"] };
    expect(passes(r, "012")).toBe(true);
    expect(passes(r, "12")).toBe(false);
    expect(passes(r, 0)).toBe(true);
  });

  it("lists the allowed values in the message", () => {
    const r = run(rule, { condition: "novo" });
    expect(r.issues[0].message).toBe('The condition field accepts only new, used or refurbished, but it is "novo".');
  });
});

describe("range", () => {
  const rule = { field: "price", check: "range", min: 0.01, max: 100000 };

  it("accepts numbers and numeric strings within inclusive bounds", () => {
    expect(passes(rule, 0.01)).toBe(true);
    expect(passes(rule, "100000")).toBe(true);
    expect(passes(rule, " 10.50 ")).toBe(true);
    expect(passes(rule, 0)).toBe(false);
    expect(passes(rule, "100000.01")).toBe(false);
  });

  it("supports exclusive gt / lt", () => {
    const r = { field: "stock", check: "range", gt: 0, lt: 10 };
    expect(passes(r, 0, "stock")).toBe(false);
    expect(passes(r, 1, "stock")).toBe(true);
    expect(passes(r, 10, "stock")).toBe(false);
  });

  it("passes a value that is not a number: reporting it is the type rule's job", () => {
    expect(passes(rule, "dez reais")).toBe(true);
    expect(passes(rule, "1.299,90")).toBe(true);
    expect(passes(rule, true)).toBe(true);
    expect(passes(rule, ["5"])).toBe(true);
    const v = validatorFor([
      { id: "price.type", field: "price", check: "type", type: "decimal" },
      { id: "price.range", field: "price", check: "range", gt: 0 },
    ]);
    expect(v.validate({ price: "1.299,90" }, 1).issues.map((i) => i.rule)).toEqual(["price.type"]);
    expect(v.validate({ price: "-1" }, 2).issues.map((i) => i.rule)).toEqual(["price.range"]);
  });

  it("describes the bounds in both languages", () => {
    expect(run(rule, { price: 0 }).issues[0].message).toBe("The price field must be at least 0.01 and at most 100000, but it is 0.");
    expect(run(rule, { price: 0 }, { locale: "pt-BR" }).issues[0].message).toBe(
      "O campo price deve ser no mínimo 0,01 e no máximo 100000, mas é 0.",
    );
  });
});

describe("url", () => {
  const rule = { field: "url", check: "url" };
  it.each([
    ["https://www.loja.com.br/produto?id=1#top", true],
    ["http://localhost:8080/x", true],
    ["https://[::1]/x", true],
    ["https://lója.com.br/", true],
    ["ftp://loja.com.br/a", false],
    ["https:///path", false],
    ["https://loja .com", false],
    ["//loja.com/a", false],
    [" https://loja.com", false],
    ["javascript:alert(1)", false],
    ["https://user:senha@loja.com/a.jpg", false],
    ["https://-loja.com/", false],
    ["https://loja..com/", false],
  ])("%s → %s", (value, ok) => {
    expect(passes(rule, value)).toBe(ok);
  });

  it("honours schemes and max_length", () => {
    expect(passes({ ...rule, schemes: ["https"] }, "http://loja.com")).toBe(false);
    expect(passes({ ...rule, schemes: ["https"] }, "https://loja.com")).toBe(true);
    const r = run({ ...rule, max_length: 20 }, { url: "https://loja.com.br/produto/1" });
    expect(r.issues[0].message).toBe("The url field is a URL of 29 characters; at most 20 are allowed.");
  });
});

describe("count", () => {
  const rule = { field: "images", check: "count", min: 1, max: 3 };

  it("counts list items", () => {
    expect(passes(rule, ["a"])).toBe(true);
    expect(passes(rule, ["a", "b", "c", "d"])).toBe(false);
  });

  it("splits CSV strings on | ; newlines and comma+space, keeping commas inside URLs", () => {
    expect(passes(rule, "https://a.com/1.jpg|https://a.com/2.jpg")).toBe(true);
    expect(passes(rule, "https://a.com/1.jpg, https://a.com/2.jpg, https://a.com/3.jpg, https://a.com/4.jpg")).toBe(false);
    expect(passes({ ...rule, max: 1 }, "https://res.cloudinary.com/w_100,h_100/a.jpg")).toBe(true);
  });

  it("reports the count", () => {
    const r = run(rule, { images: ["a", "b", "c", "d"] }, { locale: "pt-BR" });
    expect(r.issues[0].message).toBe("O campo images deve ter entre 1 e 3 itens, mas tem 4.");
  });
});

describe("unique", () => {
  it("reports a repeated value with the first row, across the validator's records", () => {
    const v = validatorFor([{ id: "sku.unique", field: "sku", check: "unique" }]);
    expect(v.validate({ sku: "A-1" }, 1).valid).toBe(true);
    expect(v.validate({ sku: "B-2" }, 2).valid).toBe(true);
    const r = v.validate({ sku: " A-1 " }, 7);
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ row: 7, field: "sku", rule: "sku.unique", value: " A-1 " });
    expect(r.issues[0].message).toBe('The sku value " A-1 " is repeated: it already appears in row 1.');
    expect(v.uniqueRules).toEqual([{ rule: "sku.unique", field: "sku" }]);
  });

  it("is case-sensitive unless case_insensitive is set", () => {
    const v = validatorFor([{ id: "u", field: "sku", check: "unique" }]);
    v.validate({ sku: "abc" }, 1);
    expect(v.validate({ sku: "ABC" }, 2).valid).toBe(true);
    const ci = validatorFor([{ id: "u", field: "sku", check: "unique", case_insensitive: true }]);
    ci.validate({ sku: "abc" }, 1);
    expect(ci.validate({ sku: "ABC" }, 2).valid).toBe(false);
  });

  it("does not flag the same row validated twice (retried chunk)", () => {
    const v = validatorFor([{ id: "u", field: "sku", check: "unique" }]);
    expect(v.validate({ sku: "A" }, 5).valid).toBe(true);
    expect(v.validate({ sku: "A" }, 5).valid).toBe(true);
  });

  it("writes the issue for a duplicate found outside the validator (across job chunks)", () => {
    const v = validatorFor([{ id: "sku.unique", field: "sku", check: "unique", severity: "warning" }], { locale: "pt-BR" });
    expect(v.uniqueIssue("sku.unique", "A-1", 120, 3)).toEqual({
      row: 120,
      field: "sku",
      rule: "sku.unique",
      severity: "warning",
      message: 'O valor "A-1" do campo sku está repetido: ele já aparece na linha 3.',
      value: "A-1",
    });
    expect(() => v.uniqueIssue("nope", "A-1", 2, 1)).toThrow(RangeError);
  });

  it("uses a tracker passed by the caller (a whole job)", () => {
    const calls: string[] = [];
    const seen = new Map<string, number>([["u|X", 3]]);
    const tracker = {
      seen(rule: string, key: string, row: number) {
        calls.push(`${rule}|${key}|${row}`);
        const first = seen.get(`${rule}|${key}`);
        if (first === undefined) seen.set(`${rule}|${key}`, row);
        return first;
      },
    };
    const pack = compilePack(
      parsePack(JSON.stringify({ id: "p1", name: "P", version: "1", rules: [{ id: "u", field: "sku", check: "unique" }] }), { format: "json" }),
      () => undefined,
    );
    const v = pack.createValidator({ unique: tracker });
    const r = v.validate({ sku: "X" }, 9);
    expect(r.issues[0].message).toContain("row 3");
    expect(calls).toEqual(["u|X|9"]);
  });
});

describe("compare", () => {
  const rule = { field: "sale_price", check: "compare", op: "lt", other: "price" };

  it("compares numerically, with numbers as strings", () => {
    expect(run(rule, { sale_price: "89.90", price: "100" }).valid).toBe(true);
    expect(run(rule, { sale_price: "9", price: "10" }).valid).toBe(true); // not "9" > "10" as text
    expect(run(rule, { sale_price: 100, price: 100 }).valid).toBe(false);
  });

  it("is skipped when either side is missing", () => {
    expect(run(rule, { sale_price: 100 }).valid).toBe(true);
    expect(run(rule, { price: 100 }).valid).toBe(true);
  });

  it("compares text when neither side is a number (ISO dates)", () => {
    const r = { field: "title", check: "compare", op: "ne", other: "description" };
    expect(run(r, { title: "Caneca", description: "Caneca" }).valid).toBe(false);
    expect(run(r, { title: "Caneca", description: "Caneca azul" }).valid).toBe(true);
  });

  it("names both fields and values in the message", () => {
    const r = run(rule, { sale_price: 120, price: 100 }, { locale: "pt-BR" });
    expect(r.issues[0].message).toBe("O campo sale_price (120) deve ser menor que o campo price (100).");
    const en = run({ ...rule, op: "gte" }, { sale_price: 90, price: 100 });
    expect(en.issues[0].message).toBe("The sale_price field (90) must be greater than or equal to the price field (100).");
  });
});

describe("forbidden_words", () => {
  const rule = { field: "title", check: "forbidden_words", words: ["grátis", "promoção", "frete gratis", "Réplica"] };

  it("matches whole words, ignoring case and accents", () => {
    expect(passes(rule, "Caneca GRATIS")).toBe(false);
    expect(passes(rule, "Caneca réplica")).toBe(false);
    expect(passes(rule, "Super PROMOCAO!")).toBe(false);
    expect(passes(rule, "Caneca replicante")).toBe(true);
    expect(passes(rule, "Caneca gratisfeita")).toBe(true);
  });

  it("matches phrases across punctuation and extra spaces", () => {
    expect(passes(rule, "Caneca - frete   GRÁTIS")).toBe(false);
    expect(passes(rule, "Caneca frete-grátis")).toBe(false);
    expect(passes(rule, "frete rápido, grátis")).toBe(false); // "grátis" alone
    expect(passes({ ...rule, words: ["frete gratis"] }, "frete rápido e gratis")).toBe(true);
  });

  it("names the word as written in the pack", () => {
    const r = run(rule, { title: "Relógio replica" }, { locale: "pt-BR" });
    expect(r.issues[0].message).toBe('O campo title contém a palavra proibida "Réplica".');
  });
});

describe("plain_text", () => {
  const rule = { field: "description", check: "plain_text" };
  it.each([
    ["Caneca de porcelana 300 ml", true],
    ["5 < 6 e 7 > 3", true],
    ["Eu <3 café", true],
    ["AT&T", true],
    ["<b>Caneca</b>", false],
    ["Linha<br/>Outra", false],
    ["Caneca &amp; pires", false],
    ["Caneca &#233;", false],
    ["<!-- x -->", false],
  ])("%s → %s", (value, ok) => {
    expect(passes(rule, value)).toBe(ok);
  });

  it("suggests stripped text with a strip_html fix", () => {
    const r = run({ ...rule, fix: "strip_html" }, { description: "<p>Caneca &amp; pires</p>" });
    expect(r.issues[0].suggestion).toBe("Caneca & pires");
  });
});

describe("normalized", () => {
  const rule = { field: "title", check: "normalized", fix: ["trim", "collapse_spaces"], severity: "warning" };

  it("passes when the fix changes nothing", () => {
    expect(passes(rule, "Caneca azul")).toBe(true);
  });

  it("fails with the tidy value as suggestion", () => {
    const r = run(rule, { title: "  Caneca   azul " });
    expect(r.valid).toBe(true); // a warning
    expect(r.issues[0]).toMatchObject({ severity: "warning", suggestion: "Caneca azul" });
    expect(r.issues[0].message).toBe('The title field is not normalized: "  Caneca   azul " should be "Caneca azul".');
  });

  it("skips missing and blank values (they are required's job)", () => {
    expect(passes(rule, "   ")).toBe(true);
    expect(passes(rule, "")).toBe(true);
    expect(passes(rule, undefined)).toBe(true);
    expect(passes({ field: "images", check: "normalized", fix: "trim", each: true }, ["a", "  ", " b"])).toBe(false);
    expect(run({ field: "images", check: "normalized", fix: "trim", each: true }, { images: ["a", "  ", " b"] }).issues.map((i) => i.field)).toEqual(["images[2]"]);
  });

  it("can fill in a default for a missing value", () => {
    const r = run({ field: "condition", check: "normalized", fix: { default: "new" } }, {}, { applyFixes: true });
    expect(r.corrected).toEqual({ condition: "new" });
    expect(r.valid).toBe(true);
    const blank = run({ field: "condition", check: "normalized", fix: ["trim", { default: "new" }] }, { condition: "  " }, { applyFixes: true });
    expect(blank.corrected).toEqual({ condition: "new" });
  });
});
