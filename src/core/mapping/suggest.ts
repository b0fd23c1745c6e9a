import { isValidGtin } from "../rules";
import { fold } from "../rules/values";
import { fieldInfo } from "./fields";
import { words } from "./normalize";
import { parseNumber } from "./numbers";
import type { MappingTemplate, TemplateField } from "./templates";
import type { MappingDefinition, TransformDef } from "./types";
import { splitUnit, unitOf } from "./units";

export type SuggestionMatch = "name" | "name_and_values" | "values" | "numbered_columns" | "constant";

export interface SuggestedField {
  target: string;
  source?: string;
  sources?: string[];
  value?: unknown;
  transforms: TransformDef[];
  /** 0–1: how sure the suggester is. Exact synonyms score about 0.95; values alone at most 0.7. */
  confidence: number;
  match: SuggestionMatch;
}

export interface Suggestion {
  /** Ready to save with POST /api/v1/mappings (after review). */
  mapping: MappingDefinition;
  fields: SuggestedField[];
  unmapped_columns: string[];
  /** Fields the marketplace requires that no column or constant fills. */
  unmapped_required: string[];
}

export interface SuggestInput {
  headers: readonly string[];
  /** A few data rows, as cell lists in header order or objects keyed by column name. */
  sampleRows?: readonly (readonly unknown[] | Record<string, unknown>)[];
  template: MappingTemplate;
  name?: string;
}

/** Below this, a column is left for the seller to map. */
const THRESHOLD = 0.5;
const MAX_SAMPLES = 50;

/** Portuguese and English plurals to one form: imagens → imagem, fotos → foto, precos → preco. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ns")) return w.slice(0, -2) + "m";
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

const CURRENCY_WORDS = new Set(["r", "rs", "brl", "reais", "real"]);
const COST_WORDS = new Set(["custo", "cost", "compra"]);
const FILLER = new Set(["em", "de", "do", "da", "in", "of", "the", "o", "a"]);

interface Column {
  index: number;
  name: string;
  /** stemmed words of the whole name */
  key: string;
  /** the name without unit, currency and filler words */
  base: string;
  baseWords: string[];
  unit: string | undefined;
  money: boolean;
  shape: Shape;
}

interface Shape {
  n: number;
  gtin: number;
  url: number;
  imageUrl: number;
  multiUrl: number;
  number: number;
  integer: number;
  comma: number;
  dotDecimal: number;
  ncm: number;
  condition: number;
  longText: number;
  unitSuffix: string | undefined;
  maxNumber: number;
  fractional: number;
  separator: string | undefined;
}

const URL = /^https?:\/\/\S+$/i;
const IMAGE = /\.(?:jpe?g|png|webp|gif|avif)(?:[?#]|$)/i;
const COMMA_DECIMAL = /\d,\d{1,2}$|\d\.\d{3},\d/;
const DOT_DECIMAL = /\d\.\d{1,2}$|\d,\d{3}\.\d/;
const DIGITS = /^\d+$/;
const NCM = /^\d{4}\.?\d{2}\.?\d{2}$/;
const CONDITION_WORDS = new Set(["novo", "nova", "usado", "usada", "new", "used", "seminovo", "seminova", "recondicionado", "recondicionada", "refurbished", "lacrado"]);

function shapeOf(values: unknown[]): Shape {
  const s: Shape = { n: 0, gtin: 0, url: 0, imageUrl: 0, multiUrl: 0, number: 0, integer: 0, comma: 0, dotDecimal: 0, ncm: 0, condition: 0, longText: 0, unitSuffix: undefined, maxNumber: 0, fractional: 0, separator: undefined };
  for (const raw of values) {
    if (raw === undefined || raw === null) continue;
    const v = String(raw).trim();
    if (!v) continue;
    s.n++;
    if (DIGITS.test(v) && [8, 12, 13, 14].includes(v.length) && isValidGtin(v)) s.gtin++;
    const urls = v.match(/https?:\/\//gi)?.length ?? 0;
    if (urls >= 2) {
      s.multiUrl++;
      s.separator ??= ["|", ";", ",", "\n", " "].find((sep) => v.includes(sep));
    } else if (URL.test(v)) {
      s.url++;
      if (IMAGE.test(v)) s.imageUrl++;
    }
    const parts = splitUnit(v);
    const unit = parts.unit && parts.number && unitOf(parts.unit) ? parts.unit : undefined;
    if (unit) s.unitSuffix ??= unit;
    const n = parseNumber(unit ? parts.number : v, "auto");
    if (n !== undefined) {
      s.number++;
      if (DIGITS.test(v)) s.integer++;
      if (!Number.isInteger(n)) s.fractional++;
      s.maxNumber = Math.max(s.maxNumber, Math.abs(n));
    }
    if (COMMA_DECIMAL.test(v)) s.comma++;
    else if (DOT_DECIMAL.test(v)) s.dotDecimal++;
    if (NCM.test(v)) s.ncm++;
    if (CONDITION_WORDS.has(fold(v))) s.condition++;
    if (v.length > 80) s.longText++;
  }
  return s;
}

function column(name: string, index: number, samples: unknown[]): Column {
  const ws = words(name).map(stem);
  let unit: string | undefined;
  let money = false;
  const base: string[] = [];
  for (const w of ws) {
    if (CURRENCY_WORDS.has(w)) money = true;
    else if (ws.length > 1 && unitOf(w) && w !== "m" && w !== "t") unit = unitOf(w)!.symbol;
    else if (ws.length > 1 && (w === "m" || w === "t") && base.length > 0) unit = unitOf(w)!.symbol;
    else base.push(w);
  }
  while (base.length > 1 && FILLER.has(base[base.length - 1])) base.pop();
  return { index, name, key: ws.join(" "), base: base.join(" "), baseWords: base, unit, money: money || name.includes("$"), shape: shapeOf(samples) };
}

const frac = (k: number, s: Shape) => (s.n === 0 ? 0 : k / s.n);

/** +1 when the sample values look like the field, -1 when they cannot be it, 0 when unsure. */
function fit(field: string, type: string, s: Shape): number {
  if (s.n === 0) return 0;
  switch (field) {
    case "gtin":
      return frac(s.gtin, s) >= 0.6 ? 1 : frac(s.integer, s) < 0.5 ? -1 : 0;
    case "images":
      return frac(s.url + s.multiUrl, s) >= 0.8 ? 1 : frac(s.url + s.multiUrl, s) === 0 ? -1 : 0;
    case "url":
      return frac(s.url, s) >= 0.8 && frac(s.imageUrl, s) < 0.5 ? 1 : frac(s.url, s) === 0 ? -1 : 0;
    case "condition":
      return frac(s.condition, s) >= 0.5 ? 1 : 0;
    case "ncm":
      return frac(s.ncm, s) >= 0.8 ? 1 : frac(s.number, s) < 0.5 ? -1 : 0;
    case "description":
      return frac(s.longText, s) >= 0.5 ? 1 : 0;
    case "title":
    case "brand":
    case "model":
      return frac(s.number, s) >= 0.8 || frac(s.url, s) >= 0.8 ? -1 : 0;
  }
  if (type === "decimal" || type === "integer") return frac(s.number, s) >= 0.8 ? 1 : frac(s.number, s) < 0.2 ? -1 : 0;
  return 0;
}

/** Score of a column's name against a field's synonyms (0 when nothing matches). */
interface Synonym {
  words: string[];
  key: string;
}

const synonymCache = new WeakMap<TemplateField, Synonym[]>();

/** A field's synonyms and its own name, as stemmed words; computed once per template field. */
function synonymsOf(t: TemplateField): Synonym[] {
  let out = synonymCache.get(t);
  if (!out) {
    out = [];
    for (const syn of [...t.synonyms["pt-BR"], ...t.synonyms.en, t.field.replace(/^attributes\./, "").replace(/_/g, " ")]) {
      const sw = words(syn).map(stem);
      if (sw.length) out.push({ words: sw, key: sw.join(" ") });
    }
    synonymCache.set(t, out);
  }
  return out;
}

function nameScore(col: Column, t: TemplateField): number {
  // A cost is not a selling price, however close the names are ("Preço de custo").
  if ((t.field === "price" || t.field === "sale_price") && col.baseWords.some((w) => COST_WORDS.has(w))) return 0;
  let best = 0;
  for (const { words: sw, key } of synonymsOf(t)) {
    if (key === col.key) return 0.95;
    if (key === col.base) {
      best = Math.max(best, 0.92);
      continue;
    }
    const cw = col.baseWords;
    if (cw.length === 0) continue;
    const inCol = sw.every((w) => cw.includes(w));
    const inSyn = cw.every((w) => sw.includes(w));
    if (inCol) best = Math.max(best, 0.55 + 0.3 * (sw.length / cw.length));
    else if (inSyn) best = Math.max(best, 0.4 + 0.3 * (cw.length / sw.length));
  }
  return best;
}

/** Value-only guesses, for columns whose names say nothing ("Coluna 7"). */
function valueScore(field: string, s: Shape): number {
  if (s.n === 0) return 0;
  switch (field) {
    case "gtin":
      return frac(s.gtin, s) >= 0.8 ? 0.7 : 0;
    case "images":
      return frac(s.imageUrl + s.multiUrl, s) >= 0.8 ? 0.65 : 0;
    case "url":
      return frac(s.url, s) >= 0.8 && frac(s.imageUrl, s) < 0.2 ? 0.55 : 0;
    case "condition":
      return frac(s.condition, s) >= 0.8 ? 0.6 : 0;
    case "ncm":
      return frac(s.ncm, s) >= 0.8 && frac(s.gtin, s) < 0.5 ? 0.5 : 0;
  }
  return 0;
}

const NUMBERED = /^(.*\D)\s*(\d{1,2})$/;

interface Candidate {
  field: TemplateField;
  columns: Column[];
  score: number;
  match: SuggestionMatch;
}

const CONDITION_MAP: Record<string, string> = {
  novo: "new", nova: "new", lacrado: "new", new: "new",
  usado: "used", usada: "used", seminovo: "used", seminova: "used", used: "used",
  recondicionado: "refurbished", recondicionada: "refurbished", refurbished: "refurbished",
};

function numberLocale(cols: Column[]): "pt-BR" | "auto" {
  const comma = cols.some((c) => c.shape.comma > 0);
  const dot = cols.some((c) => c.shape.dotDecimal > 0);
  if (comma) return "pt-BR";
  if (!dot && cols.some((c) => c.money)) return "pt-BR";
  return "auto";
}

function transformsFor(t: TemplateField, cols: Column[], grouped: boolean): TransformDef[] {
  const col = cols[0];
  const field = t.field;
  if (field === "images") {
    if (grouped || cols.length > 1) return ["trim", "collect"];
    const sep = col.shape.separator ?? "|";
    return [{ op: "split", separator: sep === "\n" ? "\n" : sep }];
  }
  if (field === "condition") {
    const allowed = t.values ?? ["new", "used", "refurbished"];
    const values: Record<string, string> = {};
    for (const [from, to] of Object.entries(CONDITION_MAP)) if (allowed.includes(to)) values[from] = to;
    return ["trim", { op: "value_map", values }];
  }
  if (field === "currency") return ["trim", "upper"];
  const info = fieldInfo(field);
  if (t.type === "decimal" || t.type === "integer") {
    const locale = numberLocale(cols);
    if (info.unit) {
      let from = col.unit;
      if (!from && col.shape.unitSuffix) from = info.unit;
      if (!from && info.unit === "g" && col.shape.number > 0 && col.shape.fractional > 0 && col.shape.maxNumber <= 50) from = "kg";
      if (!from && info.unit === "cm" && col.shape.number > 0 && col.shape.fractional > 0 && col.shape.maxNumber <= 3) from = "m";
      if (from && (from !== info.unit || col.shape.unitSuffix)) return [{ op: "unit", from, to: info.unit, locale }];
    }
    return [{ op: "number", locale }];
  }
  return ["trim"];
}

/**
 * Proposes a mapping from a file's headers (and, better, a few rows) to a marketplace template:
 * names are compared accent-, case- and plural-insensitively with the pt-BR and en synonyms of
 * each field; sample values confirm or refute a name and identify unnamed columns (GTINs with a
 * valid check digit, image URLs, prices). Numbered columns ("Imagem 1".."Imagem 6") are collected
 * into images. Columns below 0.5 confidence are left unmapped.
 */
export function suggestMapping(input: SuggestInput): Suggestion {
  const headers = input.headers.map((h) => String(h ?? ""));
  const rows = (input.sampleRows ?? []).slice(0, MAX_SAMPLES).map((r) => (Array.isArray(r) ? r : headers.map((h) => (r as Record<string, unknown>)[h])));
  const cols = headers.map((h, i) => column(h, i, rows.map((r) => r[i])));
  const template = input.template;
  const candidates: Candidate[] = [];

  // Numbered columns: "Imagem 1".."Imagem 6", "Foto 1", "image_link_2" → one list field.
  const groups = new Map<string, Column[]>();
  for (const c of cols) {
    const m = NUMBERED.exec(c.key);
    if (!m) continue;
    const base = m[1].trim();
    const list = groups.get(base);
    if (list) list.push(c);
    else groups.set(base, [c]);
  }
  for (const [base, members] of groups) {
    if (members.length < 2) continue;
    for (const t of template.fields) {
      if (t.type !== "list") continue;
      const probe: Column = { ...members[0], key: base, base, baseWords: base.split(" ") };
      const score = nameScore(probe, t);
      const f = members.reduce((acc, m) => acc + fit(t.field, t.type, m.shape), 0);
      if (score > 0 && f >= 0) candidates.push({ field: t, columns: members, score: Math.min(0.98, score + 0.03), match: "numbered_columns" });
    }
  }

  for (const c of cols) {
    for (const t of template.fields) {
      let score = nameScore(c, t);
      let match: SuggestionMatch = "name";
      const f = fit(t.field, t.type, c.shape);
      if (score > 0) {
        if (f > 0) {
          score = Math.min(0.99, score + 0.04);
          match = "name_and_values";
        } else if (f < 0) score -= 0.35;
      } else {
        score = valueScore(t.field, c.shape);
        match = "values";
      }
      if (score >= THRESHOLD) candidates.push({ field: t, columns: [c], score, match });
    }
  }

  candidates.sort((a, b) => b.score - a.score || a.columns[0].index - b.columns[0].index || template.fields.indexOf(a.field) - template.fields.indexOf(b.field));
  const usedBy = new Map<number, string[]>();
  const chosen = new Map<string, Candidate>();
  const related = (a: string, b: string) => fieldInfo(a).aliasOf === b || fieldInfo(b).aliasOf === a;
  for (const cand of candidates) {
    if (chosen.has(cand.field.field)) continue;
    const free = cand.columns.every((c) => (usedBy.get(c.index) ?? []).every((other) => related(other, cand.field.field)));
    if (!free) continue;
    chosen.set(cand.field.field, cand);
    for (const c of cand.columns) usedBy.set(c.index, [...(usedBy.get(c.index) ?? []), cand.field.field]);
  }

  const fields: SuggestedField[] = [];
  for (const t of template.fields) {
    const cand = chosen.get(t.field);
    if (cand) {
      const grouped = cand.match === "numbered_columns";
      const s: SuggestedField = {
        target: t.field,
        ...(cand.columns.length === 1 ? { source: cand.columns[0].name } : { sources: cand.columns.map((c) => c.name) }),
        transforms: transformsFor(t, cand.columns, grouped),
        confidence: Math.round(cand.score * 100) / 100,
        match: cand.match,
      };
      fields.push(s);
    } else if (t.required && t.values?.length === 1) {
      // The marketplace accepts one value only (Mercado Livre Brasil: currency BRL).
      fields.push({ target: t.field, value: t.values[0], transforms: [], confidence: 1, match: "constant" });
    }
  }

  const mapped = new Set(fields.map((f) => f.target));
  const mapping: MappingDefinition = {
    name: input.name ?? `${template.marketplace}${template.category ? ` ${template.category.id}` : ""} (suggested)`,
    marketplace: template.marketplace,
    ...(template.category && { category: template.category.id }),
    fields: fields.map((f) => ({
      target: f.target,
      ...(f.source !== undefined && { source: f.source }),
      ...(f.sources !== undefined && { sources: f.sources }),
      ...(f.value !== undefined && { value: f.value }),
      ...(f.transforms.length > 0 && { transforms: f.transforms }),
    })),
  };
  return {
    mapping,
    fields,
    unmapped_columns: cols.filter((c) => !usedBy.has(c.index)).map((c) => c.name),
    unmapped_required: template.required.filter((f) => !mapped.has(f)),
  };
}
