import { parse } from "yaml";
import type { Text } from "../text";
import { compileMapping } from "./compile";
import { wordKey } from "./normalize";
import { type FieldMappingDef, MappingError } from "./types";

/**
 * A layout preset: the spreadsheet an ERP, store platform or marketplace exports, described as
 * data (rules/layouts/*.yaml). Its `header` is the fingerprint files are recognised by; its `fields`
 * have the shape of a saved mapping's fields and compile with compileMapping.
 */
export interface LayoutPreset {
  id: string;
  name: string;
  version: string;
  /**
   * True when the column names were confirmed from a public page or template of the vendor (see
   * `sources`). Unverified presets are offered as suggestions only, never applied on their own.
   */
  verified: boolean;
  description: Text;
  sources: LayoutSource[];
  file: LayoutFile;
  /** Every column of the layout, in the layout's order. */
  header: string[];
  fields: FieldMappingDef[];
  /** Columns deliberately left unmapped, and why. */
  unmapped?: { column: string; why: Text }[];
}

export interface LayoutSource {
  url: string;
  /** What the page confirms, or why it is not enough. */
  note: string;
}

export interface LayoutFile {
  format: "csv" | "xlsx" | "tsv";
  encoding?: "utf-8" | "windows-1252";
  delimiter?: "," | ";" | "\t";
  decimal_comma?: boolean;
}

/** A preset file that does not describe a usable layout. Built-in data only: tests catch it. */
export class PresetError extends Error {
  constructor(
    readonly preset: string,
    readonly problems: string[],
  ) {
    super(`layout preset ${preset}: ${problems.join("; ")}`);
    this.name = "PresetError";
  }
}

const ID = /^[a-z][a-z0-9-]{1,40}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const FORMATS = new Set(["csv", "xlsx", "tsv"]);
const ENCODINGS = new Set(["utf-8", "windows-1252"]);
const DELIMITERS = new Set([",", ";", "\t"]);
const WILDCARD = "*";

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isText(v: unknown): v is Text {
  return isRecord(v) && typeof v.en === "string" && typeof v["pt-BR"] === "string";
}

/** True when `column` (a preset source, possibly "Imagem *") names a column of `header`. */
function inHeader(column: string, headerKeys: ReadonlySet<string>): boolean {
  if (!column.includes(WILDCARD)) return headerKeys.has(wordKey(column));
  const [pre, post] = column.split(WILDCARD).map(wordKey);
  for (const k of headerKeys) {
    if (!k.startsWith(pre) || !k.endsWith(post)) continue;
    const middle = k.slice(pre.length, k.length - post.length).trim();
    if (/^\d{1,4}$/.test(middle)) return true;
  }
  return false;
}

/** The columns a field reads: its source(s), or the placeholders of a template transform. */
export function fieldColumns(f: FieldMappingDef): string[] {
  if (f.source !== undefined) return [f.source];
  if (f.sources !== undefined) return [...f.sources];
  return [];
}

/**
 * Parses and checks one preset. Throws PresetError naming every problem: a field that does not
 * compile, a source column missing from the header, a source page that is not https.
 */
export function parsePreset(source: string): LayoutPreset {
  const doc: unknown = parse(source);
  const id = isRecord(doc) && typeof doc.id === "string" ? doc.id : "(no id)";
  const problems: string[] = [];
  if (!isRecord(doc)) throw new PresetError(id, ["the document is not a mapping of keys"]);

  if (!ID.test(id)) problems.push(`"id" must be lower-case letters, digits and dashes`);
  if (typeof doc.name !== "string" || doc.name.length === 0) problems.push(`"name" is required`);
  if (typeof doc.version !== "string" || !VERSION.test(doc.version)) problems.push(`"version" must look like 1.0.0`);
  if (typeof doc.verified !== "boolean") problems.push(`"verified" must be true or false`);
  if (!isText(doc.description)) problems.push(`"description" needs en and pt-BR`);

  const sources = Array.isArray(doc.sources) ? doc.sources : [];
  if (sources.length === 0) problems.push(`"sources" must cite at least one page`);
  for (const s of sources) {
    if (!isRecord(s) || typeof s.url !== "string" || !s.url.startsWith("https://") || typeof s.note !== "string") {
      problems.push(`each source is { url: https://…, note }`);
    }
  }

  const file = isRecord(doc.file) ? doc.file : {};
  if (!FORMATS.has(file.format as string)) problems.push(`"file.format" must be csv, tsv or xlsx`);
  if (file.encoding !== undefined && !ENCODINGS.has(file.encoding as string)) problems.push(`"file.encoding" must be utf-8 or windows-1252`);
  if (file.delimiter !== undefined && !DELIMITERS.has(file.delimiter as string)) problems.push(`"file.delimiter" must be ",", ";" or a tab`);
  if (file.decimal_comma !== undefined && typeof file.decimal_comma !== "boolean") problems.push(`"file.decimal_comma" must be true or false`);

  const header = Array.isArray(doc.header) ? doc.header : [];
  if (header.length === 0 || header.some((h) => typeof h !== "string" || h.trim().length === 0)) problems.push(`"header" must list the layout's column names`);
  const headerKeys = new Set<string>();
  for (const h of header) {
    const k = wordKey(String(h));
    if (headerKeys.has(k)) problems.push(`header column "${h}" is listed twice (names are compared without case, accents and punctuation)`);
    headerKeys.add(k);
  }

  const fields = Array.isArray(doc.fields) ? (doc.fields as FieldMappingDef[]) : [];
  if (fields.length === 0) problems.push(`"fields" must map at least one column`);
  try {
    compileMapping({ name: id, fields });
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    for (const p of error.problems) problems.push(`${p.detail}${p.pointer ? ` (${p.pointer})` : ""}`);
  }
  fields.forEach((f, i) => {
    if (!isRecord(f)) return;
    for (const column of fieldColumns(f)) {
      if (typeof column === "string" && !inHeader(column, headerKeys)) problems.push(`fields/${i} reads "${column}", which is not in the header`);
    }
  });

  const unmapped = doc.unmapped === undefined ? [] : Array.isArray(doc.unmapped) ? doc.unmapped : null;
  if (unmapped === null) problems.push(`"unmapped" must be a list of { column, why }`);
  for (const u of unmapped ?? []) {
    if (!isRecord(u) || typeof u.column !== "string" || !isText(u.why)) problems.push(`each "unmapped" entry is { column, why: { en, pt-BR } }`);
    else if (!inHeader(u.column, headerKeys)) problems.push(`unmapped column "${u.column}" is not in the header`);
  }

  if (problems.length) throw new PresetError(id, problems);
  return {
    id,
    name: doc.name as string,
    version: doc.version as string,
    verified: doc.verified as boolean,
    description: doc.description as Text,
    sources: sources as LayoutSource[],
    file: file as unknown as LayoutFile,
    header: header as string[],
    fields,
    ...(unmapped && unmapped.length > 0 && { unmapped: unmapped as LayoutPreset["unmapped"] }),
  };
}

/** What GET /mappings/presets shows of a preset: the preset itself, its unmapped columns always listed. */
export type PresetSummary = Omit<LayoutPreset, "unmapped"> & { unmapped: NonNullable<LayoutPreset["unmapped"]> };

export function presetSummary(p: LayoutPreset): PresetSummary {
  return {
    id: p.id,
    name: p.name,
    version: p.version,
    verified: p.verified,
    description: p.description,
    sources: p.sources,
    file: p.file,
    header: p.header,
    fields: p.fields,
    unmapped: p.unmapped ?? [],
  };
}
