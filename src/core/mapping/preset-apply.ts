import { layoutKey } from "./preset-detect";
import type { LayoutPreset } from "./presets";
import { fillForTemplate } from "./template-fill";
import type { MappingTemplate } from "./templates";
import type { FieldMappingDef, MappingDefinition } from "./types";

const WILDCARD = "*";

/** Which preset a mapping came from: what a job records and a suggestion shows. */
export interface PresetRef {
  id: string;
  name: string;
  version: string;
  verified: boolean;
}

export interface AppliedPreset {
  preset: PresetRef;
  /** Ready to compile and bind to the file's header (sources spelled as the file spells them). */
  mapping: MappingDefinition;
  /** The preset's fields that apply to this file, before template twins and constants. */
  fields: FieldMappingDef[];
  /** The file's columns each of `fields` reads (a "URL imagem *" field: every numbered column found). */
  reads: string[][];
  /** The file's columns the preset reads. */
  used: string[];
  /** Preset fields left out because the file has none of their columns. */
  skipped: { target: string; columns: string[] }[];
}

export function presetRef(p: LayoutPreset): PresetRef {
  return { id: p.id, name: p.name, version: p.version, verified: p.verified };
}

/** The file's columns a preset column stands for: one column, or every "Imagem <n>" for "Imagem *", in number order. */
function resolve(column: string, byKey: ReadonlyMap<string, string>): string[] {
  if (!column.includes(WILDCARD)) {
    const hit = byKey.get(layoutKey(column));
    return hit === undefined ? [] : [hit];
  }
  const [pre, post] = column.split(WILDCARD).map(layoutKey);
  const found: { n: number; name: string }[] = [];
  for (const [k, name] of byKey) {
    if (!k.startsWith(pre) || !k.endsWith(post)) continue;
    const middle = k.slice(pre.length, k.length - post.length).trim();
    if (/^\d{1,4}$/.test(middle)) found.push({ n: Number(middle), name });
  }
  return found.sort((a, b) => a.n - b.n).map((f) => f.name);
}

/**
 * A preset's mapping for one file: each field reads the file's own spelling of its columns
 * (compared like fingerprints), fields whose columns the file lacks are left out (a partial export
 * still maps what it has), and with a template the pack's attribute twins and single-value
 * constants are added (see template-fill.ts).
 */
export function applyPreset(
  preset: LayoutPreset,
  headers: readonly string[],
  opts: { template?: MappingTemplate; marketplace?: string; category?: string | null; name?: string } = {},
): AppliedPreset {
  const byKey = new Map<string, string>();
  for (const h of headers) {
    const name = String(h ?? "");
    if (name.trim() && !byKey.has(layoutKey(name))) byKey.set(layoutKey(name), name);
  }
  const fields: FieldMappingDef[] = [];
  const reads: string[][] = [];
  const skipped: AppliedPreset["skipped"] = [];
  const used = new Set<string>();
  for (const f of preset.fields) {
    if (f.value !== undefined) {
      fields.push({ ...f });
      reads.push([]);
      continue;
    }
    const wanted = f.source !== undefined ? [f.source] : (f.sources ?? []);
    const found = wanted.map((c) => ({ column: c, names: resolve(c, byKey) })).filter((w) => w.names.length > 0);
    if (found.length === 0) {
      skipped.push({ target: f.target, columns: wanted });
      continue;
    }
    const columns = found.flatMap((w) => w.names);
    for (const c of columns) used.add(c);
    const { source: _s, sources: _ss, ...rest } = f;
    // The file's own spelling of each column; a "*" pattern stays a pattern, so files with more or fewer numbered columns map alike.
    const sources = found.map((w) => (w.column.includes(WILDCARD) ? w.column : w.names[0]));
    fields.push(f.source !== undefined ? { ...rest, source: sources[0] } : { ...rest, sources });
    reads.push(columns);
  }
  const marketplace = opts.marketplace ?? opts.template?.marketplace;
  const category = opts.category !== undefined ? opts.category : (opts.template?.category?.id ?? undefined);
  const mapping: MappingDefinition = {
    name: opts.name ?? preset.name,
    ...(marketplace !== undefined && { marketplace }),
    ...(category != null && { category }),
    fields: fillForTemplate(fields, opts.template),
  };
  return { preset: presetRef(preset), mapping, fields, reads, used: headers.map(String).filter((h) => used.has(h)), skipped };
}
