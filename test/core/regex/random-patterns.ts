/**
 * Seeded random patterns and inputs over a small alphabet, for comparing the linear matcher with
 * the native engine. The alphabet holds what the engines could disagree on: case pairs that fold
 * only under u (ſ/s, the Kelvin sign/k), accents, a newline, an astral character, word and
 * non-word characters.
 */

/** mulberry32: small, seeded, good enough to spread cases. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = ["a", "b", "c", ".", "[ab]", "[^a]", "\\w", "\\W", "\\s", "\\d", "x", "A", "", "^", "$", "\\b", "\\B", "ſ", "k", "é", "[a-cé]"];
const QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?"];
const CHARS = ["a", "b", "c", "A", " ", "x", "1", "ſ", "K", "é", "É", "\n", "😀"];

export function randomPattern(rnd: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = rnd();
  if (depth <= 0 || r < 0.3) return pick(ATOMS);
  if (r < 0.5) return randomPattern(rnd, depth - 1) + randomPattern(rnd, depth - 1);
  if (r < 0.62) return `(?:${randomPattern(rnd, depth - 1)}|${randomPattern(rnd, depth - 1)})`;
  if (r < 0.7) return `(${randomPattern(rnd, depth - 1)})`;
  if (r < 0.73) return `(?<n${Math.floor(rnd() * 2)}>${randomPattern(rnd, depth - 1)})`;
  if (r < 0.77) return `(?${rnd() < 0.5 ? "=" : "!"}${randomPattern(rnd, depth - 1)})`;
  return `(?:${randomPattern(rnd, depth - 1)})${pick(QUANTIFIERS)}`;
}

export function randomInput(rnd: () => number, maxLength: number): string {
  let s = "";
  const length = Math.floor(rnd() * (maxLength + 1));
  for (let i = 0; i < length; i++) s += CHARS[Math.floor(rnd() * CHARS.length)];
  return s;
}
