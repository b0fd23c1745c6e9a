/**
 * Reads a JavaScript regular expression (flags i and u) into the tree the linear-time engine
 * compiles. Each character-matching atom (a literal, `.`, an escape such as `\d` or `\p{L}`, a
 * bracket class) keeps its own source text, so the engine can ask the native engine what that one
 * atom matches for one character: character semantics stay exactly JavaScript's, while the
 * structure (sequence, alternation, repetition, groups, anchors) is run by the engine itself.
 *
 * Constructs that cannot run in linear time (backreferences, lookbehind) are refused with a reason
 * the author can act on.
 * The source must already be a valid `RegExp` with the same flags.
 */
import { type Text, text } from "../text";

export class PatternRefused extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

export type Assertion = "begin" | "end" | "word" | "not-word";

export type Node =
  | { kind: "empty" }
  | { kind: "char"; atom: number }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; branches: Node[] }
  /** `capture` is the group's number (1-based); 0 for `(?: … )`. */
  | { kind: "group"; capture: number; body: Node }
  | { kind: "repeat"; body: Node; min: number; max: number; greedy: boolean }
  | { kind: "assert"; what: Assertion }
  /** `(?=…)`, or `(?!…)` when negated. */
  | { kind: "look"; negate: boolean; body: Node };

export interface Syntax {
  root: Node;
  /** Source text of each distinct atom, referenced by `char` nodes. */
  atoms: string[];
  /** Number of capturing groups. */
  groups: number;
  /** Group numbers by name (a name may appear in several alternatives). */
  names: Map<string, number[]>;
}

const LOOKBEHIND = text(
  "lookbehind (?<=…) and (?<!…) is not supported: patterns you write run on a linear-time engine, which cannot look behind",
  "lookbehind (?<=…) e (?<!…) não é aceito: os padrões que você escreve rodam num mecanismo de tempo linear, que não olha para trás",
);
const BACKREFERENCE = text(
  "backreferences such as \\1 or \\k<name> are not supported: matching them takes more than linear time. In a replacement, refer to groups with $1 or $<name>",
  "referências a grupos como \\1 ou \\k<nome> não são aceitas: casá-las leva mais que tempo linear. Na substituição, use $1 ou $<nome>",
);
// Worded without "flag": callers point a message that mentions flags at the flags field.
const MODIFIERS = text(
  "inline modifiers such as (?i:…) are not supported; ask for case-insensitive matching with the i option beside the pattern",
  "modificadores dentro do padrão, como (?i:…), não são aceitos; peça a comparação sem diferenciar maiúsculas com a opção i ao lado do padrão",
);
const OCTAL = text(
  "octal escapes such as \\01 are not supported; write the character as \\x01",
  "escapes octais como \\01 não são aceitos; escreva o caractere como \\x01",
);
const CONTROL = text(
  "\\c must be followed by a letter, as in \\cJ; to match a backslash write \\\\",
  "\\c deve vir seguido de uma letra, como em \\cJ; para uma barra invertida escreva \\\\",
);

const DIGIT = /[0-9]/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const QUANTIFIER = /^\{(\d+)(?:(,)(\d*))?\}/;

function isLead(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isTrail(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

class Reader {
  private i = 0;
  private groups = 0;
  private readonly atoms: string[] = [];
  private readonly atomIds = new Map<string, number>();
  private readonly names = new Map<string, number[]>();

  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
  ) {}

  read(): Syntax {
    const root = this.disjunction();
    if (this.i < this.src.length) throw new Error(`regex reader stopped at ${this.i}`);
    return { root, atoms: this.atoms, groups: this.groups, names: this.names };
  }

  private disjunction(): Node {
    const branches = [this.alternative()];
    while (this.src[this.i] === "|") {
      this.i++;
      branches.push(this.alternative());
    }
    return branches.length === 1 ? branches[0] : { kind: "alt", branches };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.term();
      items.push(this.quantified(atom));
    }
    if (items.length === 0) return { kind: "empty" };
    return items.length === 1 ? items[0] : { kind: "seq", items };
  }

  private quantified(atom: Node): Node {
    const src = this.src;
    let min: number;
    let max: number;
    const c = src[this.i];
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = QUANTIFIER.exec(src.slice(this.i));
      if (!m) return atom; // a literal brace (outside u mode)
      min = Number(m[1]);
      max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    let greedy = true;
    if (src[this.i] === "?") {
      greedy = false;
      this.i++;
    }
    return { kind: "repeat", body: atom, min, max, greedy };
  }

  private term(): Node {
    const src = this.src;
    const c = src[this.i];
    switch (c) {
      case "^":
        this.i++;
        return { kind: "assert", what: "begin" };
      case "$":
        this.i++;
        return { kind: "assert", what: "end" };
      case "(":
        return this.group();
      case "[":
        return this.atom(this.classEnd());
      case "\\":
        return this.escape();
      default:
        return this.atom(this.i + this.charLength(this.i));
    }
  }

  private group(): Node {
    const src = this.src;
    this.i++; // (
    let capture = 0;
    if (src[this.i] === "?") {
      const next = src[this.i + 1];
      if (next === ":") this.i += 2;
      else if (next === "=" || next === "!") {
        this.i += 2;
        const body = this.disjunction();
        this.i++; // )
        return { kind: "look", negate: next === "!", body };
      }
      else if (next === "<" && (src[this.i + 2] === "=" || src[this.i + 2] === "!")) throw new PatternRefused(LOOKBEHIND);
      else if (next === "<") {
        const end = src.indexOf(">", this.i);
        const name = src.slice(this.i + 2, end);
        capture = ++this.groups;
        const same = this.names.get(name);
        if (same) same.push(capture);
        else this.names.set(name, [capture]);
        this.i = end + 1;
      } else throw new PatternRefused(MODIFIERS);
    } else capture = ++this.groups;
    const body = this.disjunction();
    this.i++; // )
    return { kind: "group", capture, body };
  }

  private escape(): Node {
    const src = this.src;
    const start = this.i;
    const c = src[start + 1];
    switch (c) {
      case "b":
        this.i += 2;
        return { kind: "assert", what: "word" };
      case "B":
        this.i += 2;
        return { kind: "assert", what: "not-word" };
      case "k":
        if (this.unicode || src[start + 2] === "<") throw new PatternRefused(BACKREFERENCE);
        return this.atom(start + 2);
      case "0":
        if (DIGIT.test(src[start + 2] ?? "")) throw new PatternRefused(OCTAL);
        return this.atom(start + 2);
      case "c":
        if (!/[a-zA-Z]/.test(src[start + 2] ?? "")) throw new PatternRefused(CONTROL);
        return this.atom(start + 3);
      case "x":
        return this.atom(/^[0-9a-fA-F]{2}$/.test(src.slice(start + 2, start + 4)) ? start + 4 : start + 2);
      case "u":
        return this.atom(this.unicodeEscapeEnd(start));
      case "p":
      case "P":
        return this.atom(this.unicode ? src.indexOf("}", start) + 1 : start + 2);
      default:
        if (c >= "1" && c <= "9") throw new PatternRefused(BACKREFERENCE);
        return this.atom(start + 1 + this.charLength(start + 1));
    }
  }

  /** End of `\u…` at `start`: `\u{…}` and surrogate pairs `\uD83D\uDE00` (u mode) are one character. */
  private unicodeEscapeEnd(start: number): number {
    const src = this.src;
    if (this.unicode && src[start + 2] === "{") return src.indexOf("}", start) + 1;
    const hex = src.slice(start + 2, start + 6);
    if (!HEX4.test(hex)) return start + 2; // `\u` alone is the letter u outside u mode
    const pairHex = src.slice(start + 8, start + 12);
    if (this.unicode && isLead(parseInt(hex, 16)) && src.startsWith("\\u", start + 6) && HEX4.test(pairHex) && isTrail(parseInt(pairHex, 16))) {
      return start + 12;
    }
    return start + 6;
  }

  /** End of the bracket class at the reader's position (just past its `]`). */
  private classEnd(): number {
    const src = this.src;
    let j = this.i + 1;
    while (src[j] !== "]") j += src[j] === "\\" ? 2 : 1;
    return j + 1;
  }

  /** Length of the character at `at`: a code point in u mode, a UTF-16 unit otherwise. */
  private charLength(at: number): number {
    if (!this.unicode) return 1;
    return isLead(this.src.charCodeAt(at)) && isTrail(this.src.charCodeAt(at + 1)) ? 2 : 1;
  }

  private atom(end: number): Node {
    const source = this.src.slice(this.i, end);
    this.i = end;
    let id = this.atomIds.get(source);
    if (id === undefined) {
      id = this.atoms.length;
      this.atoms.push(source);
      this.atomIds.set(source, id);
    }
    return { kind: "char", atom: id };
  }
}

/** Reads `source` (valid for `new RegExp(source, flags)`); throws PatternRefused for what the engine cannot run. */
export function readPattern(source: string, unicode: boolean): Syntax {
  return new Reader(source, unicode).read();
}
