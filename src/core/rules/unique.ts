import { detach } from "../tabular/bytes";
import type { UniqueTracker } from "./types";

/**
 * First row per key for one `unique` rule: an open-addressing hash table (linear probing) of
 * 32-bit hashes, rows and key strings. It replaces a `Map<string, number>` on the hot path: a
 * lookup reads the hash array and touches a stored key only when the hashes are equal, and a key
 * that needs lowercasing is stored as written with a flag instead of as a new lowercased string,
 * so checking a new SKU allocates nothing.
 *
 * An entry stands for the key `lower ? asciiLowercase(text) : text` (`lower` only for ASCII text,
 * where this equals `text.toLowerCase()`); lookups compare keys exactly in that sense.
 *
 * A new key is stored as a copy: keys are usually values cut from a parsed record or a whole
 * chunk's text, and V8 keeps the whole parent string alive for a substring of 13+ characters, so
 * a table holding the slices would hold every record it has seen.
 */
export class KeyTable {
  private hashes = new Int32Array(64);
  private rows = new Float64Array(64);
  private texts: (string | undefined)[] = new Array<string | undefined>(64);
  private lowers = new Uint8Array(64);
  private size = 0;

  /**
   * The first row that had the key `text` (or `text.toLowerCase()` when `lower`), or undefined,
   * and `row` is remembered as its first row.
   */
  firstRow(text: string, lower: boolean, row: number): number | undefined {
    let h = hashOf(text, lower);
    if (h === 0) {
      // not ASCII: the key is the lowercased text itself
      text = text.toLowerCase();
      lower = false;
      h = hashOf(text, false);
    }
    const mask = this.hashes.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const stored = this.hashes[i];
      if (stored === 0) {
        this.hashes[i] = h;
        this.rows[i] = row;
        this.texts[i] = detach(text);
        this.lowers[i] = lower ? 1 : 0;
        if (++this.size * 2 > this.hashes.length) this.grow();
        return undefined;
      }
      if (stored === h && sameKey(this.texts[i]!, this.lowers[i] === 1, text, lower)) return this.rows[i];
    }
  }

  private grow(): void {
    const { hashes, rows, texts, lowers } = this;
    const cap = hashes.length * 2;
    const mask = cap - 1;
    this.hashes = new Int32Array(cap);
    this.rows = new Float64Array(cap);
    // Left holey: a key is read only from a slot whose hash is set, and filling hundreds of
    // thousands of slots cost more than the rest of the growth (profile).
    this.texts = new Array<string | undefined>(cap);
    this.lowers = new Uint8Array(cap);
    for (let j = 0; j < hashes.length; j++) {
      const h = hashes[j];
      if (h === 0) continue;
      let i = h & mask;
      while (this.hashes[i] !== 0) i = (i + 1) & mask;
      this.hashes[i] = h;
      this.rows[i] = rows[j];
      this.texts[i] = texts[j];
      this.lowers[i] = lowers[j];
    }
  }
}

/**
 * FNV-1a over the key's UTF-16 units; never 0 (0 marks an empty slot). With `lower`, 0 means the
 * text is not ASCII (lowercasing it is left to `toLowerCase`).
 */
function hashOf(text: string, lower: boolean): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (lower) {
      if (c >= 128) return 0;
      if (c >= 65 && c <= 90) c += 32;
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h === 0 ? 1 : h;
}

function sameKey(a: string, lowerA: boolean, b: string, lowerB: boolean): boolean {
  if (lowerA === lowerB && a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (lowerA && x >= 65 && x <= 90) x += 32;
    if (lowerB && y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/**
 * The default UniqueTracker: remembers keys in memory for the validator's lifetime (one request).
 * `unique` rules validated with it use their rule's table directly (`tableFor`); any other tracker
 * is called through `seen`.
 */
export class MemoryUniqueTracker implements UniqueTracker {
  private readonly byRule = new Map<string, KeyTable>();

  tableFor(ruleId: string): KeyTable {
    let table = this.byRule.get(ruleId);
    if (table === undefined) this.byRule.set(ruleId, (table = new KeyTable()));
    return table;
  }

  seen(ruleId: string, key: string, row: number): number | undefined {
    return this.tableFor(ruleId).firstRow(key, false, row);
  }
}

export function createUniqueTracker(): UniqueTracker {
  return new MemoryUniqueTracker();
}
