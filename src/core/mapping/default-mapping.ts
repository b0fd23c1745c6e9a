import { CANONICAL_FIELDS } from "../rules";
import { FIELD_CATALOG, type FieldInfo, fieldInfo } from "./fields";
import { columnKey, wordKey } from "./normalize";
import { column, conditionValues, nameScore } from "./suggest-columns";
import { fillForTemplate } from "./template-fill";
import type { MappingTemplate } from "./templates";
import type { FieldMappingDef, MappingDefinition, TransformDef } from "./types";
import { unitOf } from "./units";

const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** Names of picture columns (compared by words: "Imagem_2", "FOTO 2" and "foto2" alike), main ones first. */
const MAIN_PICTURE = new Set([
  "image", "images", "imagem", "imagens", "foto", "fotos", "picture", "pictures", "photo", "photos",
  "image link", "image url", "main image", "imagem principal", "foto principal",
  "url imagem", "url da imagem", "link imagem", "link da imagem", "url imagens", "url das imagens",
]);
const EXTRA_PICTURE = new Set(["additional image link", "additional image links", "imagem adicional", "link de imagem adicional", "link da imagem adicional"]);
const NUMBERED = /^(.*\D)\s*(\d{1,2})$/;
const LIST_SEPARATORS = ["|", ";"];

interface Picture {
  name: string;
  rank: number;
}

/** Where a picture column goes in the list: main (0), numbered (by number), additional (last). */
function pictureRank(name: string): number | undefined {
  const key = wordKey(name);
  if (MAIN_PICTURE.has(key)) return 0;
  if (EXTRA_PICTURE.has(key)) return 1000;
  const m = NUMBERED.exec(key);
  if (!m) return undefined;
  const base = m[1].trim();
  if (MAIN_PICTURE.has(base)) return Number(m[2]);
  if (EXTRA_PICTURE.has(base)) return 1000 + Number(m[2]);
  return undefined;
}

/** The separator between URLs in sample cells ("a.jpg|b.jpg", "a.jpg;b.jpg"); undefined when no cell lists several. */
function listSeparator(samples: readonly (readonly unknown[])[], indexes: readonly number[]): string | undefined {
  for (const row of samples) {
    for (const i of indexes) {
      const v = row[i];
      if (typeof v !== "string" || (v.match(/https?:\/\//gi)?.length ?? 0) < 2) continue;
      const sep = LIST_SEPARATORS.find((s) => v.includes(s));
      if (sep) return sep;
    }
  }
  return undefined;
}

/** Picture columns into one `images` field: one list column is split, several are collected in order. */
function picturesField(header: readonly string[], samples: readonly (readonly unknown[])[], taken: ReadonlySet<number>): FieldMappingDef | undefined {
  const pictures: (Picture & { index: number })[] = [];
  header.forEach((raw, index) => {
    if (taken.has(index)) return;
    const rank = pictureRank(String(raw ?? ""));
    if (rank !== undefined) pictures.push({ name: String(raw), rank, index });
  });
  if (pictures.length === 0) return undefined;
  pictures.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const sep = listSeparator(samples, pictures.map((p) => p.index));
  if (pictures.length === 1) return { target: "images", source: pictures[0].name, transforms: [{ op: "split", separator: sep ?? "|" }] };
  // Google's additional_image_link lists URLs separated by commas.
  const comma = pictures.some((p) => p.rank >= 1000) ? "," : undefined;
  const split = sep ?? comma;
  const transforms: TransformDef[] = split ? ["trim", { op: "split", separator: split }, "collect"] : ["trim", "collect"];
  return { target: "images", sources: pictures.map((p) => p.name), transforms };
}

/** Fields whose allowed values are yes/no read Sim/Não as well. */
function yesNo(target: string, template: MappingTemplate | undefined): TransformDef | undefined {
  const values = template?.fields.find((f) => f.field === target)?.values;
  if (!values?.includes("yes") || !values.includes("no")) return undefined;
  return { op: "value_map", values: { sim: "yes", não: "no", nao: "no", s: "yes", n: "no" } };
}

/** How one column fills `target`: pictures split, condition and yes/no words read, pt-BR numbers when the file writes them. */
function columnField(target: string, name: string, index: number, opts: DefaultMappingOptions): FieldMappingDef {
  const type = fieldInfo(target).type;
  const answer = yesNo(target, opts.template);
  if (target === "images") return { target, source: name, transforms: [{ op: "split", separator: listSeparator(opts.samples ?? [], [index]) ?? "|" }] };
  if (target === "condition") return { target, source: name, transforms: [{ op: "value_map", values: conditionValues(opts.template?.fields.find((f) => f.field === "condition")?.values) }] };
  if (answer) return { target, source: name, transforms: [answer] };
  if (opts.decimalComma && (type === "decimal" || type === "integer")) return { target, source: name, transforms: [{ op: "number", locale: "pt-BR" }] };
  return { target, source: name };
}

/**
 * Fields a column may be recognised for by name: the canonical fields (pictures have their own
 * rules above) and the attributes the pack reads that are not another field's twin.
 */
function namedFields(template: MappingTemplate | undefined): FieldInfo[] {
  const out = FIELD_CATALOG.filter((f) => f.field !== "images" && f.field !== "attributes");
  for (const t of template?.fields ?? []) {
    const info = fieldInfo(t.field);
    if (t.field.startsWith("attributes.") && info.aliasOf === undefined) out.push(info);
  }
  return out;
}

/**
 * The field whose synonym the whole column name is (accents, case, plurals, and a unit or "R$" in
 * the name aside), or undefined when none is, or when two fields claim it. A unit in the name must
 * be one the field can be converted from ("Peso (kg)" → weight_g in grams), and a field measured in
 * a unit needs one ("Peso" alone could be grams or kilograms); "R$" goes with prices only.
 */
function synonymTarget(name: string, fields: readonly FieldInfo[]): { target: string; unit?: string } | undefined {
  const col = column(name, 0, []);
  let best: { target: string; score: number } | undefined;
  let tied = false;
  for (const f of fields) {
    const m = nameScore(col, f);
    if (!m.exact) continue;
    if (best === undefined || m.score > best.score) {
      best = { target: f.field, score: m.score };
      tied = false;
    } else if (m.score === best.score) tied = true;
  }
  if (best === undefined || tied) return undefined;
  const info = fieldInfo(best.target);
  if (col.money && info.type !== "decimal") return undefined;
  if (info.unit === undefined) return col.unit === undefined ? { target: best.target } : undefined;
  if (col.unit === undefined || unitOf(col.unit)?.dimension !== unitOf(info.unit)?.dimension) return undefined;
  return col.unit === info.unit ? { target: best.target } : { target: best.target, unit: col.unit };
}

const CANONICAL_KEYS = new Set(CANONICAL_FIELDS.map(columnKey));

/** A name that says which field a column holds: a canonical field, one of its catalogued names, or a picture column. */
export function isColumnName(name: string): boolean {
  return CANONICAL_KEYS.has(columnKey(name)) || pictureRank(name) !== undefined || synonymTarget(name, FIELD_CATALOG) !== undefined;
}

export interface DefaultMappingOptions {
  /** The file writes "1.234,56": numeric fields are read as pt-BR numbers. */
  decimalComma?: boolean;
  /**
   * The template of the pack the job validates against: attributes that hold the same fact as a
   * canonical field (Mercado Livre's BRAND/MODEL) read the same column, fields the marketplace
   * accepts one value for get it (currency BRL), and yes/no fields read Sim/Não.
   */
  template?: MappingTemplate;
  /** A few data rows (cells in header order), to tell the separator of URL lists. */
  samples?: readonly (readonly unknown[])[];
  /**
   * Columns of a layout the header resembles but that is not applied (unverified): in that layout
   * a name may mean something else (Bling's "Descrição" is the product's name), so these columns
   * are not read by their usual names. Named after a canonical field, they still are.
   */
  layoutColumns?: readonly string[];
}

/**
 * The mapping a job uses when it names none and no verified layout preset is recognised: columns
 * already named after a canonical field map straight through, compared like every column name (case,
 * accents, spaces and underscores do not count: "SKU", "Sale Price", "sale_price"); `attributes.BRAND`
 * style columns fill that attribute. Then, for fields still unfilled, a column whose whole name is one
 * of the field's catalogued names ("Título", "Preço (R$)", "Peso (kg)" with kg → g), unless it belongs
 * to a layout the header only resembles. Picture columns are gathered into `images` ("image_1"..
 * "image_n", "Imagem 1", "Foto", image_link + additional_image_link, or one column listing URLs
 * separated by "|" or ";"). Unambiguous pt-BR values read like decimal commas are:
 * "Novo"/"Usado"/"Recondicionado" become new/used/refurbished, and with `decimalComma` numbers
 * (including "R$ 1.299,90") are read as pt-BR. Other columns are ignored; the first of two columns for
 * one field wins.
 */
export function defaultMapping(header: readonly string[], marketplace?: string, opts: DefaultMappingOptions = {}): MappingDefinition {
  const byKey = new Map<string, string>();
  for (const f of CANONICAL_FIELDS) if (f !== "attributes") byKey.set(columnKey(f), f);
  const samples = opts.samples ?? [];
  const fields: FieldMappingDef[] = [];
  const targets = new Set<string>();
  const taken = new Set<number>();
  header.forEach((raw, index) => {
    const name = String(raw ?? "");
    const key = columnKey(name);
    let target = byKey.get(key);
    if (target === undefined && key.startsWith("attributes.")) {
      const attr = name.trim().slice("attributes.".length).trim();
      if (ATTRIBUTE_KEY.test(attr)) target = `attributes.${attr}`;
    }
    if (target === undefined || targets.has(target)) return;
    targets.add(target);
    taken.add(index);
    fields.push(columnField(target, name, index, opts));
  });
  // Then the names sellers give the fields ("Título", "Preço (R$)", "Peso (kg)"), for fields no column is named after.
  const named = namedFields(opts.template);
  const layout = new Set((opts.layoutColumns ?? []).map(wordKey));
  header.forEach((raw, index) => {
    if (taken.has(index)) return;
    const name = String(raw ?? "");
    if (layout.has(wordKey(name))) return;
    const match = synonymTarget(name, named);
    if (match === undefined || targets.has(match.target)) return;
    targets.add(match.target);
    taken.add(index);
    fields.push(match.unit ? { target: match.target, source: name, transforms: [{ op: "unit", from: match.unit, to: fieldInfo(match.target).unit!, locale: opts.decimalComma ? "pt-BR" : "auto" }] } : columnField(match.target, name, index, opts));
  });
  if (!targets.has("images")) {
    const pictures = picturesField(header, samples, taken);
    if (pictures) fields.push(pictures);
  }
  return { name: "default", ...(marketplace !== undefined && { marketplace }), fields: fillForTemplate(fields, opts.template) };
}
