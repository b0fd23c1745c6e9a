import { describe, expect, it } from "vitest";
import { builtinPack, check, issue, ruleIds, withAttributes, withFields } from "./builtin-packs";
import { galaxyA15, galaxyA15Csv, ideapadSlim3, nikeRevolution7, usedKettle } from "./fixtures";

const GMC = "google-merchant";

describe("google-merchant pack: good records", () => {
  it.each([
    ["Samsung Galaxy A15", galaxyA15],
    ["Samsung Galaxy A15 from CSV", galaxyA15Csv],
    ["Lenovo IdeaPad Slim 3", ideapadSlim3],
    ["Tênis Nike Revolution 7", nikeRevolution7],
    ["used kettle identified by brand + MPN", usedKettle],
  ])("%s passes with no issue", (_name, record) => {
    const result = check(GMC, record);
    expect(ruleIds(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("a refurbished product is accepted (Google has that condition)", () => {
    expect(ruleIds(check(GMC, withFields(ideapadSlim3, { condition: "refurbished" })))).toEqual([]);
  });

  it("a handmade product without identifiers passes with identifier_exists = no", () => {
    const record = withAttributes(withFields(usedKettle, { brand: undefined }), { mpn: undefined, identifier_exists: "no" });
    expect(ruleIds(check(GMC, record))).toEqual([]);
  });
});

describe("google-merchant pack: bad records report exactly the broken rules", () => {
  it("a 60-character id, no description, no link, bad availability", () => {
    const record = withAttributes(
      withFields(ideapadSlim3, {
        sku: "LENOVO-IDEAPAD-SLIM3-15IAH8-I5-12450H-8GB-512GB-SSD-W11-CINZA",
        description: undefined,
        url: undefined,
      }),
      { availability: "talvez" },
    );
    const result = check(GMC, record);
    expect(ruleIds(result)).toEqual([
      "gmc.availability.one_of",
      "gmc.description.required",
      "gmc.id.max_length",
      "gmc.link.required",
    ]);
    expect(issue(result, "gmc.id.max_length").message).toBe(
      "The SKU has 61 characters; Google Merchant Center uses it as the product id, which allows at most 50.",
    );
  });

  it("the generic 100-character SKU limit is replaced by Google's 50", () => {
    const ids = builtinPack(GMC).rules().map((r) => r.id);
    expect(ids).toContain("gmc.id.max_length");
    expect(ids).not.toContain("common.sku.max_length");
    const result = check(GMC, withFields(galaxyA15, { sku: "X".repeat(120) }));
    expect(ruleIds(result)).toEqual(["gmc.id.max_length"]);
  });

  it("an ftp image, an image link over 2000 characters and a relative product link", () => {
    const result = check(GMC, withFields(nikeRevolution7, {
      images: [
        "https://static.lojadoze.com.br/nike/fb2207-001-1.jpg",
        "ftp://fotos.lojadoze.com.br/nike/fb2207-001-2.jpg",
        `https://static.lojadoze.com.br/nike/${"a".repeat(2000)}.jpg`,
      ],
      url: "/tenis-nike-revolution-7",
    }));
    expect(ruleIds(result)).toEqual(["common.images.url", "common.url.url", "gmc.image_link.url", "gmc.image_link.url", "gmc.link.url"]);
    expect(result.issues.filter((i) => i.rule === "gmc.image_link.url").map((i) => i.field)).toEqual(["images[1]", "images[2]"]);
  });

  it("no GTIN: brand and MPN are required unless identifier_exists is no", () => {
    const record = withAttributes(withFields(usedKettle, { brand: undefined }), { mpn: undefined });
    expect(ruleIds(check(GMC, record))).toEqual(["gmc.brand.required", "gmc.mpn.required"]);
    expect(ruleIds(check(GMC, withAttributes(record, { identifier_exists: "não" })))).toEqual(["gmc.identifier_exists.one_of"]);
    const fixed = check(GMC, withAttributes(record, { identifier_exists: "não" }), { applyFixes: true });
    expect(fixed.valid).toBe(true);
    expect((fixed.corrected?.attributes as Record<string, unknown>).identifier_exists).toBe("no");
  });

  it("with a GTIN, brand is not required by the identifier rule", () => {
    const record = withAttributes(withFields(galaxyA15, { brand: undefined }), { mpn: undefined });
    expect(ruleIds(check(GMC, record))).toEqual([]);
  });

  it("identifier_exists = no next to a GTIN is a warning", () => {
    const result = check(GMC, withAttributes(galaxyA15, { identifier_exists: "no" }));
    expect(ruleIds(result)).toEqual(["gmc.identifier_exists.contradicts_gtin"]);
    expect(result.valid).toBe(true);
  });

  it("in_stock with zero units is a warning", () => {
    const result = check(GMC, withFields(nikeRevolution7, { stock: 0 }));
    expect(ruleIds(result)).toEqual(["gmc.availability.matches_stock"]);
    expect(ruleIds(check(GMC, withAttributes(withFields(nikeRevolution7, { stock: "0" }), { availability: "out_of_stock" })))).toEqual([]);
  });

  it("a title over 150 characters, promotional text and all caps", () => {
    const long = "Notebook Lenovo IdeaPad Slim 3 Intel Core i5-12450H 8GB RAM 512GB SSD Tela 15,6 Full HD Windows 11 Home Cinza Ártico Teclado Numérico Leitor Digital Wi-Fi 6";
    expect(long.length).toBeGreaterThan(150);
    expect(ruleIds(check(GMC, withFields(ideapadSlim3, { title: long })))).toEqual(["gmc.title.max_length"]);
    expect(ruleIds(check(GMC, withFields(ideapadSlim3, { title: "Notebook Lenovo IdeaPad Slim 3 com Frete Grátis" })))).toEqual([
      "gmc.title.promotional",
    ]);
    expect(ruleIds(check(GMC, withFields(ideapadSlim3, { title: "NOTEBOOK LENOVO IDEAPAD SLIM 3" })))).toEqual(["gmc.title.all_caps"]);
  });

  it("a missing currency is filled with BRL when fixes are applied", () => {
    const result = check(GMC, withFields(galaxyA15, { currency: undefined }), { applyFixes: true });
    expect(ruleIds(result)).toEqual(["gmc.price.currency"]);
    expect(result.valid).toBe(true);
    expect(result.corrected?.currency).toBe("BRL");
  });

  it("maps availability written in Portuguese", () => {
    for (const [input, expected] of [["Em estoque", "in_stock"], ["esgotado", "out_of_stock"], ["pré-venda", "preorder"], ["sob encomenda", "backorder"]]) {
      const result = check(GMC, withAttributes(galaxyA15, { availability: input }), { applyFixes: true });
      expect((result.corrected?.attributes as Record<string, unknown>).availability, input).toBe(expected);
    }
  });
});
