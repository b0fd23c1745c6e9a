/**
 * What one atom of a pattern (`a`, `.`, `\d`, `\p{L}`, `[^<>]`, …) matches, answered for one
 * character at a time by the native engine on `^(?:atom)$`: JavaScript's own rules for case folding
 * under `i` and `iu`, `\s`, `\w`, `.`, Unicode properties and code units versus code points.
 * A one-atom pattern against one character cannot backtrack, and answers are remembered.
 */

const CACHE_LIMIT = 1024;
const OTHER_LIMIT = 4096;

export class CharSet {
  /** Latin-1 answers: -1 not asked yet, 0 no, 1 yes. */
  private readonly latin1 = new Int8Array(256).fill(-1);
  private readonly other = new Map<number, boolean>();

  /** `holds` answers for a code point in u mode, a UTF-16 code unit otherwise. */
  constructor(private readonly holds: (c: number) => boolean) {}

  has(c: number): boolean {
    if (c < 256) {
      const known = this.latin1[c];
      if (known >= 0) return known === 1;
      const yes = this.holds(c);
      this.latin1[c] = yes ? 1 : 0;
      return yes;
    }
    const known = this.other.get(c);
    if (known !== undefined) return known;
    const yes = this.holds(c);
    if (this.other.size >= OTHER_LIMIT) this.other.clear();
    this.other.set(c, yes);
    return yes;
  }
}

const sets = new Map<string, CharSet>();

/** The set an atom matches under `flags` (a subset of "iu"); shared by every pattern in the isolate. */
export function charSet(atom: string, flags: string): CharSet {
  const key = `${flags}/${atom}`;
  let set = sets.get(key);
  if (!set) {
    const native = new RegExp(`^(?:${atom})$`, flags);
    set = new CharSet((c) => native.test(String.fromCodePoint(c)));
    if (sets.size >= CACHE_LIMIT) sets.clear();
    sets.set(key, set);
  }
  return set;
}

/** Characters in any of `parts`. */
export function unionSet(parts: readonly CharSet[]): CharSet {
  return new CharSet((c) => parts.some((p) => p.has(c)));
}
