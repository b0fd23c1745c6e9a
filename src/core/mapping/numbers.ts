import { parseLocaleNumber } from "../rules/numbers";

/** `auto` reads both ways (a single separator is the decimal one); `pt-BR` and `en` settle "1.234". */
export type NumberLocale = "auto" | "pt-BR" | "en";
export const NUMBER_LOCALES: readonly NumberLocale[] = ["auto", "pt-BR", "en"];

const CURRENCY = /R\$|US\$|[$€£]|\b(?:BRL|USD|EUR|reais)\b/gi;
const SPACES = /[\s\u00a0\u202f]+/g;
const INTEGER = /^-?\d{1,15}$/;
const NUMERIC = /^[\d.,]+$/;
const PLAIN = /^[-+]?[\d.,]+$/;
const DIGITS = /^\d+$/;
const GROUPED = /^\d{1,3}(?:[.,]\d{3})+$/;

/**
 * Reads a number written in `locale`: "R$ 1.234,56" (pt-BR) → 1234.56, "1,234.56" (en) → 1234.56.
 * In pt-BR a dot groups thousands ("1.234" → 1234) unless it is the only separator and is not
 * followed by exactly three digits ("12.5" → 12.5); en mirrors it. Undefined when not a number.
 */
export function parseNumber(v: unknown, locale: NumberLocale): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const fast = scan(v, locale);
  return fast === SLOW ? parseSlow(v, locale) : fast;
}

const SLOW = -0.5 as const;
const MAX_SEPARATORS = 8;
const runLength = new Int32Array(MAX_SEPARATORS + 1);
const separator = new Int32Array(MAX_SEPARATORS);
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const DOT = 46;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160 || c === 0x202f;
}

/** Digits of runs 1..last must be exactly three (thousands groups); run 0 one to three. */
function groupedRuns(last: number): boolean {
  if (last === 0) return true;
  if (runLength[0] < 1 || runLength[0] > 3) return false;
  for (let k = 1; k <= last; k++) if (runLength[k] !== 3) return false;
  return true;
}

/**
 * The hot path of parseNumber: one pass over the characters, no allocation. Handles an optional
 * sign, an "R$" prefix, digits with dots and commas, and surrounding spaces; anything else (currency
 * words, odd shapes) returns SLOW and goes through the regular-expression reader.
 */
function scan(t: string, locale: NumberLocale): number | undefined | typeof SLOW {
  const n = t.length;
  let i = 0;
  while (i < n && isSpace(t.charCodeAt(i))) i++;
  let negative = false;
  let c = t.charCodeAt(i);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  if (t.charCodeAt(i) === 82 && t.charCodeAt(i + 1) === 36) {
    i += 2;
    while (i < n && isSpace(t.charCodeAt(i))) i++;
  }
  let mantissa = 0;
  let digits = 0;
  let runs = 0;
  let seps = 0;
  let inRun = false;
  for (; i < n; i++) {
    c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (!inRun) {
        runLength[runs++] = 0;
        inRun = true;
      }
      runLength[runs - 1]++;
      mantissa = mantissa * 10 + (c - 48);
      if (++digits > 15) return SLOW;
    } else if (c === DOT || c === COMMA) {
      if (!inRun || seps === MAX_SEPARATORS) return SLOW;
      separator[seps++] = c;
      inRun = false;
    } else if (isSpace(c)) {
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      if (i < n) return SLOW;
      break;
    } else return SLOW;
  }
  if (!inRun) return SLOW;
  const last = seps - 1;
  let dec = -1;
  if (seps > 0) {
    const lastSep = separator[last];
    let mixed = false;
    for (let k = 0; k < last; k++) if (separator[k] !== separator[0]) return undefined;
    if (last > 0 && separator[0] !== lastSep) mixed = true;
    const decChar = locale === "pt-BR" ? COMMA : locale === "en" ? DOT : mixed ? lastSep : seps === 1 ? lastSep : -1;
    if (lastSep === decChar) {
      dec = last;
      if (last > 0 && (!mixed || !groupedRuns(last))) return undefined;
    } else if (mixed) return undefined;
    else if (locale !== "auto" && seps === 1 && runLength[1] !== 3) dec = 0; // "12.5" in pt-BR
    else if (!groupedRuns(seps)) return undefined;
  }
  let value = mantissa;
  if (dec >= 0) value = mantissa / POW10[runLength[dec + 1]];
  return negative ? -value : value;
}

function parseSlow(v: string, locale: NumberLocale): number | undefined {
  const t = v.trim();
  if (INTEGER.test(t)) return Number(t);
  if (locale === "auto") return parseLocaleNumber(t);
  let s = PLAIN.test(t) ? t : t.replace(CURRENCY, "").replace(SPACES, "");
  let sign = "";
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? "-" : "";
    s = s.slice(1);
  }
  if (!NUMERIC.test(s)) return undefined;
  const dec = locale === "pt-BR" ? "," : ".";
  const group = locale === "pt-BR" ? "." : ",";
  const first = s.indexOf(dec);
  if (first !== s.lastIndexOf(dec)) return undefined;
  let int = first < 0 ? s : s.slice(0, first);
  const frac = first < 0 ? "" : s.slice(first + 1);
  if (first >= 0 && !DIGITS.test(frac)) return undefined;
  if (int.includes(group)) {
    const g = int.indexOf(group);
    if (GROUPED.test(int) && !int.includes(dec)) int = int.split(group).join("");
    else if (first < 0 && g === int.lastIndexOf(group) && g > 0 && DIGITS.test(int.slice(0, g)) && DIGITS.test(int.slice(g + 1))) {
      // a lone "other" separator not grouping three digits is a decimal point: "12.5" in pt-BR
      const n = Number(sign + int.slice(0, g) + "." + int.slice(g + 1));
      return Number.isFinite(n) ? n : undefined;
    } else return undefined;
  }
  if (int === "") int = "0";
  if (!DIGITS.test(int)) return undefined;
  const n = Number(sign + int + (frac ? "." + frac : ""));
  return Number.isFinite(n) ? n : undefined;
}

/** Rounds to `decimals` places; without it, to 6 places (removes binary noise like 0.45 * 1000). */
export function round(n: number, decimals?: number): number {
  const f = 10 ** (decimals ?? 6);
  const r = Math.round((n + Math.sign(n) * Number.EPSILON) * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Writes a number without grouping, with the locale's decimal separator. */
export function numberText(n: number, comma: boolean, decimals?: number): string {
  const s = decimals === undefined ? String(n) : n.toFixed(decimals);
  return comma ? s.replace(".", ",") : s;
}

/** Writes a number for people: "1.234,56" (pt-BR) or "1,234.56" (en). */
export function formatNumber(n: number, locale: "pt-BR" | "en", decimals: number | undefined, grouping: boolean): string {
  const fixed = decimals === undefined ? String(n) : n.toFixed(decimals);
  if (fixed.includes("e")) return fixed;
  const neg = fixed.startsWith("-");
  const [int, frac] = (neg ? fixed.slice(1) : fixed).split(".");
  let body = int;
  if (grouping) {
    const sep = locale === "pt-BR" ? "." : ",";
    body = "";
    for (let i = 0; i < int.length; i++) {
      if (i > 0 && (int.length - i) % 3 === 0) body += sep;
      body += int[i];
    }
  }
  const dec = locale === "pt-BR" ? "," : ".";
  return (neg ? "-" : "") + body + (frac !== undefined ? dec + frac : "");
}

/** True when a text's last separator is a comma ("1.234,5"), i.e. it was written with a decimal comma. */
export function usesDecimalComma(v: unknown): boolean {
  if (typeof v !== "string") return false;
  return v.lastIndexOf(",") > v.lastIndexOf(".");
}
