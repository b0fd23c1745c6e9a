import { describe, expect, it } from "vitest";
import {
  compileMapping,
  defaultMapping,
  type FieldMappingDef,
  MappingBindError,
  MappingError,
  mapRecordObject,
  unmapRecordObject,
} from "../../../src/core/mapping";

function problems(def: unknown) {
  try {
    compileMapping(def as never);
  } catch (e) {
    if (e instanceof MappingError) return e.problems;
    throw e;
  }
  throw new Error("compiled without error");
}

describe("compileMapping validation", () => {
  it("lists every problem with a pointer into the definition", () => {
    expect(
      problems({
        name: "x",
        fields: [
          { target: "titel", source: "Preço" },
          { target: "title", source: "Nome", transforms: ["trimm"] },
          { target: "price", source: "P", transforms: [{ op: "number", locale: "fr" }] },
          { target: "stock", source: "E", transforms: [{ op: "number", round: 2 }] },
          { target: "title", source: "Outro" },
          { target: "sku" },
          { target: "gtin", source: "EAN", value: "1" },
          { target: "attributes", source: "Attrs" },
        ],
      }),
    ).toMatchObject([
      { detail: expect.stringContaining('unknown target field "titel" (did you mean "title"?)'), pointer: "/fields/0/target" },
      { detail: expect.stringContaining('unknown transform "trimm" (did you mean "trim"?)'), pointer: "/fields/1/transforms/0" },
      { detail: 'number: "locale" must be one of auto, pt-BR, en', pointer: "/fields/2/transforms/0/locale" },
      { detail: expect.stringContaining('number: unknown parameter "round"'), pointer: "/fields/3/transforms/0/round" },
      { detail: 'target "title" is already mapped by /fields/1; map each field once', pointer: "/fields/4/target" },
      { detail: 'give one of "source" (a column), "sources" (several columns) or "value" (a constant)', pointer: "/fields/5" },
      { detail: 'give only one of "source", "sources" and "value" (got source and value)', pointer: "/fields/6" },
      { detail: expect.stringContaining("map attributes one by one"), pointer: "/fields/7/target" },
    ]);
  });

  it("accepts any attributes.<KEY> target and refuses malformed keys", () => {
    expect(() => compileMapping({ fields: [{ target: "attributes.CELLPHONES_ANATEL_HOMOLOGATION_NUMBER", source: "Anatel" }] })).not.toThrow();
    expect(problems({ fields: [{ target: "attributes.not ok", source: "x" }] })[0].pointer).toBe("/fields/0/target");
  });

  it("refuses regular expressions that could backtrack catastrophically, with the engine's check", () => {
    const [p] = problems({ fields: [{ target: "title", source: "t", transforms: [{ op: "replace", pattern: "(a+)+$", with: "" }] }] });
    expect(p.pointer).toBe("/fields/0/transforms/0/pattern");
    expect(p.detail).toContain("unsafe regular expression");
    expect(problems({ fields: [{ target: "title", source: "t", transforms: [{ op: "replace", pattern: "a", flags: "g" }] }] })[0].pointer).toBe(
      "/fields/0/transforms/0/flags",
    );
    expect(problems({ fields: [{ target: "title", source: "t", transforms: [{ op: "replace", pattern: "a", find: "b" }] }] })[0].detail).toContain("either");
  });

  it("refuses a constant that its own transforms cannot read", () => {
    expect(problems({ fields: [{ target: "price", value: "abc", transforms: ["number"] }] })[0]).toMatchObject({ pointer: "/fields/0/value" });
  });

  it("refuses a definition without fields, and limits sizes", () => {
    expect(problems({ fields: [] })[0].pointer).toBe("/fields");
    expect(problems({})[0].pointer).toBe("/fields");
    expect(problems({ fields: [{ target: "title", source: "x".repeat(201) }] })[0].pointer).toBe("/fields/0/source");
    expect(problems({ fields: [{ target: "title", source: "t", transforms: new Array(21).fill("trim") }] })[0].pointer).toBe("/fields/0/transforms");
  });

  it("returns the definition in normal form: transforms as objects", () => {
    const m = compileMapping({ name: "n", marketplace: "mercadolivre", fields: [{ target: "title", source: "Nome", transforms: ["trim", { op: "truncate", max: 60 }] }] });
    expect(m.definition).toEqual({ name: "n", marketplace: "mercadolivre", fields: [{ target: "title", source: "Nome", transforms: [{ op: "trim" }, { op: "truncate", max: 60 }] }] });
    expect(m.targets).toEqual(["title"]);
  });
});

describe("bind", () => {
  const mapping = compileMapping({
    fields: [
      { target: "title", source: "Nome do Produto" },
      { target: "price", source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }] },
    ],
  });

  it("matches column names ignoring accents, case, underscores and extra spaces", () => {
    const mapper = mapping.bind(["NOME_DO_PRODUTO", "  preco  (r$) "]);
    expect(mapper.map(["Caneca", "10,90"], 1).record).toEqual({ title: "Caneca", price: 10.9 });
  });

  it("a source column missing from the header is a clear error naming every missing column", () => {
    try {
      mapping.bind(["Nome", "Preco"]);
      throw new Error("bound");
    } catch (e) {
      expect(e).toBeInstanceOf(MappingBindError);
      const err = e as MappingBindError;
      expect(err.missing).toEqual(["Nome do Produto", "Preço (R$)"]);
      expect(err.problems[1]).toMatchObject({ detail: 'the file has no column "Preço (R$)"', pointer: "/fields/1/source" });
      expect(err.message).toContain('"Nome do Produto"');
    }
  });

  it("refuses a source that matches two columns of the file, unless one is spelled exactly", () => {
    expect(() => mapping.bind(["nome do produto", "NOME DO PRODUTO", "Preço (R$)"])).toThrow(/matches several columns/);
    expect(mapping.bind(["Nome do Produto", "NOME DO PRODUTO", "Preço (R$)"]).map(["a", "b", "1"], 1).record.title).toBe("a");
  });

  it("with missing: absent, missing columns are empty cells", () => {
    expect(mapping.bind(["Nome do Produto"], { missing: "absent" }).map(["Caneca"], 1).record).toEqual({ title: "Caneca" });
  });

  it("keeps the shared empty issue list for clean rows and allocates only on failure", () => {
    const mapper = mapping.bind(["Nome do Produto", "Preço (R$)"]);
    const a = mapper.map(["a", "1"], 1);
    const b = mapper.map(["b", "2"], 2);
    expect(a.issues).toBe(b.issues);
    expect(mapper.map(["c", "x"], 3).issues[0].row).toBe(3);
  });
});

describe("unmap: corrections back into the seller's columns", () => {
  const header = ["SKU", "Nome do Produto", "Preço (R$)", "Peso (kg)", "Condição", "Imagem 1", "Imagem 2", "Imagem 3", "Marca", "Modelo"];
  const fields: FieldMappingDef[] = [
    { target: "sku", source: "SKU" },
    { target: "title", source: "Nome do Produto", transforms: ["trim"] },
    { target: "price", source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "weight_g", source: "Peso (kg)", transforms: [{ op: "unit", from: "kg", to: "g" }] },
    { target: "condition", source: "Condição", transforms: [{ op: "value_map", values: { Novo: "new", Usado: "used" } }] },
    { target: "images", sources: ["Imagem 1", "Imagem 2", "Imagem 3"], transforms: ["collect"] },
    { target: "attributes.BRAND", source: "Marca" },
    { target: "model", transforms: [{ op: "template", template: "{Marca} {Modelo}" }] },
  ];
  const mapper = compileMapping({ fields }).bind(header);
  const row = ["A1", "  Caneca  ", "1.234,50", "0,45", "Novo", "http://a/1.jpg", "", "http://a/3.jpg", "Tramontina", "X"];

  it("returns the row untouched when nothing was corrected", () => {
    const { record } = mapper.map(row, 1);
    expect(mapper.unmap(record, row)).toEqual(row);
    expect(mapper.unmap({ ...record }, row)).toEqual(row);
  });

  it("writes corrected values in the seller's own notation, keeping list items in their columns", () => {
    const { record } = mapper.map(row, 1);
    const corrected = {
      ...record,
      title: "Caneca Azul",
      price: 1299.9,
      weight_g: 500,
      condition: "used",
      images: ["https://a/1.jpg", "https://a/3.jpg"],
      attributes: { BRAND: "TRAMONTINA" },
    };
    expect(mapper.unmap(corrected, row)).toEqual(["A1", "Caneca Azul", "1299,9", "0,5", "Usado", "https://a/1.jpg", "", "https://a/3.jpg", "TRAMONTINA", "X"]);
  });

  it("leaves columns alone when the transform cannot be undone (template) or a value cannot be written back", () => {
    const { record } = mapper.map(row, 1);
    expect(mapper.unmap({ ...record, model: "Outro Modelo" }, row)).toEqual(row);
    expect(mapper.unmap({ ...record, images: ["a", "b", "c", "d"] }, row)).toEqual(row);
  });

  it("a shorter list fills the columns from the first one", () => {
    const { record } = mapper.map(row, 1);
    expect(mapper.unmap({ ...record, images: ["https://a/9.jpg"] }, row).slice(5, 8)).toEqual(["https://a/9.jpg", "", ""]);
  });

  it("split lists are joined back with their separator", () => {
    const m = compileMapping({ fields: [{ target: "images", source: "Fotos", transforms: ["split"] }] }).bind(["Fotos"]);
    expect(m.unmap({ images: ["https://x/1.jpg", "https://x/2.jpg"] }, ["http://x/1.jpg|http://x/2.jpg"])).toEqual(["https://x/1.jpg|https://x/2.jpg"]);
  });

  it("leaves the cell when writing it back would not map to the corrected value again", () => {
    const m = compileMapping({ fields: [{ target: "title", source: "t", transforms: [{ op: "truncate", max: 5, at_word: false }] }] }).bind(["t"]);
    expect(m.unmap({ title: "Caneca Azul" }, ["Xícara"])).toEqual(["Xícara"]);
    expect(m.unmap({ title: "Pote" }, ["Xícara"])).toEqual(["Pote"]);
  });
});

describe("mapRecordObject", () => {
  const mapping = compileMapping({
    fields: [
      { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] },
      { target: "title", source: "Nome" },
    ],
  });

  it("maps JSON records keyed by the seller's column names; numbers need no parsing; missing keys are empty", () => {
    expect(mapRecordObject(mapping, { Nome: "Caneca", Preço: 10.9 })).toEqual({ record: { title: "Caneca", price: 10.9 }, issues: [] });
    expect(mapRecordObject(mapping, { preco: "1.234,5" }, 4).record).toEqual({ price: 1234.5 });
    expect(mapRecordObject(mapping, { Preço: "x" }, 4, { locale: "pt-BR" }).issues[0]).toMatchObject({ row: 4, rule: "mapping.number.invalid" });
  });

  it("unmapRecordObject writes corrections into the record's own keys, keeping untouched values as they were", () => {
    const original = { Nome: "  Caneca", Preço: "10,90", Extra: 3 };
    expect(unmapRecordObject(mapping, { title: "Caneca", price: 10.9 }, original)).toEqual({ Nome: "Caneca", Preço: "10,90", Extra: 3 });
  });
});

describe("defaultMapping", () => {
  it("maps columns named after canonical fields straight through, images split on |", () => {
    const def = defaultMapping(["SKU", "Title", "Sale Price", "sale_price", "images", "attributes.BRAND", "Cor", "attributes.", "GTIN"], "mercadolivre");
    expect(def).toEqual({
      name: "default",
      marketplace: "mercadolivre",
      fields: [
        { target: "sku", source: "SKU" },
        { target: "title", source: "Title" },
        { target: "sale_price", source: "Sale Price" },
        { target: "images", source: "images", transforms: [{ op: "split", separator: "|" }] },
        { target: "attributes.BRAND", source: "attributes.BRAND" },
        { target: "gtin", source: "GTIN" },
      ],
    });
    const mapper = compileMapping(def).bind(["SKU", "Title", "Sale Price", "sale_price", "images", "attributes.BRAND", "Cor", "attributes.", "GTIN"]);
    expect(mapper.map(["A", "T", "9.9", "", "u1|u2", "Acme", "Azul", "", "789"], 1).record).toEqual({
      sku: "A",
      title: "T",
      sale_price: "9.9",
      images: ["u1", "u2"],
      attributes: { BRAND: "Acme" },
      gtin: "789",
    });
  });
});

describe("unmap with the default mapping", () => {
  it("writes a number the pack normalized into a column mapped straight through", () => {
    const header = ["sku", "price", "images"];
    const mapper = compileMapping(defaultMapping(header)).bind(header);
    const row = ["A", "1.234,56", "http://x/1.jpg|http://x/2.jpg"];
    const { record } = mapper.map(row, 1);
    expect(mapper.unmap({ ...record, price: 1234.56, images: ["https://x/1.jpg", "http://x/2.jpg"] }, row)).toEqual(["A", "1234.56", "https://x/1.jpg|http://x/2.jpg"]);
  });
});

describe("columnsRead", () => {
  it("lists every column a bound mapping reads and the field it fills, in the file's order, wildcards resolved and constants left out", () => {
    const mapping = compileMapping({
      fields: [
        { target: "title", source: "Nome" },
        { target: "images", sources: ["Imagem *"], transforms: ["collect"] },
        { target: "brand", source: "Marca" },
        { target: "attributes.BRAND", source: "Marca" },
        { target: "currency", value: "BRL" },
        { target: "sku", source: "Código" },
      ],
    });
    const mapper = mapping.bind(["Código", "Imagem 2", "Nome", "Extra", "Imagem 1", "Marca"]);
    expect(mapper.columnsRead()).toEqual([
      { column: "Código", field: "sku" },
      { column: "Imagem 2", field: "images" },
      { column: "Nome", field: "title" },
      { column: "Imagem 1", field: "images" },
      { column: "Marca", field: "brand" },
      { column: "Marca", field: "attributes.BRAND" },
    ]);
    // A column the file lacks (bound leniently) is not listed.
    expect(compileMapping({ fields: [{ target: "sku", source: "SKU" }, { target: "title", source: "Título" }] }).bind(["SKU"], { missing: "absent" }).columnsRead()).toEqual([
      { column: "SKU", field: "sku" },
    ]);
  });
});
