import { describe, expect, it } from "vitest";
import { bytesReader, openXlsx, xlsxToRows } from "../../src/core/tabular";
import { cp1252 } from "../fixtures/tabular/streams";
import { buildXlsx } from "../fixtures/tabular/xlsx-builder";
import { call, createPack, newAccount, uploadFile, waitForJob } from "../helpers";

/**
 * The seller's round trip: a Windows-1252, ";"-separated, decimal-comma export with a multi-line
 * cell and a formula, and a workbook with blank rows. Issues name the rows the spreadsheet shows;
 * the corrected files go back in the source's own format.
 */
const HEADER = ["Código", "Título", "Descrição", "Preço", "Estoque", "Condição"];
const MAPPING = {
  name: "Planilha da loja",
  marketplace: "common",
  fields: [
    { target: "sku", source: "Código" },
    { target: "title", source: "Título" },
    { target: "description", source: "Descrição" },
    { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "stock", source: "Estoque", transforms: [{ op: "number", locale: "pt-BR" }] },
    { target: "condition", source: "Condição", transforms: [{ op: "value_map", values: { Novo: "new", Usado: "used" } }] },
  ],
};

// Row 2 clean; row 3 a title with doubled spaces (fixed) and a two-line description (still one row);
// row 4 a zero price (an error); row 5 a formula in the description (a warning, left alone).
const CSV_TEXT = [
  "Código;Título;Descrição;Preço;Estoque;Condição",
  "CAN-001;Caneca Cerâmica Azul 300 ml;Caneca de cerâmica;29,90;10;Novo",
  'CAN-002;Caneca  Cerâmica  Verde;"Linha 1 da descrição\r\nLinha 2, com ""aspas""";1.299,90;5;Novo',
  "CAN-003;Caneca Cerâmica Branca;Sem preço ainda;0,00;3;Usado",
  'CAN-004;Caneca Cerâmica Preta;"=HYPERLINK(""https://loja.com.br/can-004"";""Ver oferta"")";39,90;7;Novo',
].join("\r\n") + "\r\n";

async function json(res: Response) {
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as any;
}

async function runJob(key: string, fileId: string, mappingId: string, headers: Record<string, string> = {}) {
  const job = await json(
    await call("/api/v1/jobs", { method: "POST", key, headers, json: { source: { file_id: fileId }, mapping_id: mappingId, options: { apply_fixes: true } } }),
  );
  const done = await waitForJob(key, job.id);
  expect(done.status).toBe("completed");
  return done;
}

async function issues(key: string, jobId: string, lang?: string) {
  const res = await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson${lang ? `&lang=${lang}` : ""}`, { key });
  return (await res.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("a Windows-1252 ; decimal-comma export", () => {
  it("reports the rows the spreadsheet shows, names the seller's columns and SKUs, and comes back byte for byte but for fixed cells", async () => {
    const { key } = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));
    const source = cp1252(CSV_TEXT);
    const file = await uploadFile(key, source, "catalogo.csv");
    expect(file).toMatchObject({ encoding: "windows-1252", delimiter: ";" });
    const done = await runJob(key, file.id, mapping.id);

    const found = await issues(key, done.id);
    const at = (rule: string) => found.filter((i) => i.rule === rule).map((i) => ({ row: i.row, sku: i.sku, column: i.column }));
    expect(at("common.title.spaces")).toEqual([{ row: 3, sku: "CAN-002", column: "Título" }]);
    expect(at("common.price.range")).toEqual([{ row: 4, sku: "CAN-003", column: "Preço" }]);
    expect(at("file.formula")).toEqual([{ row: 5, sku: "CAN-004", column: "Descrição" }]);

    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    expect(res.headers.get("x-vitrine-encoding")).toBe("windows-1252");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const corrected = new TextDecoder("windows-1252").decode(bytes);
    // Only the fixed title differs; the formula, the two-line cell and the decimal commas are the seller's.
    expect(corrected).toBe(CSV_TEXT.replace("Caneca  Cerâmica  Verde", "Caneca Cerâmica Verde"));
    expect(bytes).toEqual(cp1252(corrected));
  });

  it("needs no mapping: the columns are recognised by their Portuguese names, with the same issues and the same corrected bytes", async () => {
    const { key } = await newAccount();
    const file = await uploadFile(key, cp1252(CSV_TEXT), "catalogo.csv");
    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { apply_fixes: true } } }));
    const done = await waitForJob(key, job.id);
    expect(done).toMatchObject({ status: "completed", counts: { records: 4, invalid: 1, corrected: 1 } });
    // The job says which columns it read into which fields.
    expect(done.layout).toEqual({
      applied: null,
      unverified: null,
      columns: [
        { column: "Código", field: "sku" },
        { column: "Título", field: "title" },
        { column: "Descrição", field: "description" },
        { column: "Preço", field: "price" },
        { column: "Estoque", field: "stock" },
        { column: "Condição", field: "condition" },
      ],
      unread_columns: [],
    });

    const found = await issues(key, done.id);
    expect(found.map((i) => ({ rule: i.rule, row: i.row, column: i.column }))).toEqual([
      { rule: "common.title.spaces", row: 3, column: "Título" },
      { rule: "common.price.range", row: 4, column: "Preço" },
      { rule: "file.formula", row: 5, column: "Descrição" },
    ]);
    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(cp1252(CSV_TEXT.replace("Caneca  Cerâmica  Verde", "Caneca Cerâmica Verde")));
  });

  it("falls back to UTF-8 with a BOM, and says so, when a fix writes a character Windows-1252 lacks", async () => {
    const { key } = await newAccount();
    await createPack(
      key,
      `id: loja-setas\nname: Setas\nversion: "1"\nextends: common\nrules:\n  - id: loja.title.seta\n    field: title\n    check: forbidden_words\n    words: ["seta"]\n    severity: warning\n    fix: { replace: { pattern: "seta", with: "→" } }\n`,
    );
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: { ...MAPPING, marketplace: "loja-setas" } }));
    const text = CSV_TEXT.replace("Caneca Cerâmica Branca", "Caneca seta Branca");
    const file = await uploadFile(key, cp1252(text), "catalogo.csv");
    const done = await runJob(key, file.id, mapping.id);
    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    expect(res.headers.get("x-vitrine-encoding")).toBe("utf-8;fallback");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain("CAN-003;Caneca → Branca;");
  });

  it("serves its issues in the reader's language, whatever the language the job was started in", async () => {
    const { key } = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));
    const file = await uploadFile(key, cp1252(CSV_TEXT), "catalogo.csv");
    const english = await runJob(key, file.id, mapping.id, { "accept-language": "en" });
    const portuguese = await runJob(key, file.id, mapping.id, { "accept-language": "pt-BR" });
    for (const job of [english, portuguese]) {
      const pt = (await issues(key, job.id, "pt-BR")).find((i) => i.rule === "common.price.range");
      const en = (await issues(key, job.id, "en")).find((i) => i.rule === "common.price.range");
      expect(pt.message).not.toBe(en.message);
      expect(pt.message).toMatch(/preço/i);
      expect(en.message).toMatch(/price/i);
      const viaHeader = await call(`/api/v1/jobs/${job.id}/result/issues?format=json`, { key, headers: { "accept-language": "pt-BR" } });
      expect(((await viaHeader.json()) as any).data.find((i: any) => i.rule === "common.price.range").message).toBe(pt.message);
    }
  });

  it("reports issues as an Excel workbook and as CSV in the seller's dialect, formulas neutralized", async () => {
    const { key } = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));
    const file = await uploadFile(key, cp1252(CSV_TEXT), "catalogo.csv");
    const done = await runJob(key, file.id, mapping.id);
    const all = await issues(key, done.id, "pt-BR");

    const book = bytesReader(new Uint8Array(await (await call(`/api/v1/jobs/${done.id}/result/issues?format=xlsx&lang=pt-BR`, { key })).arrayBuffer()));
    expect((await openXlsx(book)).sheets.map((s) => s.name)).toEqual(["Problemas", "Por regra"]);
    const sheet = xlsxToRows(book, { sheet: "Problemas" });
    expect(await sheet.header()).toEqual(["Linha", "SKU", "Coluna", "Regra", "Gravidade", "Mensagem", "Valor", "Sugestão"]);
    const rows: string[][] = [];
    for await (const row of sheet) rows.push(row.values);
    expect(rows.map((r) => [Number(r[0]), r[1], r[3]])).toEqual(all.map((i) => [i.row, i.sku ?? "", i.rule]));
    // In a workbook a text cell is never run: the formula is shown as the seller wrote it.
    expect(rows.find((r) => r[3] === "file.formula")?.[6]).toBe('=HYPERLINK("https://loja.com.br/can-004";"Ver oferta")');

    const csv = new Uint8Array(await (await call(`/api/v1/jobs/${done.id}/result/issues?format=csv&lang=pt-BR`, { key })).arrayBuffer());
    expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(csv).split("\r\n");
    expect(lines[0]).toBe("Linha;SKU;Coluna;Regra;Gravidade;Mensagem;Valor;Sugestão");
    expect(lines.filter(Boolean)).toHaveLength(all.length + 1);
    expect(lines.find((l) => l.includes("file.formula"))).toContain(`"'=HYPERLINK(""https://loja.com.br/can-004"";""Ver oferta"")"`);
    const comma = new TextDecoder().decode(await (await call(`/api/v1/jobs/${done.id}/result/issues?format=csv&delimiter=comma`, { key })).arrayBuffer());
    expect(comma.split("\r\n")[0]).toBe("Row,SKU,Column,Rule,Severity,Message,Value,Suggestion");
  });
});

describe("a workbook with blank rows", () => {
  it("reports Excel's own row numbers and comes back as the same workbook, numbers still numbers", async () => {
    const { key } = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));
    const xlsx = await buildXlsx({
      sheets: [
        {
          name: "Produtos",
          rows: [
            { r: 1, cells: HEADER },
            { r: 2, cells: ["CAN-001", "Caneca Cerâmica Azul 300 ml", "Caneca de cerâmica", 29.9, 10, "Novo"] },
            // Rows 3 and 4 are blank, as sellers leave them.
            { r: 5, cells: ["CAN-002", "Caneca  Cerâmica  Verde", "Caneca", 1299.9, 5, "Novo"] },
            { r: 7, cells: ["CAN-003", "Caneca Cerâmica Branca", "Sem preço", 0, 3, "Usado"] },
          ],
        },
        { name: "Instruções", rows: [["Não apague esta aba"]] },
      ],
    });
    const file = await uploadFile(key, xlsx, "catalogo.xlsx", "application/octet-stream");
    const done = await runJob(key, file.id, mapping.id);
    const found = await issues(key, done.id);
    expect(found.find((i) => i.rule === "common.title.spaces")).toMatchObject({ row: 5, sku: "CAN-002", column: "Título" });
    expect(found.find((i) => i.rule === "common.price.range")).toMatchObject({ row: 7, sku: "CAN-003", column: "Preço" });

    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    const book = bytesReader(new Uint8Array(await res.arrayBuffer()));
    expect((await openXlsx(book)).sheets.map((s) => s.name)).toEqual(["Produtos", "Instruções"]);
    const back = xlsxToRows(book, { sheet: "Produtos" });
    expect(await back.header()).toEqual(HEADER);
    const rows: { sheetRow: number; values: string[] }[] = [];
    for await (const row of back) rows.push({ sheetRow: row.sheetRow, values: row.values });
    expect(rows.map((r) => r.sheetRow)).toEqual([2, 5, 7]);
    expect(rows[1].values[1]).toBe("Caneca Cerâmica Verde");
    expect(rows[1].values[3]).toBe("1299.9");
    const instructions = xlsxToRows(book, { sheet: "Instruções" });
    expect(await instructions.header()).toEqual(["Não apague esta aba"]);
  });

  it("reports a formula saved without its result (a workbook written by a program) instead of reading it as empty", async () => {
    const { key } = await newAccount();
    const mapping = await json(await call("/api/v1/mappings", { method: "POST", key, json: MAPPING }));
    const xlsx = await buildXlsx({
      sheets: [
        {
          name: "Produtos",
          rows: [HEADER, ["CAN-001", "Caneca Cerâmica Azul 300 ml", { formula: 'CONCAT("Caneca ";"azul")' }, 29.9, 10, "Novo"]],
        },
      ],
    });
    const file = await uploadFile(key, xlsx, "gerado.xlsx", "application/octet-stream");
    const done = await runJob(key, file.id, mapping.id);
    const warning = (await issues(key, done.id)).find((i) => i.rule === "file.formula_without_value");
    expect(warning).toMatchObject({ row: 2, column: "Descrição", severity: "warning", value: '=CONCAT("Caneca ";"azul")', sku: "CAN-001" });
  });
});


describe("a sheet with a title above its header", () => {
  const TITLE = "Planilha de produtos - Loja da Ana";

  it("CSV: the header is found below the title, rows keep the spreadsheet's numbers, the job says where, and the title comes back untouched", async () => {
    const { key } = await newAccount();
    const text = `${TITLE};;;;;\r\n;;;;;\r\n${CSV_TEXT}`;
    const file = await uploadFile(key, cp1252(text), "catalogo.csv");
    const columns = await json(await call("/api/v1/mappings/suggest", { method: "POST", key, json: { file_id: file.id, marketplace: "common" } }));
    expect(columns.mapping.fields.find((f: { target: string }) => f.target === "title")).toMatchObject({ source: "Título" });

    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { apply_fixes: true } } }));
    const done = await waitForJob(key, job.id);
    expect(done).toMatchObject({ status: "completed", counts: { records: 4, invalid: 1 }, layout: { applied: null, unverified: null, header_row: 3 } });
    expect((await issues(key, done.id)).map((i) => [i.rule, i.row, i.column])).toEqual([
      ["common.title.spaces", 5, "Título"],
      ["common.price.range", 6, "Preço"],
      ["file.formula", 7, "Descrição"],
    ]);
    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(cp1252(text.replace("Caneca  Cerâmica  Verde", "Caneca Cerâmica Verde")));
  });

  it("XLSX: the same, and an explicit header_row still wins", async () => {
    const { key } = await newAccount();
    const xlsx = await buildXlsx({
      sheets: [
        {
          name: "Produtos",
          rows: [
            { r: 1, cells: [TITLE] },
            { r: 3, cells: HEADER },
            { r: 4, cells: ["CAN-001", "Caneca Cerâmica Azul 300 ml", "Caneca de cerâmica", 29.9, 10, "Novo"] },
            { r: 5, cells: ["CAN-002", "Caneca  Cerâmica  Verde", "Caneca", 1299.9, 5, "Novo"] },
          ],
        },
      ],
    });
    const file = await uploadFile(key, xlsx, "catalogo.xlsx", "application/octet-stream");
    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { apply_fixes: true } } }));
    const done = await waitForJob(key, job.id);
    expect(done).toMatchObject({ status: "completed", counts: { records: 2, invalid: 0, corrected: 1 }, layout: { header_row: 3 } });
    expect((await issues(key, done.id)).map((i) => [i.rule, i.row, i.column])).toEqual([["common.title.spaces", 5, "Título"]]);

    const book = bytesReader(new Uint8Array(await (await call(`/api/v1/jobs/${done.id}/result/corrected`, { key })).arrayBuffer()));
    const first = xlsxToRows(book);
    expect(await first.header()).toEqual([TITLE]);
    const back = xlsxToRows(book, { headerRow: 3 });
    expect(await back.header()).toEqual(HEADER);
    const rows = [];
    for await (const row of back) rows.push([row.sheetRow, row.values[1]]);
    expect(rows).toEqual([
      [4, "Caneca Cerâmica Azul 300 ml"],
      [5, "Caneca Cerâmica Verde"],
    ]);

    // Named by the seller, the header is not searched for, and the job has nothing to say about where it is.
    const asked = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { header_row: 3 } } }));
    const named = await waitForJob(key, asked.id);
    expect(named).toMatchObject({ status: "completed", options: { header_row: 3 }, counts: { records: 2 } });
    expect(named.layout.header_row).toBeUndefined();
  });
});

describe("a CSV template with instructions around its header", () => {
  const TEMPLATE = [
    "Instruções: uma linha por produto;Não altere os nomes das colunas;;",
    "Obrigatórios: Código e Título;;;",
    "Código;Título;Preço;Estoque",
    "Ex.: CAN-000;Ex.: Caneca azul 300 ml;Ex.: 29,90;Ex.: 10",
    "CAN-001;Caneca  Cerâmica  Verde;29,90;10",
    "CAN-002;Caneca Cerâmica Azul;0,00;3",
  ].join("\r\n") + "\r\n";

  it("reads the header and the products from the rows the seller names, and gives the instructions back untouched", async () => {
    const { key } = await newAccount();
    const file = await uploadFile(key, cp1252(TEMPLATE), "modelo.csv");
    const options = { header_row: 3, first_data_row: 5, apply_fixes: true };
    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options } }));
    const done = await waitForJob(key, job.id);
    expect(done).toMatchObject({ status: "completed", options: { header_row: 3, first_data_row: 5 }, counts: { records: 2, invalid: 1, corrected: 1 } });
    expect((await issues(key, done.id)).map((i) => [i.rule, i.row, i.sku])).toEqual([
      ["common.title.spaces", 5, "CAN-001"],
      ["common.price.range", 6, "CAN-002"],
    ]);
    const res = await call(`/api/v1/jobs/${done.id}/result/corrected`, { key });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(cp1252(TEMPLATE.replace("Caneca  Cerâmica  Verde", "Caneca Cerâmica Verde")));

    // A suggestion reads the same rows when told them; left to look for itself, it takes the first row with two values.
    const suggest = async (extra: object) => json(await call("/api/v1/mappings/suggest", { method: "POST", key, json: { file_id: file.id, marketplace: "common", ...extra } }));
    const named = await suggest({ header_row: 3, first_data_row: 5 });
    expect(named.mapping.fields.filter((f: { source?: string }) => f.source).map((f: { target: string; source: string }) => [f.source, f.target])).toEqual([
      ["Código", "sku"],
      ["Título", "title"],
      ["Preço", "price"],
      ["Estoque", "stock"],
    ]);
    expect((await suggest({})).mapping.fields.some((f: { source?: string }) => f.source === "Título")).toBe(false);
  });

  it("fails the job with a clear code when the named row starts no record, and refuses a first data row above the header", async () => {
    const { key } = await newAccount();
    const file = await uploadFile(key, cp1252(TEMPLATE), "modelo.csv");
    const job = await json(await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { header_row: 40 } } }));
    expect(await waitForJob(key, job.id)).toMatchObject({ status: "failed", error: { code: "file.header_not_found" } });

    for (const [path, body] of [
      ["/api/v1/jobs", { source: { file_id: file.id }, rule_pack: "common", options: { header_row: 3, first_data_row: 3 } }],
      ["/api/v1/mappings/suggest", { file_id: file.id, marketplace: "common", header_row: 3, first_data_row: 2 }],
    ] as const) {
      const res = await call(path, { method: "POST", key, json: body, headers: { "accept-language": "pt-BR" } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { pointer: string; detail: string }[] }).errors).toContainEqual(
        expect.objectContaining({ pointer: expect.stringMatching(/first_data_row$/), detail: expect.stringContaining("first_data_row deve vir depois de header_row") }),
      );
    }
  });
});
