import type { RecordResult, Severity } from "../rules";

/** How many examples a rule keeps. */
export const MAX_EXAMPLES = 5;

/** The records one rule affected; the mergeable basis of `top_issues`. */
export interface RuleRecords {
  /** Records with at least one issue of the rule. */
  records: number;
  /** Of those, records where fixes resolved every issue of the rule. */
  corrected: number;
  /**
   * The smallest rows among them, ascending, at most MAX_EXAMPLES: the smallest rather than the
   * first seen, so merging chunk summaries in any order gives the same rows.
   */
  examples: number[];
  /** The field its issues are on (`images[3]` counts as `images`); null when on several, or on none. */
  field: string | null;
}

/** Exact counts over a set of validated records; mergeable across chunks. */
export interface ValidationSummary {
  records: number;
  valid: number;
  invalid: number;
  /** records with at least one fix applied */
  corrected: number;
  issues: Record<Severity, number> & { total: number };
  by_rule: Record<string, { severity: Severity; count: number }>;
  by_field: Record<string, number>;
  records_by_rule: Record<string, RuleRecords>;
}

export function emptySummary(): ValidationSummary {
  return {
    records: 0,
    valid: 0,
    invalid: 0,
    corrected: 0,
    issues: { error: 0, warning: 0, info: 0, total: 0 },
    by_rule: {},
    by_field: {},
    records_by_rule: {},
  };
}

/** `images[3]` counts as `images`. */
function baseField(field: string): string {
  const bracket = field.indexOf("[");
  return bracket === -1 ? field : field.slice(0, bracket);
}

/** Adds `row` to ascending, distinct `examples`, keeping the MAX_EXAMPLES smallest. */
function addExample(examples: number[], row: number): void {
  if (examples.length === MAX_EXAMPLES && row >= examples[MAX_EXAMPLES - 1]) return;
  let i = examples.length;
  while (i > 0 && examples[i - 1] > row) i--;
  if (examples[i - 1] === row) return;
  examples.splice(i, 0, row);
  if (examples.length > MAX_EXAMPLES) examples.pop();
}

/**
 * Counts one record (at `row`) as affected by `rule`, once per record: for issues found outside
 * `addResult`, such as duplicates across the chunks of a job.
 */
export function countRuleRecord(summary: ValidationSummary, rule: string, field: string, row: number, corrected: boolean): void {
  const entry = (summary.records_by_rule[rule] ??= { records: 0, corrected: 0, examples: [], field: baseField(field) || null });
  entry.records++;
  if (corrected) entry.corrected++;
  if (entry.field !== null && entry.field !== baseField(field)) entry.field = null;
  addExample(entry.examples, row);
}

export function addResult(summary: ValidationSummary, result: RecordResult): void {
  summary.records++;
  if (result.valid) summary.valid++;
  else summary.invalid++;
  let fixed = false;
  const issues = result.issues;
  for (let i = 0; i < issues.length; i++) {
    const issue = issues[i];
    summary.issues[issue.severity]++;
    summary.issues.total++;
    const rule = (summary.by_rule[issue.rule] ??= { severity: issue.severity, count: 0 });
    rule.count++;
    const field = baseField(issue.field);
    summary.by_field[field] = (summary.by_field[field] ?? 0) + 1;
    if (issue.fixed) fixed = true;
    // A record counts once per rule; a record has few issues, so scanning them beats a set.
    let first = true;
    for (let j = 0; j < i && first; j++) if (issues[j].rule === issue.rule) first = false;
    if (first) {
      let allFixed = true;
      for (let j = i; j < issues.length && allFixed; j++) if (issues[j].rule === issue.rule && issues[j].fixed !== true) allFixed = false;
      countRuleRecord(summary, issue.rule, issue.field, issue.row, allFixed);
    } else {
      const entry = summary.records_by_rule[issue.rule];
      if (entry.field !== null && entry.field !== field) entry.field = null;
    }
  }
  if (fixed) summary.corrected++;
}

/** Adds `from` into `into`. */
export function mergeSummary(into: ValidationSummary, from: ValidationSummary): ValidationSummary {
  into.records += from.records;
  into.valid += from.valid;
  into.invalid += from.invalid;
  into.corrected += from.corrected;
  for (const s of ["error", "warning", "info", "total"] as const) into.issues[s] += from.issues[s];
  for (const [rule, { severity, count }] of Object.entries(from.by_rule)) {
    (into.by_rule[rule] ??= { severity, count: 0 }).count += count;
  }
  for (const [field, count] of Object.entries(from.by_field)) into.by_field[field] = (into.by_field[field] ?? 0) + count;
  // A job's state may predate per-rule records.
  into.records_by_rule ??= {};
  for (const [rule, entry] of Object.entries(from.records_by_rule ?? {})) {
    const target = into.records_by_rule[rule];
    if (target === undefined) {
      into.records_by_rule[rule] = { ...entry, examples: entry.examples.slice() };
      continue;
    }
    target.records += entry.records;
    target.corrected += entry.corrected;
    if (target.field !== entry.field) target.field = null;
    for (const row of entry.examples) addExample(target.examples, row);
  }
  return into;
}
