/**
 * The linear-time matcher for patterns that accounts write. Work on a value is bounded by its
 * length times the pattern's weight (program size + char instructions + atoms, see index.ts) for
 * a test, and by a small multiple of that for a replace-all, whatever the pattern and the value:
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
import { expandInto, readReplacement, type Replacement } from "./replacement";

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

/** Reverse edges of a program, as flat lists indexed by `…Start[pc]` to `…Start[pc + 1]`. */
interface Graph {
  /** Instructions that end a path (the match, lookahead ends). */
  ends: number[];
  /** Char instructions whose next instruction is `pc`. */
  charsInto: Int32Array;
  charsIntoStart: Int32Array;
  /** Instructions that reach `pc` without consuming. */
  parents: Int32Array;
  parentsStart: Int32Array;
}

function flatten(lists: number[][]): { items: Int32Array; start: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  for (let k = 0; k < lists.length; k++) start[k + 1] = start[k] + lists[k].length;
  return { items: Int32Array.from(lists.flat()), start };
}

function graphOf(p: Program): Graph {
  const size = p.op.length;
  const charsInto: number[][] = Array.from({ length: size }, () => []);
  const parents: number[][] = Array.from({ length: size }, () => []);
  const ends: number[] = [];
  for (let pc = 0; pc < size; pc++) {
    switch (p.op[pc]) {
      case OP_CHAR:
        charsInto[p.out[pc]].push(pc);
        break;
      case OP_MATCH:
      case OP_LOOK_END:
        ends.push(pc);
        break;
      case OP_SPLIT:
      case OP_LOOK:
        parents[p.out[pc]].push(pc);
        parents[p.arg[pc]].push(pc);
        break;
      case OP_FAIL:
        break;
      default:
        parents[p.out[pc]].push(pc);
    }
  }
  const into = flatten(charsInto);
  const up = flatten(parents);
  return { ends, charsInto: into.items, charsIntoStart: into.start, parents: up.items, parentsStart: up.start };
}

/**
 * Working arrays shared by every matcher in the isolate (matching is synchronous and never
 * re-enters itself), so a pack with many patterns holds only their programs.
 */
class Scratch {
  /** Char instructions waiting for the character at the current position. */
  readonly waiting: Int32Array;
  /** Depth-first stack: the states a step enters (at most one per instruction) plus one per state visited. */
  readonly stack: Int32Array;
  /** Stamp of each instruction's last visit; stamps only grow, so nothing is cleared between calls. */
  readonly seen: Int32Array;
  epoch = 0;
  /** The backward pass's values at this position and the next; all NONE between calls. */
  readonly valuesHere: Int32Array;
  readonly valuesLater: Int32Array;
  readonly liveHere: Int32Array;
  readonly liveLater: Int32Array;
  /** Instructions to evaluate at this position, one bit each; all clear between calls. */
  readonly dirty: Int32Array;
  /** The backward pass's answer, valid up to the input's length until the next pass. */
  ends = new Int32Array(64);

  constructor(readonly capacity: number) {
    this.waiting = new Int32Array(capacity);
    this.stack = new Int32Array(2 * capacity + 2);
    this.seen = new Int32Array(capacity);
    this.valuesHere = new Int32Array(capacity).fill(NONE);
    this.valuesLater = new Int32Array(capacity).fill(NONE);
    this.liveHere = new Int32Array(capacity);
    this.liveLater = new Int32Array(capacity);
    this.dirty = new Int32Array((capacity + 31) >>> 5);
  }
}

let shared = new Scratch(64);

function scratch(size: number): Scratch {
  if (shared.capacity < size) shared = new Scratch(Math.max(size, 2 * shared.capacity));
  return shared;
}

/**
 * A character `input` does not contain: among the input's length + 1 characters from U+0100 (none
 * of them a surrogate), at least one is missing.
 */
function absentCharacter(input: string): string {
  const present = new Uint8Array(input.length + 1);
  for (let pos = 0; pos < input.length; pos++) {
    const k = input.charCodeAt(pos) - 0x100;
    if (k >= 0 && k < present.length) present[k] = 1;
  }
  return String.fromCharCode(0x100 + present.indexOf(0));
}

export class LinearMatcher {
  /** The atoms' sets, then `\w` (for `\b`) at index WORD. */
  private readonly sets: CharSet[];
  private readonly word: number;
  /** Latin-1 tables of the sets, and of the characters a match can begin with. */
  private readonly latin1: Uint8Array[];
  private readonly firstLatin1: Uint8Array | undefined;
  private readonly unicode: boolean;
  private readonly replacements = new Map<string, Replacement>();
  /** Reverse edges for the backward pass, built on first use. */
  private graph: Graph | undefined;
  // For an input with characters above U+00FF: a character it does not contain, and which
  // positions each set holds (one native pass per set, on first need).
  private mark: string | undefined;
  private readonly members: (Uint8Array | undefined)[];
  private firstMembers: Uint8Array | undefined;

  constructor(
    private readonly prog: Program,
    atoms: readonly string[],
    flags: string,
    private readonly groups: number,
    private readonly names: ReadonlyMap<string, readonly number[]>,
  ) {
    this.sets = [...atoms.map((a) => charSet(a, flags)), charSet("\\w", flags)];
    this.word = atoms.length;
    this.latin1 = this.sets.map((set) => set.latin1Table());
    this.members = new Array(this.sets.length).fill(undefined);
    if (prog.firstAtoms && !prog.anchoredAtBegin) {
      const table = new Uint8Array(256);
      for (const a of prog.firstAtoms) for (let c = 0; c < 256; c++) table[c] |= this.latin1[a][c];
      this.firstLatin1 = table;
    }
    this.unicode = flags.includes("u");
  }

  /** Readies the per-input classification (see `members`); returns the work done. */
  private prepare(input: string): number {
    this.members.fill(undefined);
    this.firstMembers = undefined;
    this.mark = undefined;
    const n = input.length;
    let wide = false;
    for (let pos = 0; pos < n && !wide; pos++) wide = input.charCodeAt(pos) >= 256;
    if (wide) this.mark = absentCharacter(input);
    return n;
  }

  /** Which positions of the prepared input set `id` holds. */
  private membersOf(id: number, input: string): Uint8Array {
    let m = this.members[id];
    if (!m) {
      m = this.members[id] = this.sets[id].positions(input, this.mark!);
      steps += input.length;
    }
    return m;
  }

  /** Whether set `id` holds the character `c` found at `pos` of the prepared input. */
  private inSet(id: number, c: number, input: string, pos: number): boolean {
    if (c < 256) return this.latin1[id][c] === 1;
    return this.membersOf(id, input)[pos] === 1;
  }

  /** Whether a match can begin with the character `c` found at `pos`. */
  private canBegin(c: number, input: string, pos: number): boolean {
    if (c < 256) return this.firstLatin1![c] === 1;
    if (!this.firstMembers) {
      const any = new Uint8Array(input.length);
      for (const a of this.prog.firstAtoms!) {
        const m = this.membersOf(a, input);
        for (let k = 0; k < any.length; k++) any[k] |= m[k];
      }
      this.firstMembers = any;
    }
    return this.firstMembers[pos] === 1;
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
    const before = pos > 0 && this.inSet(this.word, this.charBefore(input, pos), input, this.positionBefore(input, pos));
    const after = pos < input.length && this.inSet(this.word, this.charAt(input, pos), input, pos);
    return (before !== after) === (kind === ASSERT_WORD);
  }

  /** Where the next position after `pos` is. */
  private advance(input: string, pos: number): number {
    return this.unicode && this.charAt(input, pos) > 0xffff ? pos + 2 : pos + 1;
  }

  test(input: string): boolean {
    steps += this.prepare(input);
    return this.run(input);
  }

  /** `test` on the prepared input. */
  private run(input: string): boolean {
    // A lookahead needs what follows, which the backward pass has already seen.
    if (this.prog.hasLookahead) {
      const { ends } = this.matchEnds(input, false);
      for (let pos = 0; pos <= input.length; pos++) if (ends[pos] !== NONE) return true;
      return false;
    }
    const { op, out, arg, start, anchoredAtBegin } = this.prog;
    const { firstLatin1 } = this;
    const space = scratch(op.length);
    const { stack, seen, waiting } = space;
    const n = input.length;
    if (space.epoch > 0x7fffffff - n - 2) {
      seen.fill(0);
      space.epoch = 0;
    }
    let work = 0;
    let pos = 0;
    let top = 0;
    for (;;) {
      if (top === 0 && firstLatin1) {
        // Nothing under way: a match can only begin at a character it can begin with.
        while (pos < n && !this.canBegin(this.charAt(input, pos), input, pos)) {
          pos = this.advance(input, pos);
          work++;
        }
        if (pos >= n) break;
      }
      // The states entered at `pos` are on the stack; add the start (a match may begin anywhere)
      // and follow everything reachable without consuming.
      if (pos === 0 || !anchoredAtBegin) stack[top++] = start;
      const stamp = ++space.epoch;
      let count = 0;
      while (top > 0) {
        const pc = stack[--top];
        if (seen[pc] === stamp) continue;
        seen[pc] = stamp;
        work++;
        switch (op[pc]) {
          case OP_CHAR:
            waiting[count++] = pc;
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
      if (pos >= n || (count === 0 && anchoredAtBegin)) break;
      // The step empties `waiting` onto the stack before the next position fills it again.
      const c = this.charAt(input, pos);
      for (let k = 0; k < count; k++) {
        const pc = waiting[k];
        if (this.inSet(arg[pc], c, input, pos)) stack[top++] = out[pc];
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
    steps += this.prepare(input);
    // Without lookahead a forward test is cheaper than the backward pass; with it, the test is that pass.
    if (!this.prog.hasLookahead && !this.run(input)) return input;
    const { ends, takesFirst } = this.matchEnds(input, replacement.usesGroups);
    const n = input.length;
    const caps = new Int32Array(this.prog.slots);
    const out: string[] = [];
    let copied = 0;
    let found = false;
    let pos = 0;
    while (pos <= n) {
      let start = pos;
      while (start <= n && ends[start] === NONE) start = start < n ? this.advance(input, start) : n + 1;
      if (start > n) break;
      const end = ends[start];
      found = true;
      if (takesFirst) this.captures(input, start, takesFirst, caps);
      else {
        caps[0] = start;
        caps[1] = end;
      }
      if (start > copied) out.push(input.slice(copied, start));
      expandInto(out, replacement, input, caps, this.names);
      copied = end;
      pos = end > start ? end : end < n ? this.advance(input, end) : n + 1;
    }
    steps += n;
    if (!found) return input;
    out.push(input.slice(copied));
    return out.join("");
  }

  /**
   * The backward pass: `ends[pos]` is where the match starting at `pos` ends (NONE when none
   * starts there). With `withSplits`, bit `pos * words * 32 + split` of `takesFirst` says whether
   * that split takes its first branch on the winning path through `pos`.
   *
   * At each position only instructions that can reach an end are worth evaluating: the ends
   * themselves, char instructions whose next instruction reaches an end from the next position,
   * and what reaches those without consuming. Usually that is a few; when it is most of the
   * program, one plain loop over all instructions is cheaper.
   */
  private matchEnds(input: string, withSplits: boolean): { ends: Int32Array; takesFirst?: Uint32Array } {
    const { op, out, arg, arg2, splitIndex, start } = this.prog;
    const graph = (this.graph ??= graphOf(this.prog));
    const size = op.length;
    const n = input.length;
    const space = scratch(size);
    const dirty = space.dirty;
    const dirtyWords = (size + 31) >>> 5;
    if (space.ends.length < n + 1) space.ends = new Int32Array(Math.max(n + 1, 2 * space.ends.length));
    const ends = space.ends;
    ends.fill(NONE, 0, n + 1);
    const words = (this.prog.splits + 31) >>> 5;
    const takesFirst = withSplits ? new Uint32Array((n + 1) * words) : undefined;
    // Values at this position and at the next one; every entry not listed as live is NONE.
    let here = space.valuesHere;
    let later = space.valuesLater;
    let live = space.liveHere;
    let liveLater = space.liveLater;
    let liveCount = 0;
    let liveLaterCount = 0;
    let pos = n;
    let work = 0;
    for (;;) {
      const c = pos < n ? this.charAt(input, pos) : -1;
      liveCount = 0;
      const dense = size <= 32 || liveLaterCount * 4 > size;
      if (!dense) {
        for (let k = 0; k < graph.ends.length; k++) dirty[graph.ends[k] >>> 5] |= 1 << (graph.ends[k] & 31);
        if (c >= 0) {
          for (let k = 0; k < liveLaterCount; k++) {
            const next = liveLater[k];
            for (let e = graph.charsIntoStart[next]; e < graph.charsIntoStart[next + 1]; e++) {
              const ch = graph.charsInto[e];
              dirty[ch >>> 5] |= 1 << (ch & 31);
            }
          }
        }
      }
      // Instructions in increasing order (each after those it reaches without consuming): all of
      // them, or the dirty ones.
      let pc = -1;
      let w = 0;
      for (;;) {
        if (dense) {
          if (++pc >= size) break;
        } else {
          while (w < dirtyWords && dirty[w] === 0) w++;
          if (w >= dirtyWords) break;
          const bits = dirty[w];
          const lowest = bits & -bits;
          dirty[w] = bits ^ lowest;
          pc = (w << 5) | (31 - Math.clz32(lowest));
        }
        work++;
        let end = NONE;
        switch (op[pc]) {
          case OP_CHAR: {
            const then = later[out[pc]];
            if (then !== NONE && c >= 0 && this.inSet(arg[pc], c, input, pos)) end = then;
            break;
          }
          case OP_SPLIT:
            end = here[out[pc]];
            if (end === NONE) end = here[arg[pc]];
            else if (takesFirst) {
              const bit = pos * words * 32 + splitIndex[pc];
              takesFirst[bit >>> 5] |= 1 << (bit & 31);
            }
            break;
          case OP_MATCH:
          case OP_LOOK_END:
            end = pos;
            break;
          case OP_LOOK:
            if ((here[arg[pc]] !== NONE) !== (arg2[pc] === 1)) end = here[out[pc]];
            break;
          case OP_ASSERT:
            if (here[out[pc]] !== NONE && this.holds(arg[pc], input, pos)) end = here[out[pc]];
            break;
          case OP_FAIL:
            break;
          default:
            end = here[out[pc]];
        }
        if (end === NONE) continue;
        here[pc] = end;
        live[liveCount++] = pc;
        if (!dense) {
          for (let e = graph.parentsStart[pc]; e < graph.parentsStart[pc + 1]; e++) {
            const parent = graph.parents[e];
            dirty[parent >>> 5] |= 1 << (parent & 31);
          }
        }
      }
      ends[pos] = here[start];
      if (pos === 0) break;
      // The next position's `here` is this one's `later`: clear what was live there.
      for (let k = 0; k < liveLaterCount; k++) later[liveLater[k]] = NONE;
      const values = here;
      here = later;
      later = values;
      const list = live;
      live = liveLater;
      liveLater = list;
      liveLaterCount = liveCount;
      pos = this.positionBefore(input, pos);
    }
    for (let k = 0; k < liveLaterCount; k++) later[liveLater[k]] = NONE;
    for (let k = 0; k < liveCount; k++) here[live[k]] = NONE;
    steps += work;
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
