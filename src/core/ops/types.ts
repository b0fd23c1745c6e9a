import type { Text } from "../text";
import type { ParamSpec, Report } from "./params";

/** Returned by `forward` or `reverse` when the operation cannot apply to a value. */
export const FAIL: unique symbol = Symbol("operation failed");

export type Family = "text" | "number" | "date" | "list" | "units";

/** What an operation is compiled for: facts about where it runs, not parameters a writer sets. */
export interface OpContext {
  /**
   * Whether patterns come from a reviewed built-in pack (native engine allowed); anything an account
   * wrote is untrusted.
   */
  trusted: boolean;
  /** Longest regular expression accepted. */
  maxPatternLength: number;
  /** What counts as an absent value where the operation runs (rule records and mapped cells differ). */
  isAbsent(value: unknown): boolean;
  /** The field's source column names (mapping `template` placeholders); undefined outside mappings. */
  sources?: readonly string[];
  /** Whether the value is a list aligned with `sources` (a mapping field reading several columns). */
  multi?: boolean;
}

/** How a value an operation could not apply to is reported. */
export interface Failure {
  /** Rule id of the issue (`mapping.number.invalid`). */
  rule: string;
  /** The message; `column` names where the value came from. */
  message(value: unknown, column: string): Text;
}

/** An operation with its parameters bound: plain closures. */
export interface CompiledOp {
  /** The new value, or FAIL. */
  forward(value: unknown): unknown;
  /**
   * The input that gives `value`, knowing the input seen originally; FAIL when it cannot be
   * undone. Absent when the operation is not reversible.
   */
  reverse?(value: unknown, originalInput: unknown): unknown;
  /** Set by operations that can return FAIL. */
  failure?: Failure;
}

/** Reports a problem with one parameter (or with the whole operation when `param` is undefined). */
export type ParamProblem = (detail: Text, param?: string) => void;

export interface Operation {
  readonly name: string;
  readonly family: Family;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Applies to each item of a list value rather than to the list. */
  readonly scalar: boolean;
  /** Runs on an absent value too (`default`, `template`). */
  readonly onAbsent?: boolean;
  /** Turns one item into several (`split`): results are flattened into the list. */
  readonly flattens?: boolean;
  /** Turns the values of several columns into one value. */
  readonly combines?: boolean;
  /** Checks the read parameters together and builds the closures; reports and returns undefined when they do not fit. */
  compile(params: Record<string, any>, ctx: OpContext, problem: ParamProblem): CompiledOp | undefined;
}

export type { ParamSpec, Report };
