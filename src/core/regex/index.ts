/**
 * Regular expressions written by accounts (custom packs, mapping `replace`, `matches` conditions)
 * and by Vitrine itself (built-in packs) go through here, so the choice of engine is made once:
 * reviewed built-in patterns run on the native engine; anything an account wrote runs on the
 * linear-time matcher (see linear.ts), so no pattern and no value can stall the isolate.
 */
import { VitrineError } from "../errors";
import { type Text, text } from "../text";
import { LinearMatcher } from "./linear";
import { compileProgram, OP_CHAR, programSize } from "./program";
import { PatternRefused, readPattern, type Syntax } from "./syntax";

export { linearSteps } from "./linear";

export interface Pattern {
  test(input: string): boolean;
  /** Replaces every match; `$1`…`$99`, `$<name>`, `$&`, `` $` ``, `$'` and `$$` as in `String.prototype.replace`. */
  replaceAll(input: string, replacement: string): string;
  readonly engine: "native" | "linear";
  /**
   * Longest value (UTF-16 units) the pattern looks at. A longer value does not match (`test` is
   * false) and `replaceAll` returns it unchanged. Infinity on the native engine.
   */
  readonly maxInputLength: number;
}

export interface PatternOptions {
  /** Reviewed built-in patterns may use the native engine; anything an account wrote may not. */
  trusted: boolean;
}

/**
 * Largest compiled program for an account's pattern, in instructions (about two per character a
 * counted repetition can take: `[a-z]{1,60}` is about 120). Patterns above it are refused at save.
 */
export const MAX_PROGRAM_SIZE = 300;

/**
 * Longest value an account's pattern looks at, in UTF-16 units. Replacing every match costs a
 * little per match, so even the smallest pattern needs a cap.
 */
export const MAX_INPUT_LENGTH = 10_000;

/**
 * Work allowed per value. A pattern's weight is what one character of a value costs it at most:
 * its program size, plus its char instructions (each tests the character), plus its distinct atoms
 * (each classifies the value once). A pattern looks at values of up to STEP_BUDGET / weight
 * characters (and never more than MAX_INPUT_LENGTH), so its work on one value is bounded the same
 * way whatever the pattern. From bench/regex.ts: at this budget the slowest saved patterns of the
 * catastrophic corpus take a few milliseconds for a test plus a replace-all.
 */
export const STEP_BUDGET = 500_000;

const FLAGS = /^(?:i|u|iu|ui)?$/;

/** Reads, sizes and compiles; refusals for what the reader recognises as unsupported. */
function compileChecked(source: string, flags: string): { matcher: LinearMatcher; weight: number } | { refused: Text } {
  let syntax: Syntax;
  try {
    new RegExp(source, flags);
    if (!FLAGS.test(flags)) return { refused: text(`flags "${flags}" are not supported; use i, u or both`, `as flags "${flags}" não são aceitas; use i, u ou as duas`) };
    syntax = readPattern(source, flags.includes("u"));
  } catch (e) {
    if (e instanceof PatternRefused) return { refused: e.reason };
    if (e instanceof SyntaxError) return { refused: text(`invalid regular expression: ${e.message}`, `expressão regular inválida: ${e.message}`) };
    throw e;
  }
  if (programSize(syntax.root, MAX_PROGRAM_SIZE) > MAX_PROGRAM_SIZE) {
    return {
      refused: text(
        `the pattern is too large once its repetitions are expanded (more than ${MAX_PROGRAM_SIZE} steps); use smaller counts, e.g. {1,50} instead of {1,500}, or check the length with max_length`,
        `o padrão fica grande demais com as repetições expandidas (mais de ${MAX_PROGRAM_SIZE} passos); use contagens menores, como {1,50} em vez de {1,500}, ou confira o tamanho com max_length`,
      ),
    };
  }
  const program = compileProgram(syntax.root, syntax.groups);
  // Work per character: visiting each instruction, testing each char instruction, and telling, once
  // per value, which characters each distinct atom matches.
  const chars = program.op.filter((op) => op === OP_CHAR).length;
  const weight = program.op.length + chars + syntax.atoms.length;
  return { matcher: new LinearMatcher(program, syntax.atoms, flags, syntax.groups, syntax.names), weight };
}

/** Compiles for the linear matcher, or explains why it cannot run there. */
function compileLinear(source: string, flags: string): { matcher: LinearMatcher; weight: number } | { refused: Text } {
  try {
    return compileChecked(source, flags);
  } catch {
    // A construct the reader does not handle: refuse it at save rather than fail on a record.
    return {
      refused: text(
        "the pattern uses syntax the linear-time engine does not support; simplify it",
        "o padrão usa uma sintaxe que o mecanismo de tempo linear não aceita; simplifique-o",
      ),
    };
  }
}

/**
 * Why an account's pattern cannot be saved because the linear-time engine cannot run it
 * (backreferences, lookbehind, inline modifiers, too large once expanded), or undefined.
 */
export function linearPatternProblem(source: string, flags: string): Text | undefined {
  const r = compileLinear(source, flags);
  return "refused" in r ? r.refused : undefined;
}

function nativePattern(source: string, flags: string): Pattern {
  const re = new RegExp(source, flags);
  const global = new RegExp(source, flags + "g");
  return {
    engine: "native",
    maxInputLength: Infinity,
    test: (input) => re.test(input),
    replaceAll: (input, replacement) => input.replace(global, replacement),
  };
}

function linearPattern(matcher: LinearMatcher, weight: number): Pattern {
  const maxInputLength = Math.min(MAX_INPUT_LENGTH, Math.floor(STEP_BUDGET / weight));
  return {
    engine: "linear",
    maxInputLength,
    test: (input) => input.length <= maxInputLength && matcher.test(input),
    replaceAll: (input, replacement) => (input.length <= maxInputLength ? matcher.replaceAll(input, replacement) : input),
  };
}

export function compilePattern(source: string, flags: string, options: PatternOptions): Pattern {
  if (options.trusted) return nativePattern(source, flags);
  const r = compileLinear(source, flags);
  if ("refused" in r) throw new VitrineError("unprocessable", r.refused, { pattern: source });
  return linearPattern(r.matcher, r.weight);
}
