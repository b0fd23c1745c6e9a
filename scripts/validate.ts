/**
 * Validates a catalog file on this machine with the same core the API uses:
 *   npm run validate -- catalogo.csv --pack mercadolivre [--category MLB1055] [--fix corrigido.csv] [--lang pt-BR] [--issues issues.ndjson]
 * --pack takes a built-in pack id or a path to your own YAML pack (which may extend built-in ones).
 */
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { type Locale } from "../src/core/locale";
import { buildTemplate, compileMapping, defaultMapping } from "../src/core/mapping";
import { RecordPipeline, type RecordOutcome } from "../src/core/pipeline";
import { addResult, emptySummary } from "../src/core/report/summary";
import { type PackDefinition, PackError, compilePack, parsePack } from "../src/core/rules";
import { csvLine, parseCsv, parseJsonArray, parseNdjson, sniff, xlsxToRows, type Delimiter } from "../src/core/tabular";

const RULES_DIR = path.join(import.meta.dirname, "..", "rules");

function usage(message?: string): never {
  if (message) console.error(`error: ${message}\n`);
  console.error("usage: npm run validate -- <file> --pack <id|pack.yaml> [--category ID] [--fix out.csv] [--issues out.ndjson] [--lang en|pt-BR]");
  process.exit(2);
}

function loadPacks(packArg: string): { root: PackDefinition; resolve: (id: string) => PackDefinition | undefined } {
  const builtins = new Map<string, PackDefinition>();
  for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith(".yaml"))) {
    const def = parsePack(readFileSync(path.join(RULES_DIR, file), "utf8"), { trusted: true });
    builtins.set(def.id, def);
  }
  const root = existsSync(packArg) ? parsePack(readFileSync(packArg, "utf8"), { format: packArg.endsWith(".json") ? "json" : "yaml" }) : builtins.get(packArg);
  if (!root) usage(`unknown pack "${packArg}"; built-in packs: ${[...builtins.keys()].join(", ")}`);
  return { root, resolve: (id) => (id === root.id ? root : builtins.get(id)) };
}

async function main() {
  const { values: opts, positionals } = parseArgs({
    allowPositionals: true,
    options: { pack: { type: "string" }, category: { type: "string" }, fix: { type: "string" }, issues: { type: "string" }, lang: { type: "string", default: "en" } },
  });
  const file = positionals[0];
  if (!file || !opts.pack) usage();
  if (!existsSync(file)) usage(`no such file: ${file}`);
  const locale: Locale = opts.lang === "pt-BR" ? "pt-BR" : "en";
  const { root, resolve } = loadPacks(opts.pack);
  const pack = compilePack(root, resolve);
  const applyFixes = opts.fix !== undefined;
  const validator = pack.createValidator({ category: opts.category, locale, applyFixes });

  const handle = await open(file);
  const head = new Uint8Array(64 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const size = (await handle.stat()).size;
  const sniffed = sniff(head.subarray(0, bytesRead));
  const stream = () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;

  const summary = emptySummary();
  const fixOut = opts.fix ? createWriteStream(opts.fix) : null;
  const issuesOut = opts.issues ? createWriteStream(opts.issues) : null;
  const record = (outcome: RecordOutcome<unknown>) => {
    addResult(summary, outcome);
    if (issuesOut) for (const issue of outcome.issues) issuesOut.write(JSON.stringify(issue) + "\n");
  };

  if (sniffed.format === "csv" || sniffed.format === "xlsx") {
    const rows =
      sniffed.format === "csv"
        ? parseCsv(stream(), { encoding: sniffed.encoding, delimiter: sniffed.delimiter })
        : xlsxToRows({ size, read: async (offset, length) => { const b = new Uint8Array(length); await handle.read(b, 0, length, offset); return b; } });
    const header = (await rows.header()) ?? [];
    const delimiter: Delimiter = sniffed.format === "csv" ? sniffed.delimiter : ",";
    // The pack's template lets one column fill a field and its marketplace twin (brand → attributes.BRAND).
    const template = buildTemplate(pack, opts.category);
    const mapper = compileMapping(defaultMapping(header, pack.id, { decimalComma: sniffed.decimalComma, template })).bind(header, { locale });
    const pipeline = new RecordPipeline({ validator, applyFixes, locale, rows: mapper });
    fixOut?.write((sniffed.bom ? "\ufeff" : "") + csvLine(header, delimiter));
    for await (const row of rows) {
      const outcome = pipeline.cells(row.values, row.row, row.problem);
      record(outcome);
      if (outcome.corrected_source) fixOut?.write(csvLine(outcome.corrected_source, delimiter));
    }
  } else if (sniffed.format === "json" || sniffed.format === "ndjson") {
    const records = sniffed.format === "json" ? parseJsonArray(stream()) : parseNdjson(stream());
    const pipeline = new RecordPipeline({ validator, applyFixes, locale });
    for await (const r of records) {
      const outcome = pipeline.object(r.value ?? {}, r.row, r.problem);
      record(outcome);
      if (outcome.corrected) fixOut?.write(JSON.stringify(outcome.corrected) + "\n");
    }
  } else {
    usage(`${file} is not CSV, XLSX, JSON or NDJSON (looks like ${sniffed.format})`);
  }
  await handle.close();
  fixOut?.end();
  issuesOut?.end();

  const pct = (n: number) => (summary.records ? ((100 * n) / summary.records).toFixed(1) : "0.0");
  console.log(`${file}: ${summary.records} records against ${pack.id}${opts.category ? `/${opts.category}` : ""}`);
  console.log(`  valid ${summary.valid} (${pct(summary.valid)}%), invalid ${summary.invalid} (${pct(summary.invalid)}%), corrected ${summary.corrected}`);
  console.log(`  issues: ${summary.issues.error} errors, ${summary.issues.warning} warnings, ${summary.issues.info} info`);
  const top = Object.entries(summary.by_rule).sort((a, b) => b[1].count - a[1].count).slice(0, 15);
  for (const [rule, { severity, count }] of top) console.log(`  ${String(count).padStart(8)}  ${severity.padEnd(7)} ${rule}`);
  if (opts.fix) console.log(`corrected catalog written to ${opts.fix}`);
  if (opts.issues) console.log(`issues written to ${opts.issues}`);
  process.exitCode = summary.invalid > 0 ? 1 : 0;
}

main().catch((error) => {
  if (error instanceof PackError) {
    console.error(`invalid rule pack:\n${error.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ""}${p.detail}`).join("\n")}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
