import { describe, expect, it } from "vitest";
import { builtinPack, check, issue, ruleIds, withAttributes, withFields } from "./builtin-packs";
import { galaxyA15, galaxyA15Csv, MLB1055_MISSING_ATTRIBUTE_RULES, ideapadSlim3, nikeRevolution7, usedKettle } from "./fixtures";

const ML = "mercadolivre";

describe("mercadolivre pack: good records", () => {
  it.each([
    ["Samsung Galaxy A15 in MLB1055", galaxyA15, "MLB1055"],
    ["Samsung Galaxy A15 from CSV in MLB1055", galaxyA15Csv, "MLB1055"],
    ["Lenovo IdeaPad Slim 3 in MLB1652", ideapadSlim3, "MLB1652"],
    ["Tênis Nike Revolution 7 in MLB1430", nikeRevolution7, "MLB1430"],
    ["used Mondial kettle, no category", usedKettle, undefined],
  ])("%s passes with no issue", (_name, record, category) => {
    const result = check(ML, record, { category });
    expect(ruleIds(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe("mercadolivre pack: bad records report exactly the broken rules", () => {
  it("a long title, a decimal-comma price, a bad GTIN, 14 pictures and no BRAND", () => {
    const record = withAttributes(
      withFields(galaxyA15Csv, {
        title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Preto Dual Chip Tela 6.5 Câmera 50MP",
        price: "1.099,00",
        gtin: "7891000000015",
        images: Array.from({ length: 14 }, (_, i) => `https://cdn.lojadoze.com.br/a15/foto-${i + 1}.jpg`),
      }),
      { BRAND: undefined },
    );
    const result = check(ML, record);
    expect(ruleIds(result)).toEqual([
      "common.gtin.check_digit",
      "common.price.type",
      "ml.attributes.brand.required",
      "ml.images.count",
      "ml.title.max_length",
    ]);
    expect(result.valid).toBe(false);
    expect(issue(result, "ml.images.count").message).toBe(
      "The product has 14 pictures; Mercado Livre accepts between 1 and 12. Keep the best ones.",
    );
  });

  it("reports the title length in Portuguese", () => {
    const record = withFields(galaxyA15, {
      title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro Dual Chip Android 14",
    });
    const result = check(ML, record, { locale: "pt-BR" });
    expect(ruleIds(result)).toEqual(["ml.title.max_length"]);
    expect(issue(result, "ml.title.max_length").message).toBe(
      "O título tem 76 caracteres e o Mercado Livre aceita no máximo 60. Deixe produto, marca, modelo e a principal característica.",
    );
  });

  it("promotional words and all caps in the title are warnings", () => {
    const promo = check(ML, withFields(nikeRevolution7, { title: "Tênis Nike Revolution 7 Masculino Frete Grátis" }));
    expect(ruleIds(promo)).toEqual(["ml.title.promotional_words"]);
    expect(promo.valid).toBe(true);
    expect(issue(promo, "ml.title.promotional_words").message).toContain("frete grátis");

    const promoAccentless = check(ML, withFields(nikeRevolution7, { title: "Tênis Nike Revolution 7 PROMOCAO Masculino" }));
    expect(ruleIds(promoAccentless)).toEqual(["ml.title.promotional_words"]);

    const caps = check(ML, withFields(nikeRevolution7, { title: "TÊNIS NIKE REVOLUTION 7 MASCULINO PRETO" }));
    expect(ruleIds(caps)).toEqual(["ml.title.all_caps"]);
    expect(caps.valid).toBe(true);
  });

  it("a word that merely contains a promotional word is not flagged", () => {
    const result = check(ML, withFields(ideapadSlim3, { title: "Notebook Lenovo IdeaPad Slim 3 Ofertado Sem Uso" }));
    expect(ruleIds(result)).toEqual([]);
  });

  it("refurbished is not a Mercado Livre condition; not_specified is", () => {
    const refurbished = check(ML, withFields(usedKettle, { condition: "refurbished" }));
    expect(ruleIds(refurbished)).toEqual(["ml.condition.one_of"]);
    const notSpecified = check(ML, withFields(usedKettle, { condition: "not_specified" }));
    expect(ruleIds(notSpecified)).toEqual([]);
    const missing = check(ML, withFields(usedKettle, { condition: undefined }));
    expect(ruleIds(missing)).toEqual(["ml.condition.required"]);
  });

  it("a price in dollars, no stock and no pictures", () => {
    const result = check(ML, withFields(usedKettle, { currency: "USD", stock: undefined, images: [] }));
    expect(ruleIds(result)).toEqual(["ml.currency.brl", "ml.images.required", "ml.stock.required"]);
  });

  it("zero stock only pauses the listing: a warning", () => {
    const result = check(ML, withFields(usedKettle, { stock: 0 }));
    expect(ruleIds(result)).toEqual(["ml.stock.available"]);
    expect(result.valid).toBe(true);
  });

  it("HTML in the description is an error; http pictures are a warning", () => {
    const result = check(ML, withFields(nikeRevolution7, {
      description: "<p>Tênis de corrida <b>Nike Revolution 7</b></p><ul><li>Cabedal em malha</li></ul>",
      images: ["http://static.lojadoze.com.br/nike/fb2207-001-1.jpg", "https://static.lojadoze.com.br/nike/fb2207-001-2.jpg"],
    }));
    expect(ruleIds(result)).toEqual(["ml.description.plain_text", "ml.images.https"]);
    expect(issue(result, "ml.images.https").field).toBe("images[0]");
    expect(issue(result, "ml.images.https").suggestion).toBe("https://static.lojadoze.com.br/nike/fb2207-001-1.jpg");
    expect(result.valid).toBe(false);
  });

  it("BRAND and MODEL attributes are required even without a category", () => {
    const result = check(ML, withAttributes(usedKettle, { BRAND: undefined, MODEL: "" }));
    expect(ruleIds(result)).toEqual(["ml.attributes.brand.required", "ml.attributes.model.required"]);
  });
});

describe("mercadolivre pack: fixes", () => {
  it("truncates the title at a word boundary, strips HTML, maps the condition and fills the currency", () => {
    const record = withFields(galaxyA15Csv, {
      title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Preto Dual Chip Tela 6.5 Câmera 50MP",
      description: "<p>Samsung Galaxy A15 com <strong>128 GB</strong>.</p>",
      condition: "Novo",
      currency: undefined,
      price: "1.099,00",
      images: "http://cdn.lojadoze.com.br/a15/1.jpg|https://cdn.lojadoze.com.br/a15/2.jpg",
    });
    const result = check(ML, record, { applyFixes: true });
    expect(result.valid).toBe(true);
    const corrected = result.corrected as Record<string, unknown>;
    expect(corrected.title).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Preto Dual Chip");
    expect(String(corrected.title).length).toBeLessThanOrEqual(60);
    expect(corrected.description).not.toMatch(/[<>]/);
    // Inline tags become a space, so "<strong>128 GB</strong>." reads "128 GB ." (see the report).
    expect(String(corrected.description)).toMatch(/^Samsung Galaxy A15 com 128 GB ?\.$/);
    expect(corrected.condition).toBe("new");
    expect(corrected.currency).toBe("BRL");
    expect(corrected.price).toBe(1099);
    expect(corrected.images).toEqual(["https://cdn.lojadoze.com.br/a15/1.jpg", "https://cdn.lojadoze.com.br/a15/2.jpg"]);
    expect(ruleIds(result)).toEqual([
      "common.price.type",
      "ml.condition.one_of",
      "ml.currency.required",
      "ml.description.plain_text",
      "ml.images.https",
      "ml.title.max_length",
    ]);
    for (const i of result.issues) expect(i.fixed, i.rule).toBe(true);
  });

  it("without applying fixes the truncated title is offered as a suggestion", () => {
    const result = check(ML, withFields(galaxyA15, {
      title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro Dual Chip Android 14",
    }));
    expect(issue(result, "ml.title.max_length").suggestion).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul-escuro Dual");
    expect(result.corrected).toBeUndefined();
  });

  it("maps IS_DUAL_SIM yes/no spellings in MLB1055", () => {
    for (const [input, expected] of [["sim", "Sim"], ["NAO", "Não"], ["não", "Não"], ["yes", "Sim"], ["false", "Não"]]) {
      const result = check(ML, withAttributes(galaxyA15, { IS_DUAL_SIM: input }), { category: "MLB1055", applyFixes: true });
      expect((result.corrected?.attributes as Record<string, unknown>).IS_DUAL_SIM, input).toBe(expected);
      expect(result.valid).toBe(true);
    }
  });
});

describe("mercadolivre pack: categories", () => {
  it("lists its category sections", () => {
    expect(builtinPack(ML).categories.map((c) => c.id).sort()).toEqual(["MLB1055", "MLB1430", "MLB1652"]);
  });

  it("MLB1055 requires LINE, COLOR, INTERNAL_MEMORY, RAM, IS_DUAL_SIM, CARRIER and the Anatel number", () => {
    const record = withAttributes(galaxyA15, {
      LINE: undefined,
      COLOR: undefined,
      INTERNAL_MEMORY: undefined,
      RAM: undefined,
      IS_DUAL_SIM: undefined,
      CARRIER: undefined,
      CELLPHONES_ANATEL_HOMOLOGATION_NUMBER: undefined,
    });
    expect(ruleIds(check(ML, record))).toEqual([]);
    expect(ruleIds(check(ML, record, { category: "MLB1055" }))).toEqual(MLB1055_MISSING_ATTRIBUTE_RULES);
  });

  it("MLB1055 checks memory units and the Anatel number format as warnings", () => {
    const result = check(ML, withAttributes(galaxyA15, {
      INTERNAL_MEMORY: "128",
      RAM: "4gb",
      CELLPHONES_ANATEL_HOMOLOGATION_NUMBER: "ANATEL 1234",
    }), { category: "MLB1055" });
    expect(ruleIds(result)).toEqual(["ml.mlb1055.anatel.format", "ml.mlb1055.internal_memory.unit"]);
    expect(result.valid).toBe(true);
  });

  it("MLB1055 requires the GTIN of a new phone unless EMPTY_GTIN_REASON is given", () => {
    const noGtin = withFields(galaxyA15, { gtin: undefined });
    expect(ruleIds(check(ML, noGtin, { category: "MLB1055" }))).toEqual(["ml.mlb1055.gtin.required"]);
    expect(ruleIds(check(ML, withAttributes(noGtin, { EMPTY_GTIN_REASON: "17055161" }), { category: "MLB1055" }))).toEqual([]);
    expect(ruleIds(check(ML, withFields(noGtin, { condition: "used" }), { category: "MLB1055" }))).toEqual([]);
  });

  it("MLB1652 requires the notebook's line, processor, RAM and screen size", () => {
    const record = withAttributes(withFields(ideapadSlim3, { gtin: undefined }), {
      LINE: undefined,
      PROCESSOR_BRAND: undefined,
      PROCESSOR_MODEL: undefined,
      RAM_MEMORY_MODULE_TOTAL_CAPACITY: undefined,
      DISPLAY_SIZE: undefined,
    });
    expect(ruleIds(check(ML, record))).toEqual([]);
    expect(ruleIds(check(ML, record, { category: "MLB1652" }))).toEqual([
      "ml.mlb1652.display_size.required",
      "ml.mlb1652.gtin.required",
      "ml.mlb1652.line.required",
      "ml.mlb1652.processor_brand.required",
      "ml.mlb1652.processor_model.required",
      "ml.mlb1652.ram.required",
    ]);
  });

  it("MLB1430 requires gender, color and size, and warns about a missing size chart", () => {
    const record = withAttributes(nikeRevolution7, { GENDER: undefined, COLOR: undefined, SIZE: undefined, SIZE_GRID_ID: undefined });
    expect(ruleIds(check(ML, record))).toEqual([]);
    const result = check(ML, record, { category: "MLB1430" });
    expect(ruleIds(result)).toEqual([
      "ml.mlb1430.color.required",
      "ml.mlb1430.gender.required",
      "ml.mlb1430.size.required",
      "ml.mlb1430.size_grid.required",
    ]);
    expect(issue(result, "ml.mlb1430.size_grid.required").severity).toBe("warning");
  });

  it("a category section does not leak into another category", () => {
    expect(ruleIds(check(ML, nikeRevolution7, { category: "MLB1055" }))).toEqual([
      "ml.mlb1055.anatel.required",
      "ml.mlb1055.carrier.required",
      "ml.mlb1055.dual_sim.required",
      "ml.mlb1055.internal_memory.required",
      "ml.mlb1055.line.required",
      "ml.mlb1055.ram.required",
    ]);
  });

  it("category rules run after the general rules", () => {
    const ids = builtinPack(ML).rules("MLB1055").map((r) => r.id);
    expect(ids.indexOf("common.sku.required")).toBe(0);
    expect(ids.indexOf("ml.attributes.model.required")).toBeLessThan(ids.indexOf("ml.mlb1055.line.required"));
    expect(ids).not.toContain("common.condition.one_of");
  });
});
