import { describe, expect, it } from "vitest";
import {
  applyPreset,
  automaticMapping,
  buildTemplate,
  compileMapping,
  detectPresets,
  type LayoutPreset,
  parsePreset,
  PresetError,
  recognisePreset,
} from "../../../src/core/mapping";
import { bytesReader, parseCsvText, sniff, xlsxToRows } from "../../../src/core/tabular";
import { LAYOUT_SAMPLES, sampleFile } from "../../fixtures/mapping/layout-samples";
import { SHEET_HEADER } from "../../fixtures/mapping/brazilian-sheet";
import { builtinPack } from "../../rules/builtin-packs";
import { LAYOUT_SOURCES, PRESETS, preset } from "./layouts";

/** Reads a sample file the way a job does: sniffed encoding and delimiter for CSV, the workbook reader for .xlsx. */
async function readFile(bytes: Uint8Array): Promise<{ header: string[]; rows: unknown[][]; sniffed?: ReturnType<typeof sniff> }> {
  const sniffed = sniff(bytes);
  if (sniffed.format === "xlsx") {
    const reader = xlsxToRows(bytesReader(bytes));
    const header = await reader.header();
    const rows: unknown[][] = [];
    for await (const r of reader) rows.push(r.values);
    return { header, rows };
  }
  const text = new TextDecoder(sniffed.encoding).decode(bytes);
  const { header, rows } = parseCsvText(text, { delimiter: sniffed.delimiter });
  return { header: header!, rows: rows.map((r) => r.values), sniffed };
}

function mapAll(p: LayoutPreset, header: string[], rows: unknown[][], pack?: string) {
  const template = pack ? buildTemplate(builtinPack(pack)) : undefined;
  const { mapping } = applyPreset(p, header, { template });
  const mapper = compileMapping(mapping).bind(header);
  return rows.map((values, i) => mapper.map(values, i + 2));
}

/** A third of the columns dropped, the rest reversed and respelled (case, accents, underscores), two columns added. */
function shuffledPartial(header: readonly string[]): string[] {
  const kept = header.filter((_, i) => i % 3 !== 1).reverse();
  const respelled = kept.map((h, i) =>
    i % 3 === 0 ? h.toUpperCase() : i % 3 === 1 ? h.normalize("NFD").replace(/\p{M}/gu, "").replaceAll(" ", "_") : `  ${h.toLowerCase()} `,
  );
  return ["Observação interna", ...respelled, "Fornecedor preferido"];
}

describe("layout presets as data", () => {
  it("parses every built-in preset, and each compiles as a mapping and cites a source", () => {
    expect(PRESETS.map((p) => p.id)).toEqual(Object.keys(LAYOUT_SOURCES));
    for (const p of PRESETS) {
      expect(() => compileMapping({ name: p.id, fields: p.fields }), p.id).not.toThrow();
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      for (const s of p.sources) expect(s.url, p.id).toMatch(/^https:\/\//);
    }
  });

  it("names the layouts that could not be confirmed from a public source", () => {
    expect(PRESETS.filter((p) => !p.verified).map((p) => p.id)).toEqual(["bling", "tiny", "mercadolivre", "shopee", "google-merchant-pt-br", "nuvemshop"]);
  });

  it("refuses a preset whose field reads a column its header does not list, naming every problem", () => {
    const broken = LAYOUT_SOURCES.bling.replace("- { target: sku, source: Código", "- { target: sku, source: Codigo SKU").replace("version: 1.0.0", "version: one");
    expect(() => parsePreset(broken)).toThrow(PresetError);
    try {
      parsePreset(broken);
    } catch (error) {
      expect((error as PresetError).problems).toEqual([`"version" must look like 1.0.0`, `fields/0 reads "Codigo SKU", which is not in the header`]);
    }
  });
});

describe.each(Object.keys(LAYOUT_SAMPLES))("the %s layout", (id) => {
  const p = preset(id);
  const sample = LAYOUT_SAMPLES[id];

  it("has a sample written in its own columns", () => {
    for (const row of sample.rows) for (const column of Object.keys(row)) expect(p.header, column).toContain(column);
  });

  it("is recognised from a realistic file and maps to records that pass the common pack", async () => {
    const { header, rows, sniffed } = await readFile(await sampleFile(sample, p.header));
    if (sniffed) {
      expect(sniffed.delimiter).toBe(sample.delimiter);
      expect(sniffed.encoding).toBe(sample.encoding);
    }
    expect(header).toEqual(p.header);
    const { best } = recognisePreset(header, PRESETS);
    expect(best?.preset.id).toBe(id);
    expect(best!.score).toBeGreaterThan(0.9);

    const validator = builtinPack("common").createValidator({});
    for (const mapped of mapAll(p, header, rows)) {
      expect(mapped.issues).toEqual([]);
      const result = validator.validate(mapped.record, 2);
      expect(result.issues.filter((i) => i.severity === "error"), JSON.stringify(mapped.record)).toEqual([]);
      expect(mapped.record).toMatchObject({ sku: expect.any(String), title: expect.any(String), price: expect.any(Number) });
    }
  });

  it("is still recognised from a shuffled, partly missing, respelled copy of its header", () => {
    const header = shuffledPartial(p.header);
    const { best } = recognisePreset(header, PRESETS);
    expect(best?.preset.id, JSON.stringify(detectPresets(header, PRESETS).slice(0, 3).map((m) => [m.preset.id, m.score]))).toBe(id);
    // What the file still has maps; what it lacks is left out rather than failing the bind.
    const applied = applyPreset(p, header);
    expect(() => compileMapping(applied.mapping).bind(header)).not.toThrow();
    expect(applied.fields.length + applied.skipped.length).toBe(p.fields.length);
  });
});

describe("what the layouts mean", () => {
  it("Bling: Código is the SKU, Descrição the name, the long text the description, and no column is a currency", async () => {
    const { header, rows } = await readFile(await sampleFile(LAYOUT_SAMPLES.bling, preset("bling").header));
    const [a15, mug] = mapAll(preset("bling"), header, rows).map((m) => m.record);
    expect(a15).toEqual({
      sku: "CEL-A15-AZ",
      title: "Smartphone Samsung Galaxy A15 128GB Azul",
      description: LAYOUT_SAMPLES.bling.rows[0]["Descrição Complementar"],
      price: 1299.9,
      stock: 15,
      gtin: "7891000000014",
      brand: "Samsung",
      ncm: "85171300",
      weight_g: 250,
      width_cm: 8,
      height_cm: 17,
      length_cm: 1,
      images: ["https://cdn.loja.com.br/a15-1.jpg", "https://cdn.loja.com.br/a15-2.jpg"],
      condition: "new",
      attributes: { status: "active" },
    });
    expect(mug).toMatchObject({ description: LAYOUT_SAMPLES.bling.rows[1]["Descrição Curta"], condition: "new", images: ["https://cdn.loja.com.br/caneca-1.jpg"] });
    expect(a15.currency).toBeUndefined();
  });

  it("Google Merchant: price and currency from '1299.90 BRL', images from image_link plus the comma-separated additional links, units from the values", async () => {
    const { header, rows } = await readFile(await sampleFile(LAYOUT_SAMPLES["google-merchant"], preset("google-merchant").header));
    const [a15, mug] = mapAll(preset("google-merchant"), header, rows).map((m) => m.record);
    expect(a15).toMatchObject({
      price: 1299.9,
      sale_price: 1199.9,
      currency: "BRL",
      images: ["https://loja.exemplo.com.br/img/a15-1.jpg", "https://loja.exemplo.com.br/img/a15-2.jpg", "https://loja.exemplo.com.br/img/a15-3.jpg"],
      weight_g: 250,
      length_cm: 18,
      attributes: { availability: "in_stock", identifier_exists: "yes", mpn: "SM-A155M" },
    });
    expect(mug).toMatchObject({ weight_g: 350, currency: "BRL" });
  });

  it("Google Merchant feeds validate against the google-merchant pack without errors", async () => {
    const { header, rows } = await readFile(await sampleFile(LAYOUT_SAMPLES["google-merchant"], preset("google-merchant").header));
    const validator = builtinPack("google-merchant").createValidator({});
    for (const mapped of mapAll(preset("google-merchant"), header, rows, "google-merchant")) {
      expect(validator.validate(mapped.record, 2).issues.filter((i) => i.severity === "error")).toEqual([]);
    }
  });

  it("Mercado Livre's sheet fills BRAND and MODEL from Marca and Modelo (one fact) and validates against mercadolivre without errors", async () => {
    const { header, rows } = await readFile(await sampleFile(LAYOUT_SAMPLES.mercadolivre, preset("mercadolivre").header));
    const mapped = mapAll(preset("mercadolivre"), header, rows, "mercadolivre");
    expect(mapped[0].record).toMatchObject({ brand: "Samsung", model: "Galaxy A15", currency: "BRL", attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" } });
    const validator = builtinPack("mercadolivre").createValidator({});
    for (const m of mapped) expect(validator.validate(m.record, 2).issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("Shopify: Price is what buyers pay; the 'compare-at' price is left out", async () => {
    const { header, rows } = await readFile(await sampleFile(LAYOUT_SAMPLES.shopify, preset("shopify").header));
    const [a15] = mapAll(preset("shopify"), header, rows).map((m) => m.record);
    expect(a15).toMatchObject({ price: 1299.9, brand: "Samsung", weight_g: 250, stock: 15, gtin: "7891000000113", attributes: { status: "active" } });
    expect(a15.sale_price).toBeUndefined();
  });
});

describe("recognition", () => {
  it("does not take the hand-made pt-BR sheet for a layout", () => {
    const { best, alternatives } = recognisePreset(SHEET_HEADER, PRESETS);
    expect(best).toBeUndefined();
    expect(alternatives).toEqual([]);
  });

  it("does not take the canonical column names the README recommends for a layout", () => {
    const header = ["sku", "title", "description", "price", "stock", "gtin", "brand", "model", "condition", "category_id", "image_1", "image_2"];
    expect(recognisePreset(header, PRESETS).best).toBeUndefined();
  });

  it("tells the current Shopify columns from the earlier ones", () => {
    expect(recognisePreset(preset("shopify-legacy").header, PRESETS).best?.preset.id).toBe("shopify-legacy");
    expect(recognisePreset(preset("shopify").header, PRESETS).best?.preset.id).toBe("shopify");
  });
});

describe("automaticMapping (jobs without a mapping)", () => {
  it("applies a recognised verified preset and says which", () => {
    const header = preset("shopify").header;
    const auto = automaticMapping(header, { presets: PRESETS });
    expect(auto.preset).toMatchObject({ id: "shopify", version: "1.0.0", verified: true });
    expect(auto.mapping.fields.find((f) => f.target === "price")).toEqual({ target: "price", source: "Price", transforms: [{ op: "number", locale: "en" }] });
  });

  it("never applies an unverified preset on its own: it reports it and uses the default mapping", () => {
    const header = preset("bling").header;
    const auto = automaticMapping(header, { presets: PRESETS, decimalComma: true });
    expect(auto.preset).toBeNull();
    expect(auto.unverified).toMatchObject({ id: "bling", verified: false });
    expect(auto.mapping.name).toBe("default");
  });
});
