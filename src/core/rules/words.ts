/**
 * Case- and accent-insensitive whole-word search for `forbidden_words`.
 *
 * The definition (the reference implementation, `findWordSlow`): the text is folded with `fold`
 * (NFD, combining marks removed, lowercased, NFC); a one-token key matches where it appears in the
 * folded text and touches no letter, digit or `_` on either side; a key of several tokens matches a
 * run of consecutive tokens (maximal runs of letters and digits) of the folded text.
 *
 * The fast path gives the same answer without allocating: text made only of characters below
 * U+0250 (ASCII, Latin-1, Latin Extended-A/B) and combining marks U+0300–U+036F is folded one
 * character at a time through a table into a reusable buffer, and the keys are matched at token
 * starts. The table is built from `fold` itself, one character at a time, which is exact for
 * these characters: their canonical decomposition is a base letter plus combining marks (all
 * removed), their lowercase is one character that does not depend on context, and no NFC
 * composition applies to the result. Any other character sends the whole text to the reference.
 */
import { fold } from "./values";

const WORD_TOKEN = /[\p{L}\p{N}]+/gu;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const MARK = /\p{M}/u;

/** Folded text with every run of non-word characters turned into one space: a key's form. */
export function wordText(s: string): string {
  return (fold(s).match(WORD_TOKEN) ?? []).join(" ");
}

function isWordCharAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return WORD_CHAR.test(s[i]);
}

/** Reference implementation: index in `keys` of the first key found in `s`, or -1. */
export function findWordSlow(keys: readonly string[], s: string): number {
  const text = fold(s);
  let joined: string | undefined;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.indexOf(" ") >= 0) {
      joined ??= wordText(s);
      if (` ${joined} `.indexOf(` ${key} `) >= 0) return k;
      continue;
    }
    for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
      if (!isWordCharAt(text, at - 1) && !isWordCharAt(text, at + key.length)) return k;
    }
  }
  return -1;
}

// --- fast path -------------------------------------------------------------------------------

const TABLE_SIZE = 0x370;
/** Table entry of a character the fast path does not cover. */
const UNSUPPORTED = -1;
/** Table entry of a combining mark: folding removes it. */
const DROP = -2;
/** Class bits of a folded character: a letter or digit (token character)… */
const LN = 1 << 16;
/** …or a character that blocks a one-token match (letters, digits, `_`). */
const WORD = 2 << 16;
const CODE = 0xffff;

let TABLE: Int32Array | undefined;

/**
 * Per character below TABLE_SIZE: its folded code | its class bits, or DROP / UNSUPPORTED. Built
 * on first use from `fold` itself (under a thousand one-character normalize calls, once per isolate).
 */
function table(): Int32Array {
  if (TABLE !== undefined) return TABLE;
  const t = new Int32Array(TABLE_SIZE).fill(UNSUPPORTED);
  for (let c = 0; c < TABLE_SIZE; c++) {
    const f = fold(String.fromCharCode(c));
    if (f.length === 0) t[c] = DROP;
    else if (f.length === 1 && f.charCodeAt(0) < TABLE_SIZE && !MARK.test(f)) {
      t[c] = f.charCodeAt(0) | (LETTER_OR_DIGIT.test(f) ? LN : 0) | (isWordCharAt(f, 0) ? WORD : 0);
    }
  }
  TABLE = t;
  return t;
}

interface Key {
  /** Index in the rule's word list. */
  index: number;
  /** Tokens of the folded key (one for a single word). */
  tokens: string[];
}

const NO = 0;
const YES = 1;
/** The answer depends on a character the table does not cover: use the reference. */
const BAIL = 2;

/**
 * Compiles a finder over the keys (each `wordText` of a word; non-empty). The finder returns the
 * index of the first key, in list order, that occurs in the text, or -1 — the same answer as
 * `findWordSlow`. One pass over the text, folding each character through the table; keys are
 * tried only at token starts whose first character begins some key. The fast answer is returned
 * only when every character of the text is in the table.
 */
export function compileWordFinder(keys: readonly string[]): (s: string) => number {
  const byFirst = new Map<number, Key[]>();
  keys.forEach((key, index) => {
    const first = key.charCodeAt(0);
    let list = byFirst.get(first);
    if (list === undefined) byFirst.set(first, (list = []));
    list.push({ index, tokens: key.split(" ") });
  });
  // Keys by the code of their first character, in list order. A key starting with a character
  // the table never produces cannot occur in text the fast path accepts.
  const starts: (Key[] | undefined)[] = new Array(TABLE_SIZE).fill(undefined);
  for (const [code, list] of byFirst) if (code < TABLE_SIZE) starts[code] = list;

  return (s: string): number => {
    const t = table();
    const n = s.length;
    let best = -1;
    let prev = 0; // entry of the previous folded character
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= TABLE_SIZE) return findWordSlow(keys, s);
      const e = t[c];
      if (e < 0) {
        if (e === DROP) continue;
        return findWordSlow(keys, s);
      }
      if ((e & LN) !== 0 && (prev & LN) === 0 && best !== 0) {
        const list = starts[e & CODE];
        if (list !== undefined) {
          for (let j = 0; j < list.length; j++) {
            const key = list[j];
            if (best >= 0 && key.index >= best) break;
            const r = key.tokens.length === 1 ? matchWord(s, i, key.tokens[0], prev, t) : matchPhrase(s, i, key.tokens, t);
            if (r === BAIL) return findWordSlow(keys, s);
            if (r === YES) {
              best = key.index;
              break;
            }
          }
        }
      }
      prev = e;
    }
    return best;
  };
}

/**
 * Compares `w` with the folded text from `i` (skipping dropped marks). Returns the index after the
 * match, -1 for no match, -2 when a character outside the table is met.
 */
function matchToken(s: string, i: number, w: string, t: Int32Array): number {
  const n = s.length;
  let q = i;
  for (let j = 0; j < w.length; j++) {
    let e: number;
    do {
      if (q >= n) return -1;
      const c = s.charCodeAt(q++);
      if (c >= TABLE_SIZE) return -2;
      e = t[c];
    } while (e === DROP);
    if (e === UNSUPPORTED) return -2;
    if ((e & CODE) !== w.charCodeAt(j)) return -1;
  }
  return q;
}

/** Entry of the next folded character from `q`: 0 at the end, -1 outside the table. */
function entryAt(s: string, q: number, t: Int32Array): number {
  for (; q < s.length; q++) {
    const c = s.charCodeAt(q);
    if (c >= TABLE_SIZE) return UNSUPPORTED;
    const e = t[c];
    if (e !== DROP) return e;
  }
  return 0;
}

/** One token: the folded text around it must not be a letter, digit or `_`. */
function matchWord(s: string, i: number, w: string, prev: number, t: Int32Array): number {
  if ((prev & WORD) !== 0) return NO;
  const q = matchToken(s, i, w, t);
  if (q === -2) return BAIL;
  if (q < 0) return NO;
  const next = entryAt(s, q, t);
  if (next === UNSUPPORTED) return BAIL;
  return (next & WORD) === 0 ? YES : NO;
}

/** Several tokens: consecutive maximal letter/digit runs equal to the key's tokens. */
function matchPhrase(s: string, i: number, tokens: readonly string[], t: Int32Array): number {
  const n = s.length;
  let q = i;
  for (let k = 0; k < tokens.length; k++) {
    if (k > 0) {
      // skip the separator run up to the next letter or digit
      for (;;) {
        if (q >= n) return NO;
        const c = s.charCodeAt(q);
        if (c >= TABLE_SIZE) return BAIL;
        const e = t[c];
        if (e === UNSUPPORTED) return BAIL;
        if (e !== DROP && (e & LN) !== 0) break;
        q++;
      }
    }
    q = matchToken(s, q, tokens[k], t);
    if (q === -2) return BAIL;
    if (q < 0) return NO;
    const next = entryAt(s, q, t);
    if (next === UNSUPPORTED) return BAIL;
    if ((next & LN) !== 0) return NO;
  }
  return YES;
}
