import type { FieldMappingDef, TransformDef } from "../core/mapping";
import type { MessageKey } from "./messages";

/**
 * The mapping editor as a plain form: one row of inputs per field. A row's "columns" hold one
 * column name per line (one line: `source`, several: `sources`); "transforms" one transform per
 * line, a bare name (`trim`) or a JSON object (`{"op":"truncate","max":60}`); "default" is the
 * constant when no column is given, else a `default` transform applied first.
 */
export interface MappingRow {
  target: string;
  columns: string;
  transforms: string;
  fallback: string;
  /** The suggestion's confidence (0–1), shown beside a suggested row. */
  confidence?: number;
}

export type RowKey = "target" | "columns" | "transforms" | "fallback";

/** A problem found in the form before the mapping reaches the service. */
export interface RowProblem {
  row: number;
  key: RowKey;
  message: MessageKey;
  vars?: Record<string, string | number>;
}

export const ROW_KEYS: readonly RowKey[] = ["target", "columns", "transforms", "fallback"];

/** Form input name of a row's cell: `target-3`. */
export const cellName = (key: RowKey, row: number) => `${key}-${row}`;

function transformLine(t: TransformDef): string {
  if (typeof t === "string") return t;
  const { op, ...params } = t;
  return Object.keys(params).length === 0 ? op : JSON.stringify(t);
}

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isPlainDefault(t: TransformDef): t is { op: "default"; value: unknown } {
  return typeof t === "object" && t.op === "default" && Object.keys(t).length === 2 && "value" in t;
}

/** Rows showing a saved (or suggested) mapping's fields. */
export function rowsFromFields(fields: readonly FieldMappingDef[]): MappingRow[] {
  return fields.map((f) => {
    const columns = f.sources ?? (f.source !== undefined ? [f.source] : []);
    let transforms = f.transforms ?? [];
    let fallback = f.value !== undefined ? valueText(f.value) : "";
    if (columns.length > 0 && transforms.length > 0 && isPlainDefault(transforms[0])) {
      fallback = valueText(transforms[0].value);
      transforms = transforms.slice(1);
    }
    return { target: f.target, columns: columns.join("\n"), transforms: transforms.map(transformLine).join("\n"), fallback };
  });
}

/** The rows a submitted form holds, in their order; rows ticked "remove" are dropped. */
export function rowsFromForm(values: Record<string, string>): MappingRow[] {
  const numbers = Object.keys(values)
    .map((name) => /^target-(\d{1,3})$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return numbers
    .filter((n) => values[`remove-${n}`] === undefined)
    .map((n) => ({
      target: (values[cellName("target", n)] ?? "").trim(),
      columns: values[cellName("columns", n)] ?? "",
      transforms: values[cellName("transforms", n)] ?? "",
      fallback: values[cellName("fallback", n)] ?? "",
    }));
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");

export const isEmptyRow = (r: MappingRow) => r.target === "" && lines(r.columns).length === 0 && lines(r.transforms).length === 0 && r.fallback.trim() === "";

/**
 * The mapping's fields from the rows. Empty rows are skipped; `rowOf[k]` is the row of field k, so
 * the service's problems (pointers such as `/fields/2/source`) are shown at their row.
 */
export function fieldsFromRows(rows: readonly MappingRow[]): { fields: FieldMappingDef[]; rowOf: number[]; defaultFirst: boolean[]; problems: RowProblem[] } {
  const fields: FieldMappingDef[] = [];
  const rowOf: number[] = [];
  const defaultFirst: boolean[] = [];
  const problems: RowProblem[] = [];
  rows.forEach((r, row) => {
    if (isEmptyRow(r)) return;
    const columns = lines(r.columns);
    const transforms: TransformDef[] = [];
    lines(r.transforms).forEach((line, n) => {
      if (!line.startsWith("{")) return transforms.push(line);
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || typeof (parsed as { op?: unknown }).op !== "string") throw new Error("not a transform");
        transforms.push(parsed as TransformDef);
      } catch {
        problems.push({ row, key: "transforms", message: "mappings.transformLineBad", vars: { line: n + 1 } });
      }
    });
    if (r.target === "") problems.push({ row, key: "target", message: "mappings.targetMissing" });
    const fallback = r.fallback.trim();
    if (columns.length === 0 && fallback === "") problems.push({ row, key: "columns", message: "mappings.sourceMissing" });
    const field: FieldMappingDef = { target: r.target };
    if (columns.length === 1) field.source = columns[0];
    if (columns.length > 1) field.sources = columns;
    const withDefault = columns.length > 0 && fallback !== "";
    if (columns.length === 0) field.value = fallback;
    const all = withDefault ? [{ op: "default", value: fallback }, ...transforms] : transforms;
    if (all.length > 0) field.transforms = all;
    fields.push(field);
    rowOf.push(row);
    defaultFirst.push(withDefault);
  });
  return { fields, rowOf, defaultFirst, problems };
}

/**
 * Where a service problem's pointer belongs in the form: a top field (`name`, `marketplace`,
 * `category`), a row's cell, or nowhere in particular (shown above the form).
 */
export function locatePointer(
  pointer: string | undefined,
  rowOf: readonly number[],
  defaultFirst: readonly boolean[],
): { top: "name" | "marketplace" | "category" } | { row: number; key: RowKey | null } | null {
  if (!pointer) return null;
  const top = /^\/(name|marketplace|category)(\/|$)/.exec(pointer);
  if (top) return { top: top[1] as "name" | "marketplace" | "category" };
  const m = /^\/fields\/(\d+)(?:\/([^/]+)(?:\/(\d+))?)?/.exec(pointer);
  if (!m) return null;
  const k = Number(m[1]);
  const row = rowOf[k];
  if (row === undefined) return null;
  const part = m[2];
  if (part === "target") return { row, key: "target" };
  if (part === "source" || part === "sources") return { row, key: "columns" };
  if (part === "value") return { row, key: "fallback" };
  if (part === "transforms") return { row, key: defaultFirst[k] && m[3] === "0" ? "fallback" : "transforms" };
  return { row, key: null };
}
