import { describe, expect, it } from "vitest";
import { bytesReader, openXlsx, TabularError, xlsxToRows, type XlsxOptions } from "../../../src/core/tabular";
import { buildCfb } from "../../fixtures/tabular/cfb-builder";
import { collect, utf8 } from "../../fixtures/tabular/streams";
import { buildXlsx, columnName, type XlsxSpec } from "../../fixtures/tabular/xlsx-builder";
import { writeZip } from "../../fixtures/tabular/zip-writer";

async function rows(spec: XlsxSpec | Uint8Array, opts: XlsxOptions = {}) {
  const bytes = spec instanceof Uint8Array ? spec : await buildXlsx(spec);
  const reader = xlsxToRows(bytesReader(bytes), opts);
  return { header: await reader.header(), rows: await collect(reader) };
}

async function errorOf(bytes: Uint8Array, opts: XlsxOptions = {}): Promise<TabularError> {
  try {
    await collect(xlsxToRows(bytesReader(bytes), opts));
  } catch (err) {
    if (err instanceof TabularError) return err;
    throw err;
  }
  throw new Error("expected a TabularError");
}

const catalog: XlsxSpec = {
  sheets: [
    {
      name: "Produtos",
      rows: [
        ["sku", "título", "preço", "ativo", "estoque"],
        ["A1", "Camiseta <P&M>", 10.5, true, 3],
        ["A2", "Calça", 99.9, false, null],
        [null, null, null, null, null],
        ["A3", "Camiseta <P&M>", { formula: "B2*2", value: "21" }, null, 7],
      ],
    },
  ],
};

describe("xlsxToRows", () => {
  it("reads shared strings, numbers, booleans and formula results", async () => {
    for (const sharedStrings of ["all", "referenced"] as const) {
      const { header, rows: out } = await rows(catalog, { sharedStrings });
      expect(header).toEqual(["sku", "título", "preço", "ativo", "estoque"]);
      expect(out).toEqual([
        { row: 1, sheetRow: 2, values: ["A1", "Camiseta <P&M>", "10.5", "TRUE", "3"] },
        { row: 2, sheetRow: 3, values: ["A2", "Calça", "99.9", "FALSE", ""] },
        { row: 4, sheetRow: 5, values: ["A3", "Camiseta <P&M>", "21", "", "7"] },
      ]);
    }
  });

  it("reads inline strings and stored (uncompressed) entries", async () => {
    const { rows: out } = await rows({ ...catalog, strings: "inline", method: 0 });
    expect(out[0].values.slice(0, 2)).toEqual(["A1", "Camiseta <P&M>"]);
  });

  it("places sparse cells by reference and keeps Excel row numbers", async () => {
    const { header, rows: out } = await rows({
      sheets: [
        {
          name: "S",
          rows: [
            { r: 3, cells: ["sku", null, "preço"] },
            { r: 4, cells: [null, null, 5] },
            { r: 9, cells: ["Z", "só B"] },
          ],
        },
      ],
    });
    expect(header).toEqual(["sku", "", "preço"]);
    expect(out).toEqual([
      { row: 1, sheetRow: 4, values: ["", "", "5"] },
      { row: 6, sheetRow: 9, values: ["Z", "só B", ""] },
    ]);
  });

  it("joins rich-text runs and drops phonetic runs", async () => {
    const { rows: out } = await rows({ sheets: [{ name: "S", rows: [["a"], [{ rich: ["Cami", "seta"], phonetic: "カ" }]] }] });
    expect(out[0].values).toEqual(["Camiseta"]);
  });

  it("decodes entities, numeric references and _xHHHH_ escapes", async () => {
    const { rows: out } = await rows({ sheets: [{ name: "S", rows: [["a"], ["x&#233;y_x000D_z"]] }] });
    // The builder escapes '&', so the cell text holds the literal reference; decode exactly once.
    expect(out[0].values).toEqual(["x&#233;y\rz"]);
  });

  it("reads element names with a namespace prefix", async () => {
    const { header, rows: out } = await rows({ ...catalog, prefixed: true });
    expect(header[0]).toBe("sku");
    expect(out[0].values[1]).toBe("Camiseta <P&M>");
  });

  it("picks a sheet by name or position", async () => {
    const spec: XlsxSpec = {
      sheets: [
        { name: "Instruções", rows: [["leia-me"]] },
        { name: "Produtos", rows: [["sku"], ["A1"]] },
      ],
    };
    expect((await rows(spec, { sheet: "produtos" })).rows[0].values).toEqual(["A1"]);
    expect((await rows(spec, { sheet: 1 })).header).toEqual(["sku"]);
    expect((await rows(spec)).header).toEqual(["leia-me"]);
    expect((await errorOf(await buildXlsx(spec), { sheet: "Nope" })).code).toBe("sheet_not_found");
    const wb = await openXlsx(bytesReader(await buildXlsx(spec)));
    expect(wb.sheets.map((s) => s.name)).toEqual(["Instruções", "Produtos"]);
  });

  it("flags rows wider than the header and cells past maxColumns", async () => {
    const { rows: out } = await rows(
      { sheets: [{ name: "S", rows: [["a", "b"], ["1", "2", "3"], Array.from({ length: 12 }, (_v, i) => String(i))] }] },
      { maxColumns: 10 },
    );
    expect(out[0]).toMatchObject({ values: ["1", "2", "3"], problem: { code: "ragged_row", expected: 2, actual: 3 } });
    expect(out[1].problem).toEqual({ code: "too_many_columns", limit: 10, actual: 11 });
    expect(out[1].values).toHaveLength(10);
  });

  it("streams a sheet larger than one decode batch with references counted", async () => {
    const data = Array.from({ length: 3000 }, (_v, i) => [`SKU-${i}`, `Produto ${i % 50}`, i]);
    const { rows: out } = await rows({ sheets: [{ name: "S", rows: [["sku", "nome", "n"], ...data] }] }, { sharedStrings: "referenced" });
    expect(out).toHaveLength(3000);
    expect(out[2999]).toEqual({ row: 3000, sheetRow: 3001, values: ["SKU-2999", "Produto 49", "2999"] });
  });

  it("refuses a macro-enabled workbook", async () => {
    expect((await errorOf(await buildXlsx({ ...catalog, macro: true }))).code).toBe("macro_enabled");
  });

  it("refuses password-protected workbooks and legacy .xls (OLE/CFB)", async () => {
    expect((await errorOf(buildCfb("encrypted"))).code).toBe("encrypted_workbook");
    expect((await errorOf(buildCfb("legacy"))).code).toBe("legacy_xls");
  });

  it("refuses ZIP entries with the encryption flag", async () => {
    const bytes = await writeZip([{ name: "xl/workbook.xml", data: "<workbook/>", flags: 1 }]);
    expect((await errorOf(bytes)).code).toBe("encrypted_workbook");
  });

  it("refuses files that are not workbooks", async () => {
    expect((await errorOf(utf8("sku,preço\n1,2\n"))).code).toBe("not_a_workbook");
    expect((await errorOf(await writeZip([{ name: "data.csv", data: "a,b" }]))).code).toBe("not_a_workbook");
    expect((await errorOf(await writeZip([{ name: "xl/workbook.bin", data: "x" }]))).code).toBe("unsupported_workbook");
  });

  it("refuses a DOCTYPE in workbook XML", async () => {
    const bytes = await writeZip([{ name: "xl/workbook.xml", data: '<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>' }]);
    expect((await errorOf(bytes)).code).toBe("malformed_xml");
  });
});

describe("column references", () => {
  it("maps letters to indexes", async () => {
    const header = Array.from({ length: 30 }, (_v, i) => `h${i}`);
    const { header: h } = await rows({ sheets: [{ name: "S", rows: [header] }] });
    expect(h[26]).toBe("h26");
    expect(columnName(26)).toBe("AA");
  });
});
