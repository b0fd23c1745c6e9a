import { describe, expect, it } from "vitest";
import { bytesReader, TabularError, xlsxToRows, type XlsxOptions } from "../../../src/core/tabular";
import { collect } from "../../fixtures/tabular/streams";
import { buildXlsx, type XlsxSpec } from "../../fixtures/tabular/xlsx-builder";

async function read(spec: XlsxSpec, opts: XlsxOptions = {}) {
  const reader = xlsxToRows(bytesReader(await buildXlsx(spec)), opts);
  const header = await reader.header();
  return { header, headerSheetRow: reader.headerSheetRow(), rows: await collect(reader) };
}

describe("formulas saved without their result", () => {
  const spec: XlsxSpec = {
    sheets: [
      {
        name: "Produtos",
        rows: [
          ["sku", "preço", "total", "obs"],
          // openpyxl writes <v></v>; other writers leave <v> out; Excel saves the result.
          ["A1", 10, { formula: "B2*2" }, { formula: 'IF(B2>5,"caro","")', value: null }],
          ["A2", 20, { formula: "B3*2", value: "40" }, "ok"],
          // A shared formula's follower holds no text, only the group it belongs to.
          ["A3", 30, { raw: (ref) => `<c r="${ref}"><f t="shared" si="0"/><v></v></c>` }, "x"],
        ],
      },
    ],
  };

  it("reads the formula text and lists the cell on its row", async () => {
    for (const sharedStrings of ["all", "referenced"] as const) {
      const { rows } = await read(spec, { sharedStrings });
      expect(rows).toEqual([
        { row: 1, sheetRow: 2, values: ["A1", "10", "=B2*2", '=IF(B2>5,"caro","")'], uncachedFormulas: [2, 3] },
        { row: 2, sheetRow: 3, values: ["A2", "20", "40", "ok"] },
        { row: 3, sheetRow: 4, values: ["A3", "30", "", "x"], uncachedFormulas: [2] },
      ]);
    }
  });
});

describe("the header row of templates", () => {
  // A marketplace mass-edit template: a title, instructions, the header on row 3, help text below it.
  const template: XlsxSpec = {
    sheets: [
      { name: "Ajuda", rows: [["Leia-me"]] },
      {
        name: "Anúncios",
        rows: [
          { r: 1, cells: ["Planilha de edição em massa"] },
          { r: 2, cells: ["Preencha a partir da linha 5", null, "Não altere os títulos"] },
          { r: 3, cells: ["SKU", "Título", "Preço"] },
          { r: 4, cells: ["Código do anúncio", "Até 60 caracteres", "Em reais"] },
          { r: 5, cells: ["A1", "Camiseta", 10.5] },
          { r: 7, cells: ["A2", "Calça", 99.9] },
        ],
      },
    ],
  };

  it("takes the header from the given row and data from the given first data row", async () => {
    const { header, headerSheetRow, rows } = await read(template, { sheet: "Anúncios", headerRow: 3, firstDataRow: 5 });
    expect(header).toEqual(["SKU", "Título", "Preço"]);
    expect(headerSheetRow).toBe(3);
    expect(rows).toEqual([
      { row: 2, sheetRow: 5, values: ["A1", "Camiseta", "10.5"] },
      { row: 4, sheetRow: 7, values: ["A2", "Calça", "99.9"] },
    ]);
  });

  it("reads the rows right after the header by default", async () => {
    const { rows } = await read(template, { sheet: 1, headerRow: 3 });
    expect(rows.map((r) => r.sheetRow)).toEqual([4, 5, 7]);
  });

  it("still takes the first row with a value without headerRow", async () => {
    const { header, headerSheetRow } = await read(template, { sheet: "Anúncios" });
    expect(header).toEqual(["Planilha de edição em massa"]);
    expect(headerSheetRow).toBe(1);
  });

  it("refuses an empty header row or one past the end, and nonsense row numbers", async () => {
    for (const headerRow of [6, 40]) {
      const err = await read(template, { sheet: "Anúncios", headerRow }).catch((e) => e);
      expect(err).toBeInstanceOf(TabularError);
      expect(err.code).toBe("header_not_found");
    }
    const bytes = await buildXlsx(template);
    expect(() => xlsxToRows(bytesReader(bytes), { headerRow: 0 })).toThrow(RangeError);
    expect(() => xlsxToRows(bytesReader(bytes), { headerRow: 3, firstDataRow: 3 })).toThrow(RangeError);
  });
});
