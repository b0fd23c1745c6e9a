/**
 * Conservative static check for regular expressions written in rule packs. Packs are user input
 * and a regex runs on every record, so anything that could backtrack catastrophically is refused
 * before it is compiled:
 *
 * - backreferences (`\1`, `\k<name>`) and lookbehind (`(?<=`, `(?<!`);
 * - a repeated group (`*`, `+`, `{n,m}` with m > 1) whose body can match in more than one way:
 *   a variable quantifier inside it (`(a+)+`, `(a*b?)*`) or an alternation whose branches can start
 *   with the same character or be empty (`(a|aa)+`, `(a|)+`). A body that starts with a separator
 *   character that cannot occur anywhere else in it (`(?:-[a-z0-9]+)*`) is accepted, because each
 *   repetition must then begin at a separator;
 * - unbounded quantifiers next to each other (only optional items between) that can match the same
 *   characters (`\d+\d+`, `\w+\s?\w+`, `.*.*`), which backtrack polynomially;
 * - quantified lookarounds and assertions; flags other than `i` and `u`; patterns longer than the limit;
 * - anything the linear-time engine cannot run (lookahead, inline flags, too large once expanded).
 */
import { linearPatternProblem } from "../regex";

import { text, type Text } from "../text";

type CharSet = { ascii: Uint32Array; other: boolean };

type Node =
  | { t: "char"; set: CharSet }
  | { t: "assert" }
  | { t: "group"; look: boolean; alt: Node[][] }
  | { t: "quant"; atom: Node; min: number; max: number };

class RegexRefused extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

const WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const SPACE_CHARS = " \t\n\r\v\f";

function emptySet(): CharSet {
  return { ascii: new Uint32Array(4), other: false };
}
function fullSet(): CharSet {
  return { ascii: new Uint32Array([~0, ~0, ~0, ~0]), other: true };
}
function addCode(s: CharSet, c: number, ignoreCase: boolean): void {
  if (c >= 128) {
    s.other = true;
    return;
  }
  s.ascii[c >> 5] |= 1 << (c & 31);
  if (ignoreCase) {
    if (c >= 65 && c <= 90) addCode(s, c + 32, false);
    else if (c >= 97 && c <= 122) addCode(s, c - 32, false);
  }
}
function addChars(s: CharSet, chars: string): void {
  for (let i = 0; i < chars.length; i++) addCode(s, chars.charCodeAt(i), false);
}
function union(a: CharSet, b: CharSet): CharSet {
  const r = emptySet();
  for (let i = 0; i < 4; i++) r.ascii[i] = a.ascii[i] | b.ascii[i];
  r.other = a.other || b.other;
  return r;
}
function complement(a: CharSet): CharSet {
  const r = emptySet();
  for (let i = 0; i < 4; i++) r.ascii[i] = ~a.ascii[i];
  r.other = true; // conservatively: a negated set always contains some non-ASCII character
  return r;
}
function overlaps(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 4; i++) if ((a.ascii[i] & b.ascii[i]) !== 0) return true;
  return a.other && b.other;
}
function classEscape(ch: string): CharSet | undefined {
  const s = emptySet();
  switch (ch) {
    case "d":
      addChars(s, "0123456789");
      return s;
    case "w":
      addChars(s, WORD_CHARS);
      return s;
    case "s":
      addChars(s, SPACE_CHARS);
      s.other = true;
      return s;
    case "D":
    case "W":
    case "S": {
      const c = complement(classEscape(ch.toLowerCase())!);
      return c;
    }
  }
  return undefined;
}

class Parser {
  i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node[][] {
    const alt = this.alternation();
    if (this.i < this.src.length) throw new RegexRefused(text("unbalanced parenthesis", "parênteses desbalanceados"));
    return alt;
  }

  private alternation(): Node[][] {
    const branches: Node[][] = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches;
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === "|" || c === ")") break;
      let atom = this.atom();
      const q = this.quantifier();
      if (q) {
        if (atom.t === "assert" || (atom.t === "group" && atom.look)) {
          throw new RegexRefused(text("quantified assertions and lookarounds are not allowed", "asserções e lookarounds com quantificador não são permitidos"));
        }
        atom = { t: "quant", atom, min: q[0], max: q[1] };
      }
      items.push(atom);
    }
    return items;
  }

  private quantifier(): [number, number] | undefined {
    const c = this.src[this.i];
    let q: [number, number] | undefined;
    if (c === "*") q = [0, Infinity];
    else if (c === "+") q = [1, Infinity];
    else if (c === "?") q = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      this.i += m[0].length - 1;
      q = [min, max];
    }
    if (!q) return undefined;
    this.i++;
    if (this.src[this.i] === "?") this.i++; // lazy: same backtracking shape
    if (this.src[this.i] === "*" || this.src[this.i] === "+" || this.src[this.i] === "?") {
      throw new RegexRefused(text("nested quantifier", "quantificador aninhado"));
    }
    return q;
  }

  private atom(): Node {
    const src = this.src;
    const c = src[this.i];
    if (c === "^" || c === "$") {
      this.i++;
      return { t: "assert" };
    }
    if (c === ".") {
      this.i++;
      return { t: "char", set: fullSet() };
    }
    if (c === "(") return this.group();
    if (c === "[") return { t: "char", set: this.charClass() };
    if (c === "\\") {
      const e = this.escape(false);
      if (e === "assert") return { t: "assert" };
      return { t: "char", set: e };
    }
    if (c === "*" || c === "+" || c === "?") throw new RegexRefused(text("quantifier without a target", "quantificador sem alvo"));
    if (c === "{" && /^\{\d+(,\d*)?\}/.test(src.slice(this.i))) throw new RegexRefused(text("quantifier without a target", "quantificador sem alvo"));
    const code = src.codePointAt(this.i)!;
    this.i += code > 0xffff ? 2 : 1;
    const set = emptySet();
    addCode(set, code, this.ignoreCase);
    return { t: "char", set };
  }

  private group(): Node {
    const src = this.src;
    this.i++; // (
    let look = false;
    if (src[this.i] === "?") {
      const next = src[this.i + 1];
      if (next === ":") this.i += 2;
      else if (next === "=" || next === "!") {
        look = true;
        this.i += 2;
      } else if (next === "<" && (src[this.i + 2] === "=" || src[this.i + 2] === "!")) {
        throw new RegexRefused(text("lookbehind is not allowed", "lookbehind não é permitido"));
      } else if (next === "<") {
        const end = src.indexOf(">", this.i);
        if (end < 0) throw new RegexRefused(text("unterminated group name", "nome de grupo não terminado"));
        this.i = end + 1;
      } else throw new RegexRefused(text("unsupported group syntax", "sintaxe de grupo não suportada"));
    }
    const alt = this.alternation();
    if (src[this.i] !== ")") throw new RegexRefused(text("unbalanced parenthesis", "parênteses desbalanceados"));
    this.i++;
    return { t: "group", look, alt };
  }

  private charClass(): CharSet {
    const src = this.src;
    this.i++; // [
    let negate = false;
    if (src[this.i] === "^") {
      negate = true;
      this.i++;
    }
    const set = emptySet();
    while (this.i < src.length && src[this.i] !== "]") {
      let code: number | undefined;
      if (src[this.i] === "\\") {
        const e = this.escape(true);
        if (e === "assert") throw new RegexRefused(text("unsupported escape in a class", "escape não suportado dentro de uma classe"));
        const single = singleCode(e);
        if (single === undefined) {
          const u = union(set, e);
          set.ascii.set(u.ascii);
          set.other = u.other;
          continue;
        }
        code = single;
      } else {
        code = src.codePointAt(this.i)!;
        this.i += code > 0xffff ? 2 : 1;
      }
      if (src[this.i] === "-" && src[this.i + 1] !== "]" && this.i + 1 < src.length) {
        this.i++;
        let end: number | undefined;
        if (src[this.i] === "\\") {
          const e = this.escape(true);
          end = e === "assert" ? undefined : singleCode(e);
          if (end === undefined) {
            // [a-\d] is legal outside u-mode: '-' is then literal
            addCode(set, code, this.ignoreCase);
            addCode(set, 45, false);
            if (e !== "assert") {
              const u = union(set, e);
              set.ascii.set(u.ascii);
              set.other = u.other;
            }
            continue;
          }
        } else {
          end = src.codePointAt(this.i)!;
          this.i += end > 0xffff ? 2 : 1;
        }
        for (let k = code; k <= end && k < 128; k++) addCode(set, k, this.ignoreCase);
        if (end >= 128) set.other = true;
        continue;
      }
      addCode(set, code, this.ignoreCase);
    }
    if (src[this.i] !== "]") throw new RegexRefused(text("unterminated character class", "classe de caracteres não terminada"));
    this.i++;
    return negate ? complement(set) : set;
  }

  /** Reads an escape at `\`; returns the matched set, or "assert" for \b \B. */
  private escape(inClass: boolean): CharSet | "assert" {
    const src = this.src;
    this.i++; // backslash
    const c = src[this.i];
    if (c === undefined) throw new RegexRefused(text("trailing backslash", "barra invertida no final"));
    this.i++;
    const cls = classEscape(c);
    if (cls) return cls;
    if (c >= "1" && c <= "9") throw new RegexRefused(text("backreferences are not allowed", "referências anteriores (backreferences) não são permitidas"));
    if (c === "k" && src[this.i] === "<") throw new RegexRefused(text("backreferences are not allowed", "referências anteriores (backreferences) não são permitidas"));
    if (!inClass && (c === "b" || c === "B")) return "assert";
    if (c === "p" || c === "P") {
      if (src[this.i] === "{") {
        const end = src.indexOf("}", this.i);
        if (end > 0) this.i = end + 1;
      }
      return fullSet();
    }
    const set = emptySet();
    let code: number;
    switch (c) {
      case "t":
        code = 9;
        break;
      case "n":
        code = 10;
        break;
      case "v":
        code = 11;
        break;
      case "f":
        code = 12;
        break;
      case "r":
        code = 13;
        break;
      case "0":
        code = 0;
        break;
      case "b":
        code = 8;
        break;
      case "x": {
        const m = /^[0-9a-fA-F]{2}/.exec(src.slice(this.i, this.i + 2));
        if (m) {
          this.i += 2;
          code = parseInt(m[0], 16);
        } else code = 120;
        break;
      }
      case "u": {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(this.i, this.i + 8));
        const plain = /^[0-9a-fA-F]{4}/.exec(src.slice(this.i, this.i + 4));
        if (braced) {
          this.i += braced[0].length;
          code = parseInt(braced[1], 16);
        } else if (plain) {
          this.i += 4;
          code = parseInt(plain[0], 16);
        } else code = 117;
        break;
      }
      case "c": {
        const l = src.charCodeAt(this.i);
        if ((l >= 65 && l <= 90) || (l >= 97 && l <= 122)) {
          this.i++;
          code = l % 32;
        } else code = 92;
        break;
      }
      default:
        code = src.codePointAt(this.i - 1)!;
        if (code > 0xffff) this.i++;
    }
    addCode(set, code, this.ignoreCase);
    return set;
  }
}

function singleCode(s: CharSet): number | undefined {
  if (s.other) return undefined;
  let found: number | undefined;
  for (let c = 0; c < 128; c++) {
    if (s.ascii[c >> 5] & (1 << (c & 31))) {
      if (found !== undefined) return undefined;
      found = c;
    }
  }
  return found;
}

// --- analysis -------------------------------------------------------------------------------

function nullable(n: Node): boolean {
  switch (n.t) {
    case "char":
      return false;
    case "assert":
      return true;
    case "group":
      return n.look || n.alt.some((b) => b.every(nullable));
    case "quant":
      return n.min === 0 || nullable(n.atom);
  }
}

function charsOf(n: Node): CharSet {
  switch (n.t) {
    case "char":
      return n.set;
    case "assert":
      return emptySet();
    case "group": {
      let s = emptySet();
      if (n.look) return s;
      for (const b of n.alt) for (const it of b) s = union(s, charsOf(it));
      return s;
    }
    case "quant":
      return charsOf(n.atom);
  }
}

function firstOfSeq(items: Node[]): CharSet {
  let s = emptySet();
  for (const it of items) {
    s = union(s, firstOf(it));
    if (!nullable(it)) break;
  }
  return s;
}

function firstOf(n: Node): CharSet {
  switch (n.t) {
    case "char":
      return n.set;
    case "assert":
      return emptySet();
    case "group": {
      let s = emptySet();
      if (n.look) return s;
      for (const b of n.alt) s = union(s, firstOfSeq(b));
      return s;
    }
    case "quant":
      return firstOf(n.atom);
  }
}

/** An alternation is deterministic when no branch can be empty and no two can start alike. */
function deterministicAlt(alt: Node[][]): boolean {
  if (alt.length < 2) return true;
  const firsts: CharSet[] = [];
  for (const b of alt) {
    if (b.every(nullable)) return false;
    const f = firstOfSeq(b);
    for (const g of firsts) if (overlaps(f, g)) return false;
    firsts.push(f);
  }
  return true;
}

/** True when the node can match one string in more than one way (variable repetition or ambiguous alternation). */
function ambiguous(n: Node): boolean {
  switch (n.t) {
    case "char":
    case "assert":
      return false;
    case "group":
      return !deterministicAlt(n.alt) || n.alt.some((b) => b.some(ambiguous));
    case "quant":
      return n.min !== n.max || ambiguous(n.atom);
  }
}

function hasAmbiguousAlt(n: Node): boolean {
  if (n.t === "group") return !deterministicAlt(n.alt) || n.alt.some((b) => b.some(hasAmbiguousAlt));
  if (n.t === "quant") return hasAmbiguousAlt(n.atom);
  return false;
}

/** A repeated body is safe if unambiguous, or if it starts with a separator that occurs nowhere else in it. */
function safeRepeatedBody(alt: Node[][]): boolean {
  if (!deterministicAlt(alt)) return false;
  for (const branch of alt) {
    if (!branch.some(ambiguous)) continue;
    const head = branch[0];
    if (!head || head.t !== "char") return false;
    let rest = emptySet();
    for (let k = 1; k < branch.length; k++) rest = union(rest, charsOf(branch[k]));
    if (overlaps(head.set, rest)) return false;
    if (branch.some(hasAmbiguousAlt)) return false;
  }
  return true;
}

function inlineGroups(items: Node[]): Node[] {
  const out: Node[] = [];
  for (const it of items) {
    if (it.t === "group" && !it.look && it.alt.length === 1) out.push(...inlineGroups(it.alt[0]));
    else out.push(it);
  }
  return out;
}

const LARGE = 16;

function checkSequence(items: Node[]): void {
  const flat = inlineGroups(items);
  for (let i = 0; i < flat.length; i++) {
    const a = flat[i];
    if (a.t !== "quant" || a.max < LARGE) continue;
    const aSet = charsOf(a.atom);
    for (let j = i + 1; j < flat.length; j++) {
      const b = flat[j];
      if (b.t === "assert") continue;
      if (b.t === "quant" && b.max >= LARGE && overlaps(aSet, firstOf(b.atom))) {
        throw new RegexRefused(text("adjacent quantifiers can match the same characters (like \\d+\\d+)", "quantificadores vizinhos podem casar os mesmos caracteres (como \\d+\\d+)"));
      }
      if (!nullable(b)) break;
    }
  }
}

function checkNode(n: Node): void {
  if (n.t === "group") {
    for (const b of n.alt) checkBranch(b);
  } else if (n.t === "quant") {
    if (n.max > 1 && n.atom.t === "group" && !safeRepeatedBody(n.atom.alt)) {
      throw new RegexRefused(
        n.atom.alt.length > 1
          ? text("a repeated alternation whose branches can match the same text (like (a|aa)+)", "uma alternância repetida cujos ramos podem casar o mesmo texto (como (a|aa)+)")
          : text("a nested quantifier (like (a+)+); use one quantifier, or start the repeated group with a separator as in (?:-[a-z]+)*", "um quantificador aninhado (como (a+)+); use um só quantificador, ou comece o grupo repetido com um separador, como em (?:-[a-z]+)*"),
      );
    }
    if (n.max > 1 && n.atom.t === "group" && n.atom.alt.every((b) => b.every(nullable))) {
      throw new RegexRefused(text("repeated group that can match the empty string", "grupo repetido que pode casar o texto vazio"));
    }
    checkNode(n.atom);
  }
}

function checkBranch(items: Node[]): void {
  checkSequence(items);
  for (const it of items) checkNode(it);
}

/**
 * Returns why `pattern` is refused, or undefined when it is safe to compile with `flags`.
 * `allowedFlags` lists the flags a pack may use.
 */
export function checkRegex(pattern: string, flags: string, maxLength: number, allowedFlags = "iu"): string | undefined {
  return regexProblem(pattern, flags, maxLength, allowedFlags)?.detail.en;
}

/** Why `pattern` is refused, in every language, and whether the flags are the reason; undefined when it is safe. */
export function regexProblem(pattern: string, flags: string, maxLength: number, allowedFlags = "iu"): { detail: Text; inFlags: boolean } | undefined {
  if (pattern.length > maxLength) {
    return refused(text(`regular expression is ${pattern.length} characters long; at most ${maxLength} allowed`, `a expressão regular tem ${pattern.length} caracteres; o máximo é ${maxLength}`));
  }
  const allowed = allowedFlags.split("").join(", ");
  for (const f of flags) {
    if (!allowedFlags.includes(f)) {
      return refused(text(`regular expression flag "${f}" is not allowed (allowed: ${allowed})`, `a flag "${f}" de expressão regular não é permitida (permitidas: ${allowed})`), true);
    }
  }
  if (new Set(flags).size !== flags.length) return refused(text("regular expression flags repeat", "as flags da expressão regular se repetem"), true);
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    const why = (e as Error).message;
    return refused(text(`invalid regular expression: ${why}`, `expressão regular inválida: ${why}`));
  }
  try {
    const alt = new Parser(pattern, flags.includes("i")).parse();
    checkNode({ t: "group", look: false, alt });
  } catch (e) {
    if (e instanceof RegexRefused) return refused(text(`unsafe regular expression: ${e.reason.en}`, `expressão regular insegura: ${e.reason["pt-BR"]}`));
    return refused(text("regular expression is too complex", "a expressão regular é complexa demais"));
  }
  // Accounts' patterns run on the linear-time engine: refuse now what it cannot run.
  const linear = linearPatternProblem(pattern, flags);
  return linear ? refused(linear) : undefined;
}

function refused(detail: Text, inFlags = false): { detail: Text; inFlags: boolean } {
  return { detail, inFlags };
}
