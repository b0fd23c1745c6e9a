import { describe, expect, it } from "vitest";
import { bytesReader, issuesCsv, issuesWorkbook, openXlsx, parseCsv, reportCsvDialect, type ReportIssue, xlsxToRows } from "../../../src/core/tabular";
import { text } from "../../../src/core/text";
import { collect } from "../../fixtures/tabular/streams";

const issues: ReportIssue[] = [
  { row: 2, sku: "A1", column: "Título", field: "title", rule: "ml.title.max_length", severity: "error", message: text("Title longer than 60", "Título com mais de 60 caracteres"), value: "x".repeat(70), suggestion: "x".repeat(60) },
  { row: 3, sku: "A2", column: "Título", field: "title", rule: "common.formula", severity: "warning", message: "Parece uma fórmula", value: '=HYPERLINK("http://x")' },
  { row: 5, sku: "A3", field: "images", rule: "ml.images.max", severity: "warning", message: text("Too many pictures", "Fotos demais"), value: ["a.jpg", "b.jpg"] },
  { row: 7, sku: "A4", column: "Título", field: "title", rule: "ml.title.max_length", severity: "error", message: text("Title longer than 60", "Título com mais de 60 caracteres"), value: 12.5 },
];

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("issues report", () => {
  it("as a workbook: one sheet of issues, one grouped by rule, in the reader's language", async () => {
    const bytes = await bytesOf(issuesWorkbook(issues, "pt-BR"));
    expect((await openXlsx(bytesReader(bytes))).sheets.map((s) => s.name)).toEqual(["Problemas", "Por regra"]);
    const list = xlsxToRows(bytesReader(bytes), { sheet: "Problemas" });
    expect(await list.header()).toEqual(["Linha", "SKU", "Coluna", "Regra", "Gravidade", "Mensagem", "Valor", "Sugestão"]);
    const rows = (await collect(list)).map((r) => r.values);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual(["2", "A1", "Título", "ml.title.max_length", "erro", "Título com mais de 60 caracteres", "x".repeat(70), "x".repeat(60)]);
    // In a workbook a text cell is never run: no quote is added.
    expect(rows[1][6]).toBe('=HYPERLINK("http://x")');
    expect(rows[2].slice(2, 7)).toEqual(["images", "ml.images.max", "aviso", "Fotos demais", '["a.jpg","b.jpg"]']);
    expect(rows[3][6]).toBe("12.5");

    const grouped = xlsxToRows(bytesReader(bytes), { sheet: "Por regra" });
    expect(await grouped.header()).toEqual(["Regra", "Gravidade", "Problemas", "Coluna", "Exemplo"]);
    expect((await collect(grouped)).map((r) => r.values)).toEqual([
      ["ml.title.max_length", "erro", "2", "Título", "Título com mais de 60 caracteres"],
      ["common.formula", "aviso", "1", "Título", "Parece uma fórmula"],
      ["ml.images.max", "aviso", "1", "images", "Fotos demais"],
    ]);
    const en = await bytesOf(issuesWorkbook([], "en"));
    expect((await openXlsx(bytesReader(en))).sheets.map((s) => s.name)).toEqual(["Issues", "By rule"]);
  });

  it("as Excel-BR CSV: ';', UTF-8 with BOM, CRLF, formula cells neutralized, round-trips", async () => {
    const bytes = await bytesOf(issuesCsv(issues, "pt-BR", reportCsvDialect({ delimiter: ";" })));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const reader = parseCsv(bytes, { delimiter: ";" });
    expect(await reader.header()).toEqual(["Linha", "SKU", "Coluna", "Regra", "Gravidade", "Mensagem", "Valor", "Sugestão"]);
    const rows = (await collect(reader)).map((r) => r.values);
    expect(rows.map((r) => r[0])).toEqual(["2", "3", "5", "7"]);
    expect(rows[1][6]).toBe("'=HYPERLINK(\"http://x\")");
    expect(new TextDecoder().decode(bytes).split("\r\n")).toHaveLength(6);
  });
});
