import { describe, expect, it } from "vitest";
import { createUniqueTracker, KeyTable } from "../../../src/core/rules/unique";
import { compileUrlTest, urlRegex } from "../../../src/core/rules/url";
import { compileWordFinder, findWordSlow, wordText } from "../../../src/core/rules/words";
import { compilePack, parsePack } from "../../../src/core/rules";
import { passes, run, validatorFor } from "./helpers";

/** mulberry32: a small seeded PRNG, so the randomized comparisons are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("forbidden_words fast path (table fold + token-start matching)", () => {
  const PROMO = ["frete grátis", "promoção", "oferta", "desconto", "liquidação", "queima de estoque", "imperdível", "black friday", "menor preço"];
  const rule = { field: "title", check: "forbidden_words", words: PROMO };

  it.each([
    ["Promoção Caneca", false],
    ["Caneca PROMOÇÃO", false],
    ["Caneca promoção", false],
    ["Caneca promoça\u0303o", false], // decomposed accents (macOS input)
    ["PROMOCAO", false],
    ["promoções", true], // another word
    ["_promoção", true], // "_" touches the word
    ["promoção_", true],
    ["Caneca (promoção)", false],
    ["frete\tGRÁTIS", false],
    ["FRETE---gratis!", false],
    ["frete_grátis", false], // phrases match across any non-letter, "_" included
    ["frete rápido grátis", true],
    ["frete", true],
    ["queima-de-ESTOQUE", false],
    ["queima de", true],
    ["Oferta\u0301", false], // a trailing combining mark folds away
    ["Ofertas", true],
    ["BLACKFRIDAY", true],
    ["Black Friday", false],
    ["Menor Preço", false],
    ["menor preços", true],
    ["Caneca Ⱥ oferta", false], // a character outside the table: reference path
    ["Κούπα oferta", false], // Greek: reference path
    ["Кружка офертa", true],
    ["👍 oferta 👍", false],
    ["oferta\u20d7", false], // a combining mark outside U+0300–U+036F: reference path
    ["", true],
  ])("%j passes: %s", (title, ok) => {
    expect(passes(rule, title)).toBe(ok);
  });

  it("names the first word of the list that occurs, as written in the pack", () => {
    const r = run(rule, { title: "Oferta imperdível com frete grátis" }, { locale: "pt-BR" });
    expect(r.issues[0].message).toBe('O campo title contém a palavra proibida "frete grátis".');
  });

  it("gives the same answers as the reference on random text", () => {
    const lists = [
      PROMO,
      ["grátis", "Réplica", "c++", "wi-fi", "x_y", "ß", "æble", "İstanbul", "ı", "øre", "ÿ", "a", "1", "ǅ", "Ⱥ", "日本", "a b c"],
    ];
    const pieces = [
      "frete", "FRETE", "grátis", "GRATIS", "gra\u0301tis", "promoção", "PROMOÇÃO", "oferta", "ofertado", "_", "-", " ", ",", "!", "\t", "\n",
      "queima", "de", "estoque", "black", "friday", "menor", "preço", "x", "y", "c", "++", "wi", "fi", "ß", "SS", "Æble", "İstanbul", "I",
      "ı", "Øre", "ÿ", "Ÿ", "a", "A", "b", "1", "²", "ǅ", "ǆ", "Ⱥ", "ⱥ", "日本", "👍", "\u0301", "\u0327", "\u00a0", "é", "É", "Σ", "\u20d7",
      "ª", "µ", "\u00ad", "Réplica", "REPLICA", "x_y", "Ǉ", "ĳ", "ŉ", "ſ", "ǰ", "ɐ", "ʰ",
    ];
    const rand = prng(20241129);
    let compared = 0;
    for (const words of lists) {
      const keys = words.map(wordText);
      const find = compileWordFinder(keys);
      for (let i = 0; i < 20000; i++) {
        let s = "";
        for (let j = 1 + Math.floor(rand() * 8); j > 0; j--) s += pieces[Math.floor(rand() * pieces.length)];
        if (find(s) !== findWordSlow(keys, s)) expect.fail(`different answer for ${JSON.stringify(s)}`);
        compared++;
      }
    }
    // every character up to U+03FF, alone, at the edges and inside a word
    const keys = ["a", "a b", "ß", "i", "y"];
    const find = compileWordFinder(keys);
    for (let c = 0; c < 0x400; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `${ch}a`, `a${ch}`, `a${ch}b`, `_${ch} a`, `a${ch}b a`]) {
        if (find(s) !== findWordSlow(keys, s)) expect.fail(`different answer for U+${c.toString(16)} in ${JSON.stringify(s)}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40000);
  });
});

describe("url fast path (scheme compare + shared rest of the URL)", () => {
  const cases: [string, boolean][] = [
    ["https://www.loja.com.br/produto?id=1#top", true],
    ["HTTPS://LOJA.COM.BR/A.JPG", true],
    ["hTTp://loja.com", true],
    ["https://lója.com.br/foto.jpg", true], // non-ASCII host
    ["https://日本.jp/a", true],
    ["https://пример.рф", true],
    ["https://xn--e1afmkfd.xn--p1ai/", true],
    ["https://loja.com.br.", true], // trailing dot
    ["https://loja.com:8080/a", true],
    ["https://loja.com:65535", true],
    ["https://loja.com:123456/a", false],
    ["https://loja.com:/a", false],
    ["https://loja.com:80a", false],
    ["https://[::1]/x", true],
    ["https://[2001:db8::1]:443/x", true],
    ["https://[::1", false],
    ["https://[]/x", false],
    ["https://[fe80::1%25eth0]/", false],
    ["https://user:senha@loja.com/a.jpg", false], // user info refused
    ["https://user@loja.com/a.jpg", false],
    ["https://loja .com", false],
    ["https://loja.com/a b.jpg", false],
    ["https://loja.com/a\u00a0b.jpg", false], // NBSP is whitespace
    ["https://loja.com/a\u3000b", false],
    ["https://loja.com/\u00e9", true],
    ["https://-loja.com/", false],
    ["https://loja-.com/", false],
    ["https://lo--ja.com/", true],
    ["https://loja..com/", false],
    ["https:///path", false],
    ["https:/loja.com", false],
    ["//loja.com/a", false],
    [" https://loja.com", false],
    ["https://loja.com ", false],
    ["ftp://loja.com/a", false],
    ["javascript:alert(1)", false],
    ["https", false],
    ["", false],
  ];

  it.each(cases)("%j → %s, like the reference regular expression", (url, ok) => {
    expect(compileUrlTest(["http", "https"])(url)).toBe(ok);
    expect(urlRegex(["http", "https"]).test(url)).toBe(ok);
    if (url !== "") expect(passes({ field: "url", check: "url" }, url)).toBe(ok); // "" is absent: skipped
  });

  it("gives the same answers as the reference on random URLs, for several scheme lists", () => {
    const prefixes = ["http://", "https://", "HTTPS://", "ftp://", "git+ssh://", "GIT+SSH://", "https:/", "https:", "http:///", "//", "", "https://[", "mailto:", "ſ://", " https://"];
    const host = ["a", "Z", "0", "-", "--", ".", "..", "lója", "日本", "\u00a0", "\u0085", "\u2000", "\u200b", "\u3000", "\ufeff", "\ud83d\ude00", "[", "]", "::1", "1.2.3.4", "@", "user:pass@", "_", "%", "ı", "K"];
    const tail = ["", ":", ":80", ":65535", ":123456", "/", "/p", "/p q", "?a=1", "#x", "/\t", "/\u00a0", "/\u2003", "/é", "/\u0000", "/x\n", " ", ":80/x", ":/x"];
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    for (const schemes of [["http", "https"], ["https"], ["ftp", "git+ssh"]]) {
      const fast = compileUrlTest(schemes);
      const re = urlRegex(schemes);
      for (let i = 0; i < 20000; i++) {
        let s = pick(prefixes);
        for (let j = Math.floor(rand() * 5); j > 0; j--) s += pick(host);
        for (let j = Math.floor(rand() * 3); j > 0; j--) s += pick(tail);
        // with and without the per-record memo (slot, epoch)
        if (fast(s, i % 3 - 1, i >> 2) !== re.test(s)) expect.fail(`different answer for ${JSON.stringify(s)} (${schemes.join(",")})`);
      }
    }
  });

  it("shares the rest of the URL between rules of different schemes, never across different strings", () => {
    const any = compileUrlTest(["http", "https"]);
    const https = compileUrlTest(["https"]);
    expect(any("http://loja.com/a.jpg", 0, 1)).toBe(true);
    expect(https("http://loja.com/a.jpg", 0, 1)).toBe(false); // same slot and record: scheme still checked
    expect(any("https://loja.com/a b.jpg", 0, 1)).toBe(false); // another string in the same slot
    expect(https("https://loja.com/ab.jpg", 0, 1)).toBe(true);
    expect(https("https://loja.com/a b.jpg", 0, 1)).toBe(false);
  });

  it("two url rules over the same pictures report each bad picture once per rule", () => {
    const v = validatorFor([
      { id: "img.url", field: "images", check: "url", each: true },
      { id: "img.https", field: "images", check: "url", each: true, schemes: ["https"], severity: "warning", fix: { replace: { pattern: "^http://", with: "https://", flags: "i" } } },
    ], { applyFixes: true });
    const images = ["https://a.com/1.jpg", "http://a.com/2.jpg", "https://a.com/3 .jpg", "https://lója.com/4.jpg"];
    const r = v.validate({ images }, 1);
    expect(r.issues.map((i) => [i.rule, i.field, i.fixed ?? false])).toEqual([
      ["img.url", "images[2]", false],
      ["img.https", "images[1]", true],
      ["img.https", "images[2]", false],
    ]);
    expect(r.corrected?.images).toEqual(["https://a.com/1.jpg", "https://a.com/2.jpg", "https://a.com/3 .jpg", "https://lója.com/4.jpg"]);
    // the next record reuses slots with other strings
    expect(v.validate({ images: ["https://a.com/3 .jpg", "https://a.com/1.jpg"] }, 2).issues.map((i) => [i.rule, i.field])).toEqual([
      ["img.url", "images[0]"],
      ["img.https", "images[0]"],
    ]);
  });
});

describe("unique fast path (the default tracker's map held by the rule)", () => {
  it("keys on the trimmed (lowercased) text, without copying values that need neither", () => {
    const v = validatorFor([{ id: "u", field: "sku", check: "unique", case_insensitive: true }]);
    expect(v.validate({ sku: "abc-1" }, 1).valid).toBe(true);
    expect(v.validate({ sku: "ABC-1" }, 2).issues[0]?.message).toBe('The sku value "ABC-1" is repeated: it already appears in row 1.');
    expect(v.validate({ sku: "\u00a0abc-1\t" }, 3).valid).toBe(false);
    expect(v.validate({ sku: 12 }, 4).valid).toBe(true);
    expect(v.validate({ sku: "12" }, 5).valid).toBe(false);
    expect(v.validate({ sku: "abc-1" }, 1).valid).toBe(true); // the first row again (a retried chunk)
  });

  it("keeps separate state per validator and per rule", () => {
    const rules = [
      { id: "u.sku", field: "sku", check: "unique" },
      { id: "u.gtin", field: "gtin", check: "unique" },
    ];
    const a = validatorFor(rules);
    expect(a.validate({ sku: "X", gtin: "X" }, 1).valid).toBe(true);
    expect(a.validate({ sku: "X", gtin: "Y" }, 2).issues.map((i) => i.rule)).toEqual(["u.sku"]);
    expect(validatorFor(rules).validate({ sku: "X", gtin: "X" }, 2).valid).toBe(true);
  });
});

describe("KeyTable (the default tracker's per-rule table)", () => {
  it("answers like a Map keyed by text or text.toLowerCase(), through growth and collisions", () => {
    const table = new KeyTable();
    const map = new Map<string, number>();
    const alphabet = ["a", "A", "b", "B", "z", "Z", "0", "-", " ", "é", "É", "\u212a", "k", "K", "İ", "i", "ß", "SS", "\ud83d\ude00"];
    const rand = prng(99);
    for (let row = 1; row <= 30000; row++) {
      let text = "";
      for (let j = 1 + Math.floor(rand() * 4); j > 0; j--) text += alphabet[Math.floor(rand() * alphabet.length)];
      const lower = rand() < 0.5;
      const key = lower ? text.toLowerCase() : text;
      const expected = map.get(key);
      if (expected === undefined) map.set(key, row);
      const got = table.firstRow(text, lower, row);
      if (got !== expected) expect.fail(`row ${row}: ${JSON.stringify(text)} (lower: ${lower}) gave ${got}, expected ${expected}`);
    }
    expect(map.size).toBeGreaterThan(1000);
  });

  it("keeps its own copy of long keys cut from records, and still matches them exactly and case-insensitively", () => {
    const table = new KeyTable();
    const record = (i: number) => `SKU-LONG-KEY-${i};Smartphone Galaxy A15 128GB;Produto novo com nota fiscal ${i}`;
    const sku = (text: string) => text.slice(0, text.indexOf(";"));
    for (let i = 1; i <= 5000; i++) expect(table.firstRow(sku(record(i)), i % 2 === 0, i)).toBeUndefined();
    for (let i = 1; i <= 5000; i++) {
      const again = sku(record(i));
      expect(table.firstRow(again, i % 2 === 0, 10_000 + i)).toBe(i);
      if (i % 2 === 0) expect(table.firstRow(again.toLowerCase(), true, 20_000 + i)).toBe(i);
    }
    expect(table.firstRow("SKU-LONG-KEY-5001", false, 30_000)).toBeUndefined();
  });

  it("finds every key again after many growths, with none reported twice", () => {
    const table = new KeyTable();
    const n = 150_000;
    // long and short, ASCII and accented, differing only in case: all distinct keys when exact
    const key = (i: number) => (i % 3 === 0 ? `Ção-${i}` : i % 3 === 1 ? `sku-${i}` : `SKU-LONG-PRODUCT-CODE-${i}-${"x".repeat(i % 40)}`);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (table.firstRow(key(i), false, i + 1) !== undefined) wrong++;
    for (let i = 0; i < n; i++) if (table.firstRow(key(i), false, n + i + 1) !== i + 1) wrong++;
    expect(wrong).toBe(0);
    // lowercased lookups: "SKU-LONG-…" and "sku-…" keys differ from their lowercase forms only by case
    expect(table.firstRow("sku-LONG-product-code-2-xx", true, 0)).toBeUndefined();
    expect(table.firstRow("SKU-1", false, 0)).toBeUndefined();
    expect(table.firstRow("SKU-1", true, 0)).toBe(2);
  });

  it("shares keys between seen() and validators using the same tracker", () => {
    const tracker = createUniqueTracker();
    expect(tracker.seen("u", "abc", 3)).toBeUndefined();
    const rule = { id: "u", field: "sku", check: "unique", case_insensitive: true };
    const def = JSON.stringify({ id: "p1", name: "P", version: "1", rules: [rule] });
    const v = compilePack(parsePack(def, { format: "json" }), () => undefined).createValidator({ unique: tracker });
    expect(v.validate({ sku: " ABC " }, 9).issues[0]?.message).toBe('The sku value " ABC " is repeated: it already appears in row 3.');
    expect(v.validate({ sku: "\u212aEY" }, 10).valid).toBe(true); // Kelvin sign: lowercases to "key"
    expect(tracker.seen("u", "key", 11)).toBe(10);
    expect(tracker.seen("u", "KEY", 12)).toBeUndefined(); // seen() keys are exact
  });
});

describe("hot loop: one read per field, lists written as text split once", () => {
  it("rules after a fix on the same field see the corrected value", () => {
    const v = validatorFor(
      [
        { id: "sku.trim", field: "sku", check: "normalized", fix: "trim", severity: "warning" },
        { id: "sku.format", field: "sku", check: "pattern", pattern: "^[A-Z]+-\\d+$" },
        { id: "sku.max", field: "sku", check: "max_length", max: 5 },
      ],
      { applyFixes: true },
    );
    const r = v.validate({ sku: "  AB-12  " }, 1);
    expect(r.issues.map((i) => [i.rule, i.fixed ?? false])).toEqual([["sku.trim", true]]);
    expect(r.corrected).toEqual({ sku: "AB-12" });
    const plain = validatorFor([
      { id: "sku.trim", field: "sku", check: "normalized", fix: "trim", severity: "warning" },
      { id: "sku.format", field: "sku", check: "pattern", pattern: "^[A-Z]+-\\d+$" },
    ]);
    expect(plain.validate({ sku: "  AB-12  " }, 1).issues.map((i) => i.rule)).toEqual(["sku.trim", "sku.format"]);
  });

  it("a picture list written as text is split the same way by every rule", () => {
    const v = validatorFor(
      [
        { id: "img.count", field: "images", check: "count", max: 2 },
        { id: "img.https", field: "images", check: "url", each: true, schemes: ["https"], fix: { replace: { pattern: "^http://", with: "https://" } } },
        { id: "img.count.again", field: "images", check: "count", max: 2 },
      ],
      { applyFixes: true },
    );
    const r = v.validate({ images: "https://a.com/1.jpg | http://a.com/2.jpg" }, 1);
    expect(r.issues.map((i) => [i.rule, i.field, i.fixed ?? false])).toEqual([["img.https", "images[1]", true]]);
    expect(r.corrected?.images).toEqual(["https://a.com/1.jpg", "https://a.com/2.jpg"]);
    const three = v.validate({ images: "https://a.com/1.jpg|https://a.com/2.jpg|https://a.com/3.jpg" }, 2);
    expect(three.issues.map((i) => i.rule)).toEqual(["img.count", "img.count.again"]);
  });
});

describe("inline pass conditions of the hot loop agree with the checks", () => {
  it("range: bounds, open bounds, numbers and numeric text", () => {
    const closed = { field: "stock", check: "range", min: 0, max: 10 };
    const open = { field: "stock", check: "range", gt: 0, lt: 10 };
    for (const [v, inClosed, inOpen] of [
      [0, true, false],
      [10, true, false],
      [5, true, true],
      [-0.0001, false, false],
      [10.5, false, false],
      ["0", true, false],
      [" 10 ", true, false],
      [Number.NaN, true, true], // not a number: the type rule's job
      [Number.POSITIVE_INFINITY, true, true],
    ] as const) {
      expect(passes(closed, v, "stock"), `${v} in [0, 10]`).toBe(inClosed);
      expect(passes(open, v, "stock"), `${v} in (0, 10)`).toBe(inOpen);
    }
  });

  it("type and max_length on numbers, text and other values", () => {
    const t = (type: string, v: unknown) => passes({ field: "price", check: "type", type }, v, "price");
    expect([t("decimal", 1.5), t("decimal", Number.NaN), t("decimal", Number.POSITIVE_INFINITY), t("decimal", "1.5")]).toEqual([true, false, false, true]);
    expect([t("integer", 2), t("integer", 2.5), t("integer", "2"), t("integer", " -2 "), t("integer", "2.0")]).toEqual([true, false, true, true, false]);
    const max = { field: "title", check: "max_length", max: 3 };
    expect([passes(max, "abc"), passes(max, "abcd"), passes(max, "😀😀😀"), passes(max, 123), passes(max, 1234)]).toEqual([true, false, true, true, false]);
  });

  it("integer text is read exactly like /^\\s*[-+]?\\d+\\s*$/", () => {
    const t = (v: string) => passes({ field: "stock", check: "type", type: "integer" }, v, "stock");
    const INTEGER = /^\s*[-+]?\d+\s*$/;
    const pieces = [" ", "\u00a0", "\u3000", "+", "-", "1", "07", "a", ".", "\t", "\u2028", "٣"];
    const all = (s: string, depth: number): string[] => (depth === 0 ? [s] : [s, ...pieces.flatMap((p) => all(s + p, depth - 1))]);
    for (const s of all("", 3)) if (s.trim() !== "" && t(s) !== INTEGER.test(s)) expect.fail(`different answer for ${JSON.stringify(s)}`);
  });
});
