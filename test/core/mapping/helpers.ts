import { compileMapping, type FieldMappingDef, type MappedRow, type TransformDef } from "../../../src/core/mapping";
import type { Locale } from "../../../src/core/rules";

/** Maps one row given as { column: cell } with a mapping made of `fields`. */
export function mapRow(fields: FieldMappingDef[], row: Record<string, string>, opts: { locale?: Locale; row?: number } = {}): MappedRow {
  const header = Object.keys(row);
  return compileMapping({ fields }).bind(header, { locale: opts.locale }).map(Object.values(row), opts.row ?? 1);
}

/** The value one column gets after `transforms` (undefined when absent); throws on a mapping issue. */
export function through(transforms: TransformDef[], cell: string, target = "title"): unknown {
  const { record, issues } = mapRow([{ target, source: "c", transforms }], { c: cell });
  if (issues.length) throw new Error(`unexpected issue: ${issues[0].rule} ${issues[0].message}`);
  const path = target.split(".");
  return path.length === 2 ? (record[path[0]] as Record<string, unknown> | undefined)?.[path[1]] : record[target];
}

/** The issues one column produces after `transforms`. */
export function failures(transforms: TransformDef[], cell: string, target = "title", locale?: Locale) {
  return mapRow([{ target, source: "c", transforms }], { c: cell }, { locale }).issues;
}
