import { ATTRIBUTE_CATALOG } from "./fields";
import type { MappingTemplate } from "./templates";
import type { FieldMappingDef } from "./types";

/**
 * One fact, one column: a marketplace attribute that holds the same thing as a canonical field
 * (Mercado Livre's attributes.BRAND and `brand`) is filled from the column that fills the field,
 * with the same transforms, whenever the pack reads the attribute and nothing maps it yet.
 */
export function attributeTwins(fields: readonly FieldMappingDef[], template: MappingTemplate): FieldMappingDef[] {
  const read = new Set(template.fields.map((f) => f.field));
  const mapped = new Set(fields.map((f) => f.target));
  const out: FieldMappingDef[] = [];
  for (const attr of ATTRIBUTE_CATALOG) {
    if (!attr.aliasOf || !read.has(attr.field) || mapped.has(attr.field)) continue;
    const twin = fields.find((f) => f.target === attr.aliasOf);
    if (twin) out.push({ ...twin, target: attr.field });
  }
  return out;
}

/**
 * Constants for required fields the marketplace accepts one value for (Mercado Livre Brasil:
 * currency BRL), when nothing maps them.
 */
export function requiredConstants(fields: readonly FieldMappingDef[], template: MappingTemplate): FieldMappingDef[] {
  const mapped = new Set(fields.map((f) => f.target));
  return template.fields.filter((t) => t.required && t.values?.length === 1 && !mapped.has(t.field)).map((t) => ({ target: t.field, value: t.values![0] }));
}

/** The fields plus what the template needs of them: attribute twins, then single-value constants. */
export function fillForTemplate(fields: readonly FieldMappingDef[], template: MappingTemplate | undefined): FieldMappingDef[] {
  if (!template) return [...fields];
  const withTwins = [...fields, ...attributeTwins(fields, template)];
  return [...withTwins, ...requiredConstants(withTwins, template)];
}

/** A marketplace attribute and the canonical field that holds the same fact. */
export interface AttributeTwin {
  /** `attributes.BRAND` */
  attribute: string;
  /** `brand` */
  field: string;
}

/** The attribute twins a pack reads (its rules' fields), for records that come without a mapping. */
export function attributeTwinsOf(packFields: readonly string[]): AttributeTwin[] {
  const read = new Set(packFields);
  return ATTRIBUTE_CATALOG.filter((a) => a.aliasOf && read.has(a.field)).map((a) => ({ attribute: a.field, field: a.aliasOf! }));
}

/**
 * A canonical record with each twin attribute it lacks taken from its canonical field (`brand` →
 * `attributes.BRAND`): the same fact, written once by the seller. The record itself is not changed.
 */
export function withAttributeTwins(record: Record<string, unknown>, twins: readonly AttributeTwin[]): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  let attrs: Record<string, unknown> | undefined;
  for (const twin of twins) {
    const value = Object.hasOwn(record, twin.field) ? record[twin.field] : undefined;
    if (value === undefined || value === null || value === "") continue;
    const current = (attrs ?? (record.attributes as Record<string, unknown> | undefined)) ?? undefined;
    const key = twin.attribute.slice("attributes.".length);
    if (current && typeof current === "object" && Object.hasOwn(current, key) && current[key] !== undefined && current[key] !== "") continue;
    out ??= { ...record };
    attrs ??= { ...(current && typeof current === "object" && !Array.isArray(current) ? current : {}) };
    attrs[key] = value;
    out.attributes = attrs;
  }
  return out ?? record;
}
