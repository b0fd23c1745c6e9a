/**
 * What one atom of a pattern (`a`, `.`, `\d`, `\p{L}`, `[^<>]`, …) matches, answered by the native
 * engine: JavaScript's own rules for case folding under `i` and `iu`, `\s`, `\w`, `.`, Unicode
 * properties, and code units versus code points. An atom matches exactly one character, so one
 * global replace over a string marks every character the atom matches in a single linear pass,
 * whatever the atom:
 *
 * - Latin-1 (U+0000–U+00FF) once per atom, kept as a table;
 * - every position of a value with other characters, per call and only for the atoms asked about
 *   (see LinearMatcher), so the work is bounded by the value's length and nothing grows with the
 *   text an isolate has seen.
 */

const CACHE_LIMIT = 512;
const LATIN1 = String.fromCharCode(...Array.from({ length: 256 }, (_, c) => c));

export class CharSet {
  private latin1: Uint8Array | undefined;

  /** `native` is the atom alone with the pattern's flags plus g. */
  constructor(
    private readonly native: RegExp,
    private readonly unicode: boolean,
  ) {}

  /** 1 for each Latin-1 character the atom matches. */
  latin1Table(): Uint8Array {
    if (!this.latin1) {
      const marked = LATIN1.replace(this.native, "\u0100");
      const table = new Uint8Array(256);
      for (let c = 0; c < 256; c++) table[c] = marked.charCodeAt(c) === 0x100 ? 1 : 0;
      this.latin1 = table;
    }
    return this.latin1;
  }

  /**
   * 1 at each position of `input` where a character the atom matches begins (code points under u,
   * code units otherwise). `mark` is a character `input` does not contain.
   */
  positions(input: string, mark: string): Uint8Array {
    const marked = input.replace(this.native, mark);
    const markCode = mark.charCodeAt(0);
    const result = new Uint8Array(input.length);
    let at = 0;
    for (let pos = 0; pos < input.length; ) {
      const wide = this.unicode && (input.codePointAt(pos) ?? 0) > 0xffff;
      if (marked.charCodeAt(at) === markCode) {
        result[pos] = 1;
        at++;
      } else at += wide ? 2 : 1;
      pos += wide ? 2 : 1;
    }
    return result;
  }
}

const sets = new Map<string, CharSet>();

/** The set an atom matches under `flags` (a subset of "iu"); shared by every pattern in the isolate. */
export function charSet(atom: string, flags: string): CharSet {
  const key = `${flags}/${atom}`;
  let set = sets.get(key);
  if (!set) {
    set = new CharSet(new RegExp(`(?:${atom})`, flags + "g"), flags.includes("u"));
    if (sets.size >= CACHE_LIMIT) sets.clear();
    sets.set(key, set);
  }
  return set;
}
