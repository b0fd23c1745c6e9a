import { describe, expect, it } from "vitest";
import { bytesReader, openXlsx, openZip, readEntry, xlsxToRows } from "../../../src/core/tabular";
import { columnLetters, XLSX_MAX_CELL_CHARS, xlsxStream } from "../../../src/core/tabular/xlsx-writer";
import { collect } from "../../fixtures/tabular/streams";

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function partText(archive: Uint8Array, name: string): Promise<string> {
  const zip = await openZip(bytesReader(archive));
  let text = "";
  const decoder = new TextDecoder();
  for await (const p of readEntry(zip, zip.entries.get(name)!)) text += decoder.decode(p, { stream: true });
  return text + decoder.decode();
}

describe("xlsxStream", () => {
  it("writes sheets the project's reader opens, with numbers as numbers", async () => {
    const bytes = await bytesOf(
      xlsxStream([
        {
          name: "Problemas",
          header: true,
          widths: [8, 30],
          rows: [
            ["linha", "mensagem", "valor", "ok"],
            [2, "Título com <tags> & \"aspas\"", 10.5, true],
            [3, "Controle \u0001 e _x0041_ literal", -0.25, false],
            [4, null, undefined, ""],
            [5, "  espaços  nas pontas ", "linha 1\nlinha 2", "\tx"],
          ],
        },
        {
          name: "Por regra",
          rows: async function* () {
            yield ["regra", "quantidade"];
            yield ["ml.title.max_length", 12_345];
          },
        },
      ]),
    );
    const wb = await openXlsx(bytesReader(bytes));
    expect(wb.sheets.map((s) => s.name)).toEqual(["Problemas", "Por regra"]);

    const first = xlsxToRows(bytesReader(bytes), { sheet: "Problemas" });
    expect(await first.header()).toEqual(["linha", "mensagem", "valor", "ok"]);
    expect((await collect(first)).map((r) => [r.sheetRow, r.values])).toEqual([
      [2, ["2", 'Título com <tags> & "aspas"', "10.5", "TRUE"]],
      [3, ["3", "Controle \u0001 e _x0041_ literal", "-0.25", "FALSE"]],
      [4, ["4", "", "", ""]],
      [5, ["5", "  espaços  nas pontas ", "linha 1\nlinha 2", "\tx"]],
    ]);
    const second = xlsxToRows(bytesReader(bytes), { sheet: 1 });
    expect(await second.header()).toEqual(["regra", "quantidade"]);
    expect((await collect(second))[0].values).toEqual(["ml.title.max_length", "12345"]);

    const xml = await partText(bytes, "xl/worksheets/sheet1.xml");
    expect(xml).toContain('<c r="C2"><v>10.5</v></c>');
    expect(xml).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(xml).toContain('<autoFilter ref="A1:D5"/>');
    expect(xml).toContain('<c r="B5" t="inlineStr"><is><t xml:space="preserve">  espaços  nas pontas </t></is></c>');
    expect(xml).toContain('<c r="B2" t="inlineStr"><is><t>Título com &lt;tags&gt; &amp; &quot;aspas&quot;</t></is></c>');
    expect(xml).toContain('<col min="2" max="2" width="30" customWidth="1"/>');
  });

  it("cuts text Excel would refuse, and refuses sheet names Excel would", async () => {
    const bytes = await bytesOf(xlsxStream([{ name: "S", rows: [["a"], ["x".repeat(XLSX_MAX_CELL_CHARS + 10)]] }]));
    const [row] = await collect(xlsxToRows(bytesReader(bytes)));
    expect(row.values[0]).toHaveLength(XLSX_MAX_CELL_CHARS);
    for (const sheets of [[{ name: "a/b", rows: [] }], [{ name: "x".repeat(32), rows: [] }], [{ name: "A", rows: [] }, { name: "a", rows: [] }], []]) {
      await expect(bytesOf(xlsxStream(sheets))).rejects.toThrow(RangeError);
    }
  });

  it("names columns like Excel", () => {
    expect([0, 25, 26, 701, 702, 16_383].map(columnLetters)).toEqual(["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
  });
});
