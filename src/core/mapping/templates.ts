import { CANONICAL_FIELDS, type CompiledPack, type RuleInfo } from "../rules";
import { truncate } from "../rules/text";
import { type FieldInfo, type FieldType, fieldInfo } from "./fields";

/**
 * How much a marketplace needs a field: `required` (an unconditional error-severity `required`
 * rule), `conditional` (required only when the rule's condition holds), `recommended` (a
 * warning-level `required` rule) or `optional`.
 */
export type Requirement = "required" | "conditional" | "recommended" | "optional";

export interface TemplateField {
  field: string;
  label: FieldInfo["label"];
  required: boolean;
  requirement: Requirement;
  type: FieldType;
  items?: FieldType;
  unit?: "g" | "cm";
  min_length?: number;
  max_length?: number;
  /** Allowed values (unconditional error-severity one_of rules, intersected). */
  values?: unknown[];
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
  min_items?: number;
  max_items?: number;
  pattern?: string;
  /** A value that passes every rule of the pack for this field. */
  example: unknown;
  /** Column names sellers give the field, in Portuguese and English. */
  synonyms: FieldInfo["synonyms"];
  /** Ids of the pack's rules on this field. */
  rules: string[];
}

export interface MappingTemplate {
  marketplace: string;
  pack: { id: string; version: string; hash: string };
  category: { id: string; name: string } | null;
  fields: TemplateField[];
  /** Fields with requirement `required`. */
  required: string[];
}

const RANK: Record<Requirement, number> = { optional: 0, recommended: 1, conditional: 2, required: 3 };
const RULE_TYPES = new Set<string>(["string", "integer", "decimal", "url", "date", "boolean"]);

function hard(r: RuleInfo): boolean {
  return r.severity === "error" && r.when === undefined;
}

function templateField(field: string, rules: RuleInfo[]): TemplateField {
  const info = fieldInfo(field);
  const out: TemplateField = {
    field,
    label: info.label,
    required: false,
    requirement: "optional",
    type: info.type,
    example: info.example,
    synonyms: info.synonyms,
    rules: rules.map((r) => r.id),
  };
  if (info.items) out.items = info.items;
  if (info.unit) out.unit = info.unit;
  const tighter = (key: "max_length" | "max" | "lt" | "max_items", v: unknown) => {
    if (typeof v === "number") out[key] = out[key] === undefined ? v : Math.min(out[key]!, v);
  };
  const looser = (key: "min_length" | "min" | "gt" | "min_items", v: unknown) => {
    if (typeof v === "number") out[key] = out[key] === undefined ? v : Math.max(out[key]!, v);
  };
  for (const r of rules) {
    const p = r.params;
    if (r.check === "required") {
      const level: Requirement = r.severity !== "error" ? "recommended" : r.when ? "conditional" : "required";
      if (RANK[level] > RANK[out.requirement]) out.requirement = level;
      continue;
    }
    if (!hard(r)) continue;
    switch (r.check) {
      case "type":
        if (typeof p.type === "string" && RULE_TYPES.has(p.type)) {
          if (r.each) out.items = p.type as FieldType;
          else if (out.type !== "list") out.type = p.type as FieldType;
        }
        break;
      case "url":
        if (r.each) out.items = "url";
        else if (out.type !== "list") out.type = "url";
        break;
      case "max_length":
        tighter("max_length", p.max);
        break;
      case "min_length":
        looser("min_length", p.min);
        break;
      case "one_of":
        if (Array.isArray(p.values)) out.values = out.values ? out.values.filter((v) => (p.values as unknown[]).includes(v)) : [...(p.values as unknown[])];
        break;
      case "range":
        looser("min", p.min);
        tighter("max", p.max);
        looser("gt", p.gt);
        tighter("lt", p.lt);
        break;
      case "count":
        looser("min_items", p.min);
        tighter("max_items", p.max);
        break;
      case "pattern":
        if (out.pattern === undefined && typeof p.pattern === "string") out.pattern = p.pattern;
        break;
    }
  }
  out.required = out.requirement === "required";
  out.example = exampleFor(out);
  return out;
}

/** The catalog's example, bent to the pack's limits so that the template never contradicts its pack. */
function exampleFor(t: TemplateField): unknown {
  let ex = t.example;
  if (t.values && t.values.length > 0 && !t.values.includes(ex)) ex = t.values[0];
  if (typeof ex === "string" && t.max_length !== undefined) ex = truncate(ex, t.max_length, true, "");
  if (Array.isArray(ex) && t.max_items !== undefined) ex = ex.slice(0, t.max_items);
  return ex;
}

/**
 * The template of a marketplace (and category): every canonical field plus the attributes the
 * pack's rules read, each with what the pack requires of it. Derived from the compiled pack on
 * every call, so a template and its pack never disagree.
 */
export function buildTemplate(pack: CompiledPack, category?: string): MappingTemplate {
  const rules = pack.rules(category);
  const byField = new Map<string, RuleInfo[]>();
  for (const r of rules) {
    const list = byField.get(r.field);
    if (list) list.push(r);
    else byField.set(r.field, [r]);
  }
  const fields: string[] = CANONICAL_FIELDS.filter((f) => f !== "attributes");
  for (const f of pack.fields(category)) if (!fields.includes(f)) fields.push(f);
  const out = fields.map((f) => templateField(f, byField.get(f) ?? []));
  const cat = category === undefined ? null : (pack.categories.find((c) => c.id === category) ?? { id: category, name: category });
  return {
    marketplace: pack.id,
    pack: { id: pack.id, version: pack.version, hash: pack.hash },
    category: cat,
    fields: out,
    required: out.filter((f) => f.required).map((f) => f.field),
  };
}

/** A record made of the template's examples: it passes the pack without errors (the tests hold it to that). */
export function exampleRecord(template: MappingTemplate): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const f of template.fields) {
    if (f.example === undefined) continue;
    if (f.field.startsWith("attributes.")) {
      const attrs = (record.attributes ??= {}) as Record<string, unknown>;
      attrs[f.field.slice("attributes.".length)] = f.example;
    } else record[f.field] = f.example;
  }
  return record;
}
