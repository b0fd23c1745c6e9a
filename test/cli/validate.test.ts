import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeText } from "../../src/core/tabular";
import { SHEET_CSV, SHEET_HEADER, SHEET_ROWS } from "../fixtures/mapping/brazilian-sheet";
import { buildXlsx } from "../fixtures/tabular/xlsx-builder";

const ROOT = path.join(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(os.tmpdir(), "vitrine-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `npm run validate -- …` as a seller would, in a terminal set to no particular language. */
function validate(...args: string[]) {
  const r = spawnSync("npm", ["run", "--silent", "validate", "--", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, LANG: "C", LC_ALL: "", LC_MESSAGES: "", NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fixture sheet as Excel on a Brazilian Windows saves "CSV": Windows-1252, ";", CRLF. */
function cp1252Sheet(name: string): string {
  const file = path.join(work, name);
  writeFileSync(file, encodeText(SHEET_CSV, "windows-1252").bytes);
  return file;
}

const cp1252 = new TextDecoder("windows-1252");
const col = (name: string) => SHEET_HEADER.indexOf(name);

/** The fixture's rows with the cells the mercadolivre pack fixes (as the API's preview does), in the sheet's own text. */
function expectedCorrected(): string {
  const rows = SHEET_ROWS.map((r) => r.slice());
  rows[1][col("NCM")] = "85171300";
  rows[2][col("Nome do Produto")] = "Apple iPhone 11 64GB Preto Seminovo Com Garantia E Nota";
  rows[2][col("Imagem 1")] = "https://cdn.loja.com.br/fotos/iphone11-1.jpg";
  return [SHEET_HEADER, ...rows].map((r) => r.join(";")).join("\r\n") + "\r\n";
}

describe("npm run validate on a pt-BR sheet saved by Excel (Windows-1252, ';')", () => {
  it("--suggest --fix: suggests and uses a mapping, prints every rule grouped, writes the corrected file and the issues in the sheet's dialect", () => {
    const sheet = cp1252Sheet("planilha.csv");
    const out = path.join(work, "saida");
    const run = validate(sheet, "--pack", "mercadolivre", "--suggest", "--fix", "--out", out);
    expect(run.stderr).toBe("");
    // The GTIN of the iPhone cannot be fixed and the Redmi has no price: some records stay invalid.
    expect(run.code).toBe(1);

    // The suggestion, printed and saved for --mapping next time.
    expect(run.stdout).toMatch(/Suggested mapping for .*planilha\.csv/);
    expect(run.stdout).toMatch(/"Nome do Produto"\s+→\s+title/);
    expect(run.stdout).toMatch(/"Preço \(R\$\)"\s+→\s+price/);
    const saved = JSON.parse(readFileSync(path.join(out, "planilha.mapeamento.json"), "utf8"));
    expect(saved).toMatchObject({ marketplace: "mercadolivre" });
    expect(saved.fields.find((f: any) => f.target === "title").source).toBe("Nome do Produto");

    // The summary: counts, then every rule that found something, as one line each with its records and rows.
    expect(run.stdout).toContain("4 records checked against mercadolivre, suggested mapping");
    expect(run.stdout).toContain("valid 2 (50%), invalid 2 (50%), corrected 2");
    const issuesCsv = readFileSync(path.join(out, "planilha.problemas.csv"));
    const reportRows = new TextDecoder().decode(issuesCsv).replace(/^\ufeff/, "").split("\r\n").filter(Boolean).slice(1).map((l) => l.split(";"));
    const rulesInReport = [...new Set(reportRows.map((r) => r[3]))].sort();
    const rulesInSummary = [...run.stdout.matchAll(/^ {2}(?:error|warning|info)\s+\d+ \([\d.]+%\)\s+(\S+)/gm)].map((m) => m[1]).sort();
    expect(rulesInSummary).toEqual(rulesInReport);
    expect(rulesInSummary).toEqual(expect.arrayContaining(["common.gtin.check_digit", "common.price.type", "mapping.number.invalid", "ml.title.max_length"]));
    expect(run.stdout).toMatch(/error\s+1 \(25%\)\s+common\.gtin\.check_digit\n\s+The gtin field is not a valid GTIN[^\n]*\n\s+rows: 4\n/);

    // The corrected file: still Windows-1252, byte for byte the source but for the cells the fixes changed.
    const corrected = readFileSync(path.join(out, "planilha.corrigido.csv"));
    expect(Buffer.from(encodeText(expectedCorrected(), "windows-1252").bytes).equals(corrected)).toBe(true);
    expect(cp1252.decode(corrected)).toContain("Descrição;Marca");

    // The issues: ";" like the sheet, UTF-8 with a BOM, CRLF, rows as the spreadsheet numbers them (header = row 1).
    expect([...issuesCsv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(issuesCsv.subarray(3));
    expect(text.split("\r\n")[0]).toBe("Row;SKU;Column;Rule;Severity;Message;Value;Suggestion");
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    expect(reportRows.find((r) => r[3] === "common.gtin.check_digit")?.slice(0, 3)).toEqual(["4", "CEL-IP11-US", "EAN"]);
    expect(reportRows.find((r) => r[3] === "mapping.number.invalid")?.slice(0, 3)).toEqual(["5", "CEL-X-CONS", "Preço (R$)"]);
    expect(reportRows.find((r) => r[3] === "common.ncm.format")?.slice(0, 3)).toEqual(["3", "CEL-G54-GR", "NCM"]);
  });

  it("without a mapping, reads the sheet's Portuguese column names", () => {
    const run = validate(cp1252Sheet("pelos-nomes.csv"), "--pack", "mercadolivre");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("4 records checked against mercadolivre, columns recognised by their names");
    expect(run.stdout).not.toMatch(/required/);
  });

  it("without a mapping, finds the header below a title and writes the title back untouched", () => {
    const sheet = path.join(work, "com-titulo.csv");
    const text = `Planilha de produtos - Loja da Ana;;;\r\n;;;\r\nsku;título;preço;estoque\r\nCAN-001;Caneca  Azul;29,90;10\r\n`;
    writeFileSync(sheet, encodeText(text, "windows-1252").bytes);
    const out = path.join(work, "com-titulo");
    const run = validate(sheet, "--pack", "common", "--fix", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("1 record checked against common, columns recognised by their names");
    const corrected = cp1252.decode(readFileSync(path.join(out, "com-titulo.corrigido.csv")));
    expect(corrected).toBe(text.replace("Caneca  Azul", "Caneca Azul"));
    expect(readFileSync(path.join(out, "com-titulo.problemas.csv"), "utf8")).toMatch(/\n4;CAN-001;título;common\.title\.spaces/);
    expect(validate(sheet, "--pack", "common", "--lang", "pt-BR").stdout).toContain("1 registro conferido com common, colunas reconhecidas pelos nomes");
  });

  it("without a mapping, stops with a message that says what to do when a column only the suggester can place would be left out, in the language asked for", () => {
    const sheet = path.join(work, "sem-mapa.csv");
    writeFileSync(sheet, encodeText(SHEET_CSV.replace("Nome do Produto", "Nome do Produto na Loja"), "windows-1252").bytes);
    const en = validate(sheet, "--pack", "mercadolivre");
    expect(en.code).toBe(2);
    expect(en.stdout).toBe("");
    expect(en.stderr).toContain('The columns "Nome do Produto na Loja"');
    expect(en.stderr).toContain("Run again with --suggest");
    const pt = validate(sheet, "--pack", "mercadolivre", "--lang", "pt-BR");
    expect(pt.code).toBe(2);
    expect(pt.stderr).toContain("Rode de novo com --suggest");
  });

  it("with the saved mapping and a category: attributes missing on every record are one line each; says when Windows-1252 cannot hold a fix", () => {
    const sheet = cp1252Sheet("com-mapa.csv");
    const out = path.join(work, "com-mapa");
    expect(validate(sheet, "--pack", "mercadolivre", "--suggest", "--out", out).code).toBe(1);
    // A pack of the seller's own that adds a check mark Windows-1252 cannot hold.
    const pack = path.join(work, "minha-loja.yaml");
    writeFileSync(
      pack,
      [
        "id: minha-loja",
        "name: Minha loja",
        "version: 1.0.0",
        "extends: mercadolivre",
        "rules:",
        "  - id: loja.title.original",
        "    field: title",
        "    check: normalized",
        '    fix: { replace: { pattern: "Azul$", with: "Azul ✓" } }',
        "",
      ].join("\n"),
    );
    const mapping = path.join(out, "com-mapa.mapeamento.json");
    const run = validate(sheet, "--pack", pack, "--category", "MLB1055", "--mapping", mapping, "--fix", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`4 records checked against minha-loja/MLB1055, mapping ${mapping}`);
    expect(run.stdout).toMatch(/loja\.title\.original — corrected in 1/);
    // Suggested without the category, the mapping fills none of MLB1055's attributes: 7 rules fail on all 4 phones.
    const everywhere = [...run.stdout.matchAll(/^ {2}error\s+4 \(100%\)\s+(\S+)\n.*\n\s+rows: 2, 3, 4, 5\n/gm)].map((m) => m[1]);
    expect(everywhere).toHaveLength(7);
    expect(everywhere.every((rule) => rule.startsWith("ml.mlb1055.") && rule.endsWith(".required"))).toBe(true);
    expect(run.stdout.match(/ml\.mlb1055\.line\.required/g)).toHaveLength(1);
    expect(run.stdout).toContain("written as UTF-8 with BOM, not Windows-1252 like the original: a corrected value (row 2)");
    const corrected = readFileSync(path.join(out, "com-mapa.corrigido.csv"));
    expect([...corrected.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(corrected.subarray(3))).toBe(expectedCorrected().replace("128GB Azul;", "128GB Azul ✓;"));
  });

  it("an XLSX comes back as the same workbook with only the fixed cells changed, and the issues as a workbook", async () => {
    const workbook = path.join(work, "planilha.xlsx");
    writeFileSync(workbook, await buildXlsx({ sheets: [{ name: "Produtos", rows: [SHEET_HEADER, ...SHEET_ROWS] }, { name: "Leia-me", rows: [["não mexer"]] }] }));
    const out = path.join(work, "xlsx");
    const run = validate(workbook, "--pack", "mercadolivre", "--suggest", "--fix", "--out", out, "--lang", "pt-BR");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("4 registros conferidos com mercadolivre, mapeamento sugerido");
    const { bytesReader, openXlsx, xlsxToRows } = await import("../../src/core/tabular");
    const read = async (file: string) => {
      const rows = xlsxToRows(bytesReader(readFileSync(file)));
      const all = [await rows.header()];
      for await (const row of rows) all.push(row.values);
      return all;
    };
    const before = await read(workbook);
    const after = await read(path.join(out, "planilha.corrigido.xlsx"));
    const changed = before.flatMap((r, i) => r.flatMap((v, j) => (after[i][j] === v ? [] : [`${i + 1}:${SHEET_HEADER[j]}=${after[i][j]}`])));
    expect(changed).toEqual([
      "3:NCM=85171300",
      "4:Nome do Produto=Apple iPhone 11 64GB Preto Seminovo Com Garantia E Nota",
      "4:Imagem 1=https://cdn.loja.com.br/fotos/iphone11-1.jpg",
    ]);
    expect((await openXlsx(bytesReader(readFileSync(path.join(out, "planilha.corrigido.xlsx"))))).sheets.map((s) => s.name)).toEqual(["Produtos", "Leia-me"]);
    const report = await openXlsx(bytesReader(readFileSync(path.join(out, "planilha.problemas.xlsx"))));
    expect(report.sheets.map((s) => s.name)).toEqual(["Problemas", "Por regra"]);
    const issues = await read(path.join(out, "planilha.problemas.xlsx"));
    expect(issues.find((r) => r[3] === "common.gtin.check_digit")?.slice(0, 3)).toEqual(["4", "CEL-IP11-US", "EAN"]);
  });

  it("--help prints the usage and exit codes, in pt-BR or English", () => {
    const pt = validate("--help", "--lang", "pt-BR");
    expect(pt.code).toBe(0);
    expect(pt.stdout).toContain("npm run validate -- <arquivo> [--pack P]");
    expect(pt.stdout).toContain("Códigos de saída:");
    const en = validate("-h");
    expect(en.code).toBe(0);
    expect(en.stdout).toContain("Exit codes:\n  0  every record is valid");
  });

  it("refuses what it cannot use with exit code 2 and a reason", () => {
    const sheet = cp1252Sheet("erros.csv");
    expect(validate(sheet, "--bogus").code).toBe(2);
    const noPack = validate(sheet);
    expect([noPack.code, noPack.stderr]).toEqual([2, expect.stringContaining("--pack mercadolivre")]);
    const category = validate(sheet, "--pack", "mercadolivre", "--category", "MLB9999", "--suggest");
    expect([category.code, category.stderr]).toEqual([2, expect.stringContaining("MLB1055 (Celulares e Smartphones)")]);
    const both = validate(sheet, "--pack", "mercadolivre", "--suggest", "--mapping", "x.json");
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining("not both")]);
    const missing = validate(path.join(work, "nao-existe.csv"), "--pack", "mercadolivre");
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("There is no file")]);
  });
});
