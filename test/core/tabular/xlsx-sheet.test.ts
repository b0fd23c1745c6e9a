import { describe, expect, it } from "vitest";
import { OVERSIZED, SheetHandler } from "../../../src/core/tabular/xlsx-sheet";
import { XmlScanner } from "../../../src/core/tabular/xml-scanner";

const SHARED = ["sku", "Camiseta <P&M>", "Calça"];

/** Every kind of cell the handler reads: plain ones (read whole) and ones it must read tag by tag. */
const SHEET =
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
  `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>título</t></is></c><c r="C1" t="inlineStr"><is><t>preço</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c><c r="E1" t="inlineStr"><is><t>e</t></is></c></row>` +
  // Plain cells: shared string, inline text with entities and an _xHHHH_ escape, a number, a boolean.
  `<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &#233; x_x000D_y</t></is></c><c r="C2" s="1"><v>10.5</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c></row>` +
  // Tag by tag: rich text, phonetic run, xml:space, CDATA, a formula with and without its result, an empty value.
  `<row r="3"><c r="A3" t="inlineStr"><is><r><t>Cami</t></r><r><t>seta</t></r><rPh><t>カ</t></rPh></is></c><c r="B3" t="inlineStr"><is><t xml:space="preserve"> com espaço </t></is></c>` +
  `<c r="C3" t="str"><v><![CDATA[R$ 1 & 2]]></v></c><c r="D3"><f>C2*2</f><v>21</v></c><c r="E3"><f>C2*3</f><v></v></c></row>` +
  // Sparse, self-closing, empty inline text, a value too long, a cell with a space before its end.
  `<row r="5"><c r="B5"/><c r="C5" t="inlineStr"><is><t></t></is></c><c r="D5" t="inlineStr"><is><t>${"x".repeat(70)}</t></is></c><c r="E5" ><v>7</v></c ></row>` +
  `<row r="6"><c r="A6" t="s"><v>2</v></c><c r="B6" t="inlineStr"><is><t>&gt;=&quot;&apos;</t></is></c></row>` +
  `</sheetData></worksheet>`;

function read(xml: string, pieces: (xml: string) => string[]) {
  const rows: unknown[] = [];
  const handler = new SheetHandler({ maxColumns: 16, maxFieldLength: 40 }, (i) => SHARED[i] ?? "", (sheetRow, values, problem, uncached) =>
    rows.push({ sheetRow, values: [...values], problem, uncached }),
  );
  const scanner = new XmlScanner(handler);
  for (const piece of pieces(xml)) scanner.feed(piece, false);
  scanner.feed("", true);
  return rows;
}

const cut = (size: number) => (xml: string) => Array.from({ length: Math.ceil(xml.length / size) }, (_v, i) => xml.slice(i * size, (i + 1) * size));

describe("SheetHandler", () => {
  it("reads every kind of cell", () => {
    expect(read(SHEET, (x) => [x])).toEqual([
      { sheetRow: 1, values: ["sku", "título", "preço", "d", "e"], problem: undefined, uncached: undefined },
      { sheetRow: 2, values: ["Camiseta <P&M>", "a & b <c> é x\ry", "10.5", "TRUE", "#N/A"], problem: undefined, uncached: undefined },
      { sheetRow: 3, values: ["Camiseta", " com espaço ", "R$ 1 & 2", "21", "=C2*3"], problem: undefined, uncached: [4] },
      { sheetRow: 5, values: ["", "", "", "", "7"], problem: { code: "field_too_large", column: 3, limit: 40 }, uncached: undefined },
      { sheetRow: 6, values: ["Calça", ">=\"'"], problem: undefined, uncached: undefined },
    ]);
    expect(OVERSIZED).toBe("\u0000");
  });

  it("reads the same rows whether a cell arrives whole or cut anywhere", () => {
    const whole = read(SHEET, (x) => [x]);
    for (let size = 1; size <= 64; size++) expect(read(SHEET, cut(size)), `pieces of ${size}`).toEqual(whole);
  });
});
