import { describe, expect, it } from "vitest";
import { builtinPack, check, issue, ruleIds, withFields } from "./builtin-packs";
import { galaxyA15, galaxyA15Csv, ideapadSlim3, nikeRevolution7, usedKettle } from "./fixtures";

describe("common pack: good records", () => {
  it.each([
    ["Samsung Galaxy A15 (JSON)", galaxyA15],
    ["Samsung Galaxy A15 (CSV strings)", galaxyA15Csv],
    ["Lenovo IdeaPad Slim 3", ideapadSlim3],
    ["Tênis Nike Revolution 7", nikeRevolution7],
    ["used Mondial kettle without GTIN", usedKettle],
  ])("%s passes with no issue at all", (_name, record) => {
    const result = check("common", record);
    expect(ruleIds(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe("common pack: bad records report exactly the broken rules", () => {
  it("a record with no SKU, title or price", () => {
    const result = check("common", withFields(nikeRevolution7, { sku: undefined, title: "  ", price: undefined, sale_price: undefined }));
    // `normalized` skips blank values (its fix has no default), so the blank title is reported
    // once, by the required rule, not also by the tidy-up rule.
    expect(ruleIds(result)).toEqual(["common.price.required", "common.sku.required", "common.title.required"]);
    expect(result.valid).toBe(false);
  });

  it("a Brazilian decimal-comma price is an error with a plain-number suggestion", () => {
    const result = check("common", withFields(galaxyA15Csv, { price: "1.099,00", sale_price: undefined }));
    // A value that is not a number is the type rule's to report: the range rule passes it, so the
    // bad price is reported once.
    expect(ruleIds(result)).toEqual(["common.price.type"]);
    const i = issue(result, "common.price.type");
    expect(i.severity).toBe("error");
    expect(i.value).toBe("1.099,00");
    expect(i.suggestion).toBe(1099);
  });

  it("a price of zero and a negative stock", () => {
    const result = check("common", withFields(usedKettle, { price: 0, stock: -2 }));
    expect(ruleIds(result)).toEqual(["common.price.range", "common.stock.range"]);
  });

  it("a sale price that is not below the price", () => {
    const result = check("common", withFields(nikeRevolution7, { price: 399.99, sale_price: 449.9 }));
    expect(ruleIds(result)).toEqual(["common.sale_price.below_price"]);
    expect(issue(result, "common.sale_price.below_price").message).toBe(
      "The sale price (449.9) must be lower than the regular price (399.99).",
    );
  });

  it("stock with decimals is not a whole number", () => {
    const result = check("common", withFields(galaxyA15Csv, { stock: "12.5" }));
    expect(ruleIds(result)).toEqual(["common.stock.type"]);
  });

  it("a GTIN with a wrong check digit cannot be fixed", () => {
    const result = check("common", withFields(galaxyA15, { gtin: "7892509125841" }));
    expect(ruleIds(result)).toEqual(["common.gtin.check_digit"]);
    expect(issue(result, "common.gtin.check_digit").suggestion).toBeUndefined();
  });

  it("a GTIN typed with separators gets a digits-only suggestion", () => {
    const result = check("common", withFields(galaxyA15, { gtin: "789 2509 12584-0" }));
    expect(ruleIds(result)).toEqual(["common.gtin.check_digit"]);
    expect(issue(result, "common.gtin.check_digit").suggestion).toBe("7892509125840");
  });

  it("a GTIN Excel saved in scientific notation is reported for what it is, and never 'fixed' into another product's GTIN-8", () => {
    // digits_only would make "78910812" of it: 8 digits with a valid check digit.
    for (const gtin of ["7,89108E+12", "7.89108E+12", " 7,89123e+12 ", "7E+12"]) {
      const result = check("common", withFields(galaxyA15, { gtin }), { applyFixes: true });
      expect(ruleIds(result), gtin).toEqual(["common.gtin.scientific_notation"]);
      const i = issue(result, "common.gtin.scientific_notation");
      expect([i.severity, i.fixed, i.suggestion]).toEqual(["error", undefined, undefined]);
      expect(result.valid).toBe(false);
    }
    expect(issue(check("common", withFields(galaxyA15, { gtin: "7,89108E+12" }), { locale: "pt-BR" }), "common.gtin.scientific_notation").message).toBe(
      'O GTIN/EAN "7,89108E+12" foi salvo em notação científica, do jeito que o Excel mostra números longos, e os últimos dígitos se perderam. No Excel, formate a coluna como Texto, cole ou digite os códigos de barras de novo e salve o arquivo outra vez.',
    );
    // A real GTIN, and a wrong one that merely contains an E, are the check digit's to judge.
    expect(ruleIds(check("common", withFields(galaxyA15, { gtin: "7892509125840" })))).toEqual([]);
    expect(ruleIds(check("common", withFields(galaxyA15, { gtin: "789E2509" })))).toEqual(["common.gtin.check_digit"]);
  });

  it("an image that is not a web address is reported by its position", () => {
    const result = check("common", withFields(nikeRevolution7, {
      images: ["https://static.lojadoze.com.br/nike/fb2207-001-1.jpg", "C:\\Fotos\\tenis-nike.jpg"],
    }));
    expect(ruleIds(result)).toEqual(["common.images.url"]);
    expect(issue(result, "common.images.url").field).toBe("images[1]");
  });

  it("an unknown condition", () => {
    const result = check("common", withFields(usedKettle, { condition: "com defeito" }));
    expect(ruleIds(result)).toEqual(["common.condition.one_of"]);
  });

  it("an NCM typed with dots gets a digits-only suggestion; a short one does not", () => {
    const dotted = check("common", withFields(galaxyA15, { ncm: "8517.13.00" }));
    expect(ruleIds(dotted)).toEqual(["common.ncm.format"]);
    expect(issue(dotted, "common.ncm.format").suggestion).toBe("85171300");
    const short = check("common", withFields(galaxyA15, { ncm: "8517" }));
    expect(ruleIds(short)).toEqual(["common.ncm.format"]);
    expect(issue(short, "common.ncm.format").suggestion).toBeUndefined();
  });

  it("tidy-up rules are warnings and info, so the record stays valid", () => {
    const result = check("common", withFields(galaxyA15, {
      sku: " SM-A155M-128-AZE ",
      title: "Smartphone  Samsung Galaxy A15   128GB ",
      brand: "Samsung ",
    }));
    expect(ruleIds(result)).toEqual(["common.brand.spaces", "common.sku.trim", "common.title.spaces"]);
    expect(result.valid).toBe(true);
    expect(issue(result, "common.title.spaces").severity).toBe("info");
    expect(issue(result, "common.sku.trim").severity).toBe("warning");
  });
});

describe("common pack: fixes", () => {
  it("applies number normalization, condition mapping, currency case and tidy-ups", () => {
    const record = withFields(galaxyA15Csv, {
      title: "  Smartphone Samsung  Galaxy A15 128GB  ",
      price: "R$ 1.099,00",
      sale_price: "999,00",
      stock: "40,00",
      gtin: "789-1000-00001-4",
      condition: "Novo",
      currency: "brl",
      ncm: "8517.13.00",
      weight_g: "200,5",
    });
    const result = check("common", record, { applyFixes: true });
    expect(result.valid).toBe(true);
    expect(result.corrected).toMatchObject({
      title: "Smartphone Samsung Galaxy A15 128GB",
      price: 1099,
      sale_price: 999,
      stock: 40,
      gtin: "7891000000014",
      condition: "new",
      currency: "BRL",
      ncm: "85171300",
      weight_g: 200.5,
    });
    for (const i of result.issues) expect(i.fixed, i.rule).toBe(true);
    expect(ruleIds(result)).toEqual([
      "common.condition.one_of",
      "common.currency.format",
      "common.gtin.check_digit",
      "common.ncm.format",
      "common.price.type",
      "common.sale_price.type",
      "common.stock.type",
      "common.title.spaces",
      "common.weight_g.type",
    ]);
  });

  it("maps every Portuguese condition word", () => {
    for (const [input, expected] of [
      ["novo", "new"],
      ["Nova", "new"],
      ["USADO", "used"],
      ["seminovo", "used"],
      ["Recondicionado", "refurbished"],
      ["NEW", "new"],
    ]) {
      const result = check("common", withFields(usedKettle, { condition: input }), { applyFixes: true });
      expect(result.corrected?.condition, input).toBe(expected);
      expect(result.valid).toBe(true);
    }
  });

  it("does not touch the input record", () => {
    const record = withFields(galaxyA15Csv, { price: "1.099,00" });
    const before = structuredClone(record);
    check("common", record, { applyFixes: true });
    expect(record).toEqual(before);
  });

  it("leaves an unfixable error counted against validity", () => {
    const result = check("common", withFields(galaxyA15, { gtin: "7892509125841", price: "1.099,00" }), { applyFixes: true });
    expect(result.valid).toBe(false);
    expect(issue(result, "common.price.type").fixed).toBe(true);
    expect(issue(result, "common.gtin.check_digit").fixed).toBeFalsy();
  });
});

describe("common pack: unique SKU across a file", () => {
  it("flags a repeated SKU regardless of case and names the first row", () => {
    const validator = builtinPack("common").createValidator({ locale: "pt-BR" });
    const first = validator.validate(galaxyA15, 1);
    const second = validator.validate(withFields(galaxyA15Csv, { sku: "sm-a155m-128-aze" }), 2);
    const third = validator.validate(nikeRevolution7, 3);
    expect(ruleIds(first)).toEqual([]);
    expect(ruleIds(second)).toEqual(["common.sku.unique"]);
    expect(ruleIds(third)).toEqual([]);
    const i = issue(second, "common.sku.unique");
    expect(i.row).toBe(2);
    expect(i.message).toBe("O SKU \"sm-a155m-128-aze\" já foi usado na linha 1. Cada produto precisa de um SKU diferente.");
  });
});

describe("common pack: messages", () => {
  it("fills placeholders in English and Portuguese", () => {
    const bad = withFields(galaxyA15, { price: -10, sale_price: undefined });
    expect(issue(check("common", bad), "common.price.range").message).toBe("The price must be a number greater than zero; it is -10.");
    expect(issue(check("common", bad, { locale: "pt-BR" }), "common.price.range").message).toBe(
      "O preço precisa ser um número maior que zero; ele está como -10.",
    );
  });
});
