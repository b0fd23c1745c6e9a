/**
 * The linear-time matcher for patterns that accounts write. Work is bounded by
 * (input length + 1) × (program size) for a test and by a small multiple of it for a replace-all,
 * whatever the pattern and the input:
 *
 * - `test` simulates the automaton forward with a set of states (no backtracking) and stops at the
 *   first match.
 * - `replaceAll` needs, for every position, where the match JavaScript would find there ends
 *   (leftmost-first: the first accepting path in priority order). Searching again after each
 *   match, as backtracking and RE2-style engines do, rescans text and is quadratic for patterns
 *   such as `\w*@|\w`. Instead one backward pass computes, for every instruction at every
 *   position, the end of the first accepting path from there (a function of instruction and
 *   position only, since nothing looks back at what was matched); the matches then follow in one
 *   forward walk. When the replacement refers to groups, the pass also keeps, per position, which
 *   way each split went, and the winning path is retraced to read its captures.
 *
 * Every unit of work increments a step counter, so tests can show the growth is linear without
 * timing anything.
 */
import { charSet, type CharSet } from "./char-sets";
import * as program from "./program";
import type { Program } from "./program";
import { expand, readReplacement, type Replacement } from "./replacement";

// Local copies: the hot loops below read them on every instruction, and an imported binding may
// compile to a property read through the module namespace.
const OP_CHAR = program.OP_CHAR;
const OP_SPLIT = program.OP_SPLIT;
const OP_SAVE = program.OP_SAVE;
const OP_RESET = program.OP_RESET;
const OP_ASSERT = program.OP_ASSERT;
const OP_MATCH = program.OP_MATCH;
const OP_FAIL = program.OP_FAIL;
const OP_LOOK = program.OP_LOOK;
const OP_LOOK_END = program.OP_LOOK_END;
const ASSERT_BEGIN = program.ASSERT_BEGIN;
const ASSERT_END = program.ASSERT_END;
const ASSERT_WORD = program.ASSERT_WORD;

let steps = 0;

/** Total work done by every linear pattern in this isolate (instruction visits), for tests and benchmarks. */
export function linearSteps(): number {
  return steps;
}

const NONE = -1;

export class LinearMatcher {
  private readonly sets: CharSet[];
  private readonly word: CharSet;
  private readonly unicode: boolean;
  private readonly replacements = new Map<string, Replacement>();
  // Scratch space reused by every call (matching never re-enters itself).
  private readonly waiting: Int32Array;
  private readonly entered: Int32Array;
  private readonly stack: Int32Array;
  /** Stamp of the last visit of each instruction; stamps only grow, so nothing is cleared between calls. */
  private readonly seen: Int32Array;
  private epoch = 0;

  constructor(
    private readonly prog: Program,
    atoms: readonly string[],
    flags: string,
    private readonly groups: number,
    private readonly names: ReadonlyMap<string, readonly number[]>,
  ) {
    this.sets = atoms.map((a) => charSet(a, flags));
    this.word = charSet("\\w", flags);
    this.unicode = flags.includes("u");
    const size = prog.op.length;
    this.waiting = new Int32Array(size);
    this.entered = new Int32Array(size);
    // The states entered by a step (at most one per instruction) plus one per state visited.
    this.stack = new Int32Array(2 * size + 2);
    this.seen = new Int32Array(size);
  }

  /** The character at `pos` (a code point in u mode, a code unit otherwise). */
  private charAt(input: string, pos: number): number {
    return this.unicode ? input.codePointAt(pos)! : input.charCodeAt(pos);
  }

  private charBefore(input: string, pos: number): number {
    if (!this.unicode) return input.charCodeAt(pos - 1);
    const last = input.charCodeAt(pos - 1);
    if (last >= 0xdc00 && last <= 0xdfff && pos >= 2) {
      const lead = input.charCodeAt(pos - 2);
      if (lead >= 0xd800 && lead <= 0xdbff) return input.codePointAt(pos - 2)!;
    }
    return last;
  }

  private holds(kind: number, input: string, pos: number): boolean {
    if (kind === ASSERT_BEGIN) return pos === 0;
    if (kind === ASSERT_END) return pos === input.length;
    const before = pos > 0 && this.word.has(this.charBefore(input, pos));
    const after = pos < input.length && this.word.has(this.charAt(input, pos));
    return (before !== after) === (kind === ASSERT_WORD);
  }

  /** Where the next position after `pos` is. */
  private advance(input: string, pos: number): number {
    return this.unicode && this.charAt(input, pos) > 0xffff ? pos + 2 : pos + 1;
  }

  test(input: string): boolean {
    // A lookahead needs what follows, which the backward pass has already seen.
    if (this.prog.hasLookahead) return this.matchEnds(input, false).ends.some((e) => e !== NONE);
    const { op, out, arg, start, anchoredAtBegin } = this.prog;
    const sets = this.sets;
    const { stack, seen } = this;
    // States waiting to consume the character at `pos`, and those entered for the next position.
    let current = this.waiting;
    let next = this.entered;
    let count = 0;
    const n = input.length;
    if (this.epoch > 0x7fffffff - n - 2) {
      seen.fill(0);
      this.epoch = 0;
    }
    let work = 0;
    let pos = 0;
    let top = 0;
    for (;;) {
      // The states entered at `pos` are on the stack; add the start (a match may begin anywhere)
      // and follow everything reachable without consuming.
      if (pos === 0 || !anchoredAtBegin) stack[top++] = start;
      const stamp = ++this.epoch;
      let nextCount = 0;
      while (top > 0) {
        const pc = stack[--top];
        if (seen[pc] === stamp) continue;
        seen[pc] = stamp;
        work++;
        switch (op[pc]) {
          case OP_CHAR:
            next[nextCount++] = pc;
            break;
          case OP_MATCH:
            steps += work;
            return true;
          case OP_SPLIT:
            stack[top++] = arg[pc];
            stack[top++] = out[pc];
            break;
          case OP_ASSERT:
            if (this.holds(arg[pc], input, pos)) stack[top++] = out[pc];
            break;
          case OP_FAIL:
            break;
          default:
            stack[top++] = out[pc];
        }
      }
      [current, next] = [next, current];
      count = nextCount;
      if (pos >= n || (count === 0 && anchoredAtBegin)) break;
      const c = this.charAt(input, pos);
      for (let k = 0; k < count; k++) {
        const pc = current[k];
        if (sets[arg[pc]].has(c)) stack[top++] = out[pc];
      }
      work += count;
      pos = this.advance(input, pos);
    }
    steps += work;
    return false;
  }

  replaceAll(input: string, template: string): string {
    let replacement = this.replacements.get(template);
    if (!replacement) {
      replacement = readReplacement(template, this.groups, this.names.size > 0);
      if (this.replacements.size < 64) this.replacements.set(template, replacement);
    }
    if (!this.test(input)) return input;
    const { ends, takesFirst } = this.matchEnds(input, replacement.usesGroups);
    const n = input.length;
    const caps = new Int32Array(this.prog.slots);
    let out = "";
    let copied = 0;
    let pos = 0;
    while (pos <= n) {
      let start = pos;
      while (start <= n && ends[start] === NONE) start = start < n ? this.advance(input, start) : n + 1;
      if (start > n) break;
      const end = ends[start];
      if (takesFirst) this.captures(input, start, takesFirst, caps);
      else {
        caps[0] = start;
        caps[1] = end;
      }
      out += input.slice(copied, start) + expand(replacement, input, caps, this.names);
      copied = end;
      pos = end > start ? end : end < n ? this.advance(input, end) : n + 1;
    }
    steps += n;
    return out + input.slice(copied);
  }

  /**
   * The backward pass: `ends[pos]` is where the match starting at `pos` ends (NONE when none
   * starts there). With `withSplits`, bit `pos * words * 32 + split` of `takesFirst` says whether
   * that split takes its first branch on the winning path through `pos`.
   */
  private matchEnds(input: string, withSplits: boolean): { ends: Int32Array; takesFirst?: Uint32Array } {
    const p = this.prog;
    const { op, out, arg, arg2, splitIndex } = p;
    const sets = this.sets;
    const size = op.length;
    const n = input.length;
    const ends = new Int32Array(n + 1).fill(NONE);
    const words = (p.splits + 31) >>> 5;
    const takesFirst = withSplits ? new Uint32Array((n + 1) * words) : undefined;
    let here = new Int32Array(size).fill(NONE);
    let later = new Int32Array(size).fill(NONE);
    let pos = n;
    for (;;) {
      const c = pos < n ? this.charAt(input, pos) : -1;
      for (let pc = 0; pc < size; pc++) {
        const kind = op[pc];
        let end = NONE;
        if (kind === OP_CHAR) {
          const then = later[out[pc]];
          if (then !== NONE && c >= 0 && sets[arg[pc]].has(c)) end = then;
        } else if (kind === OP_SPLIT) {
          const first = here[out[pc]];
          if (first !== NONE) {
            end = first;
            if (takesFirst) {
              const bit = pos * words * 32 + splitIndex[pc];
              takesFirst[bit >>> 5] |= 1 << (bit & 31);
            }
          } else end = here[arg[pc]];
        } else if (kind === OP_MATCH || kind === OP_LOOK_END) end = pos;
        else if (kind === OP_LOOK) {
          if ((here[arg[pc]] !== NONE) !== (arg2[pc] === 1)) end = here[out[pc]];
        } else if (kind === OP_ASSERT) {
          if (here[out[pc]] !== NONE && this.holds(arg[pc], input, pos)) end = here[out[pc]];
        } else if (kind !== OP_FAIL) end = here[out[pc]];
        here[pc] = end;
      }
      steps += size;
      ends[pos] = here[p.start];
      if (pos === 0) break;
      const swap = here;
      here = later;
      later = swap;
      pos = this.positionBefore(input, pos);
    }
    return { ends, takesFirst };
  }

  private positionBefore(input: string, pos: number): number {
    if (this.unicode && pos >= 2) {
      const last = input.charCodeAt(pos - 1);
      const lead = input.charCodeAt(pos - 2);
      if (last >= 0xdc00 && last <= 0xdfff && lead >= 0xd800 && lead <= 0xdbff) return pos - 2;
    }
    return pos - 1;
  }

  /** Retraces the winning path from `start`, filling `caps` with its group positions. */
  private captures(input: string, start: number, takesFirst: Uint32Array, caps: Int32Array): void {
    caps.fill(NONE);
    this.retrace(input, this.prog.start, start, takesFirst, caps);
  }

  /** Follows the first accepting path from `pc` at `pos` to its end (the match, or a lookahead's end). */
  private retrace(input: string, pc: number, pos: number, takesFirst: Uint32Array, caps: Int32Array): void {
    const { op, out, arg, arg2, splitIndex } = this.prog;
    const words = (this.prog.splits + 31) >>> 5;
    let work = 0;
    for (;;) {
      work++;
      switch (op[pc]) {
        case OP_MATCH:
        case OP_LOOK_END:
          steps += work;
          return;
        case OP_CHAR:
          pos = this.advance(input, pos);
          pc = out[pc];
          break;
        case OP_SPLIT: {
          const bit = pos * words * 32 + splitIndex[pc];
          pc = takesFirst[bit >>> 5] & (1 << (bit & 31)) ? out[pc] : arg[pc];
          break;
        }
        case OP_SAVE:
          caps[arg[pc]] = pos;
          pc = out[pc];
          break;
        case OP_RESET:
          caps.fill(NONE, arg[pc], arg2[pc]);
          pc = out[pc];
          break;
        case OP_LOOK:
          // A positive lookahead's groups keep what its own first match captured.
          if (arg2[pc] === 0) this.retrace(input, arg[pc], pos, takesFirst, caps);
          pc = out[pc];
          break;
        case OP_ASSERT:
          pc = out[pc];
          break;
        default:
          throw new Error("regex retrace left the winning path");
      }
    }
  }
}
