import { isValidGtin } from "../rules";
import { fold } from "../rules/values";
import { fieldInfo } from "./fields";
import { words } from "./normalize";
import { parseNumber } from "./numbers";
import type { TemplateField } from "./templates";
import type { TransformDef } from "./types";
import { splitUnit, unitOf } from "./units";

/**
 * What the suggester knows of one column: its name taken apart (words, unit and currency hints)
 * and the shape of its sample values (GTINs, URLs, numbers, decimal style, units).
 */
export interface Column {
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
  samples: unknown[];
}

export interface Shape {
  n: number;
  gtin: number;
  url: number;
  imageUrl: number;
  multiUrl: number;
  /** Cells listing several image URLs ("a.jpg|b.jpg"). */
  imageList: number;
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

/** Portuguese and English plurals to one form: imagens → imagem, fotos → foto, precos → preco. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ns")) return w.slice(0, -2) + "m";
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

const CURRENCY_WORDS = new Set(["r", "rs", "brl", "reais", "real"]);
const COST_WORDS = new Set(["custo", "cost", "compra"]);
const FILLER = new Set(["em", "de", "do", "da", "in", "of", "the", "o", "a"]);

const URL = /^https?:\/\/\S+$/i;
const IMAGE = /\.(?:jpe?g|png|webp|gif|avif)(?:[?#]|$)/i;
const COMMA_DECIMAL = /\d,\d{1,2}$|\d\.\d{3},\d/;
const DOT_DECIMAL = /\d\.\d{1,2}$|\d,\d{3}\.\d/;
const DIGITS = /^\d+$/;
const NCM = /^\d{4}\.?\d{2}\.?\d{2}$/;
const CONDITION_WORDS = new Set(["novo", "nova", "usado", "usada", "new", "used", "seminovo", "seminova", "recondicionado", "recondicionada", "refurbished", "lacrado"]);
const LIST_SEPARATORS = ["|", ";", ",", "\n", " "];

function shapeOf(values: unknown[]): Shape {
  const s: Shape = { n: 0, gtin: 0, url: 0, imageUrl: 0, multiUrl: 0, imageList: 0, number: 0, integer: 0, comma: 0, dotDecimal: 0, ncm: 0, condition: 0, longText: 0, unitSuffix: undefined, maxNumber: 0, fractional: 0, separator: undefined };
  for (const raw of values) {
    if (raw === undefined || raw === null) continue;
    const v = String(raw).trim();
    if (!v) continue;
    s.n++;
    if (DIGITS.test(v) && [8, 12, 13, 14].includes(v.length) && isValidGtin(v)) s.gtin++;
    const urls = v.match(/https?:\/\//gi)?.length ?? 0;
    if (urls >= 2) {
      s.multiUrl++;
      const sep = LIST_SEPARATORS.find((c) => v.includes(c));
      s.separator ??= sep;
      if (sep !== undefined && v.split(sep).every((p) => !p.trim() || IMAGE.test(p.trim()))) s.imageList++;
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

export function column(name: string, index: number, samples: unknown[]): Column {
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
  return { index, name, key: ws.join(" "), base: base.join(" "), baseWords: base, unit, money: money || name.includes("$"), shape: shapeOf(samples), samples };
}

const frac = (k: number, s: Shape) => (s.n === 0 ? 0 : k / s.n);

interface Synonym {
  words: string[];
  key: string;
  text: string;
}

/** What name matching reads of a field: a template field or the catalogue's entry. */
type Named = Pick<TemplateField, "field" | "synonyms">;

const synonymCache = new WeakMap<Named, Synonym[]>();

/** A field's synonyms and its own name, as stemmed words; computed once per field object. */
function synonymsOf(t: Named): Synonym[] {
  let out = synonymCache.get(t);
  if (!out) {
    out = [];
    for (const syn of [...t.synonyms["pt-BR"], ...t.synonyms.en, t.field.replace(/^attributes\./, "").replace(/_/g, " ")]) {
      const sw = words(syn).map(stem);
      if (sw.length) out.push({ words: sw, key: sw.join(" "), text: syn });
    }
    synonymCache.set(t, out);
  }
  return out;
}

export interface NameMatch {
  score: number;
  /** The synonym the name matched, as the catalog writes it. */
  synonym: string;
  exact: boolean;
}

/** Score of a column's name against a field's synonyms (score 0 when nothing matches). */
export function nameScore(col: Pick<Column, "key" | "base" | "baseWords">, t: Named): NameMatch {
  const none: NameMatch = { score: 0, synonym: "", exact: false };
  // A cost is not a selling price, however close the names are ("Preço de custo").
  if ((t.field === "price" || t.field === "sale_price") && col.baseWords.some((w) => COST_WORDS.has(w))) return none;
  let best = none;
  for (const { words: sw, key, text } of synonymsOf(t)) {
    if (key === col.key) return { score: 0.95, synonym: text, exact: true };
    if (key === col.base) {
      if (best.score < 0.92) best = { score: 0.92, synonym: text, exact: true };
      continue;
    }
    const cw = col.baseWords;
    if (cw.length === 0) continue;
    const inCol = sw.every((w) => cw.includes(w));
    const inSyn = cw.every((w) => sw.includes(w));
    const score = inCol ? 0.55 + 0.3 * (sw.length / cw.length) : inSyn ? 0.4 + 0.3 * (cw.length / sw.length) : 0;
    if (score > best.score) best = { score, synonym: text, exact: false };
  }
  return best;
}

/** Value-only guesses, for columns whose names say nothing ("Coluna 7"). */
export function valueScore(field: string, s: Shape): number {
  if (s.n === 0) return 0;
  switch (field) {
    case "gtin":
      // Several barcodes with correct check digits do not happen by chance.
      return frac(s.gtin, s) >= 0.8 ? (s.n >= 3 ? 0.8 : 0.7) : 0;
    case "images":
      if (frac(s.imageList, s) >= 0.8) return 0.8;
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

export const CONDITION_MAP: Record<string, string> = {
  novo: "new", nova: "new", lacrado: "new", new: "new",
  usado: "used", usada: "used", seminovo: "used", seminova: "used", used: "used",
  recondicionado: "refurbished", recondicionada: "refurbished", refurbished: "refurbished",
};

/** The condition words a template accepts, as a value_map from the seller's words. */
export function conditionValues(allowed: readonly unknown[] | undefined): Record<string, string> {
  const ok = allowed ?? ["new", "used", "refurbished"];
  const values: Record<string, string> = {};
  for (const [from, to] of Object.entries(CONDITION_MAP)) if (ok.includes(to)) values[from] = to;
  return values;
}

function numberLocale(cols: Column[]): "pt-BR" | "auto" {
  const comma = cols.some((c) => c.shape.comma > 0);
  const dot = cols.some((c) => c.shape.dotDecimal > 0);
  if (comma) return "pt-BR";
  if (!dot && cols.some((c) => c.money)) return "pt-BR";
  return "auto";
}

/** The transforms a field needs to read these columns: list splitting, value maps, number notation, units. */
export function transformsFor(t: TemplateField, cols: Column[], grouped: boolean): TransformDef[] {
  const col = cols[0];
  const field = t.field;
  if (field === "images") {
    if (grouped || cols.length > 1) return ["trim", "collect"];
    const sep = col.shape.separator ?? "|";
    return [{ op: "split", separator: sep === "\n" ? "\n" : sep }];
  }
  if (field === "condition") return ["trim", { op: "value_map", values: conditionValues(t.values) }];
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
