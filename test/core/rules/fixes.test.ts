import { describe, expect, it } from "vitest";
import { parseLocaleNumber } from "../../../src/core/rules";
import { run } from "./helpers";

/** The value a fix produces when the rule fails and the fixed value passes. */
function fixed(rule: Record<string, unknown>, value: unknown, field = "title"): unknown {
  const r = run({ field, ...rule }, { [field]: value }, { applyFixes: true });
  return r.corrected?.[field];
}

describe("trim and collapse_spaces", () => {
  const tidy = { check: "normalized", fix: ["trim", "collapse_spaces"] };
  it("removes edge whitespace (incl. NBSP) and squeezes inner runs", () => {
    expect(fixed(tidy, "\u00a0 Caneca \t\n azul  ")).toBe("Caneca azul");
    expect(fixed({ check: "normalized", fix: "trim" }, "  a  b  ")).toBe("a  b");
    expect(fixed({ check: "normalized", fix: "collapse_spaces" }, "a   b")).toBe("a b");
  });
  it("leaves non-strings alone", () => {
    expect(fixed(tidy, 12, "price")).toBe(12);
  });
});

describe("truncate", () => {
  const max = (n: number, fix: unknown) => ({ check: "max_length", max: n, fix });

  it("cuts at a word boundary and drops trailing separators", () => {
    expect(fixed(max(20, { truncate: { max: 20 } }), "Camiseta Azul Tamanho Grande")).toBe("Camiseta Azul");
    expect(fixed(max(16, { truncate: { max: 16 } }), "Caneca Azul - 300ml")).toBe("Caneca Azul");
    expect(fixed(max(11, { truncate: { max: 11 } }), "Caneca Azul Grande")).toBe("Caneca Azul"); // cut exactly at a space
  });

  it("cuts inside the word only when the first word is longer than max", () => {
    expect(fixed(max(5, { truncate: { max: 5 } }), "Supercalifragilistic")).toBe("Super");
  });

  it("can cut mid-word when at_word is false, and adds the ellipsis within max", () => {
    expect(fixed(max(8, { truncate: { max: 8, at_word: false } }), "Caneca Azul")).toBe("Caneca A");
    expect(fixed(max(12, { truncate: { max: 12, ellipsis: "…" } }), "Caneca Azul Grande")).toBe("Caneca Azul…");
  });

  it("never splits an emoji", () => {
    const out = fixed(max(3, { truncate: { max: 3 } }), "👍👍👍👍") as string;
    expect(out).toBe("👍👍👍");
  });

  it("accepts the shorthand { truncate: 60 }", () => {
    expect(fixed(max(6, { truncate: 6 }), "Caneca Azul")).toBe("Caneca");
  });
});

describe("case", () => {
  const c = (to: string, value: string) => fixed({ check: "normalized", fix: { case: to } }, value);

  it("upper and lower, with accents", () => {
    expect(c("upper", "ação")).toBe("AÇÃO");
    expect(c("lower", "AÇÃO")).toBe("ação");
  });

  it("title keeps Portuguese small words lowercase except the first", () => {
    expect(c("title", "camiseta de algodão da marca e do brasil")).toBe("Camiseta de Algodão da Marca e do Brasil");
    expect(c("title", "de volta para o futuro")).toBe("De Volta para o Futuro");
    expect(c("title", "ÓCULOS DE SOL ÁGUIA")).toBe("Óculos de Sol Águia");
  });

  it("title keeps model codes, mixed case and short acronyms", () => {
    expect(c("title", "capa para iPhone 15 com USB 128GB")).toBe("Capa para iPhone 15 com USB 128GB");
  });

  it("sentence capitalizes the first letter of each sentence", () => {
    expect(c("sentence", "CANECA AZUL. LAVAR À MÃO")).toBe("Caneca azul. Lavar à mão");
    expect(c("sentence", "caneca para iPhone")).toBe("Caneca para iPhone");
  });
});

describe("default", () => {
  it("fills a missing or blank value so required passes", () => {
    const rule = { field: "condition", check: "required", fix: { default: "new" } };
    expect(run(rule, {}, { applyFixes: true }).corrected).toEqual({ condition: "new" });
    expect(run(rule, { condition: "  " }, { applyFixes: true }).corrected).toEqual({ condition: "new" });
  });

  it("keeps GTIN-like digit strings as strings", () => {
    const r = run({ field: "gtin", check: "required", fix: { default: "07891000315507" } }, {});
    expect(r.issues[0].suggestion).toBe("07891000315507");
  });
});

describe("replace", () => {
  it("replaces every match, with $1 references", () => {
    const rule = { check: "pattern", pattern: "^[^!]*$", fix: { replace: { pattern: "!+", with: "" } } };
    expect(fixed(rule, "Oferta!!! Caneca!")).toBe("Oferta Caneca");
    const swap = { field: "sku", check: "pattern", pattern: "^[A-Z]+-\\d+$", fix: { replace: { pattern: "^(\\d+)-([a-z]+)$", with: "$2-$1", flags: "i" } } };
    expect(fixed(swap, "123-ABC", "sku")).toBe("ABC-123");
  });
});

describe("strip_html", () => {
  const rule = { field: "description", check: "plain_text", fix: "strip_html" };
  const strip = (html: string) => fixed(rule, html, "description");

  it("removes tags, keeps paragraph breaks, decodes entities and collapses spaces", () => {
    expect(strip("<p>Caneca   <b>azul</b></p><p>300&nbsp;ml &amp; pires</p>")).toBe("Caneca azul\n300 ml & pires");
    expect(strip("Linha 1<br>Linha 2<br/><br/>Linha 3")).toBe("Linha 1\nLinha 2\nLinha 3");
    expect(strip("Pre&ccedil;o: R&#36; 10 &mdash; &eacute; &#x263A;")).toBe("Preço: R$ 10 — é ☺");
  });

  it("leaves no space before punctuation or after an opening bracket where a tag was", () => {
    expect(strip("<strong>128 GB</strong>.")).toBe("128 GB.");
    expect(strip("Memória de <b>128 GB</b>, tela de <i>6,5\"</i>; cor <b>azul</b>!")).toBe('Memória de 128 GB, tela de 6,5"; cor azul!');
    expect(strip("Caneca (<i>porcelana</i>)")).toBe("Caneca (porcelana)");
    expect(strip("<b>50</b>% de desconto<!-- x -->.")).toBe("50% de desconto.");
    expect(strip("Caneca<b>azul</b>")).toBe("Caneca azul"); // between words a tag is still a space
    expect(strip("<b>azul</b> .")).toBe("azul ."); // a space that was in the text stays
  });

  it("drops scripts, styles and comments entirely", () => {
    expect(strip("<style>p{color:red}</style>Caneca<script>alert(1)</script><!-- x -->")).toBe("Caneca");
  });

  it("leaves unknown entities untouched", () => {
    expect(fixed({ field: "description", check: "normalized", fix: "strip_html" }, "<i>a</i> &foo; b", "description")).toBe("a &foo; b");
  });
});

describe("normalize_number", () => {
  it.each([
    ["1.234,56", 1234.56],
    ["R$ 1.234,56", 1234.56],
    ["R$1.234,56", 1234.56],
    ["10,5", 10.5],
    ["10,50", 10.5],
    ["1,234.56", 1234.56],
    ["1.234.567", 1234567],
    ["1,234,567", 1234567],
    ["1.234.567,89", 1234567.89],
    ["1 234,56", 1234.56],
    ["-1.234,56", -1234.56],
    ["1234", 1234],
    ["1.5", 1.5],
    ["1.234", 1.234],
    ["1,234", 1.234],
    [",5", 0.5],
  ])("%s → %s", (text, n) => {
    expect(parseLocaleNumber(text)).toBe(n);
  });

  it.each(["", "abc", "1.23,45", "1,2,3", "1.234,56,7", "12a", "1.2.3,4"])("%s is not a number", (text) => {
    expect(parseLocaleNumber(text)).toBeUndefined();
  });

  it("fixes a decimal-comma price into a number, and leaves garbage unfixed", () => {
    const rule = { field: "price", check: "type", type: "decimal", fix: "normalize_number" };
    expect(fixed(rule, "R$ 1.234,56", "price")).toBe(1234.56);
    const r = run(rule, { price: "consulte" }, { applyFixes: true });
    expect(r.issues[0].fixed).toBeUndefined();
    expect(r.corrected?.price).toBe("consulte");
    expect(r.valid).toBe(false);
  });
});

describe("digits_only", () => {
  it("keeps only digits", () => {
    expect(fixed({ field: "ncm", check: "pattern", pattern: "^\\d{8}$", fix: "digits_only" }, "8517.12.31", "ncm")).toBe("85171231");
  });

  it("does not count a fix that empties the value as a correction", () => {
    const r = run({ field: "gtin", check: "gtin", fix: "digits_only" }, { gtin: "sem código" }, { applyFixes: true });
    expect(r.valid).toBe(false);
    expect(r.issues[0].fixed).toBeUndefined();
    expect(r.corrected?.gtin).toBe("sem código");
  });
});

describe("value_map", () => {
  const rule = { field: "condition", check: "one_of", values: ["new", "used"], fix: { value_map: { novo: "new", usado: "used", "semi-novo": "used" } } };

  it("maps case- and accent-insensitively by default, trimming the value", () => {
    expect(fixed(rule, "Novo", "condition")).toBe("new");
    expect(fixed(rule, " USADO ", "condition")).toBe("used");
    expect(fixed({ ...rule, fix: { value_map: { "não informado": "new" } } }, "NAO INFORMADO", "condition")).toBe("new");
  });

  it("is exact when case_insensitive is false", () => {
    const exact = { ...rule, fix: { value_map: { novo: "new" }, case_insensitive: false } };
    expect(fixed(exact, "novo", "condition")).toBe("new");
    expect(fixed(exact, "Novo", "condition")).toBe("Novo");
  });

  it("leaves unmapped values alone", () => {
    expect(fixed(rule, "recondicionado", "condition")).toBe("recondicionado");
  });
});

describe("fix lists", () => {
  it("apply in order", () => {
    const rule = { check: "max_length", max: 10, fix: ["strip_html", "trim", { case: "title" }, { truncate: { max: 10 } }] };
    expect(fixed(rule, "  <b>caneca azul grande</b> ")).toBe("Caneca");
  });
});
