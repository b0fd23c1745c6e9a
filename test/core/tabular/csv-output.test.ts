import { describe, expect, it } from "vitest";
import {
  canEncode,
  changedCells,
  correctedFileEncoding,
  type CsvCellEdit,
  encodeText,
  encodeTextStream,
  parseCsv,
  parseCsvRange,
  parseCsvText,
  reencode,
  reportCsvDialect,
  rewriteCsvRecord,
  scanRowBoundaries,
  sniff,
  toCsvStream,
  unencodableAt,
} from "../../../src/core/tabular";
import { chunkedStream, collect, concat, cp1252 } from "../../fixtures/tabular/streams";

const semicolon = { delimiter: ";", decimalComma: true } as const;

describe("rewriteCsvRecord", () => {
  it("changes only the edited fields, keeping the rest and the line ending byte for byte", () => {
    const src = '\r\nA1;"  Camiseta ""P""  ";1.234,56;  x ;"l1\r\nl2"\r\n';
    const out = rewriteCsvRecord(src, [{ column: 1, value: 'Camiseta "P"' }, { column: 2, value: 1234.56 }], semicolon);
    expect(out).toBe('\r\nA1;"Camiseta ""P""";1234,56;  x ;"l1\r\nl2"\r\n');
  });

  it("quotes a new value when the source quoted the field or the value needs it", () => {
    expect(rewriteCsvRecord('a;"b"\n', [{ column: 1, value: "c" }], semicolon)).toBe('a;"c"\n');
    expect(rewriteCsvRecord("a;b\n", [{ column: 1, value: "c;d" }], semicolon)).toBe('a;"c;d"\n');
    expect(rewriteCsvRecord("a,b", [{ column: 0, value: "2,5" }], { delimiter: ",", decimalComma: false })).toBe('"2,5",b');
    expect(rewriteCsvRecord("a;b\r", [{ column: 0, value: "x\ny" }], semicolon)).toBe('"x\ny";b\r');
  });

  it("neutralizes a changed value that a spreadsheet would run, never an untouched one", () => {
    const src = "=SUM(A1);=HYPERLINK(\"http://x\",\"y\");-5\n";
    const out = rewriteCsvRecord(src, [{ column: 1, value: '=HYPERLINK("http://x"' }, { column: 2, value: "-7" }], semicolon);
    expect(out).toBe("=SUM(A1);\"'=HYPERLINK(\"\"http://x\"\"\";-7\n");
  });

  it("fills the missing fields of a short record, and clears a cell with null", () => {
    expect(rewriteCsvRecord("A;B\n", [{ column: 3, value: "novo" }], semicolon)).toBe("A;B;;novo\n");
    expect(rewriteCsvRecord('"A";"B"\n', [{ column: 2, value: "x" }], semicolon)).toBe('"A";"B";"x"\n');
    expect(rewriteCsvRecord("A;B;C", [{ column: 1, value: null }], semicolon)).toBe("A;;C");
    expect(rewriteCsvRecord("A;B", [], semicolon)).toBe("A;B");
  });

  it("lists the changed cells of a row", () => {
    expect(changedCells(["A", " x ", "10,5", ""], ["A", "x", 10.5, null])).toEqual([
      { column: 1, value: "x" },
      { column: 2, value: 10.5 },
    ]);
    expect(changedCells(["A"], ["A", "new"])).toEqual([{ column: 1, value: "new" }]);
  });
});

describe("text encodings for output", () => {
  it("encodes back every Windows-1252 byte the decoder reads", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const text = new TextDecoder("windows-1252").decode(all);
    expect(encodeText(text, "windows-1252")).toEqual({ bytes: all, unencodable: 0 });
    expect(canEncode(text, "windows-1252")).toBe(true);
  });

  it("reports what Windows-1252 cannot hold, and writes it as ?", () => {
    expect(unencodableAt("Preço ✓", "windows-1252")).toBe(6);
    expect(canEncode("Preço €", "windows-1252")).toBe(true);
    expect(canEncode("✓ 𝄞", "utf-8")).toBe(true);
    const { bytes, unencodable } = encodeText("a✓𝄞b", "windows-1252");
    expect(new TextDecoder("windows-1252").decode(bytes)).toBe("a??b");
    expect(unencodable).toBe(2);
  });

  it("writes UTF-16 and keeps a surrogate pair whole across stream pieces", async () => {
    for (const encoding of ["utf-16le", "utf-16be", "utf-8"] as const) {
      const pieces = ["Café ", "𝄞".slice(0, 1), "𝄞".slice(1) + " fim"];
      const stream = new ReadableStream<string>({
        start(c) {
          for (const p of pieces) c.enqueue(p);
          c.close();
        },
      }).pipeThrough(encodeTextStream({ encoding, bom: true }));
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      expect(sniff(bytes).encoding).toBe(encoding);
      expect(new TextDecoder(encoding).decode(bytes)).toBe("Café 𝄞 fim");
    }
  });

  it("keeps the source's encoding for a corrected file unless a change does not fit it", () => {
    expect(correctedFileEncoding({ encoding: "windows-1252", bom: false }, true)).toEqual({ encoding: "windows-1252", bom: false, fellBack: false });
    expect(correctedFileEncoding({ encoding: "windows-1252", bom: false }, false)).toEqual({ encoding: "utf-8", bom: true, fellBack: true });
    expect(correctedFileEncoding({ encoding: "utf-16le", bom: true }, true)).toEqual({ encoding: "utf-16le", bom: true, fellBack: false });
    expect(correctedFileEncoding({ encoding: "utf-8", bom: false }, false)).toEqual({ encoding: "utf-8", bom: false, fellBack: false });
  });
});

/** What Excel on a Brazilian Windows saves as "CSV (separado por vírgulas)": cp1252, ";", decimal comma, CRLF. */
const EXCEL_BR = [
  "SKU;Título;Descrição;Preço;Estoque",
  'A1;  Camiseta algodão  ;"Tamanho P\r\nCor: azul — 100% algodão";1.234,56;3',
  'A2;Calça jeans;"Linha 1\r\nLinha 2; com ""aspas""";99,90;0',
  "",
  "A3;=HYPERLINK(\"http://x\");Sem descrição;10,5;7",
  'A4;Boné;"€ 5 de desconto";5,00;12',
  "A5;Meia;Par;2,5",
].join("\r\n") + "\r\n";

/** The fixes a pack would make: trim, number normalization, a truncation that would break a formula, a default. */
function fixesFor(values: string[]): CsvCellEdit[] {
  const edits: CsvCellEdit[] = [];
  if (values[1] !== values[1].trim()) edits.push({ column: 1, value: values[1].trim() });
  if (values[3] === "1.234,56") edits.push({ column: 3, value: 1234.56 });
  if (values[1].startsWith("=")) edits.push({ column: 1, value: values[1].slice(0, 12) });
  if (values.length < 5) edits.push({ column: 4, value: "0" });
  return edits;
}

/** The corrected file as the pipeline would assemble it: header bytes, each range rewritten, trailing bytes. */
async function correctedCsv(bytes: Uint8Array, extraEdit?: (row: number) => CsvCellEdit[]) {
  const sniffed = sniff(bytes);
  const dialect = { delimiter: sniffed.delimiter, decimalComma: sniffed.decimalComma };
  const cut = await scanRowBoundaries(chunkedStream(bytes, 5), { rowsPerChunk: 2, encoding: sniffed.encoding, delimiter: sniffed.delimiter, sheetRows: true });
  const texts: string[] = [];
  const fixed = new Map<number, CsvCellEdit[]>();
  let encodable = true;
  for (const c of cut.chunks) {
    let text = "";
    const reader = parseCsvRange(bytes.subarray(c.start, c.end), cut.header, { encoding: sniffed.encoding, delimiter: sniffed.delimiter, sourceText: true, sheetRows: true }, c);
    for await (const row of reader) {
      const edits = [...fixesFor(row.values), ...(extraEdit?.(row.row) ?? [])];
      for (const e of edits) if (typeof e.value === "string" && !canEncode(e.value, sniffed.encoding)) encodable = false;
      if (edits.length > 0) fixed.set(row.row, edits);
      text += edits.length > 0 ? rewriteCsvRecord(row.sourceText!, edits, dialect) : row.sourceText!;
    }
    texts.push(text + reader.trailingSourceText());
  }
  const output = correctedFileEncoding({ encoding: sniffed.encoding, bom: sniffed.bom }, encodable);
  const head = bytes.subarray(0, cut.chunks[0].start);
  const tail = bytes.subarray(cut.chunks.at(-1)!.end);
  const same = output.encoding === sniffed.encoding;
  const parts = [same ? head : reencode(head, sniffed.encoding, output, true), ...texts.map((t) => encodeText(t, output.encoding).bytes), same ? tail : reencode(tail, sniffed.encoding, output, false)];
  return { bytes: concat(...parts), output, fixed };
}

describe("a corrected CSV in the seller's own format", () => {
  it("is Windows-1252 with ';' and decimal commas, and differs from the input only in fixed cells", async () => {
    const source = cp1252(EXCEL_BR);
    expect(sniff(source)).toMatchObject({ encoding: "windows-1252", delimiter: ";", decimalComma: true });
    const { bytes, output, fixed } = await correctedCsv(source);
    expect(output).toEqual({ encoding: "windows-1252", bom: false, fellBack: false });
    expect([...fixed.keys()]).toEqual([1, 3, 5]);

    const before = parseCsvText(new TextDecoder("windows-1252").decode(source), { delimiter: ";", sourceText: true });
    const text = new TextDecoder("windows-1252", { fatal: true, ignoreBOM: false }).decode(bytes);
    const after = parseCsvText(text, { delimiter: ";", sourceText: true });
    expect(after.headerSourceText).toBe(before.headerSourceText);
    expect(after.rows).toHaveLength(before.rows.length);
    after.rows.forEach((row, i) => {
      const edits = fixed.get(row.row) ?? [];
      if (edits.length === 0) expect(row.sourceText).toBe(before.rows[i].sourceText);
      row.values.forEach((v, c) => {
        if (!edits.some((e) => e.column === c)) expect(v).toBe(before.rows[i].values[c] ?? "");
      });
    });
    expect(after.rows[0].values.slice(1, 4)).toEqual(["Camiseta algodão", "Tamanho P\r\nCor: azul — 100% algodão", "1234,56"]);
    expect(after.rows[2].values[1]).toBe("'=HYPERLINK(\"");
    expect(after.rows[4].values).toEqual(["A5", "Meia", "Par", "2,5", "0"]);
    // Everything outside the fixed records is the input's own bytes.
    expect(text.replace(after.rows[0].sourceText!, "").replace(after.rows[2].sourceText!, "").replace(after.rows[4].sourceText!, "")).toBe(
      EXCEL_BR.replace(before.rows[0].sourceText!, "").replace(before.rows[2].sourceText!, "").replace(before.rows[4].sourceText!, ""),
    );
  });

  it("falls back to UTF-8 with a BOM when a fixed value does not fit Windows-1252", async () => {
    const { bytes, output } = await correctedCsv(cp1252(EXCEL_BR), (row) => (row === 2 ? [{ column: 2, value: "Linha ✓" }] : []));
    expect(output).toEqual({ encoding: "utf-8", bom: true, fellBack: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { header, rows } = parseCsvText(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), { delimiter: ";" });
    expect(header).toEqual(["SKU", "Título", "Descrição", "Preço", "Estoque"]);
    expect(rows[1].values[2]).toBe("Linha ✓");
    expect(rows[3].values[2]).toBe("€ 5 de desconto");
  });
});

describe("the issues report as CSV", () => {
  const issues = [
    ["row", "sku", "column", "rule", "severity", "message", "value", "suggestion"],
    [2, "A1", "Título", "ml.title.trim", "warning", "Título com espaços nas pontas", "  Camiseta  ", "Camiseta"],
    [4, "A3", "Título", "common.formula", "warning", "Célula parece uma fórmula", '=HYPERLINK("http://x")', null],
    [5, "A4", "Preço", "ml.price.min", "error", "Preço abaixo de R$ 1,00 ✓", "0,50", "-1"],
  ];

  it("follows an Excel-BR source: ';', UTF-8 with BOM, CRLF, formula cells neutralized", async () => {
    const dialect = reportCsvDialect({ delimiter: ";" });
    expect(dialect).toEqual({ delimiter: ";", encoding: "utf-8", bom: true });
    const bytes = new Uint8Array(await new Response(toCsvStream(issues.slice(1), { ...dialect, header: issues[0] })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\r\n")).toHaveLength(issues.length + 1);
    expect(text).not.toMatch(/[^\r]\n/);
    const reader = parseCsv(bytes, { delimiter: ";" });
    expect(await reader.header()).toEqual(issues[0]);
    const rows = (await collect(reader)).map((r) => r.values);
    expect(rows[0]).toEqual(["2", "A1", "Título", "ml.title.trim", "warning", "Título com espaços nas pontas", "  Camiseta  ", "Camiseta"]);
    expect(rows[1][6]).toBe("'=HYPERLINK(\"http://x\")");
    expect(rows[2].slice(5)).toEqual(["Preço abaixo de R$ 1,00 ✓", "0,50", "-1"]);
  });

  it("takes the delimiter and encoding the client asks for", async () => {
    const dialect = reportCsvDialect({ delimiter: ";" }, { delimiter: ",", encoding: "windows-1252" });
    expect(dialect).toEqual({ delimiter: ",", encoding: "windows-1252", bom: false });
    let replaced = 0;
    const stream = toCsvStream(issues.slice(1), { ...dialect, header: issues[0], onUnencodable: (n) => (replaced += n) });
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const rows = (await collect(parseCsv(bytes, { encoding: "windows-1252" }))).map((r) => r.values);
    expect(rows[2][5]).toBe("Preço abaixo de R$ 1,00 ?");
    expect(rows[2][6]).toBe("0,50");
    expect(replaced).toBe(1);
    expect(reportCsvDialect(null)).toEqual({ delimiter: ",", encoding: "utf-8", bom: true });
  });
});
