import type { Suggestion } from "../../src/core/mapping";
import type { TopIssue, ValidationSummary } from "../../src/core/report";
import { type Locale, render, text, type Text } from "../../src/core/text";

/** Messages the CLI prints, in both languages. */
const T = {
  severity: { error: text("error", "erro"), warning: text("warning", "aviso"), info: text("info", "info") } as Record<TopIssue["severity"], Text>,
  rows: text("rows", "linhas"),
  corrected: (n: number) => text(`corrected in ${n}`, `corrigido em ${n}`),
  records: (n: number) => (n === 1 ? text("1 record", "1 registro") : text(`${n} records`, `${n} registros`)),
};

function pct(part: number, whole: number, locale: Locale): string {
  const p = whole > 0 ? (100 * part) / whole : 0;
  const s = Number.isInteger(p) ? String(p) : p.toFixed(1);
  return `${locale === "pt-BR" ? s.replace(".", ",") : s}%`;
}

export interface SummaryHeading {
  file: string;
  pack: string;
  category?: string;
  /** How the columns were read: "suggested mapping", "layout Bling", … */
  mapping: Text | null;
}

/** The run's summary, as the API's summary and top_issues say it: counts, then every rule, grouped and by impact. */
export function summaryLines(heading: SummaryHeading, summary: ValidationSummary, top: readonly TopIssue[], locale: Locale): string[] {
  const r = (t: Text) => render(t, locale);
  const n = summary.records;
  const against = `${heading.pack}${heading.category ? `/${heading.category}` : ""}`;
  const how = heading.mapping ? `, ${r(heading.mapping)}` : "";
  const lines = [
    r(text(`${heading.file}: ${r(T.records(n))} checked against ${against}${how}`, `${heading.file}: ${r(T.records(n))} ${n === 1 ? "conferido" : "conferidos"} com ${against}${how}`)),
    r(
      text(
        `  valid ${summary.valid} (${pct(summary.valid, n, locale)}), invalid ${summary.invalid} (${pct(summary.invalid, n, locale)}), corrected ${summary.corrected}`,
        `  válidos ${summary.valid} (${pct(summary.valid, n, locale)}), inválidos ${summary.invalid} (${pct(summary.invalid, n, locale)}), corrigidos ${summary.corrected}`,
      ),
    ),
    r(
      text(
        `  issues: ${summary.issues.error} errors, ${summary.issues.warning} warnings, ${summary.issues.info} info`,
        `  problemas: ${summary.issues.error} erros, ${summary.issues.warning} avisos, ${summary.issues.info} informativos`,
      ),
    ),
  ];
  if (top.length === 0) return lines;
  lines.push("", r(text("Issues by rule (records affected, most serious first):", "Problemas por regra (registros afetados, os mais graves primeiro):")));
  const width = Math.max(...top.map((t) => String(t.records).length));
  for (const t of top) {
    const fixed = t.corrected > 0 ? ` — ${r(T.corrected(t.corrected))}` : "";
    lines.push(`  ${r(T.severity[t.severity]).padEnd(7)} ${String(t.records).padStart(width)} (${pct(t.records, n, locale)})  ${t.rule}${fixed}`);
    lines.push(`          ${t.explanation}`);
    if (t.examples.length > 0) lines.push(`          ${r(T.rows)}: ${t.examples.join(", ")}${t.records > t.examples.length ? ", …" : ""}`);
  }
  return lines;
}

function confidence(c: number, locale: Locale): string {
  const s = c.toFixed(2);
  return locale === "pt-BR" ? s.replace(".", ",") : s;
}

/** The suggested mapping as a table of column → field, with what it could not place. */
export function suggestionLines(file: string, suggestion: Suggestion, savedTo: string, locale: Locale): string[] {
  const r = (t: Text) => render(t, locale);
  const lines: string[] = [];
  const preset = suggestion.preset ? ` (${r(text("layout", "modelo"))} ${suggestion.preset.name})` : "";
  lines.push(r(text(`Suggested mapping for ${file}${preset}:`, `Mapeamento sugerido para ${file}${preset}:`)));
  const proposed = suggestion.fields.filter((f) => f.status === "proposed");
  const left = (f: (typeof proposed)[number]) =>
    f.source !== undefined ? `"${f.source}"` : f.sources !== undefined ? f.sources.map((s) => `"${s}"`).join(" + ") : `${r(text("constant", "constante"))} ${JSON.stringify(f.value)}`;
  const width = Math.min(40, Math.max(...proposed.map((f) => left(f).length)));
  for (const f of proposed) lines.push(`  ${left(f).padEnd(width)}  →  ${f.target.padEnd(24)} ${confidence(f.confidence, locale)}`);
  if (suggestion.unmapped_required.length > 0) {
    lines.push(r(text(`  Required fields no column fills: ${suggestion.unmapped_required.join(", ")}`, `  Campos exigidos que nenhuma coluna preenche: ${suggestion.unmapped_required.join(", ")}`)));
  }
  for (const q of suggestion.questions) {
    const candidates = q.candidates.map((c) => `${c.columns.map((s) => `"${s}"`).join(" + ")} (${confidence(c.confidence, locale)})`).join(", ");
    lines.push(`  ? ${r(q.text)}${candidates ? ` ${r(text("Maybe", "Talvez"))}: ${candidates}` : ""}`);
  }
  if (suggestion.unmapped_columns.length > 0) {
    lines.push(r(text(`  Columns left out: ${suggestion.unmapped_columns.map((c) => `"${c}"`).join(", ")}`, `  Colunas deixadas de fora: ${suggestion.unmapped_columns.map((c) => `"${c}"`).join(", ")}`)));
  }
  lines.push(r(text(`Saved to ${savedTo}: review it and pass it with --mapping next time.`, `Salvo em ${savedTo}: revise e informe com --mapping da próxima vez.`)));
  return lines;
}
