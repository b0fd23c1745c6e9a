import { describe, expect, it } from "vitest";
import { compileMapping, MappingError } from "../../../src/core/mapping";
import { failures, mapRow, through } from "./helpers";

describe("text transforms", () => {
  it("trim and collapse_spaces", () => {
    expect(through(["trim"], "  Caneca  azul \t")).toBe("Caneca  azul");
    expect(through(["collapse_spaces"], "  Caneca   azul ")).toBe("Caneca azul");
  });

  it("upper, lower, title and sentence case, with accents", () => {
    expect(through(["upper"], "ação")).toBe("AÇÃO");
    expect(through(["lower"], "AÇÃO")).toBe("ação");
    expect(through(["title"], "camiseta de algodão da marca")).toBe("Camiseta de Algodão da Marca");
    expect(through(["sentence"], "CANECA AZUL. PARA CAFÉ")).toBe("Caneca azul. Para café");
  });

  it("replace with a regular expression (every occurrence) or with plain text", () => {
    expect(through([{ op: "replace", pattern: "\\s*-\\s*", with: " " }], "Caneca - Azul - 300ml")).toBe("Caneca Azul 300ml");
    expect(through([{ op: "replace", pattern: "^http://", with: "https://", flags: "i" }], "HTTP://x.com/a.jpg")).toBe("https://x.com/a.jpg");
    expect(through([{ op: "replace", find: "(", with: "" }], "a(b(c")).toBe("abc");
  });

  it("truncate at a word boundary by default, or mid-word", () => {
    expect(through([{ op: "truncate", max: 20 }], "Camiseta Azul Tamanho Grande")).toBe("Camiseta Azul");
    expect(through([{ op: "truncate", max: 8, at_word: false }], "Caneca Azul")).toBe("Caneca A");
    expect(through([{ op: "truncate", max: 12, ellipsis: "…" }], "Caneca Azul Grande")).toBe("Caneca Azul…");
  });

  it("digits_only keeps the digits of codes", () => {
    expect(through(["digits_only"], "8517.13.00", "ncm")).toBe("85171300");
  });

  it("applies in the order written", () => {
    expect(through(["trim", { op: "truncate", max: 6, at_word: false }], "   Caneca azul")).toBe("Caneca");
    expect(through([{ op: "truncate", max: 6, at_word: false }, "trim"], "   Caneca azul")).toBe("Can");
  });

  it("an empty cell is absent: the field is left out of the record", () => {
    expect(mapRow([{ target: "title", source: "c", transforms: ["trim", "upper"] }], { c: "   " }).record).toEqual({});
  });
});

describe("default", () => {
  it("fills an empty cell and leaves a filled one", () => {
    expect(through([{ op: "default", value: "BRL" }], "", "currency")).toBe("BRL");
    expect(through(["trim", { op: "default", value: "BRL" }], "   ", "currency")).toBe("BRL");
    expect(through([{ op: "default", value: "BRL" }], "USD", "currency")).toBe("USD");
  });
});

describe("number", () => {
  it("reads Brazilian prices with currency, thousands dots and a decimal comma", () => {
    expect(through([{ op: "number", locale: "pt-BR" }], "R$ 1.234,56", "price")).toBe(1234.56);
    expect(through([{ op: "number", locale: "pt-BR" }], "1.234", "price")).toBe(1234);
    expect(through([{ op: "number", locale: "pt-BR" }], "12.5", "price")).toBe(12.5);
    expect(through([{ op: "number", locale: "pt-BR" }], "-10,5", "price")).toBe(-10.5);
    expect(through([{ op: "number", locale: "pt-BR" }], "1.234.567,8", "price")).toBe(1234567.8);
  });

  it("reads US numbers with en, and either with auto", () => {
    expect(through([{ op: "number", locale: "en" }], "1,234.56", "price")).toBe(1234.56);
    expect(through([{ op: "number", locale: "en" }], "1,234", "price")).toBe(1234);
    expect(through(["number"], "R$ 10,50", "price")).toBe(10.5);
    expect(through(["number"], "1.234,56", "price")).toBe(1234.56);
    expect(through(["number"], "15", "stock")).toBe(15);
  });

  it("rounds to decimals when asked", () => {
    expect(through([{ op: "number", locale: "pt-BR", decimals: 2 }], "10,555", "price")).toBe(10.56);
    expect(through([{ op: "number", decimals: 0 }], "10,4", "stock")).toBe(10);
  });

  it("a cell that is not a number is a mapping.number.invalid error on that row and field, in both languages", () => {
    const [issue] = mapRow([{ target: "price", source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }] }], { "Preço (R$)": "abc" }, { row: 7 }).issues;
    expect(issue).toMatchObject({ row: 7, field: "price", rule: "mapping.number.invalid", severity: "error", value: "abc" });
    expect(issue.message).toBe('"abc" in column "Preço (R$)" is not a number');
    expect(failures([{ op: "number", locale: "pt-BR" }], "1,234.56", "price", "pt-BR")[0].message).toBe('"1,234.56" na coluna "c" não é um número');
  });

  it("keeps the value it had before the failing transform, so the pack still sees it (never a silent null)", () => {
    const { record, issues } = mapRow([{ target: "price", source: "p", transforms: ["trim", { op: "number", locale: "pt-BR" }] }], { p: " 12,50 reais?" });
    expect(issues).toHaveLength(1);
    expect(record.price).toBe("12,50 reais?");
  });
});

describe("format_number", () => {
  it("writes numbers the Brazilian or the US way", () => {
    expect(through([{ op: "format_number", locale: "pt-BR", decimals: 2, grouping: true }], "1234.5", "attributes.PRICE_TEXT")).toBe("1.234,50");
    expect(through([{ op: "format_number", locale: "en", decimals: 1 }], "1234,56", "attributes.PRICE_TEXT")).toBe("1234.6");
    expect(failures([{ op: "format_number" }], "x", "attributes.PRICE_TEXT")[0].rule).toBe("mapping.number.invalid");
  });
});

describe("unit", () => {
  it("converts kg to g and m to cm, reading decimal commas", () => {
    expect(through([{ op: "unit", from: "kg", to: "g" }], "0,45", "weight_g")).toBe(450);
    expect(through([{ op: "unit", from: "kg", to: "g", locale: "pt-BR" }], "1.250", "weight_g")).toBe(1_250_000);
    expect(through([{ op: "unit", from: "m", to: "cm" }], "1.2", "height_cm")).toBe(120);
    expect(through([{ op: "unit", from: "mm", to: "cm" }], "85", "width_cm")).toBe(8.5);
  });

  it("a unit written in the cell wins over `from`", () => {
    expect(through([{ op: "unit", from: "kg", to: "g" }], "300 g", "weight_g")).toBe(300);
    expect(through([{ op: "unit", from: "g", to: "g" }], "1,5 kg", "weight_g")).toBe(1500);
    expect(through([{ op: "unit", from: "cm", to: "cm" }], "2 metros", "length_cm")).toBe(200);
  });

  it("a cell in another dimension or not a number is mapping.unit.invalid", () => {
    expect(failures([{ op: "unit", from: "kg", to: "g" }], "10 cm", "weight_g")[0]).toMatchObject({ rule: "mapping.unit.invalid", value: "10 cm" });
    expect(failures([{ op: "unit", from: "kg", to: "g" }], "pesado", "weight_g")[0].message).toBe('"pesado" in column "c" is not a mass in kg');
  });

  it("refuses unknown units and conversions across dimensions when compiled", () => {
    const error = catchMapping({ target: "weight_g", source: "p", transforms: [{ op: "unit", from: "kg", to: "cm" }] });
    expect(error.problems).toMatchObject([{ detail: "unit: cannot convert kg (mass) to cm (length)", pointer: "/fields/0/transforms/0/to" }]);
    expect(catchMapping({ target: "weight_g", source: "p", transforms: [{ op: "unit", from: "stone", to: "g" }] }).problems[0].pointer).toBe("/fields/0/transforms/0/from");
  });
});

describe("date", () => {
  it("auto reads ISO, Brazilian day-first dates and Excel serial numbers", () => {
    expect(through(["date"], "2024-12-31", "attributes.RELEASE_DATE")).toBe("2024-12-31");
    expect(through(["date"], "2024-12-31T10:00:00Z", "attributes.RELEASE_DATE")).toBe("2024-12-31");
    expect(through(["date"], "31/12/2024", "attributes.RELEASE_DATE")).toBe("2024-12-31");
    expect(through(["date"], "05-01-2024", "attributes.RELEASE_DATE")).toBe("2024-01-05");
    expect(through(["date"], "31/12/24", "attributes.RELEASE_DATE")).toBe("2024-12-31");
    expect(through(["date"], "45657", "attributes.RELEASE_DATE")).toBe("2024-12-31");
  });

  it("reads and writes explicit formats", () => {
    expect(through([{ op: "date", format: "MM/DD/YYYY", output: "DD/MM/YYYY" }], "12/31/2024", "attributes.RELEASE_DATE")).toBe("31/12/2024");
    expect(through([{ op: "date", format: "YYYYMMDD" }], "20240105", "attributes.RELEASE_DATE")).toBe("2024-01-05");
  });

  it("an impossible or unreadable date is mapping.date.invalid", () => {
    expect(failures(["date"], "31/02/2024", "attributes.RELEASE_DATE")[0].rule).toBe("mapping.date.invalid");
    expect(failures([{ op: "date", format: "DD/MM/YYYY" }], "2024-01-05", "attributes.RELEASE_DATE")[0].message).toBe('"2024-01-05" in column "c" is not a date (DD/MM/YYYY)');
  });

  it("refuses formats without a year, month and day", () => {
    expect(catchMapping({ target: "attributes.D", source: "d", transforms: [{ op: "date", format: "MM/YYYY" }] }).problems[0].pointer).toBe("/fields/0/transforms/0/format");
  });
});

describe("split and collect", () => {
  it("split turns one column into a list", () => {
    expect(through(["split"], "https://a/1.jpg | https://a/2.jpg||", "images")).toEqual(["https://a/1.jpg", "https://a/2.jpg"]);
    expect(through([{ op: "split", separator: "," }], "a,b", "images")).toEqual(["a", "b"]);
  });

  it("collect gathers Imagem 1..Imagem 6 into images, skipping empty columns", () => {
    const row = { "Imagem 1": "https://a/1.jpg", "Imagem 2": "", "Imagem 3": " https://a/3.jpg ", "Imagem 4": "", "Imagem 5": "", "Imagem 6": "" };
    const sources = Object.keys(row);
    expect(mapRow([{ target: "images", sources, transforms: ["trim", "collect"] }], row).record).toEqual({ images: ["https://a/1.jpg", "https://a/3.jpg"] });
    expect(mapRow([{ target: "images", sources, transforms: ["collect"] }], { ...row, "Imagem 1": "", "Imagem 3": "" }).record).toEqual({});
  });

  it('"Imagem *" collects every numbered column of the file, in number order', () => {
    const header = ["SKU", "imagem 10", "Imagem 2", "Imagem1", "Imagem principal"];
    const mapper = compileMapping({ fields: [{ target: "images", sources: ["Imagem *"], transforms: ["collect"] }] }).bind(header);
    expect(mapper.map(["x", "j", "b", "a", "p"], 1).record.images).toEqual(["a", "b", "j"]);
  });

  it("collect then split flattens lists inside columns", () => {
    const { record } = mapRow([{ target: "images", sources: ["Foto", "Mais fotos"], transforms: ["collect", "split"] }], { Foto: "a", "Mais fotos": "b|c" });
    expect(record.images).toEqual(["a", "b", "c"]);
  });
});

describe("first, concat and template", () => {
  it("first takes the first filled column", () => {
    expect(mapRow([{ target: "price", sources: ["Promo", "Preço"], transforms: ["first", "number"] }], { Promo: "", Preço: "10,5" }).record.price).toBe(10.5);
  });

  it("concat joins the filled columns", () => {
    expect(mapRow([{ target: "title", sources: ["A", "B", "C"], transforms: [{ op: "concat", separator: " - " }] }], { A: "x", B: "", C: "z" }).record.title).toBe("x - z");
  });

  it("template names its columns and needs no sources; empty parts leave no double spaces", () => {
    const fields = [{ target: "title", transforms: [{ op: "template", template: "{Marca} {Modelo} {Cor} 128GB" }, "trim"] }];
    expect(mapRow(fields, { Marca: "Samsung", Modelo: "Galaxy A15", Cor: "Azul" }).record.title).toBe("Samsung Galaxy A15 Azul 128GB");
    expect(mapRow(fields, { Marca: "Samsung", Modelo: "Galaxy A15", Cor: "" }).record.title).toBe("Samsung Galaxy A15 128GB");
  });

  it("template placeholders match column names accent- and case-insensitively; {value} is the single source", () => {
    expect(mapRow([{ target: "title", sources: ["Marca", "Descrição curta"], transforms: [{ op: "template", template: "{descricao curta} ({MARCA})" }] }], { Marca: "Tramontina", "Descrição curta": "Panela" }).record.title).toBe(
      "Panela (Tramontina)",
    );
    expect(through([{ op: "template", template: "Cor: {value}" }], "Azul", "attributes.COLOR_TEXT")).toBe("Cor: Azul");
  });

  it("refuses placeholders that are not sources, and several sources without a combining transform", () => {
    expect(catchMapping({ target: "title", sources: ["A"], transforms: [{ op: "template", template: "{B}" }] }).problems[0].detail).toContain("{B} is not one of the field's source columns");
    expect(catchMapping({ target: "images", sources: ["A", "B"], transforms: ["trim"] }).problems[0].detail).toContain("must be combined");
  });
});

describe("value_map", () => {
  const condition = { op: "value_map", values: { Novo: "new", Usado: "used", Recondicionado: "refurbished" } };

  it("maps case- and accent-insensitively by default", () => {
    expect(through([condition], "NOVO", "condition")).toBe("new");
    expect(through([{ op: "value_map", values: { "Não": "no" } }], "nao", "attributes.identifier_exists")).toBe("no");
  });

  it("leaves unknown values for the pack to judge, or uses a default, or reports them when strict", () => {
    expect(through([condition], "Seminovo", "condition")).toBe("Seminovo");
    expect(through([{ ...condition, default: "not_specified" }], "Seminovo", "condition")).toBe("not_specified");
    expect(failures([{ ...condition, strict: true }], "Seminovo", "condition")[0]).toMatchObject({ rule: "mapping.value_map.unmatched", field: "condition" });
  });

  it("can be case-sensitive", () => {
    expect(through([{ ...condition, case_insensitive: false }], "novo", "condition")).toBe("novo");
  });
});

describe("into attributes", () => {
  it("a column can fill a canonical field and an attribute at once", () => {
    const { record } = mapRow(
      [
        { target: "brand", source: "Marca", transforms: ["trim"] },
        { target: "attributes.BRAND", source: "Marca", transforms: ["trim"] },
        { target: "attributes.COLOR", source: "Cor" },
      ],
      { Marca: " Samsung ", Cor: "Azul" },
    );
    expect(record).toEqual({ brand: "Samsung", attributes: { BRAND: "Samsung", COLOR: "Azul" } });
  });

  it("constants fill fields the file lacks", () => {
    expect(mapRow([{ target: "currency", value: "BRL" }, { target: "title", source: "t" }], { t: "x" }).record).toEqual({ currency: "BRL", title: "x" });
  });
});

function catchMapping(field: Record<string, unknown>): MappingError {
  try {
    compileMapping({ fields: [field as never] });
  } catch (e) {
    if (e instanceof MappingError) return e;
    throw e;
  }
  throw new Error("compiled without error");
}

describe("parseNumber", () => {
  const CASES = [
    "0", "7", "15", "-3", "+4", "1234", "12.5", "12,5", "1.234", "1,234", "1.234,56", "1,234.56", "1.234.567", "1,234,567", "1.234.567,89",
    "1,234,567.89", "R$ 1.299,90", "R$1.299,90", "  10,50  ", "-10,5", "0,99", ",5", "5,", "1.2.3", "1,2,3", "12.34.56", "1.234,5.6", "1,234,56",
    "1.23,4", "abc", "", " ", "R$", "R$ -10,00", "1 234,56", "10,50 reais", "US$ 5.00", "1e3", "123456789012345678", "007", "1.000.000",
  ];

  it("the one-pass reader agrees with the regular-expression reader on every shape", async () => {
    const { parseNumber } = await import("../../../src/core/mapping");
    const { parseLocaleNumber } = await import("../../../src/core/rules");
    for (const s of CASES) expect(parseNumber(s, "auto"), s).toBe(parseLocaleNumber(s));
  });

  it("pt-BR and en settle the thousands dot and comma", async () => {
    const { parseNumber } = await import("../../../src/core/mapping");
    const table: [string, number | undefined, number | undefined][] = [
      // text, pt-BR, en
      ["1.234", 1234, 1.234],
      ["1,234", 1.234, 1234],
      ["12.5", 12.5, 12.5],
      ["12,5", 12.5, 12.5],
      ["1.234,56", 1234.56, undefined],
      ["1,234.56", undefined, 1234.56],
      ["1.234.567", 1234567, undefined],
      ["1,234,567", undefined, 1234567],
      ["1,234,56", undefined, undefined],
      ["R$ 1.234,56", 1234.56, undefined],
      ["1 234,56", 1234.56, 1234.56], // a lone separator not grouping three digits is the decimal one
      ["-0,5", -0.5, -0.5],
    ];
    for (const [text, pt, en] of table) {
      expect(parseNumber(text, "pt-BR"), `pt-BR ${text}`).toBe(pt);
      expect(parseNumber(text, "en"), `en ${text}`).toBe(en);
    }
  });
});
