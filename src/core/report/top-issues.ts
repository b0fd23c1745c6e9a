import type { RuleInfo, Severity } from "../rules";
import { type Locale, render } from "../text";
import { explainRule } from "./explanations";
import type { ValidationSummary } from "./summary";

/**
 * One line of the grouped diagnostics: a rule and the records it affects. A rule that fails on
 * every record is this one line, not thousands of issues (as Google Merchant Center groups its
 * diagnostics by issue).
 */
export interface TopIssue {
  rule: string;
  severity: Severity;
  /** The canonical field the rule checks; null when its issues are on several fields, or none. */
  field: string | null;
  /** Records with at least one issue of the rule. */
  records: number;
  /** records / the catalog's records, 0–1, rounded to 4 decimals. */
  share: number;
  /** Of those records, the ones fixes corrected for this rule. */
  corrected: number;
  /** Issues of the rule (a record may have several, e.g. one per picture). */
  issues: number;
  explanation: string;
  /** The smallest rows of affected records (at most 5), as the seller's spreadsheet shows them. */
  examples: number[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The summary's issues grouped by rule and ordered by impact: errors before warnings before info,
 * then by affected records. `rules` is the pack's rule info (`CompiledPack.rules(category)`), for
 * the explanations and fields; rules it lacks (mapping and file problems) are explained too.
 */
export function topIssues(summary: ValidationSummary, rules: readonly RuleInfo[], locale: Locale): TopIssue[] {
  const info = new Map(rules.map((r) => [r.id, r]));
  const out: TopIssue[] = [];
  for (const [rule, { severity, count }] of Object.entries(summary.by_rule)) {
    const tally = summary.records_by_rule?.[rule];
    const r = info.get(rule);
    // A summary stored before records were counted per rule: its issue count bounds them.
    const records = tally?.records ?? Math.min(count, summary.records);
    const field = r?.field ?? tally?.field ?? null;
    out.push({
      rule,
      severity,
      field,
      records,
      share: summary.records > 0 ? Math.round((records / summary.records) * 10_000) / 10_000 : 0,
      corrected: tally?.corrected ?? 0,
      issues: count,
      explanation: render(explainRule(rule, r, field), locale),
      examples: tally?.examples.slice() ?? [],
    });
  }
  return out.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.records - a.records || b.issues - a.issues || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
