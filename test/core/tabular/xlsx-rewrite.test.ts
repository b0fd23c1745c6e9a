import { describe, expect, it } from "vitest";
import {
  bytesReader,
  openZip,
  readEntry,
  readStoredBytes,
  rewriteSheetXml,
  rewriteXlsx,
  TabularError,
  xlsxToRows,
  type XlsxCellEdit,
  type XlsxRewriteResult,
} from "../../../src/core/tabular";
import { collect, concat } from "../../fixtures/tabular/streams";
import { buildXlsx, type Cell, type XlsxSpec } from "../../fixtures/tabular/xlsx-builder";

const STYLES = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;R$&quot; #,##0.00"/></numFmts><cellXfs count="4"><xf/><xf/><xf/><xf numFmtId="164"/></cellXfs></styleSheet>`;
const PRICE = (v: number): Cell => ({ raw: (ref) => `<c r="${ref}" s="3"><v>${v}</v></c>` });

/** A marketplace mass-edit template: title and instructions above the header on row 3, help on row 4, data from row 5. */
const template: XlsxSpec = {
  sheets: [
    { name: "Ajuda", rows: [["Como preencher"], ["Não altere a linha 3"]] },
    {
      name: "Anúncios",
      before:
        '<dimension ref="A1:F10"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" state="frozen"/></sheetView></sheetViews>' +
        '<cols><col min="1" max="1" width="14" customWidth="1"/><col min="3" max="3" width="9" hidden="1" customWidth="1"/><col min="5" max="5" width="12" style="3" customWidth="1"/></cols>',
      after: '<mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells>',
      rowAttrs: ' spans="1:6"',
      rows: [
        { r: 1, cells: ["Planilha de edição em massa"] },
        { r: 2, cells: ["Preencha a partir da linha 5"] },
        { r: 3, cells: ["SKU", "Título", "Código interno", "Preço", "Estoque", "Total"] },
        { r: 4, cells: ["Obrigatório", "Até 60 caracteres", null, "Em reais", null, "Calculado"] },
        { r: 5, cells: ["A1", "  Camiseta  ", "x1", PRICE(10.5), 3, { formula: "D5*E5", value: "31.5" }] },
        { r: 6, cells: ["A2", "Calça", "x2", PRICE(99.9), null, { raw: (ref) => `<c r="${ref}"><f t="shared" ref="F6:F8" si="0">D6*E6</f><v>0</v></c>` }] },
        { r: 7, cells: ["A3", "Boné", "x3", PRICE(5), 2, { raw: (ref) => `<c r="${ref}"><f t="shared" si="0"/><v>10</v></c>` }] },
        { r: 8, cells: ["A4", "Meia", "x4", { raw: (ref) => `<c r="${ref}" s="3"><f t="array" ref="D8:E8">{1,2}</f><v>1</v></c>` }, 2, null] },
        { r: 10, cells: ["A5", "Luva", "x5", PRICE(7), 1] },
      ],
    },
  ],
  extra: [
    { name: "xl/styles.xml", data: STYLES },
    { name: "xl/calcChain.xml", data: '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="F5" i="2"/></calcChain>' },
  ],
  contentTypes: '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>',
  workbookRels:
    '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>' +
    '<Relationship Id="rIdY" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
};

const EDITS: XlsxCellEdit[] = [
  { sheetRow: 5, column: 1, value: "Camiseta" },
  { sheetRow: 5, column: 3, value: "12.5" },
  { sheetRow: 5, column: 5, value: 37.5 },
  { sheetRow: 6, column: 4, value: 0 },
  { sheetRow: 6, column: 5, value: 1 },
  { sheetRow: 7, column: 5, value: "=D7*E7" },
  { sheetRow: 8, column: 4, value: 9 },
  { sheetRow: 8, column: 2, value: null },
  { sheetRow: 9, column: 0, value: "A9" },
  { sheetRow: 10, column: 3, value: 8 },
];

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function part(archive: Uint8Array, name: string, stored = false): Promise<Uint8Array> {
  const zip = await openZip(bytesReader(archive));
  const entry = zip.entries.get(name);
  if (entry === undefined) throw new Error(`no ${name}`);
  return concat(...(await collect(stored ? readStoredBytes(zip, entry) : readEntry(zip, entry))));
}

const text = async (archive: Uint8Array, name: string) => new TextDecoder().decode(await part(archive, name));

async function sheetRows(bytes: Uint8Array, sheet: string) {
  const reader = xlsxToRows(bytesReader(bytes), { sheet, headerRow: 3, firstDataRow: 5 });
  return { header: await reader.header(), rows: await collect(reader) };
}

describe("rewriteXlsx", () => {
  it("rewrites only the edited cells; the template, other sheets and styles survive", async () => {
    const source = await buildXlsx(template);
    const { stream, result } = rewriteXlsx(bytesReader(source), EDITS, { sheet: "Anúncios" });
    const out = await bytesOf(stream);
    expect(await result).toEqual<XlsxRewriteResult>({
      sheet: "Anúncios",
      cellsChanged: 8,
      rowsAdded: 1,
      skipped: [
        { sheetRow: 6, column: 5, reason: "shared_formula" },
        { sheetRow: 8, column: 4, reason: "array_formula" },
      ],
      skippedCount: 2,
    });

    // Read back with the project's own reader: same sheets, header, and the edits in place.
    const before = await sheetRows(source, "Anúncios");
    const after = await sheetRows(out, "Anúncios");
    expect(after.header).toEqual(before.header);
    expect(after.rows.map((r) => [r.sheetRow, r.values])).toEqual([
      [5, ["A1", "Camiseta", "x1", "12.5", "3", "37.5"]],
      [6, ["A2", "Calça", "x2", "99.9", "0", "0"]],
      // Text in a cell is never run as a formula, so it needs no neutralizing quote.
      [7, ["A3", "Boné", "x3", "5", "2", "=D7*E7"]],
      [8, ["A4", "Meia", "", "1", "2", ""]],
      [9, ["A9", "", "", "", "", ""]],
      [10, ["A5", "Luva", "x5", "8", "1", ""]],
    ]);
    const help = async (bytes: Uint8Array) => (await collect(xlsxToRows(bytesReader(bytes), { sheet: "Ajuda" }))).map((r) => r.values);
    expect(await help(out)).toEqual(await help(source));

    const xml = await text(out, "xl/worksheets/sheet2.xml");
    // Numbers stay numbers, styles stay, text goes inline (the shared strings are untouched).
    expect(xml).toContain('<c r="D5" s="3"><v>12.5</v></c>');
    expect(xml).toContain('<c r="F5"><v>37.5</v></c>');
    expect(xml).toContain('<c r="B5" t="inlineStr"><is><t>Camiseta</t></is></c>');
    // A new cell in a styled column takes the column's style; the row loses its (now wrong) spans hint.
    expect(xml).toContain('<row r="6"><c r="A6" t="s">');
    expect(xml).toContain('<c r="E6" s="3"><v>0</v></c>');
    // The formula replaced by a value is gone, and the follower of the shared formula was replaced.
    expect(xml).not.toContain("D5*E5");
    expect(xml).toContain('<c r="F7" t="inlineStr"><is><t>=D7*E7</t></is></c>');
    expect(xml).toContain('<f t="shared" ref="F6:F8" si="0">D6*E6</f>');
    expect(xml).toContain('<f t="array" ref="D8:E8">{1,2}</f>');
    // Everything before and after the rows is byte for byte the seller's.
    const original = await text(source, "xl/worksheets/sheet2.xml");
    const prelude = original.slice(0, original.indexOf("<sheetData>"));
    expect(xml.startsWith(prelude)).toBe(true);
    expect(xml.endsWith(original.slice(original.indexOf("</sheetData>")))).toBe(true);
    for (const row of ["1", "2", "3", "4"]) {
      const m = new RegExp(`<row r="${row}"[^>]*>.*?</row>`).exec(original)![0];
      expect(xml).toContain(m);
    }

    // Untouched parts are copied as stored.
    const zipIn = await openZip(bytesReader(source));
    const zipOut = await openZip(bytesReader(out));
    for (const name of ["xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "_rels/.rels"]) {
      expect(zipOut.entries.get(name)).toMatchObject({ crc32: zipIn.entries.get(name)!.crc32, compressedSize: zipIn.entries.get(name)!.compressedSize });
      expect(await part(out, name, true)).toEqual(await part(source, name, true));
    }
    // The calculation chain cache is dropped with its references; the rest of those parts is kept.
    expect(zipOut.entries.has("xl/calcChain.xml")).toBe(false);
    expect(await text(out, "[Content_Types].xml")).not.toContain("calcChain");
    const rels = await text(out, "xl/_rels/workbook.xml.rels");
    expect(rels).not.toContain("calcChain");
    expect(rels).toContain('Target="styles.xml"');
    expect([...zipOut.entries.keys()]).toEqual([...zipIn.entries.keys()].filter((n) => n !== "xl/calcChain.xml"));
  });

  // 3,000 rows cut at many piece sizes: CPU-bound, seconds on a busy shared machine (5 s timed out under load).
  it("gives the same XML whatever the text pieces, with x:-prefixed elements and rows without r", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`SKU-${i}`, `Produto ${i} com descrição`, i * 1.25, i % 7 === 0 ? null : i]);
    const sheetXml = (prefix: string, withR: boolean) => {
      const p = prefix;
      let xml = `<?xml version="1.0"?><${p}worksheet xmlns${p ? ":x" : ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><${p}sheetData>`;
      rows.forEach((cells, i) => {
        xml += withR ? `<${p}row r="${i + 1}">` : `<${p}row>`;
        cells.forEach((c, k) => {
          if (c === null) return;
          const ref = withR ? ` r="${String.fromCharCode(65 + k)}${i + 1}"` : "";
          xml += typeof c === "number" ? `<${p}c${ref}><${p}v>${c}</${p}v></${p}c>` : `<${p}c${ref} t="inlineStr"><${p}is><${p}t>${c}</${p}t></${p}is></${p}c>`;
        });
        xml += `</${p}row>`;
      });
      return `${xml}</${p}sheetData></${p}worksheet>`;
    };
    const edits: XlsxCellEdit[] = [];
    for (let r = 2; r <= 3000; r += 37) edits.push({ sheetRow: r, column: r % 4, value: r % 2 ? `novo ${r}` : r });
    edits.push({ sheetRow: 3002, column: 2, value: 3002 });
    const pieces = async function* (s: string, sizes: number[]) {
      let at = 0;
      for (let k = 0; at < s.length; k++) {
        const n = sizes[k % sizes.length];
        yield s.slice(at, at + n);
        at += n;
      }
    };
    for (const [prefix, withR] of [["", true], ["x:", true], ["", false]] as const) {
      const xml = sheetXml(prefix, withR);
      const outputs: string[] = [];
      for (const sizes of [[xml.length], [1, 7, 3], [65_536], [4093, 17]]) {
        const result: XlsxRewriteResult = { sheet: "", cellsChanged: 0, rowsAdded: 0, skipped: [], skippedCount: 0 };
        const decoder = new TextDecoder();
        let out = "";
        for await (const b of rewriteSheetXml(pieces(xml, sizes), edits, result)) out += decoder.decode(b, { stream: true });
        outputs.push(out);
        expect(result.cellsChanged).toBe(edits.length);
        expect(result.rowsAdded).toBe(1); // row 3002 is past the last row
      }
      expect(new Set(outputs).size).toBe(1);
      const out = outputs[0];
      const p = prefix;
      expect(out).toContain(`<${p}c r="D39" t="inlineStr"><${p}is><${p}t>novo 39</${p}t></${p}is></${p}c>`);
      expect(out).toContain(`<${p}c r="A76"><${p}v>76</${p}v></${p}c>`);
      // Every row without an edit comes out exactly as it went in.
      const edited = new Set(edits.map((e) => e.sheetRow));
      const rowsIn = xml.match(new RegExp(`<${p}row[ >].*?</${p}row>`, "g"))!;
      expect(rowsIn).toHaveLength(3000);
      rowsIn.forEach((row, i) => {
        if (!edited.has(i + 1)) expect(out.includes(row)).toBe(true);
      });
      expect(out.match(new RegExp(`<${p}row[ >]`, "g"))).toHaveLength(3001);
      expect(out).toContain(`<${prefix}row r="3002"><${prefix}c r="C3002"><${prefix}v>3002</${prefix}v></${prefix}c></${prefix}row></${prefix}sheetData>`);
    }
  }, 60_000);

  it("fills an empty sheet, and refuses edits out of row order and missing sheets", async () => {
    const empty = await buildXlsx({ sheets: [{ name: "S", rows: [] }] });
    const { stream, result } = rewriteXlsx(bytesReader(empty), [{ sheetRow: 2, column: 1, value: "x" }]);
    const out = await bytesOf(stream);
    expect((await result).rowsAdded).toBe(1);
    const reader = xlsxToRows(bytesReader(out));
    expect(await reader.header()).toEqual(["", "x"]);

    const source = await buildXlsx(template);
    const bad = rewriteXlsx(bytesReader(source), [{ sheetRow: 6, column: 1, value: "a" }, { sheetRow: 5, column: 1, value: "b" }], { sheet: 1 });
    await expect(bytesOf(bad.stream)).rejects.toThrow(RangeError);
    await expect(bad.result).rejects.toThrow(RangeError);
    const missing = rewriteXlsx(bytesReader(source), [], { sheet: "Nope" });
    await expect(missing.result).rejects.toBeInstanceOf(TabularError);
    await expect(bytesOf(missing.stream)).rejects.toMatchObject({ code: "sheet_not_found" });
  });
});
