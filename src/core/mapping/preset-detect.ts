import { wordKey } from "./normalize";
import type { LayoutPreset } from "./presets";

/** How well a file's header fits a preset's fingerprint. */
export interface PresetMatch {
  preset: LayoutPreset;
  /** 0–1; a preset is recognised from PRESET_MIN_SCORE on. */
  score: number;
  /** The file's columns that belong to the layout, as the file spells them. */
  matched: string[];
  /** Columns of the layout the file does not have. */
  missing: string[];
  /** Columns of the file the layout does not have. */
  extra: string[];
}

/** Below this a header is not said to be a layout. */
export const PRESET_MIN_SCORE = 0.6;
/** A recognised preset must beat the next one by this much, or the answer is ambiguous. */
export const PRESET_MARGIN = 0.08;
const MIN_MATCHED = 3;

/**
 * Column names are compared by their words only: case, accents, punctuation and spacing do not
 * count ("Peso bruto (Kg)" = "peso bruto kg" = "PESO_BRUTO_KG").
 */
export const layoutKey = wordKey;

const keyCache = new WeakMap<LayoutPreset, Map<string, string>>();

/** A preset's columns by key (first spelling kept), computed once per preset. */
function keysOf(p: LayoutPreset): Map<string, string> {
  let keys = keyCache.get(p);
  if (!keys) {
    keys = new Map();
    for (const h of p.header) if (!keys.has(layoutKey(h))) keys.set(layoutKey(h), h);
    keyCache.set(p, keys);
  }
  return keys;
}

/** How much each key tells apart: a column only one preset has weighs 1, one shared by n weighs 1/n. */
function keyWeights(presets: readonly LayoutPreset[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of presets) for (const k of keysOf(p).keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
  const weights = new Map<string, number>();
  for (const [k, n] of counts) weights.set(k, 1 / n);
  return weights;
}

/**
 * Scores every preset against a header (any order, extra and missing columns allowed) and returns
 * those with a score above zero, best first. The score blends how much of the file the layout
 * explains (a file is rarely more than its layout) with how much of the layout's distinctive
 * columns the file has (columns only that layout uses count more than "Preço" or "SKU").
 */
export function detectPresets(headers: readonly string[], presets: readonly LayoutPreset[]): PresetMatch[] {
  const weights = keyWeights(presets);
  const fileColumns = headers.map((h) => String(h ?? "")).filter((h) => h.trim().length > 0);
  const fileKeys = new Map<string, string>();
  for (const h of fileColumns) if (!fileKeys.has(layoutKey(h))) fileKeys.set(layoutKey(h), h);
  const out: PresetMatch[] = [];
  for (const preset of presets) {
    const keys = keysOf(preset);
    let total = 0;
    let found = 0;
    const matched: string[] = [];
    const missing: string[] = [];
    for (const [k, spelling] of keys) {
      const w = weights.get(k) ?? 1;
      total += w;
      const column = fileKeys.get(k);
      if (column !== undefined) {
        found += w;
        matched.push(column);
      } else missing.push(spelling);
    }
    if (matched.length === 0) continue;
    const extra = [...fileKeys].filter(([k]) => !keys.has(k)).map(([, h]) => h);
    const explained = matched.length / Math.max(1, fileKeys.size);
    const covered = total > 0 ? found / total : 0;
    const score = matched.length < MIN_MATCHED ? 0 : Math.round((0.5 * explained + 0.5 * covered) * 1000) / 1000;
    out.push({ preset, score, matched, missing, extra });
  }
  return out.sort((a, b) => b.score - a.score || a.preset.id.localeCompare(b.preset.id));
}

export interface Recognition {
  /** The layout the header is, when one stands out; verified or not. */
  best: PresetMatch | undefined;
  /** Other layouts that scored over the threshold (the answer is ambiguous when `best` is undefined and this is not empty). */
  alternatives: PresetMatch[];
}

/** The preset a header is, if one clearly is: score at least PRESET_MIN_SCORE and PRESET_MARGIN ahead of the next. */
export function recognisePreset(headers: readonly string[], presets: readonly LayoutPreset[]): Recognition {
  const ranked = detectPresets(headers, presets).filter((m) => m.score >= PRESET_MIN_SCORE);
  const [first, second] = ranked;
  if (!first) return { best: undefined, alternatives: [] };
  if (second && first.score - second.score < PRESET_MARGIN) return { best: undefined, alternatives: ranked };
  return { best: first, alternatives: ranked.slice(1) };
}
