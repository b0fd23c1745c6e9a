import { describe, expect, it } from "vitest";
import { buildTemplate, compileMapping, suggestMapping, type Suggestion } from "../../../src/core/mapping";
import { parseCsvText } from "../../../src/core/tabular";
import { builtinPack } from "../../rules/builtin-packs";
import { SHEET_CSV, SHEET_HEADER, SHEET_ROWS } from "../../fixtures/mapping/brazilian-sheet";

const ML = buildTemplate(builtinPack("mercadolivre"));
const ML_PHONES = buildTemplate(builtinPack("mercadolivre"), "MLB1055");

const HEADERS = [
  "Nome do Produto",
  "Preço (R$)",
  "Preço Promocional",
  "EAN",
  "Estoque",
  "Marca",
  "Modelo",
  "Imagem 1",
  "Imagem 2",
  "Imagem 3",
  "Imagem 4",
  "Imagem 5",
  "Imagem 6",
  "Condição",
  "Descrição",
  "Peso (kg)",
  "NCM",
];

/** target → source (or sources joined with +) */
function sources(s: Suggestion): Record<string, string> {
  return Object.fromEntries(s.fields.filter((f) => f.value === undefined).map((f) => [f.target, f.source ?? f.sources!.join("+")]));
}

const EXPECTED = {
  title: "Nome do Produto",
  price: "Preço (R$)",
  sale_price: "Preço Promocional",
  gtin: "EAN",
  stock: "Estoque",
  brand: "Marca",
  "attributes.BRAND": "Marca",
  model: "Modelo",
  "attributes.MODEL": "Modelo",
  images: "Imagem 1+Imagem 2+Imagem 3+Imagem 4+Imagem 5+Imagem 6",
  condition: "Condição",
  description: "Descrição",
  weight_g: "Peso (kg)",
  ncm: "NCM",
};

describe("suggestMapping: names", () => {
  it("maps a typical pt-BR header row by name alone", () => {
    const s = suggestMapping({ headers: HEADERS, template: ML });
    expect(sources(s)).toEqual(EXPECTED);
    expect(s.unmapped_columns).toEqual([]);
    for (const f of s.fields) expect(f.confidence, f.target).toBeGreaterThanOrEqual(0.9);
  });

  it("ignores accents, case, underscores and plurals", () => {
    const variants = HEADERS.map((h) => h.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase().replaceAll(" ", "_"));
    expect(sources(suggestMapping({ headers: variants, template: ML }))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v.split("+").map((h) => h.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase().replaceAll(" ", "_")).join("+")])),
    );
    const s = suggestMapping({ headers: ["nome", "preco", "fotos", "qtd", "codigo"], template: ML });
    expect(sources(s)).toMatchObject({ title: "nome", price: "preco", images: "fotos", stock: "qtd", sku: "codigo" });
  });

  it("understands English headers too", () => {
    const s = suggestMapping({ headers: ["Product Name", "Price", "Sale Price", "Barcode", "Qty", "Brand", "Image URL", "Weight (g)"], template: ML });
    expect(sources(s)).toMatchObject({ title: "Product Name", price: "Price", sale_price: "Sale Price", gtin: "Barcode", stock: "Qty", brand: "Brand", images: "Image URL", weight_g: "Weight (g)" });
    expect(s.fields.find((f) => f.target === "weight_g")!.transforms).toEqual([{ op: "number", locale: "auto" }]);
  });

  it("proposes the transforms each field needs", () => {
    const s = suggestMapping({ headers: HEADERS, template: ML });
    const t = (target: string) => s.fields.find((f) => f.target === target)!.transforms;
    expect(t("price")).toEqual([{ op: "number", locale: "pt-BR" }]);
    expect(t("weight_g")).toEqual([{ op: "unit", from: "kg", to: "g", locale: "auto" }]);
    expect(t("images")).toEqual(["trim", "collect"]);
    expect(t("title")).toEqual(["trim"]);
    // only the condition values Mercado Livre accepts
    expect(t("condition")).toEqual(["trim", { op: "value_map", values: { novo: "new", nova: "new", lacrado: "new", new: "new", usado: "used", usada: "used", seminovo: "used", seminova: "used", used: "used" } }]);
  });

  it("fills single-valued required fields with a constant and lists the required fields nothing fills", () => {
    const s = suggestMapping({ headers: HEADERS, template: ML_PHONES });
    expect(s.fields.find((f) => f.target === "currency")).toMatchObject({ value: "BRL", confidence: 1, match: "constant" });
    expect(s.unmapped_required).toEqual([
      "sku",
      "attributes.LINE",
      "attributes.COLOR",
      "attributes.INTERNAL_MEMORY",
      "attributes.RAM",
      "attributes.IS_DUAL_SIM",
      "attributes.CARRIER",
      "attributes.CELLPHONES_ANATEL_HOMOLOGATION_NUMBER",
    ]);
    expect(s.mapping).toMatchObject({ marketplace: "mercadolivre", category: "MLB1055" });
  });

  it("leaves unknown columns unmapped", () => {
    const s = suggestMapping({ headers: ["Nome do Produto", "Observações internas", "Fornecedor", "Preço de custo"], template: ML });
    expect(s.unmapped_columns).toEqual(["Observações internas", "Fornecedor", "Preço de custo"]);
  });
});

describe("suggestMapping: sample values", () => {
  it("recognizes GTINs, image URLs and product links in columns whose names say nothing", () => {
    const headers = ["Coluna A", "Coluna B", "Coluna C", "Nome"];
    const rows = [
      ["7891234567895", "https://cdn.x.com/a.jpg", "https://loja.x.com/p/a", "Caneca"],
      ["7891000200018", "https://cdn.x.com/b.png", "https://loja.x.com/p/b", "Copo"],
    ];
    const s = suggestMapping({ headers, sampleRows: rows, template: ML });
    expect(sources(s)).toMatchObject({ gtin: "Coluna A", images: "Coluna B", url: "Coluna C", title: "Nome" });
    expect(s.fields.find((f) => f.target === "gtin")).toMatchObject({ match: "values", confidence: 0.7 });
  });

  it("confirms names with values (higher confidence) and doubts names the values contradict", () => {
    const s = suggestMapping({ headers: ["EAN", "Preço"], sampleRows: [["7891234567895", "10,90"]], template: ML });
    expect(s.fields.find((f) => f.target === "gtin")).toMatchObject({ match: "name_and_values", confidence: 0.99 });
    const doubtful = suggestMapping({ headers: ["Preço", "Estoque"], sampleRows: [["sob consulta", "muitos"], ["a combinar", "poucos"]], template: ML });
    expect(doubtful.fields.find((f) => f.target === "price")).toMatchObject({ source: "Preço", match: "name", confidence: 0.6 });
    // a weak name match the values contradict is dropped
    const dropped = suggestMapping({ headers: ["Preço de custo"], sampleRows: [["a combinar"]], template: ML });
    expect(dropped.fields.filter((f) => f.value === undefined)).toEqual([]);
  });

  it("reads the number style and units from the values", () => {
    const s = suggestMapping({
      headers: ["Preço", "Peso", "Altura (m)", "Fotos"],
      sampleRows: [
        ["1299.90", "0,45", "0,15", "https://a/1.jpg|https://a/2.jpg"],
        ["89.90", "1,2", "0,2", "https://a/3.jpg|https://a/4.jpg"],
      ],
      template: ML,
    });
    const t = (target: string) => s.fields.find((f) => f.target === target)!.transforms;
    expect(t("price")).toEqual([{ op: "number", locale: "auto" }]);
    expect(t("weight_g")).toEqual([{ op: "unit", from: "kg", to: "g", locale: "pt-BR" }]);
    expect(t("height_cm")).toEqual([{ op: "unit", from: "m", to: "cm", locale: "pt-BR" }]);
    expect(t("images")).toEqual([{ op: "split", separator: "|" }]);
  });

  it("accepts sample rows as objects keyed by column", () => {
    const s = suggestMapping({ headers: ["Código", "X"], sampleRows: [{ Código: "A1", X: "7891234567895" }], template: ML });
    expect(sources(s)).toMatchObject({ sku: "Código", gtin: "X" });
  });
});

describe("the Brazilian sheet, end to end in core", () => {
  it("is suggested a mapping that maps and validates every row against mercadolivre MLB1055", () => {
    const { header, rows } = parseCsvText(SHEET_CSV, { delimiter: ";" });
    expect(header).toEqual(SHEET_HEADER);
    const s = suggestMapping({ headers: header!, sampleRows: rows.map((r) => r.values), template: ML_PHONES });
    expect(s.unmapped_required).toEqual([]);
    expect(s.unmapped_columns).toEqual([]);
    expect(sources(s)).toMatchObject({
      sku: "SKU",
      "attributes.LINE": "Linha",
      "attributes.COLOR": "Cor",
      "attributes.INTERNAL_MEMORY": "Memória Interna",
      "attributes.RAM": "Memória RAM",
      "attributes.IS_DUAL_SIM": "Dual SIM",
      "attributes.CARRIER": "Operadora",
      "attributes.CELLPHONES_ANATEL_HOMOLOGATION_NUMBER": "Homologação Anatel",
    });

    const mapper = compileMapping(s.mapping).bind(header!, { locale: "pt-BR" });
    const validator = builtinPack("mercadolivre").createValidator({ category: "MLB1055", applyFixes: true, locale: "pt-BR" });
    const results = rows.map((r) => {
      const mapped = mapper.map(r.values, r.row);
      const result = validator.validate(mapped.record, r.row);
      return { mapped, result, out: mapper.unmap(result.corrected!, r.values) };
    });

    const [a15, g54, iphone, redmi] = results;
    expect(a15.mapped.record).toMatchObject({
      sku: "CEL-A15-AZ",
      price: 1299.9,
      sale_price: 1199.9,
      stock: 15,
      condition: "new",
      currency: "BRL",
      weight_g: 250,
      images: ["https://cdn.loja.com.br/fotos/a15-azul-1.jpg", "https://cdn.loja.com.br/fotos/a15-azul-2.jpg", "https://cdn.loja.com.br/fotos/a15-azul-3.jpg"],
      attributes: { BRAND: "Samsung", MODEL: "Galaxy A15", LINE: "Galaxy A", COLOR: "Azul", INTERNAL_MEMORY: "128 GB", RAM: "4 GB", IS_DUAL_SIM: "Sim" },
    });
    expect(a15.result.issues).toEqual([]);
    expect(a15.out).toEqual(SHEET_ROWS[0]);

    // "8517.13.00" is fixed to digits by the pack and written back into the seller's NCM column
    expect(g54.result.valid).toBe(true);
    expect(g54.out[SHEET_HEADER.indexOf("NCM")]).toBe("85171300");
    expect(g54.mapped.record.images).toHaveLength(6);

    const rules = iphone.result.issues.map((i) => i.rule).sort();
    expect(rules).toEqual(["common.gtin.check_digit", "ml.images.https", "ml.stock.available", "ml.title.max_length"]);
    expect(iphone.result.valid).toBe(false); // the GTIN cannot be fixed
    expect(iphone.mapped.record.condition).toBe("used");
    const out = iphone.out;
    expect(out[SHEET_HEADER.indexOf("Nome do Produto")]).toBe("Apple iPhone 11 64GB Preto Seminovo Com Garantia E Nota");
    expect(out[SHEET_HEADER.indexOf("Imagem 1")]).toBe("https://cdn.loja.com.br/fotos/iphone11-1.jpg");
    expect(out[SHEET_HEADER.indexOf("Condição")]).toBe("Usado");
    expect(out[SHEET_HEADER.indexOf("Preço (R$)")]).toBe("R$ 1.899,00");

    expect(redmi.mapped.issues).toEqual([
      {
        row: 4,
        field: "price",
        rule: "mapping.number.invalid",
        severity: "error",
        value: "consultar",
        message: '"consultar" na coluna "Preço (R$)" não é um número',
      },
    ]);
  });
});
