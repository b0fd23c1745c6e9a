import { describe, expect, it } from "vitest";
import { VitrineError } from "../../../src/core/errors";
import { buildTemplate, compileMapping, suggestMapping, type Suggestion } from "../../../src/core/mapping";
import { parseCsvText } from "../../../src/core/tabular";
import { builtinPack } from "../../rules/builtin-packs";
import { SHEET_CSV, SHEET_HEADER, SHEET_ROWS } from "../../fixtures/mapping/brazilian-sheet";
import { LAYOUT_SAMPLES } from "../../fixtures/mapping/layout-samples";
import { PRESETS, preset } from "./layouts";

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

describe("suggestMapping: values decide, not names alone", () => {
  const rows = (...cells: string[][]) => cells;

  it("does not propose a column named Moeda holding SKUs as the currency, and says why", () => {
    const s = suggestMapping({
      headers: ["Moeda", "Nome do Produto"],
      sampleRows: rows(["CEL-A15-AZ", "Smartphone Samsung Galaxy A15 128GB Azul"], ["CAN-POR-300", "Caneca de Porcelana Branca 300 ml"], ["CAM-BAS-M", "Camiseta Básica Algodão Azul M"]),
      template: ML,
    });
    expect(s.fields.find((f) => f.target === "currency")).toMatchObject({ value: "BRL", match: "constant" });
    expect(s.fields.some((f) => f.source === "Moeda" && f.target === "currency")).toBe(false);
    const rejected = s.rejected.find((r) => r.field === "currency");
    expect(rejected).toMatchObject({ column: "Moeda" });
    expect(rejected!.reason.en).toBe('0 of 3 sample values are ISO 4217 currency codes (like BRL); e.g. "CEL-A15-AZ" is not');
    expect(rejected!.reason["pt-BR"]).toContain("códigos de moeda ISO 4217");
  });

  it("takes a column named Código holding GTINs for the GTIN, not the SKU", () => {
    const s = suggestMapping({
      headers: ["Código", "Nome"],
      sampleRows: rows(["7891000000014", "Smartphone Galaxy A15"], ["7891000000021", "Caneca de Porcelana"], ["7891000000038", "Camiseta Básica"]),
      template: ML,
    });
    expect(s.fields.find((f) => f.source === "Código")).toMatchObject({ target: "gtin", match: "values", status: "proposed" });
    expect(s.mapping.fields.find((f) => f.target === "sku")).toBeUndefined();
    expect(s.questions.find((q) => q.field === "sku")).toMatchObject({ required: true, text: { en: "Which column holds the SKU?" } });
  });

  it("makes a column of URLs separated by | the images, split on |", () => {
    const s = suggestMapping({
      headers: ["Links", "Nome"],
      sampleRows: rows(["https://cdn.x.com/a1.jpg|https://cdn.x.com/a2.jpg", "Caneca"], ["https://cdn.x.com/b1.png|https://cdn.x.com/b2.png|https://cdn.x.com/b3.png", "Copo"]),
      template: ML,
    });
    expect(s.fields.find((f) => f.target === "images")).toMatchObject({ source: "Links", transforms: [{ op: "split", separator: "|" }], status: "proposed" });
    const mapper = compileMapping(s.mapping).bind(["Links", "Nome"]);
    expect(mapper.map(["https://cdn.x.com/a1.jpg|https://cdn.x.com/a2.jpg", "Caneca"], 2).record.images).toEqual(["https://cdn.x.com/a1.jpg", "https://cdn.x.com/a2.jpg"]);
  });

  it("lowers a title whose values are codes, and asks instead of guessing", () => {
    const s = suggestMapping({ headers: ["Produto", "Preço"], sampleRows: rows(["CEL-A15", "10,90"], ["CAN-300", "5,00"]), template: ML });
    const title = s.fields.find((f) => f.target === "title")!;
    expect(title).toMatchObject({ source: "Produto", status: "question", confidence: 0.6 });
    expect(title.evidence.map((e) => e.kind)).toEqual(["name", "values"]);
    expect(title.evidence[1].detail.en).toBe('2 of 2 sample values are single words or codes, e.g. "CEL-A15"');
    expect(s.mapping.fields.find((f) => f.target === "title")).toBeUndefined();
    expect(s.questions.find((q) => q.field === "title")).toEqual({
      field: "title",
      required: true,
      text: { en: "Which column holds the title?", "pt-BR": 'Em qual coluna está o campo "Título"?' },
      candidates: [{ columns: ["Produto"], confidence: 0.6 }],
    });
  });

  it("gives every field a confidence in [0, 1] with the evidence behind it", () => {
    const { header, rows: data } = parseCsvText(SHEET_CSV, { delimiter: ";" });
    const s = suggestMapping({ headers: header!, sampleRows: data.map((r) => r.values), template: ML_PHONES });
    for (const f of s.fields) {
      expect(f.confidence).toBeGreaterThanOrEqual(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.evidence.length, f.target).toBeGreaterThan(0);
    }
    expect(s.fields.find((f) => f.target === "price")!.evidence.map((e) => [e.kind, e.detail.en])).toEqual([
      ["name", 'the column name is "preço (r$)"'],
      ["values", "3 of 4 sample values are numbers (1299.90 or 1.299,90)"],
    ]);
  });
});

describe("suggestMapping with layout presets", () => {
  it("leaves the hand-made sheet's suggestion exactly as without presets", () => {
    const { header, rows } = parseCsvText(SHEET_CSV, { delimiter: ";" });
    const plain = suggestMapping({ headers: header!, sampleRows: rows.map((r) => r.values), template: ML_PHONES });
    const withPresets = suggestMapping({ headers: header!, sampleRows: rows.map((r) => r.values), template: ML_PHONES, presets: PRESETS });
    expect(withPresets.preset).toBeNull();
    expect(withPresets.mapping).toEqual(plain.mapping);
  });

  it("recognises a Bling export and uses its meaning of the columns, checked against the values", () => {
    const bling = preset("bling");
    const sample = LAYOUT_SAMPLES.bling.rows.map((r) => bling.header.map((h) => r[h] ?? ""));
    const s = suggestMapping({ headers: bling.header, sampleRows: sample, template: ML, presets: PRESETS });
    expect(s.preset).toMatchObject({ id: "bling", version: "1.0.0", verified: false, explicit: false, score: 1 });
    expect(sources(s)).toMatchObject({ sku: "Código", title: "Descrição", description: "Descrição Complementar+Descrição Curta", images: "URL Imagens Externas", brand: "Marca", "attributes.BRAND": "Marca" });
    expect(s.fields.find((f) => f.target === "currency")).toMatchObject({ value: "BRL", match: "constant" });
    const sku = s.fields.find((f) => f.target === "sku")!;
    expect(sku).toMatchObject({ match: "preset", status: "proposed", confidence: 0.87 });
    expect(sku.evidence[0].detail.en).toContain("not confirmed by a public source");
    // Columns the layout knows to be something else are not matched by name ("Categoria do produto" is not a marketplace category).
    expect(s.fields.find((f) => f.target === "category_id")).toBeUndefined();
    expect(s.unmapped_columns).toContain("Categoria do produto");
  });

  it("uses a preset asked for by id, and refuses an unknown one with a pointer", () => {
    const s = suggestMapping({ headers: ["Código", "Descrição", "Preço"], sampleRows: [["A1", "Caneca Branca", "10,00"]], template: ML, presets: PRESETS, preset: "bling" });
    expect(s.preset).toMatchObject({ id: "bling", explicit: true });
    expect(sources(s)).toMatchObject({ sku: "Código", title: "Descrição", price: "Preço" });
    let error: unknown;
    try {
      suggestMapping({ headers: ["a"], template: ML, presets: PRESETS, preset: "tray" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VitrineError);
    expect((error as VitrineError).code).toBe("invalid_request");
    expect((error as VitrineError).extra.errors![0].pointer).toBe("/preset");
  });

  it("maps the columns a layout does not know by name, after the layout's own", () => {
    const header = [...preset("shopify").header, "Cor"];
    const s = suggestMapping({ headers: header, template: ML_PHONES, presets: PRESETS });
    expect(s.preset?.id).toBe("shopify");
    expect(sources(s)).toMatchObject({ title: "Title", price: "Price", "attributes.COLOR": "Cor" });
  });
});

describe("suggestMapping: a layout's field the values do not give", () => {
  it("drops the currency a Google feed's price does not carry, and says why", () => {
    const gmc = preset("google-merchant");
    const row = gmc.header.map((h) => ({ id: "A1", title: "Caneca Branca de Porcelana", price: "39.90" })[h] ?? "");
    const s = suggestMapping({ headers: gmc.header, sampleRows: [row], template: buildTemplate(builtinPack("google-merchant")), presets: PRESETS });
    expect(s.rejected).toContainEqual({ field: "currency", column: "price", reason: { en: 'no sample value holds the currency, e.g. "39.90"', "pt-BR": 'nenhum valor de exemplo traz o campo "Moeda", por exemplo "39.90"' } });
    expect(s.questions.find((q) => q.field === "currency")).toMatchObject({ required: true });
    // The price itself still maps from the same column.
    expect(s.fields.find((f) => f.target === "price")).toMatchObject({ source: "price", status: "proposed" });
  });
});
