/**
 * Validates a catalog file on this machine with the same core the API uses (record pipeline,
 * mapping suggester and layout presets, rule packs, corrected-file and report writers, top_issues).
 * Usage, files written and exit codes: `npm run validate -- --help`, and docs/cli.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VitrineError } from "../src/core/errors";
import { topIssues } from "../src/core/report";
import { TabularError } from "../src/core/tabular";
import { type Locale, render, text, type Text } from "../src/core/text";
import { type CliOptions, EXIT, localeFrom, readArgs, usageError, usageText } from "./cli/args";
import { automaticChoice, type MappingChoice, readMappingFile, suggestedChoice, suggestFor } from "./cli/mapping";
import { builtinLayoutPresets, checkCategory, loadPack } from "./cli/packs";
import { summaryLines, suggestionLines } from "./cli/print";
import { validateSource } from "./cli/run";
import { openSource, sampleOf } from "./cli/source";

async function run(opts: CliOptions): Promise<number> {
  const { locale } = opts;
  const say = (line: string) => console.log(line);
  const fromFile = opts.mapping !== undefined ? readMappingFile(opts.mapping) : undefined;
  // Like the API: without a pack, the mapping's marketplace (and its category) says which rules apply.
  const packId = opts.pack ?? fromFile?.marketplace;
  if (packId === undefined) {
    throw usageError(
      "Say which rules to check: --pack mercadolivre (or shopee, google-merchant, common, or the path of your pack.yaml).",
      "Diga quais regras conferir: --pack mercadolivre (ou shopee, google-merchant, common, ou o caminho do seu pacote .yaml).",
    );
  }
  const category = opts.category ?? (opts.pack === undefined ? (fromFile?.category ?? undefined) : undefined);
  const pack = loadPack(packId);
  checkCategory(pack, category);

  const source = await openSource(opts.file);
  const outDir = opts.out ?? path.dirname(opts.file);
  try {
    if (opts.out !== undefined) mkdirSync(opts.out, { recursive: true });
    const tabular = source.sniffed.format === "csv" || source.sniffed.format === "xlsx";
    let choice: MappingChoice | undefined;
    if (fromFile) choice = { kind: "file", definition: fromFile, path: opts.mapping! };
    else if (opts.suggest) {
      const suggestion = suggestFor(await sampleOf(source), pack, category, builtinLayoutPresets());
      choice = suggestedChoice(opts.file, suggestion);
      const saved = path.join(outDir, `${source.stem}.mapeamento.json`);
      writeFileSync(saved, JSON.stringify(suggestion.mapping, null, 2) + "\n");
      for (const line of suggestionLines(opts.file, suggestion, saved, locale)) say(line);
      say("");
    } else if (tabular) {
      choice = automaticChoice(opts.file, await sampleOf(source), pack, category, builtinLayoutPresets(), source.sniffed.decimalComma);
    }

    const tempDir = mkdtempSync(path.join(os.tmpdir(), "vitrine-validate-"));
    let result;
    try {
      const writes = opts.fix || opts.out !== undefined;
      result = await validateSource({ source, pack, category, locale, fix: opts.fix, mapping: choice?.definition, outDir: writes ? outDir : undefined, tempDir });
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }

    const top = topIssues(result.summary, pack.rules(category), locale);
    for (const line of summaryLines({ file: opts.file, pack: pack.id, category, mapping: mappingLabel(choice) }, result.summary, top, locale)) say(line);
    say("");
    const corrected = result.corrected;
    if (corrected) {
      say(render(text(`Corrected file: ${corrected.path}`, `Arquivo corrigido: ${corrected.path}`), locale));
      if (corrected.encoding?.fellBack) {
        const row = corrected.firstUnencodableRow;
        say(
          render(
            text(
              `  written as UTF-8 with BOM, not Windows-1252 like the original: a corrected value (row ${row}) has a character Windows-1252 lacks. Excel opens it correctly.`,
              `  gravado em UTF-8 com BOM, e não em Windows-1252 como o original: um valor corrigido (linha ${row}) tem um caractere que o Windows-1252 não tem. O Excel abre corretamente.`,
            ),
            locale,
          ),
        );
      }
      const skipped = corrected.workbook?.skipped ?? [];
      if (skipped.length > 0) {
        const cells = skipped.slice(0, 10).map((s) => `${columnLetter(s.column)}${s.sheetRow}`).join(", ");
        say(
          render(
            text(
              `  ${corrected.workbook!.skippedCount} cell(s) left as they were, being part of a formula that spans other cells: ${cells}`,
              `  ${corrected.workbook!.skippedCount} célula(s) mantida(s) como estavam, por fazerem parte de uma fórmula que abrange outras células: ${cells}`,
            ),
            locale,
          ),
        );
      }
    }
    if (result.issuesPath) say(render(text(`Issues: ${result.issuesPath}`, `Problemas: ${result.issuesPath}`), locale));
    return result.summary.invalid > 0 ? EXIT.invalid : EXIT.valid;
  } finally {
    await source.close();
  }
}

function mappingLabel(choice: MappingChoice | undefined): Text | null {
  switch (choice?.kind) {
    case undefined:
      return null;
    case "file":
      return text(`mapping ${choice.path}`, `mapeamento ${choice.path}`);
    case "suggested":
      return text("suggested mapping", "mapeamento sugerido");
    case "preset":
      return text(`layout ${choice.preset.name}`, `modelo ${choice.preset.name}`);
    case "default":
      return text("columns recognised by their names", "colunas reconhecidas pelos nomes");
  }
}

function columnLetter(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** What went wrong, in the reader's language, with every located problem (pack lines, mapping pointers). */
function problemLines(error: VitrineError, locale: Locale): string[] {
  const lines = [render(error.detail, locale)];
  for (const p of error.extra.errors ?? []) {
    const where = p.line !== undefined ? (locale === "pt-BR" ? `linha ${p.line}: ` : `line ${p.line}: `) : p.pointer ? `${p.pointer}: ` : "";
    lines.push(`  ${where}${render(p.detail, locale)}`);
  }
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  const locale = localeFrom(argv, process.env);
  try {
    const opts = readArgs(argv, process.env);
    if (opts.help) {
      console.log(usageText(locale));
      return EXIT.valid;
    }
    return await run(opts);
  } catch (caught) {
    const error = caught instanceof TabularError ? caught.toVitrineError() : caught;
    if (error instanceof VitrineError) {
      for (const line of problemLines(error, locale)) console.error(line);
      return EXIT.usage;
    }
    console.error(render(text("Unexpected failure:", "Falha inesperada:"), locale), error);
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
