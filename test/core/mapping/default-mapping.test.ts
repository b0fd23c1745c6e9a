import { describe, expect, it } from "vitest";
import { buildTemplate, compileMapping, defaultMapping } from "../../../src/core/mapping";
import { parseCsvText, sniff } from "../../../src/core/tabular";
import { builtinPack } from "../../rules/builtin-packs";

const ML = buildTemplate(builtinPack("mercadolivre"));

/** The canonical column names the README recommends, as a seller's Excel writes them (pt-BR). */
const README_CSV = [
  "sku;title;description;price;stock;gtin;brand;model;condition;category_id;image_1;image_2",
  "CEL-A15-AZ;Smartphone Samsung Galaxy A15 128GB Azul;Smartphone com 128 GB, 4 GB de RAM e tela de 6,5 polegadas.;R$ 1.299,90;15;7891000000014;Samsung;Galaxy A15;Novo;MLB1055;https://cdn.loja.com.br/a15-1.jpg;https://cdn.loja.com.br/a15-2.jpg",
  "CAN-POR-300;Caneca de Porcelana Branca 300 ml;Caneca branca, vai ao micro-ondas.;39,90;120;7891000000021;Porto Brasil;Coup 300;Usado;MLB1055;https://cdn.loja.com.br/caneca.jpg;",
].join("\r\n");

function read(csv: string) {
  const bytes = new TextEncoder().encode(csv);
  const sniffed = sniff(bytes);
  const { header, rows } = parseCsvText(csv, { delimiter: sniffed.delimiter });
  return { header: header!, rows: rows.map((r) => r.values), decimalComma: sniffed.decimalComma };
}

describe("defaultMapping: a file with the canonical column names", () => {
  it("validates clean rows against mercadolivre with zero errors: pictures gathered, Novo/Usado read, BRAND/MODEL from brand/model", () => {
    const { header, rows, decimalComma } = read(README_CSV);
    expect(decimalComma).toBe(true);
    const mapping = defaultMapping(header, "mercadolivre", { decimalComma, template: ML });
    const mapper = compileMapping(mapping).bind(header);
    const validator = builtinPack("mercadolivre").createValidator({});
    const records = rows.map((values, i) => mapper.map(values, i + 2));
    for (const { record, issues } of records) {
      expect(issues).toEqual([]);
      expect(validator.validate(record, 2).issues.filter((i) => i.severity === "error"), JSON.stringify(record)).toEqual([]);
    }
    expect(records[0].record).toMatchObject({
      price: 1299.9,
      condition: "new",
      currency: "BRL",
      images: ["https://cdn.loja.com.br/a15-1.jpg", "https://cdn.loja.com.br/a15-2.jpg"],
      brand: "Samsung",
      model: "Galaxy A15",
      attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" },
    });
    expect(records[1].record).toMatchObject({ condition: "used", images: ["https://cdn.loja.com.br/caneca.jpg"], price: 39.9 });
  });

  it("writes the one-fact design as mapping fields: BRAND and MODEL read the brand and model columns", () => {
    const mapping = defaultMapping(["sku", "brand", "model"], "mercadolivre", { template: ML });
    expect(mapping.fields).toEqual([
      { target: "sku", source: "sku" },
      { target: "brand", source: "brand" },
      { target: "model", source: "model" },
      { target: "attributes.BRAND", source: "brand" },
      { target: "attributes.MODEL", source: "model" },
      { target: "currency", value: "BRL" },
    ]);
    // Without the pack's template nothing marketplace-specific is added.
    expect(defaultMapping(["sku", "brand", "model"]).fields.map((f) => f.target)).toEqual(["sku", "brand", "model"]);
  });

  it("keeps an explicit attributes.BRAND column rather than doubling it", () => {
    const mapping = defaultMapping(["brand", "attributes.BRAND"], "mercadolivre", { template: ML });
    expect(mapping.fields.filter((f) => f.target === "attributes.BRAND")).toEqual([{ target: "attributes.BRAND", source: "attributes.BRAND" }]);
  });
});

describe("defaultMapping: picture columns", () => {
  const images = (header: string[], row: string[], samples?: string[][]) => {
    const mapping = defaultMapping(header, undefined, { samples });
    return { field: mapping.fields.find((f) => f.target === "images"), value: compileMapping(mapping).bind(header).map(row, 2).record.images };
  };

  it("collects numbered columns in number order, whatever their spelling", () => {
    const { field, value } = images(["sku", "Imagem 2", "imagem_1", "IMAGEM 10"], ["A", "https://x/2.jpg", "https://x/1.jpg", "https://x/10.jpg"]);
    expect(field).toEqual({ target: "images", sources: ["imagem_1", "Imagem 2", "IMAGEM 10"], transforms: ["trim", "collect"] });
    expect(value).toEqual(["https://x/1.jpg", "https://x/2.jpg", "https://x/10.jpg"]);
  });

  it("puts the main picture first and Google's comma-separated additional links after it", () => {
    const { value } = images(["additional_image_link", "image_link"], ["https://x/2.jpg,https://x/3.jpg", "https://x/1.jpg"]);
    expect(value).toEqual(["https://x/1.jpg", "https://x/2.jpg", "https://x/3.jpg"]);
  });

  it("splits one list column on the separator its cells use", () => {
    expect(images(["Fotos"], ["https://x/1.jpg;https://x/2.jpg"], [["https://x/1.jpg;https://x/2.jpg"]]).value).toEqual(["https://x/1.jpg", "https://x/2.jpg"]);
    expect(images(["foto"], ["https://x/1.jpg|https://x/2.jpg"]).value).toEqual(["https://x/1.jpg", "https://x/2.jpg"]);
    expect(images(["images"], ["a;b"], [["https://x/1.jpg;https://x/2.jpg"]]).field).toEqual({ target: "images", source: "images", transforms: [{ op: "split", separator: ";" }] });
  });

  it("leaves columns that only look like pictures alone", () => {
    expect(defaultMapping(["sku", "Imagem do produto aprovada", "foto_status"]).fields.map((f) => f.target)).toEqual(["sku"]);
  });
});

describe("defaultMapping: unambiguous pt-BR values", () => {
  it("reads Novo/Usado/Recondicionado and keeps what it does not know for the pack to judge", () => {
    const header = ["sku", "condition"];
    const mapper = compileMapping(defaultMapping(header)).bind(header);
    expect(["Novo", "USADO", "Recondicionado", "Seminovo", "Com defeito"].map((c) => mapper.map(["A", c], 2).record.condition)).toEqual(["new", "used", "refurbished", "used", "Com defeito"]);
  });

  it("reads Sim/Não where the marketplace wants yes/no", () => {
    const header = ["sku", "attributes.identifier_exists"];
    const mapping = defaultMapping(header, "google-merchant", { template: buildTemplate(builtinPack("google-merchant")) });
    const mapper = compileMapping(mapping).bind(header);
    expect(mapper.map(["A", "Não"], 2).record.attributes).toEqual({ identifier_exists: "no" });
    expect(mapper.map(["A", "Sim"], 2).record.attributes).toEqual({ identifier_exists: "yes" });
  });

  it("reads 'R$ 1.299,90' like any decimal comma", () => {
    const header = ["sku", "price", "sale_price"];
    const mapper = compileMapping(defaultMapping(header, undefined, { decimalComma: true })).bind(header);
    expect(mapper.map(["A", "R$ 1.299,90", "R$ 999,00"], 2).record).toEqual({ sku: "A", price: 1299.9, sale_price: 999 });
  });
});

describe("defaultMapping: the names sellers give the columns", () => {
  /** A seller's own sheet as Excel (pt-BR) saves it: Portuguese names, "R$", units, decimal commas. */
  const SELLER_CSV = [
    "Código;Título;Descrição;Preço (R$);Preço promocional;Estoque;Código de barras;Marca;Modelo;Condição;Peso (kg);Altura (cm);Comprimento m;Imagens",
    "CEL-A15-AZ;Smartphone Samsung Galaxy A15 128GB Azul;Smartphone com 128 GB e tela de 6,5 polegadas.;1.299,90;1.199,90;15;7891000000014;Samsung;Galaxy A15;Novo;0,45;15,5;0,2;https://cdn.loja.com.br/a15-1.jpg|https://cdn.loja.com.br/a15-2.jpg",
  ].join("\r\n");

  it("maps a Portuguese sheet by its column names, converts units named in them, and validates clean rows with zero errors", () => {
    const { header, rows, decimalComma } = read(SELLER_CSV);
    const mapping = defaultMapping(header, "mercadolivre", { decimalComma, template: ML });
    const { record, issues } = compileMapping(mapping).bind(header).map(rows[0], 2);
    expect(issues).toEqual([]);
    expect(record).toEqual({
      sku: "CEL-A15-AZ",
      title: "Smartphone Samsung Galaxy A15 128GB Azul",
      description: "Smartphone com 128 GB e tela de 6,5 polegadas.",
      price: 1299.9,
      sale_price: 1199.9,
      stock: 15,
      gtin: "7891000000014",
      brand: "Samsung",
      model: "Galaxy A15",
      condition: "new",
      weight_g: 450,
      height_cm: 15.5,
      length_cm: 20,
      images: ["https://cdn.loja.com.br/a15-1.jpg", "https://cdn.loja.com.br/a15-2.jpg"],
      attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" },
      currency: "BRL",
    });
    const validator = builtinPack("mercadolivre").createValidator({});
    expect(validator.validate(record, 2).issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("lets a column named after the canonical field win over a synonym, and the first of two synonyms win", () => {
    const targets = (header: string[]) => Object.fromEntries(defaultMapping(header).fields.map((f) => [f.target, f.source]));
    expect(targets(["Nome", "title", "Referência", "Código"])).toEqual({ title: "title", sku: "Referência" });
  });

  it("leaves alone a name it cannot read for certain: a cost, a measure without its unit, a unit the field cannot take, a price sign on text", () => {
    const mapped = (header: string[]) => defaultMapping(header).fields.map((f) => f.target);
    expect(mapped(["Preço de custo"])).toEqual([]);
    expect(mapped(["Peso"])).toEqual([]); // grams or kilograms?
    expect(mapped(["Peso (cm)"])).toEqual([]);
    expect(mapped(["Estoque (kg)"])).toEqual([]);
    expect(mapped(["Título (R$)"])).toEqual([]);
    expect(mapped(["Título do produto aprovado"])).toEqual([]);
  });

  it("recognises an attribute's names only when the pack reads that attribute", () => {
    const phones = buildTemplate(builtinPack("mercadolivre"), "MLB1055");
    expect(phones.fields.some((f) => f.field === "attributes.COLOR")).toBe(true);
    expect(defaultMapping(["sku", "Cor"], "mercadolivre", { template: phones }).fields).toContainEqual({ target: "attributes.COLOR", source: "Cor" });
    expect(defaultMapping(["sku", "Cor"], "mercadolivre", { template: ML }).fields.map((f) => f.target)).toEqual(["sku", "currency"]);
  });
});

describe("defaultMapping beside a layout it only resembles", () => {
  it("does not read that layout's columns by their usual names, and still reads canonical names", () => {
    const header = ["ID", "Código", "Descrição", "Preço", "sku"];
    const fields = (layoutColumns?: string[]) => defaultMapping(header, undefined, { layoutColumns }).fields.map((f) => [f.source, f.target]);
    expect(fields()).toEqual([
      ["sku", "sku"],
      ["Descrição", "description"],
      ["Preço", "price"],
    ]);
    expect(fields(["ID", "Código", "Descrição", "Preço"])).toEqual([["sku", "sku"]]);
  });
});
