import type { Severity } from "../../core/rules";
import type { IssueFilter } from "../../services/jobs/results";

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** The issue filters a job page's query names, as the jobs service takes them (unknown values dropped). */
export function filterFromQuery(query: Record<string, string | undefined>): IssueFilter {
  const value = (name: string, max = 256) => {
    const raw = query[name]?.trim();
    return raw ? raw.slice(0, max) : undefined;
  };
  const severity = query.severity as Severity | undefined;
  return {
    severity: severity && SEVERITIES.includes(severity) ? severity : undefined,
    rule: value("rule", 128),
    field: value("field", 128),
    column: value("column"),
    sku: value("sku"),
    skuPrefix: value("sku_prefix"),
  };
}

/** The filter as query parameters, for links that keep it (paging, downloads). */
export function filterQuery(filter: IssueFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  const fields: [string, string | undefined][] = [
    ["severity", filter.severity],
    ["rule", filter.rule],
    ["field", filter.field],
    ["column", filter.column],
    ["sku", filter.sku],
    ["sku_prefix", filter.skuPrefix],
  ];
  for (const [name, v] of fields) if (v) params.set(name, v);
  for (const [name, v] of Object.entries(extra)) params.set(name, v);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasFilter(filter: IssueFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}
