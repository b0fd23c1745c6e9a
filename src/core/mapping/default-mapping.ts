import { CANONICAL_FIELDS } from "../rules";
import { fieldInfo } from "./fields";
import { columnKey } from "./normalize";
import type { FieldMappingDef, MappingDefinition } from "./types";

const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The mapping a job uses when it names none: columns already named after a canonical field map
 * straight through, compared like every column name (case, accents, spaces and underscores do not
 * count: "SKU", "Sale Price", "sale_price"). `images` is split on "|"; `attributes.BRAND` style
 * columns fill that attribute. Other columns are ignored; the first of two equal names wins.
 * With `decimalComma` (the file writes "1.234,56"), numeric fields are read as pt-BR numbers.
 */
export function defaultMapping(header: readonly string[], marketplace?: string, opts: { decimalComma?: boolean } = {}): MappingDefinition {
  const byKey = new Map<string, string>();
  for (const f of CANONICAL_FIELDS) if (f !== "attributes") byKey.set(columnKey(f), f);
  const fields: FieldMappingDef[] = [];
  const taken = new Set<string>();
  for (const raw of header) {
    const name = String(raw ?? "");
    const key = columnKey(name);
    let target = byKey.get(key);
    if (target === undefined && key.startsWith("attributes.")) {
      const attr = name.trim().slice("attributes.".length).trim();
      if (ATTRIBUTE_KEY.test(attr)) target = `attributes.${attr}`;
    }
    if (target === undefined || taken.has(target)) continue;
    taken.add(target);
    const type = fieldInfo(target).type;
    if (target === "images") fields.push({ target, source: name, transforms: [{ op: "split", separator: "|" }] });
    else if (opts.decimalComma && (type === "decimal" || type === "integer")) fields.push({ target, source: name, transforms: [{ op: "number", locale: "pt-BR" }] });
    else fields.push({ target, source: name });
  }
  return { name: "default", ...(marketplace !== undefined && { marketplace }), fields };
}
