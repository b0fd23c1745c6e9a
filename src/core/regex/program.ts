/**
 * Compiles a pattern tree into a small automaton program (Thompson-style instructions with
 * priority-ordered splits), the form the linear-time matcher runs.
 *
 * Two properties the matcher relies on:
 * - No cycle of instructions that consume nothing. JavaScript stops a repetition whose optional
 *   iteration matched the empty string; the program encodes that rule by compiling such a loop's
 *   body twice — a copy for "nothing consumed yet in this iteration", whose end fails, and a copy for
 *   "something consumed", whose end loops — with every character step of the first copy continuing
 *   in the second. Only bodies that can match empty need the second copy.
 * - Captures inside a repeated group are cleared at the start of each iteration, as in JavaScript.
 *
 * A lookahead compiles to its own sub-program, ending in OP_LOOK_END, which the matcher evaluates
 * at the lookahead's position.
 */
import type { Assertion, Node } from "./syntax";

export const OP_CHAR = 0;
export const OP_SPLIT = 1;
export const OP_SAVE = 2;
export const OP_RESET = 3;
export const OP_ASSERT = 4;
export const OP_MATCH = 5;
export const OP_FAIL = 6;
/** Lookahead: continues at `out` when the sub-program at `arg` matches here (does not, if `arg2` is 1). */
export const OP_LOOK = 7;
/** End of a lookahead's sub-program. */
export const OP_LOOK_END = 8;

export const ASSERT_BEGIN = 0;
export const ASSERT_END = 1;
export const ASSERT_WORD = 2;
export const ASSERT_NOT_WORD = 3;

const ASSERT_CODES: Record<Assertion, number> = { begin: ASSERT_BEGIN, end: ASSERT_END, word: ASSERT_WORD, "not-word": ASSERT_NOT_WORD };

/** Instructions are numbered so that each comes after every instruction it reaches without consuming. */
export interface Program {
  /** Instruction kind (OP_*) of each instruction. */
  op: Uint8Array;
  /** Next instruction (first choice for a split). */
  out: Int32Array;
  /** Split: second choice. Char: atom id. Save: slot. Reset: first slot. Assert: ASSERT_* code. Look: sub-program. */
  arg: Int32Array;
  /** Reset: slot after the last one cleared. Look: 1 when negated. */
  arg2: Int32Array;
  start: number;
  /** Capture slots: 2 per group, group 0 (the whole match) included. */
  slots: number;
  /** Split number of each split instruction (-1 for others), to index per-split bits. */
  splitIndex: Int32Array;
  splits: number;
  /** Every path from the start passes `^` before consuming or matching. */
  anchoredAtBegin: boolean;
  hasLookahead: boolean;
  /**
   * Atoms of the char instructions reachable from the start without consuming (assertions taken
   * as passing), or undefined when the start reaches a match without consuming anything.
   */
  firstAtoms: number[] | undefined;
}

function nullable(n: Node): boolean {
  switch (n.kind) {
    case "empty":
    case "assert":
    case "look":
      return true;
    case "char":
      return false;
    case "seq":
      return n.items.every(nullable);
    case "alt":
      return n.branches.some(nullable);
    case "group":
      return nullable(n.body);
    case "repeat":
      return n.min === 0 || nullable(n.body);
  }
}

/** Capture groups inside a node, as [first, last] group numbers, or undefined. */
function captureRange(n: Node): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  const visit = (x: Node): void => {
    switch (x.kind) {
      case "group":
        if (x.capture > 0) {
          lo = Math.min(lo, x.capture);
          hi = Math.max(hi, x.capture);
        }
        visit(x.body);
        return;
      case "seq":
        x.items.forEach(visit);
        return;
      case "alt":
        x.branches.forEach(visit);
        return;
      case "repeat":
      case "look":
        visit(x.body);
        return;
      default:
        return;
    }
  };
  visit(n);
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Number of instructions `n` compiles to (saturating at `limit + 1`), computed before compiling so
 * that `a{1000}{1000}` is refused without being built.
 */
export function programSize(n: Node, limit: number): number {
  const cap = (x: number): number => Math.min(x, limit + 1);
  switch (n.kind) {
    case "empty":
      return 0;
    case "char":
    case "assert":
      return 1;
    case "seq":
      return cap(n.items.reduce((s, x) => s + programSize(x, limit), 0));
    case "alt":
      return cap(n.branches.reduce((s, x) => s + programSize(x, limit), 0) + n.branches.length - 1);
    case "group":
      return cap(programSize(n.body, limit) + (n.capture > 0 ? 2 : 0));
    case "look":
      return cap(programSize(n.body, limit) + 2);
    case "repeat": {
      const body = programSize(n.body, limit) + (captureRange(n.body) ? 1 : 0);
      const optionalCopy = (nullable(n.body) ? 2 * body : body) + 1;
      const optional = n.max === Infinity ? 1 : n.max - n.min;
      return cap(n.min * body + optional * optionalCopy);
    }
  }
}

class Compiler {
  readonly op: number[] = [];
  readonly out: number[] = [];
  readonly arg: number[] = [];
  readonly arg2: number[] = [];
  /** Every char instruction in the order emitted, to pair the two copies of a loop body. */
  private readonly chars: number[] = [];
  readonly fail: number;

  constructor() {
    this.fail = this.emit(OP_FAIL, -1, 0);
  }

  emit(op: number, out: number, arg: number, arg2 = 0): number {
    this.op.push(op);
    this.out.push(out);
    this.arg.push(arg);
    this.arg2.push(arg2);
    return this.op.length - 1;
  }

  /** Compiles `n` so that it continues at `next`; returns its entry. */
  compile(n: Node, next: number): number {
    switch (n.kind) {
      case "empty":
        return next;
      case "char": {
        const pc = this.emit(OP_CHAR, next, n.atom);
        this.chars.push(pc);
        return pc;
      }
      case "assert":
        return this.emit(OP_ASSERT, next, ASSERT_CODES[n.what]);
      case "seq": {
        let entry = next;
        for (let k = n.items.length - 1; k >= 0; k--) entry = this.compile(n.items[k], entry);
        return entry;
      }
      case "alt": {
        const entries = n.branches.map((b) => this.compile(b, next));
        let entry = entries[entries.length - 1];
        for (let k = entries.length - 2; k >= 0; k--) entry = this.emit(OP_SPLIT, entries[k], entry);
        return entry;
      }
      case "group": {
        if (n.capture === 0) return this.compile(n.body, next);
        const close = this.emit(OP_SAVE, next, 2 * n.capture + 1);
        return this.emit(OP_SAVE, this.compile(n.body, close), 2 * n.capture);
      }
      case "repeat":
        return this.repeat(n, next);
      case "look": {
        const body = this.compile(n.body, this.emit(OP_LOOK_END, -1, 0));
        return this.emit(OP_LOOK, next, body, n.negate ? 1 : 0);
      }
    }
  }

  private repeat(n: Extract<Node, { kind: "repeat" }>, next: number): number {
    const range = captureRange(n.body);
    const iteration = (cont: number): number => {
      const entry = this.compile(n.body, cont);
      return range ? this.emit(OP_RESET, entry, 2 * range[0], 2 * range[1] + 2) : entry;
    };
    const emptyCheck = nullable(n.body);
    /** One optional iteration, continuing at `cont` once the body matched, or at `skip`. */
    const optional = (split: number, cont: number, skip: number): number => {
      let body: number;
      if (!emptyCheck) body = iteration(cont);
      else {
        const consumedFrom = this.chars.length;
        iteration(cont);
        const consumed = this.chars.slice(consumedFrom);
        const freshFrom = this.chars.length;
        body = iteration(this.fail);
        const fresh = this.chars.slice(freshFrom);
        for (let k = 0; k < fresh.length; k++) this.out[fresh[k]] = this.out[consumed[k]];
      }
      this.out[split] = n.greedy ? body : skip;
      this.arg[split] = n.greedy ? skip : body;
      return split;
    };
    let entry = next;
    if (n.max === Infinity) {
      const split = this.emit(OP_SPLIT, -1, -1);
      entry = optional(split, split, next);
    } else {
      for (let k = 0; k < n.max - n.min; k++) entry = optional(this.emit(OP_SPLIT, -1, -1), entry, next);
    }
    for (let k = 0; k < n.min; k++) entry = iteration(entry);
    return entry;
  }
}

/** Instructions reachable from `pc` without consuming a character. */
function epsilonTargets(p: Compiler, pc: number): number[] {
  switch (p.op[pc]) {
    case OP_SPLIT:
    case OP_LOOK:
      return [p.out[pc], p.arg[pc]];
    case OP_SAVE:
    case OP_RESET:
    case OP_ASSERT:
      return [p.out[pc]];
    default:
      return [];
  }
}

/** Children-first order over the consume-nothing edges (which form no cycle, see above). */
function childrenFirst(p: Compiler): Int32Array {
  const size = p.op.length;
  const state = new Uint8Array(size); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  for (let root = 0; root < size; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const targets = epsilonTargets(p, top[0]);
      if (top[1] < targets.length) {
        const t = targets[top[1]++];
        if (state[t] === 1) throw new Error("regex program has a cycle that consumes nothing");
        if (state[t] === 0) {
          state[t] = 1;
          stack.push([t, 0]);
        }
      } else {
        state[top[0]] = 2;
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return Int32Array.from(order);
}

/** True when every path from `start` passes `^` before consuming or matching. */
function anchoredAtBegin(p: Compiler, start: number): boolean {
  const seen = new Set<number>();
  const stack = [start];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const op = p.op[pc];
    if (op === OP_CHAR || op === OP_MATCH) return false;
    if (op === OP_ASSERT && p.arg[pc] === ASSERT_BEGIN) continue;
    // What a lookahead matches is not consumed: only its continuation counts.
    if (op === OP_LOOK) stack.push(p.out[pc]);
    else stack.push(...epsilonTargets(p, pc));
  }
  return true;
}

function firstAtoms(p: Compiler, start: number): number[] | undefined {
  const seen = new Set<number>();
  const atoms = new Set<number>();
  const stack = [start];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const op = p.op[pc];
    if (op === OP_MATCH) return undefined;
    if (op === OP_CHAR) atoms.add(p.arg[pc]);
    else if (op === OP_LOOK) stack.push(p.out[pc]);
    else stack.push(...epsilonTargets(p, pc));
  }
  return [...atoms];
}

export function compileProgram(root: Node, groups: number): Program {
  const c = new Compiler();
  const match = c.emit(OP_MATCH, -1, 0);
  const close = c.emit(OP_SAVE, match, 1);
  const entry = c.emit(OP_SAVE, c.compile(root, close), 0);
  // Number instructions children-first, so the matcher's backward pass is one loop over the program.
  const order = childrenFirst(c);
  const size = order.length;
  const rank = new Int32Array(size);
  for (let k = 0; k < size; k++) rank[order[k]] = k;
  const op = new Uint8Array(size);
  const out = new Int32Array(size);
  const arg = new Int32Array(size);
  const arg2 = new Int32Array(size);
  const splitIndex = new Int32Array(size).fill(-1);
  let splits = 0;
  for (let k = 0; k < size; k++) {
    const pc = order[k];
    op[k] = c.op[pc];
    out[k] = c.out[pc] < 0 ? -1 : rank[c.out[pc]];
    arg[k] = c.op[pc] === OP_SPLIT || c.op[pc] === OP_LOOK ? rank[c.arg[pc]] : c.arg[pc];
    arg2[k] = c.arg2[pc];
    if (c.op[pc] === OP_SPLIT) splitIndex[k] = splits++;
  }
  return {
    op,
    out,
    arg,
    arg2,
    start: rank[entry],
    slots: 2 * (groups + 1),
    splitIndex,
    splits,
    anchoredAtBegin: anchoredAtBegin(c, entry),
    hasLookahead: c.op.includes(OP_LOOK),
    firstAtoms: firstAtoms(c, entry),
  };
}
