import type { Locale } from "../text";
import { render, text, type Text } from "../text";
import { type CsvStreamOptions, toCsvStream } from "./csv-writer";
import { type XlsxCell, xlsxStream } from "./xlsx-writer";

/** What a report shows of an issue (the shape of `Issue` in core/rules, plus the seller's column and SKU). */
export interface ReportIssue {
  /** The row the seller's spreadsheet shows. */
  row: number;
  sku?: string;
  /** The seller's own column name; the canonical field when there is none. */
  column?: string;
  field: string;
  rule: string;
  severity: "error" | "warning" | "info";
  message: string | Text;
  value?: unknown;
  suggestion?: unknown;
}

const COLUMNS = {
  row: text("Row", "Linha"),
  sku: text("SKU", "SKU"),
  column: text("Column", "Coluna"),
  rule: text("Rule", "Regra"),
  severity: text("Severity", "Gravidade"),
  message: text("Message", "Mensagem"),
  value: text("Value", "Valor"),
  suggestion: text("Suggestion", "Sugestão"),
};
const GROUP_COLUMNS = [text("Rule", "Regra"), text("Severity", "Gravidade"), text("Issues", "Problemas"), text("Column", "Coluna"), text("Example", "Exemplo")];
const SEVERITY: Record<ReportIssue["severity"], Text> = {
  error: text("error", "erro"),
  warning: text("warning", "aviso"),
  info: text("info", "info"),
};
const SHEETS = { issues: text("Issues", "Problemas"), byRule: text("By rule", "Por regra") };

/** The report's column headings, in order. */
export function issueReportHeader(locale: Locale): string[] {
  return Object.values(COLUMNS).map((t) => render(t, locale));
}

/** One issue as report cells, in the order of `issueReportHeader`; objects (lists, maps) as JSON. */
export function issueReportCells(issue: ReportIssue, locale: Locale): XlsxCell[] {
  return [
    issue.row,
    issue.sku ?? "",
    issue.column ?? issue.field,
    issue.rule,
    render(SEVERITY[issue.severity] ?? issue.severity, locale),
    render(issue.message, locale),
    cell(issue.value),
    cell(issue.suggestion),
  ];
}

function cell(value: unknown): XlsxCell {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value) ?? "";
}

/**
 * The issues report as a workbook: a sheet with one issue per row (row, SKU, column, rule,
 * severity, message, value, suggestion), then a sheet with one line per rule and its exact
 * count, most frequent first. Streams the issues once; only the per-rule tally is held.
 */
export function issuesWorkbook(issues: AsyncIterable<ReportIssue> | Iterable<ReportIssue>, locale: Locale): ReadableStream<Uint8Array> {
  const byRule = new Map<string, { severity: ReportIssue["severity"]; count: number; column: string; example: string }>();
  async function* issueRows(): AsyncGenerator<XlsxCell[]> {
    yield issueReportHeader(locale);
    for await (const issue of issues) {
      const group = byRule.get(issue.rule);
      if (group === undefined) {
        byRule.set(issue.rule, { severity: issue.severity, count: 1, column: issue.column ?? issue.field, example: render(issue.message, locale) });
      } else group.count++;
      yield issueReportCells(issue, locale);
    }
  }
  function* ruleRows(): Generator<XlsxCell[]> {
    yield GROUP_COLUMNS.map((t) => render(t, locale));
    const groups = [...byRule.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    for (const [rule, g] of groups) yield [rule, render(SEVERITY[g.severity] ?? g.severity, locale), g.count, g.column, g.example];
  }
  return xlsxStream([
    { name: render(SHEETS.issues, locale), rows: issueRows, header: true, widths: [8, 16, 20, 28, 10, 60, 30, 30] },
    { name: render(SHEETS.byRule, locale), rows: ruleRows, header: true, widths: [28, 10, 10, 20, 60] },
  ]);
}

/**
 * The issues report as CSV in a dialect (see `reportCsvDialect`): the same columns as the
 * workbook's first sheet, formula-looking cells neutralized, CRLF line ends.
 */
export function issuesCsv(
  issues: AsyncIterable<ReportIssue> | Iterable<ReportIssue>,
  locale: Locale,
  dialect: Pick<CsvStreamOptions, "delimiter" | "encoding" | "bom" | "onUnencodable">,
): ReadableStream<Uint8Array> {
  async function* rows(): AsyncGenerator<XlsxCell[]> {
    for await (const issue of issues) yield issueReportCells(issue, locale);
  }
  return toCsvStream(rows(), { ...dialect, header: issueReportHeader(locale) });
}
