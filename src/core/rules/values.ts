/** Reading record values that may come from JSON (typed) or CSV (all strings). */

export function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** True for "" and whitespace-only strings; allocation-free in the common case. */
export function isBlankString(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (!isSpaceCode(s.charCodeAt(0)) || !isSpaceCode(s.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) if (!isSpaceCode(s.charCodeAt(i))) return false;
  return true;
}

/** Absent = undefined, null, blank string, empty list, empty object. */
export function isAbsent(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return isBlankString(v);
  if (typeof v === "object") {
    if (Array.isArray(v)) return v.length === 0;
    for (const _ in v as object) return false;
    return true;
  }
  return false;
}

/** Text form of scalars; undefined for lists, objects and absent values. */
export function toText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  return undefined;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Parses dot-decimal text: optional surrounding whitespace, sign, digits with an optional fraction,
 * optional exponent ("12", " 12.5 ", "-.5", "3e2"); NaN for anything else (no hex, no "Infinity",
 * no decimal comma). One char scan without regex: this runs for every numeric field of every record.
 * Up to 15 significant digits without exponent the value is computed exactly (an integer divided by
 * a power of ten is correctly rounded); longer input goes through Number().
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  let c = n > 0 ? s.charCodeAt(0) : -1;
  while (c !== -1 && isSpaceCode(c)) c = ++i < n ? s.charCodeAt(i) : -1;
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    c = ++i < n ? s.charCodeAt(i) : -1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = ++i < n ? s.charCodeAt(i) : -1;
  }
  if (c === 46) {
    c = ++i < n ? s.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fraction++;
      c = ++i < n ? s.charCodeAt(i) : -1;
    }
  }
  if (digits === 0) return NaN;
  let exact = digits <= 15;
  if (c === 101 || c === 69) {
    exact = false;
    c = ++i < n ? s.charCodeAt(i) : -1;
    if (c === 43 || c === 45) c = ++i < n ? s.charCodeAt(i) : -1;
    let exp = 0;
    while (c >= 48 && c <= 57) {
      exp++;
      c = ++i < n ? s.charCodeAt(i) : -1;
    }
    if (exp === 0) return NaN;
  }
  while (c !== -1 && isSpaceCode(c)) c = ++i < n ? s.charCodeAt(i) : -1;
  if (i !== n) return NaN;
  if (exact) {
    const v = mantissa / POW10[fraction];
    return negative ? -v : v;
  }
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

export function isDecimalString(s: string): boolean {
  return !Number.isNaN(parseDecimal(s));
}

// Rules on one field (type, range) and across fields (compare: sale_price against price) parse
// the same text again: remember the last two parses.
let text0 = "";
let number0 = NaN;
let text1 = "";
let number1 = NaN;

/** Numbers and dot-decimal numeric strings ("12", " 12.5 ", "-3e2"); NaN otherwise. */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v !== "string") return NaN;
  if (v === text0) return number0;
  if (v === text1) return number1;
  const n = parseDecimal(v);
  text1 = text0;
  number1 = number0;
  text0 = v;
  number0 = n;
  return n;
}

// List items in a string: split on | ; and newlines, and on commas followed by a space or a new URL.
const LIST_SEPARATOR = /\s*(?:[|;\r\n]|,(?=\s|[a-z][a-z0-9+.-]*:\/\/))\s*/i;

// Several rules read the same list (count, each url rule…): split a list written as text once.
let lastListText: string | undefined;
let lastList: readonly unknown[] = [];

/**
 * A list value: arrays as they are; a string from CSV split on `|`, `;`, newlines, and on commas
 * followed by whitespace or a URL scheme (so commas inside a URL survive); other scalars are a
 * one-item list; absent values an empty list. The result may be shared: never modify it.
 */
export function asList(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (isAbsent(v)) return EMPTY_LIST;
  if (typeof v === "string") {
    if (v === lastListText) return lastList;
    const parts = v.split(LIST_SEPARATOR);
    const out: string[] = [];
    for (const p of parts) {
      const t = p.trim();
      if (t.length > 0) out.push(t);
    }
    lastListText = v;
    lastList = out;
    return out;
  }
  return [v];
}
const EMPTY_LIST: readonly unknown[] = Object.freeze([]);

/** Length in Unicode code points (an emoji is 1 or more, never half). No allocation. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const COMBINING = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;

/** Case- and accent-insensitive form: "Não" → "nao". */
export function fold(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  return s.normalize("NFD").replace(COMBINING, "").toLowerCase().normalize("NFC");
}

const TRUE_WORDS = new Set(["true", "sim", "yes", "s", "y", "1", "verdadeiro"]);
const FALSE_WORDS = new Set(["false", "nao", "no", "n", "0", "falso"]);

/** true/false for booleans and "true"/"false"/"sim"/"não"/"yes"/"no"/"1"/"0"; undefined otherwise. */
export function parseBoolean(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== "string") return undefined;
  const k = fold(v.trim());
  if (TRUE_WORDS.has(k)) return true;
  if (FALSE_WORDS.has(k)) return false;
  return undefined;
}

/** Short printable form of a value for messages. */
export function displayValue(v: unknown, max = 80): string {
  let s: string;
  if (v === undefined || v === null) s = "";
  else if (typeof v === "string") s = v;
  else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? "";
    } catch {
      s = String(v);
    }
  }
  if (s.length <= max) return s;
  const cut = Array.from(s.slice(0, max * 2)).slice(0, max - 1).join("");
  return cut + "…";
}

/** Structural equality for fixed values (strings, numbers, lists, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  return false;
}
