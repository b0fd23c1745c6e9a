import { describe, expect, it } from "vitest";
import { sniff } from "../../../src/core/tabular";
import { buildXlsx } from "../../fixtures/tabular/xlsx-builder";
import { buildCfb } from "../../fixtures/tabular/cfb-builder";
import { writeZip } from "../../fixtures/tabular/zip-writer";
import { concat, cp1252, utf8 } from "../../fixtures/tabular/streams";

describe("sniff", () => {
  it("detects UTF-8 with and without BOM, and Windows-1252", () => {
    expect(sniff(utf8("\uFEFFsku,preço\n1,2\n"))).toMatchObject({ encoding: "utf-8", bom: true, format: "csv" });
    expect(sniff(utf8("sku,preço\n1,2\n"))).toMatchObject({ encoding: "utf-8", bom: false });
    expect(sniff(cp1252("sku;Preço;Descrição\n1;2;Algodão\n"))).toMatchObject({ encoding: "windows-1252", delimiter: ";" });
    expect(sniff(utf8("só ascii\n"))).toMatchObject({ encoding: "utf-8" });
  });

  it("accepts a multi-byte character cut by the end of the sample", () => {
    const bytes = concat(utf8("a,b\n"), utf8("x".repeat(64 * 1024 - 5)), utf8("çç\n1,2\n"));
    expect(sniff(bytes).encoding).toBe("utf-8");
  });

  it("picks the delimiter that splits the header and rows consistently", () => {
    expect(sniff(utf8("sku,title,price\nA,Camisa,10.5\nB,Calça,3\n")).delimiter).toBe(",");
    // Commas appear in prices and descriptions but not in the header.
    expect(sniff(utf8("sku;titulo;preco\nA;Camisa, azul;10,50\nB;Calça;1.234,56\n")).delimiter).toBe(";");
    expect(sniff(utf8("sku\ttitle\tprice\nA\tx, y; z\t1\n")).delimiter).toBe("\t");
    // A quoted delimiter does not count.
    expect(sniff(utf8('a,b\n"x;y;z",1\n"p;q;r",2\n')).delimiter).toBe(",");
  });

  it("detects a decimal comma", () => {
    expect(sniff(utf8("sku;preco\nA;10,50\nB;1.234,56\nC;7\n")).decimalComma).toBe(true);
    expect(sniff(utf8("sku,preco\nA,10.50\nB,3.99\n")).decimalComma).toBe(false);
    expect(sniff(utf8('sku,preco\nA,"10,50"\nB,"3,99"\n')).decimalComma).toBe(true);
    // "1.234" alone is ambiguous and does not vote.
    expect(sniff(utf8("sku;preco\nA;1.234\n")).decimalComma).toBe(false);
  });

  it("detects JSON, NDJSON, XLSX, other ZIPs, OLE and binary", async () => {
    expect(sniff(utf8('  [{"sku":"A"}]')).format).toBe("json");
    expect(sniff(utf8('\uFEFF{"sku":"A"}\n{"sku":"B"}\n')).format).toBe("ndjson");
    expect(sniff(await buildXlsx({ sheets: [{ name: "S", rows: [["a"]] }] })).format).toBe("xlsx");
    expect(sniff(await writeZip([{ name: "data.csv", data: "a,b\n" }])).format).toBe("zip");
    expect(sniff(buildCfb("encrypted")).format).toBe("ole");
    expect(sniff(new Uint8Array([1, 2, 0, 4])).format).toBe("binary");
  });
});
