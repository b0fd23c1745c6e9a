export const URL_SCHEME = /^[a-z][a-z0-9+.-]{0,31}$/;

// Host label characters: ASCII letters and digits, and any non-ASCII character except Unicode
// spaces and C1 controls (internationalized domain names). Listed as ranges rather than \p{L} so
// the expression needs no `u` flag. (Measured on Node 24: these large classes cost nothing
// noticeable — an ASCII-only copy of the expression is no faster, and a hand-written scanner is
// slower than Irregexp, mostly over the path — so the saving is in running it once per picture.)
const L = "0-9a-z\\u00a1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\uffff";
// Letter/digit runs joined by hyphens: no leading or trailing hyphen, and no backtracking.
const LABEL = `[${L}]+(?:-+[${L}]+)*`;
const HOST = `(?:\\[[0-9a-f:.]+\\]|${LABEL}(?:\\.${LABEL})*\\.?)`;
const AFTER_SCHEME = `\\/\\/${HOST}(?::\\d{1,5})?(?:[/?#]\\S*)?$`;

function escapeScheme(s: string): string {
  return s.replace(/[.+]/g, "\\$&");
}

/**
 * The definition of a valid URL as one regular expression: an allowed scheme (case-insensitive),
 * `://`, a host (DNS name, IPv4, or bracketed IPv6), an optional port, then path/query/fragment
 * without whitespace. `compileUrlTest` gives the same answers.
 */
export function urlRegex(schemes: readonly string[]): RegExp {
  return new RegExp(`^(?:${schemes.map(escapeScheme).join("|")}):${AFTER_SCHEME}`, "i");
}

/**
 * Everything after the scheme's colon, matched from `lastIndex` (sticky). Scheme names cannot
 * contain ":", so the scheme of a valid URL is exactly the text before its first colon, and the
 * rest does not depend on which schemes a rule allows: one answer serves every url rule.
 */
const REST = new RegExp(AFTER_SCHEME, "iy");

function restIsValid(s: string, colon: number): boolean {
  REST.lastIndex = colon + 1;
  return REST.test(s);
}

// Scheme names used by compiled url tests, registered at compile time: a URL is classified once
// (which registered scheme it has, and whether the rest is valid) and each rule then only checks
// that the scheme is one it allows. Bounded, so packs cannot grow it without limit; a test compiled
// once the registry is full uses the regular expression alone.
const MAX_SCHEMES = 256;
const schemeNames: string[] = [];
const schemeIds = new Map<string, number>();
/** Registered scheme ids by name length (the text before the first colon). */
const idsByLength: number[][] = [];

function register(name: string): number | undefined {
  let id = schemeIds.get(name);
  if (id !== undefined) return id;
  if (schemeNames.length >= MAX_SCHEMES) return undefined;
  id = schemeNames.length;
  schemeNames.push(name);
  schemeIds.set(name, id);
  (idsByLength[name.length] ??= []).push(id);
  return id;
}

/** Id of the registered scheme the text before `colon` names (ASCII case-insensitively), or -1. */
function schemeIdOf(s: string, colon: number): number {
  const ids = idsByLength[colon];
  if (ids === undefined) return -1;
  for (let k = 0; k < ids.length; k++) {
    const name = schemeNames[ids[k]];
    if (s.startsWith(name)) return ids[k];
    let i = 0;
    for (; i < colon; i++) {
      let c = s.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32; // "HTTPS://"
      if (c !== name.charCodeAt(i)) break;
    }
    if (i === colon) return ids[k];
  }
  return -1;
}

/** The registered scheme id of a valid URL, or -1 (invalid, or a scheme no test allows). */
function classify(s: string): number {
  const colon = s.indexOf(":");
  if (colon <= 0) return -1;
  const id = schemeIdOf(s, colon);
  return id >= 0 && restIsValid(s, colon) ? id : -1;
}

// Memo of `classify` for the items of the list being validated: the `url` rules of a pack (any
// URL, https only…) check the same pictures, so each picture is matched once per record. Slot =
// item index; an entry is used only for the same record (epoch) and the same string (compared by
// `===`, so a changed item never reuses an answer).
const SLOTS = 64;
const memoString: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
const memoEpoch = new Float64Array(SLOTS).fill(-1);
const memoId = new Int32Array(SLOTS);

function classifyItem(s: string, slot: number, epoch: number): number {
  if (slot < 0 || slot >= SLOTS) return classify(s);
  if (memoEpoch[slot] === epoch && memoString[slot] === s) return memoId[slot];
  const id = classify(s);
  memoString[slot] = s;
  memoEpoch[slot] = epoch;
  memoId[slot] = id;
  return id;
}

export type UrlTest = (s: string, slot?: number, epoch?: number) => boolean;

/**
 * A test for absolute URLs, with the same answers as `urlRegex(schemes)`. User info
 * (`user:pass@`) is refused: marketplaces reject credentials in product URLs. Surrounding
 * whitespace makes the URL invalid (a `trim` fix can correct it). `slot` (the item's index in a
 * list, or -1) and `epoch` (one per validated record) let rules share the work on one picture.
 */
export function compileUrlTest(schemes: readonly string[]): UrlTest {
  const lower = schemes.map((x) => x.toLowerCase());
  const ids = lower.map(register);
  if (ids.some((id) => id === undefined)) {
    const re = urlRegex(lower);
    return (s) => re.test(s);
  }
  const allowed = new Uint8Array(Math.max(...(ids as number[])) + 1);
  for (const id of ids) allowed[id!] = 1;
  return (s, slot = -1, epoch = 0) => {
    const id = classifyItem(s, slot, epoch);
    return id >= 0 && allowed[id] === 1;
  };
}
