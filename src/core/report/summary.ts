import type { RecordResult, Severity } from "../rules";

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
  };
}

/** `images[3]` counts as `images`. */
function baseField(field: string): string {
  const bracket = field.indexOf("[");
  return bracket === -1 ? field : field.slice(0, bracket);
}

export function addResult(summary: ValidationSummary, result: RecordResult): void {
  summary.records++;
  if (result.valid) summary.valid++;
  else summary.invalid++;
  let fixed = false;
  for (const issue of result.issues) {
    summary.issues[issue.severity]++;
    summary.issues.total++;
    const rule = (summary.by_rule[issue.rule] ??= { severity: issue.severity, count: 0 });
    rule.count++;
    const field = baseField(issue.field);
    summary.by_field[field] = (summary.by_field[field] ?? 0) + 1;
    if (issue.fixed) fixed = true;
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
  return into;
}
