import { describe, expect, it } from "vitest";
import { check, issue, ruleIds, withFields } from "./builtin-packs";
import { galaxyA15, galaxyA15Csv, ideapadSlim3, nikeRevolution7, usedKettle } from "./fixtures";

const SHOPEE = "shopee";

describe("shopee pack: good records", () => {
  it.each([
    ["Samsung Galaxy A15", galaxyA15],
    ["Samsung Galaxy A15 from CSV", galaxyA15Csv],
    ["Lenovo IdeaPad Slim 3", ideapadSlim3],
    ["Tênis Nike Revolution 7", nikeRevolution7],
    ["used Mondial kettle", usedKettle],
  ])("%s passes with no issue", (_name, record) => {
    const result = check(SHOPEE, record);
    expect(ruleIds(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe("shopee pack: bad records report exactly the broken rules", () => {
  it("a short name, a short description, 10 images, no brand, no NCM, no weight", () => {
    const record = withFields(nikeRevolution7, {
      title: "Tênis Nike",
      description: "Tênis confortável.",
      images: Array.from({ length: 10 }, (_, i) => `https://static.lojadoze.com.br/nike/fb2207-001-${i + 1}.jpg`),
      brand: undefined,
      ncm: undefined,
      weight_g: undefined,
    });
    const result = check(SHOPEE, record);
    expect(ruleIds(result)).toEqual([
      "shopee.brand.required",
      "shopee.description.min_length",
      "shopee.images.count",
      "shopee.name.min_length",
      "shopee.ncm.required",
      "shopee.weight.required",
    ]);
    expect(issue(result, "shopee.images.count").message).toBe(
      "The product has 10 images; Shopee accepts from 1 to 9. Keep the best ones.",
    );
  });

  it("messages in Portuguese", () => {
    const result = check(SHOPEE, withFields(nikeRevolution7, { ncm: undefined, title: "Tênis Nike" }), { locale: "pt-BR" });
    expect(issue(result, "shopee.name.min_length").message).toBe(
      "O nome do produto tem 10 caracteres; a Shopee exige pelo menos 20. Inclua marca, modelo e a principal característica.",
    );
    expect(issue(result, "shopee.ncm.required").message).toBe(
      "Falta o código NCM. A Shopee Brasil precisa dele para emitir a nota fiscal (NF-e), por exemplo 85171300 para celulares.",
    );
  });

  it("an NCM with 7 digits is caught by the common format rule", () => {
    const result = check(SHOPEE, withFields(galaxyA15, { ncm: "8517130" }));
    expect(ruleIds(result)).toEqual(["common.ncm.format"]);
  });

  it("refurbished goods cannot be listed", () => {
    const result = check(SHOPEE, withFields(usedKettle, { condition: "recondicionado" }), { applyFixes: true });
    expect(ruleIds(result)).toEqual(["common.condition.one_of", "shopee.condition.one_of"]);
    expect(issue(result, "common.condition.one_of").fixed).toBe(true);
    expect(issue(result, "shopee.condition.one_of").value).toBe("refurbished");
    expect(result.valid).toBe(false);
  });

  it("missing package dimensions are warnings", () => {
    const result = check(SHOPEE, withFields(usedKettle, { width_cm: undefined, height_cm: undefined, length_cm: undefined }));
    expect(ruleIds(result)).toEqual(["shopee.dimensions.height", "shopee.dimensions.length", "shopee.dimensions.width"]);
    expect(result.valid).toBe(true);
  });

  it("stock above the Shopee limit and a price with fractions of a cent", () => {
    const result = check(SHOPEE, withFields(usedKettle, { stock: 1500000, price: 59.905 }));
    expect(ruleIds(result)).toEqual(["shopee.price.decimals", "shopee.stock.max"]);
    expect(issue(result, "shopee.price.decimals").severity).toBe("warning");
  });

  it("a description with HTML and one too long", () => {
    const html = check(SHOPEE, withFields(ideapadSlim3, { description: `<div>${String(ideapadSlim3.description)}</div>` }));
    expect(ruleIds(html)).toEqual(["shopee.description.plain_text"]);
    const long = check(SHOPEE, withFields(ideapadSlim3, { description: "Notebook Lenovo IdeaPad Slim 3 ".repeat(120).trim() }));
    expect(ruleIds(long)).toEqual(["shopee.description.max_length"]);
  });
});

describe("shopee pack: fixes", () => {
  it("truncates a name over 120 characters at a word and cleans the NCM and description", () => {
    const title =
      "Tênis Nike Revolution 7 Masculino Preto e Branco Corrida Caminhada Academia Leve Confortável Original Com Nota Fiscal Envio Imediato";
    const result = check(SHOPEE, withFields(nikeRevolution7, {
      title,
      ncm: "6404.11.00",
      description: `<p>${String(nikeRevolution7.description)}</p>`,
    }), { applyFixes: true });
    expect(title.length).toBeGreaterThan(120);
    expect(result.valid).toBe(true);
    const corrected = result.corrected as Record<string, unknown>;
    expect(corrected.title).toBe(
      "Tênis Nike Revolution 7 Masculino Preto e Branco Corrida Caminhada Academia Leve Confortável Original Com Nota Fiscal",
    );
    expect(corrected.ncm).toBe("64041100");
    expect(corrected.description).toBe(nikeRevolution7.description);
    expect(ruleIds(result)).toEqual(["common.ncm.format", "shopee.description.plain_text", "shopee.name.max_length"]);
  });
});
