/** Text transformations used by fixes: HTML stripping, case changes, truncation. */
import { codePointLength, isSpaceCode } from "./values";


const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ",
  aacute: "á", Aacute: "Á", agrave: "à", Agrave: "À", acirc: "â", Acirc: "Â", atilde: "ã", Atilde: "Ã", auml: "ä",
  eacute: "é", Eacute: "É", egrave: "è", ecirc: "ê", Ecirc: "Ê", euml: "ë",
  iacute: "í", Iacute: "Í", icirc: "î", iuml: "ï",
  oacute: "ó", Oacute: "Ó", ocirc: "ô", Ocirc: "Ô", otilde: "õ", Otilde: "Õ", ouml: "ö",
  uacute: "ú", Uacute: "Ú", ucirc: "û", uuml: "ü", Uuml: "Ü",
  ccedil: "ç", Ccedil: "Ç", ntilde: "ñ", Ntilde: "Ñ",
  ndash: "–", mdash: "—", hellip: "…", bull: "•", middot: "·", deg: "°", ordm: "º", ordf: "ª",
  reg: "®", copy: "©", trade: "™", euro: "€", pound: "£", cent: "¢", times: "×", divide: "÷",
  laquo: "«", raquo: "»", ldquo: "“", rdquo: "”", lsquo: "‘", rsquo: "’", sup2: "²", sup3: "³", frac12: "½",
};

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

export function decodeEntities(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(ENTITY, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : m;
    const code = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
    return String.fromCodePoint(code);
  });
}

/** Removes `<start …>…</end>` sections with indexOf (no regex backtracking on unterminated input). */
function removeSections(s: string, open: string, close: string, gap: string): string {
  const lower = s.toLowerCase();
  let out = "";
  let from = 0;
  for (;;) {
    const start = lower.indexOf(open, from);
    if (start < 0) break;
    const end = lower.indexOf(close, start + open.length);
    out += s.slice(from, start) + gap;
    if (end < 0) return out;
    from = end + close.length;
  }
  return out + s.slice(from);
}

const BLOCK_TAG = /<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|hr)\b[^<>]*>/gi;
const ANY_TAG = /<\/?[A-Za-z][^<>]*>|<![A-Za-z][^<>]*>/g;

/**
 * Where a removed tag was, a word break: a space, except right before closing punctuation
 * (`<b>128 GB</b>.` → `128 GB.`) or right after an opening bracket (`(<i>novo</i>)` → `(novo)`).
 * Marked with a noncharacter while tags are removed, then resolved against its neighbours.
 */
const GAP = "\ufdd0";
const GAP_RUN = /\ufdd0+/g;
const CLOSING = new Set([...".,;:!?)]}…%»”’"].map((c) => c.charCodeAt(0)));
const OPENING = new Set([..."([{«“‘"].map((c) => c.charCodeAt(0)));

function resolveGaps(t: string): string {
  return t.replace(GAP_RUN, (gap: string, at: number, all: string) =>
    CLOSING.has(all.charCodeAt(at + gap.length)) || OPENING.has(all.charCodeAt(at - 1)) ? "" : " ",
  );
}

/**
 * HTML to plain text: scripts, styles and comments dropped; line-breaking tags (br, p, div, li,
 * headings…) become line breaks, other tags a word break (no space before punctuation); common
 * entities are decoded; runs of spaces become one space, each line is trimmed and blank lines are
 * dropped.
 */
export function stripHtml(s: string): string {
  let t = s;
  if (t.indexOf("<") >= 0) {
    // (text that already holds the marker, which no real text does, keeps plain spaces)
    const gap = t.indexOf(GAP) < 0 ? GAP : " ";
    t = removeSections(t, "<!--", "-->", gap);
    t = removeSections(t, "<script", "</script>", gap);
    t = removeSections(t, "<style", "</style>", gap);
    t = t.replace(BLOCK_TAG, "\n").replace(ANY_TAG, gap);
    if (gap === GAP) t = resolveGaps(t);
  }
  t = decodeEntities(t);
  return t
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/[^\S\r\n]+/g, " ").trim())
    .filter((line) => line.length > 0)
    .join("\n");
}

/** Words kept lowercase inside a title (unless first): Portuguese and English articles, prepositions, conjunctions. */
const SMALL_WORDS = new Set([
  "a", "à", "ao", "aos", "as", "às", "o", "os", "e", "de", "da", "das", "do", "dos", "em", "na", "nas", "no", "nos",
  "num", "numa", "com", "sem", "por", "pela", "pelas", "pelo", "pelos", "para", "pra", "ou", "um", "uma", "sob",
  "an", "and", "of", "the", "or", "for", "in", "on", "at", "to", "with", "by",
]);

const HAS_DIGIT = /\d/;
const INNER_CAPITAL = /\p{Ll}\p{Lu}/u;
const FIRST_LETTER = /\p{L}/u;

/** Words whose case carries meaning: with digits (128GB, 4K), mixed case (iPhone), short acronyms (USB, TV). */
function keepsCase(word: string, allUpper: boolean): boolean {
  if (HAS_DIGIT.test(word) || INNER_CAPITAL.test(word)) return true;
  if (allUpper) return false;
  const letters = word.replace(/[^\p{L}]/gu, "");
  return letters.length >= 2 && letters.length <= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function capitalize(word: string): string {
  const m = FIRST_LETTER.exec(word);
  if (!m) return word;
  const i = m.index;
  const cp = word.codePointAt(i)!;
  const len = cp > 0xffff ? 2 : 1;
  return word.slice(0, i).toLowerCase() + word.slice(i, i + len).toUpperCase() + word.slice(i + len).toLowerCase();
}

function isAllUpper(s: string): boolean {
  return s === s.toUpperCase() && s !== s.toLowerCase();
}

/** Title Case for Portuguese and English: small words stay lowercase except the first. */
export function titleCase(s: string): string {
  const allUpper = isAllUpper(s);
  let index = 0;
  return s.replace(/\S+/g, (word) => {
    const first = index++ === 0;
    if (keepsCase(word, allUpper)) return word;
    const lower = word.toLowerCase();
    if (!first && SMALL_WORDS.has(lower)) return lower;
    return capitalize(word);
  });
}

/** Sentence case: lowercase, with the first letter of each sentence capitalized. */
export function sentenceCase(s: string): string {
  const allUpper = isAllUpper(s);
  let start = true;
  return s.replace(/\S+/g, (word) => {
    const atStart = start;
    start = /[.!?]$/.test(word);
    if (keepsCase(word, allUpper)) return word;
    return atStart ? capitalize(word) : word.toLowerCase();
  });
}

const TRAILING_SEPARATORS = /[\s,;:\-–—/|(+&]+$/u;

/**
 * Shortens `s` to at most `max` code points including `ellipsis`. With `atWord`, the cut is at the
 * last space that fits (trailing separators like " -" and "," are removed); a first word longer
 * than the limit is cut inside the word.
 */
export function truncate(s: string, max: number, atWord: boolean, ellipsis: string): string {
  if (s.length <= max || codePointLength(s) <= max) return s;
  const limit = Math.max(1, max - codePointLength(ellipsis));
  // UTF-16 offset of code point number `limit` (a surrogate pair is one code point)
  let end = 0;
  for (let k = 0; k < limit; k++) end += isPairAt(s, end) ? 2 : 1;
  let cut = s.slice(0, end);
  if (atWord && !isSpaceCode(s.charCodeAt(end))) {
    let i = cut.length - 1;
    while (i > 0 && !isSpaceCode(cut.charCodeAt(i))) i--;
    if (i > 0) cut = cut.slice(0, i);
  }
  const tidy = cut.replace(TRAILING_SEPARATORS, "");
  return (tidy.length > 0 ? tidy : cut) + ellipsis;
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}
