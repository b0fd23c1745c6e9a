import path from "node:path";
import { type CompiledMapping, compileMapping, fieldColumns, type MappingDefinition, type RowMapper } from "../../src/core/mapping";
import { RecordPipeline, type RecordOutcome } from "../../src/core/pipeline";
import { addResult, emptySummary, type ValidationSummary } from "../../src/core/report";
import type { CompiledPack, Issue } from "../../src/core/rules";
import {
  changedCells,
  type CorrectedFileEncoding,
  csvLine,
  type CsvDialect,
  type ReportIssue,
  rewriteCsvRecord,
  rewriteXlsx,
  type TabularRow,
  type XlsxCellEdit,
  type XlsxRewriteResult,
} from "../../src/core/tabular";
import type { Locale } from "../../src/core/text";
import { CorrectedCsv, IssueSpool, LinesFile, writeIssuesReport, writeWhole } from "./outputs";
import { csvRows, jsonRecords, type Source, xlsxRows } from "./source";

export interface RunSetup {
  source: Source;
  pack: CompiledPack;
  category?: string;
  locale: Locale;
  fix: boolean;
  /** How the source's columns become canonical records; without one, JSON records are canonical already. */
  mapping?: MappingDefinition;
  /** Where to write the corrected file (with `fix`) and the issues report; nothing is written without it. */
  outDir?: string;
  /** A scratch folder for spools. */
  tempDir: string;
}

export interface RunResult {
  summary: ValidationSummary;
  /** The issues report, when one was written. */
  issuesPath?: string;
  corrected?: {
    path: string;
    /** CSV: the encoding written, and whether it had to leave the source's. */
    encoding?: CorrectedFileEncoding;
    /** CSV written as UTF-8 instead of Windows-1252: the first row that needed it. */
    firstUnencodableRow?: number;
    /** XLSX: what the workbook rewrite did (cells it could not change). */
    workbook?: XlsxRewriteResult;
  };
}

/** Validates the whole source once, writing the corrected file and the issues report as it goes. */
export async function validateSource(setup: RunSetup): Promise<RunResult> {
  const { source, outDir } = setup;
  const format = source.sniffed.format;
  const writing = outDir !== undefined;
  const issuesPath = writing ? path.join(outDir, `${source.stem}.problemas.${format === "xlsx" ? "xlsx" : "csv"}`) : undefined;
  const spool = writing ? new IssueSpool(path.join(setup.tempDir, "issues.ndjson")) : undefined;
  const summary = emptySummary();
  let corrected: RunResult["corrected"];
  try {
    const record: RecordSink = async (outcome, columns, sku) => {
      addResult(summary, outcome);
      if (spool) for (const issue of outcome.issues) await spool.add(reportIssue(issue, sku, columns));
    };
    if (format === "csv") corrected = await validateCsv(setup, record);
    else if (format === "xlsx") corrected = await validateXlsx(setup, record);
    else corrected = await validateJson(setup, record);
    if (spool && issuesPath) {
      await spool.close();
      await writeIssuesReport(spool, issuesPath, format === "xlsx" ? "xlsx" : "csv", format === "csv" ? source.sniffed.delimiter : null, setup.locale);
    }
  } finally {
    spool?.discard();
  }
  return { summary, issuesPath, corrected };
}

/** Counts a record's outcome and reports its issues; `sku` is the record's canonical SKU, when it has one. */
type RecordSink = (outcome: RecordOutcome<unknown>, columns: ReadonlyMap<string, string>, sku: unknown) => Promise<void>;

/** The corrected file's name: `<name>.corrigido.<ext>`, the source's own extension (or its format's). */
function correctedPath(setup: RunSetup): string {
  const { source } = setup;
  const ext = source.ext || `.${source.sniffed.format}`;
  return path.join(setup.outDir!, `${source.stem}.corrigido${ext}`);
}

/** The seller's column(s) of each canonical field, for the report's "column". */
function columnNames(mapping: CompiledMapping | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of mapping?.definition.fields ?? []) {
    const columns = fieldColumns(f);
    if (columns.length > 0 && !out.has(f.target)) out.set(f.target, columns.join(", "));
  }
  return out;
}

function reportIssue(issue: Issue, sku: unknown, columns: ReadonlyMap<string, string>): ReportIssue {
  const bracket = issue.field.indexOf("[");
  const column = columns.get(bracket < 0 ? issue.field : issue.field.slice(0, bracket));
  const out: ReportIssue = { row: issue.row, field: issue.field, rule: issue.rule, severity: issue.severity, message: issue.message, value: issue.value };
  if (column !== undefined) out.column = column;
  if (sku !== undefined && sku !== null && sku !== "") out.sku = String(sku);
  if (issue.suggestion !== undefined) out.suggestion = issue.suggestion;
  return out;
}

function tabularPipeline(setup: RunSetup, header: readonly string[]): { pipeline: RecordPipeline; compiled: CompiledMapping } {
  if (!setup.mapping) throw new Error("a CSV or XLSX source is read through a mapping");
  const compiled = compileMapping(setup.mapping);
  const rows: RowMapper = compiled.bind(header, { locale: setup.locale });
  const validator = setup.pack.createValidator({ category: setup.category, locale: setup.locale, applyFixes: setup.fix });
  return { pipeline: new RecordPipeline({ validator, applyFixes: setup.fix, locale: setup.locale, rows }), compiled };
}

/** Rows as the spreadsheet numbers them: the header is row 1 when it is the first line. */
function sheetRowOf(row: TabularRow): number {
  return row.sheetRow ?? row.row + 1;
}

async function validateCsv(setup: RunSetup, record: RecordSink): Promise<RunResult["corrected"]> {
  const { sniffed } = setup.source;
  const out = setup.fix && setup.outDir !== undefined ? new CorrectedCsv(correctedPath(setup), { encoding: sniffed.encoding, bom: sniffed.bom }, path.join(setup.tempDir, "corrected.txt")) : undefined;
  const reader = csvRows(setup.source, out !== undefined);
  const header = (await reader.header()) ?? [];
  const { pipeline, compiled } = tabularPipeline(setup, header);
  const columns = columnNames(compiled);
  const dialect: CsvDialect = { delimiter: sniffed.delimiter, decimalComma: sniffed.decimalComma };
  if (out) await out.copy((await reader.headerSourceText()) ?? "");
  for await (const batch of reader.batches()) {
    for (const row of batch) {
      const sheetRow = sheetRowOf(row);
      const outcome = pipeline.cells(row.values, sheetRow, row.problem);
      await record(outcome, columns, outcome.mapped?.sku);
      if (!out) continue;
      const edits = outcome.corrected_source ? changedCells(row.values, outcome.corrected_source) : [];
      // A record over the reader's length limit keeps no source text; it is reported, and written as read.
      const text = row.sourceText ?? csvLine(row.values, sniffed.delimiter);
      await out.record(edits.length > 0 ? rewriteCsvRecord(text, edits, dialect) : text, edits.length > 0, sheetRow);
    }
  }
  if (!out) return undefined;
  await out.copy(reader.trailingSourceText());
  const encoding = await out.close();
  return { path: out.path, encoding, firstUnencodableRow: encoding.fellBack ? out.firstUnencodableRow : undefined };
}

async function validateXlsx(setup: RunSetup, record: RecordSink): Promise<RunResult["corrected"]> {
  const reader = xlsxRows(setup.source);
  const header = await reader.header();
  const { pipeline, compiled } = tabularPipeline(setup, header);
  const columns = columnNames(compiled);
  const fixing = setup.fix && setup.outDir !== undefined;
  // Validating the rows yields the changed cells, which the workbook rewrite takes as it streams.
  async function* edits(): AsyncGenerator<XlsxCellEdit> {
    for await (const row of reader) {
      const outcome = pipeline.cells(row.values, row.sheetRow, row.problem);
      await record(outcome, columns, outcome.mapped?.sku);
      if (!fixing || !outcome.corrected_source) continue;
      for (const e of changedCells(row.values, outcome.corrected_source)) yield { sheetRow: row.sheetRow, column: e.column, value: e.value };
    }
  }
  if (!fixing) {
    for await (const _edit of edits());
    return undefined;
  }
  const target = correctedPath(setup);
  const { stream, result } = rewriteXlsx(setup.source.reader, edits());
  await writeWhole(target, stream);
  return { path: target, workbook: await result };
}

async function validateJson(setup: RunSetup, record: RecordSink): Promise<RunResult["corrected"]> {
  const compiled = setup.mapping ? compileMapping(setup.mapping) : undefined;
  const columns = columnNames(compiled);
  const validator = setup.pack.createValidator({ category: setup.category, locale: setup.locale, applyFixes: setup.fix });
  const pipeline = new RecordPipeline({ validator, applyFixes: setup.fix, locale: setup.locale, mapping: compiled });
  const array = setup.source.sniffed.format === "json";
  const out = setup.fix && setup.outDir !== undefined ? new LinesFile(correctedPath(setup)) : undefined;
  let first = true;
  if (out && array) await out.write("[");
  for await (const r of jsonRecords(setup.source)) {
    const outcome = pipeline.object(r.value ?? {}, r.row, r.problem);
    await record(outcome, columns, (outcome.mapped ?? r.value)?.sku);
    // A record that could not be read has nothing to write back; the report names its row.
    const value = outcome.corrected_source ?? outcome.corrected;
    if (!out || value === undefined) continue;
    await out.write(array ? `${first ? "\n" : ",\n"}${JSON.stringify(value)}` : `${JSON.stringify(value)}\n`);
    first = false;
  }
  if (!out) return undefined;
  if (array) await out.write(first ? "]\n" : "\n]\n");
  await out.close();
  return { path: out.path };
}
