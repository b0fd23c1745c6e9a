import { compileGetter, isKnownField } from "./canonical";
import { escapePointer, isPlainObject, readBool, readString, unknownFieldDetail, type Report } from "./params";
import { checkRegex } from "./safe-regex";
import { compilePattern } from "../regex";
import type { ConditionDef } from "./types";
import { isAbsent, toText } from "./values";

export type ConditionFn = (record: Record<string, unknown>) => boolean;

const OPERATORS = ["equals", "in", "exists", "matches"];
const MAX_DEPTH = 8;
const EXAMPLE = "{ field: condition, equals: new }";

/** Reads a `when` condition; reports problems and returns undefined when it is invalid. */
export function parseCondition(
  raw: unknown,
  p: string,
  report: Report,
  maxPatternLength: number,
  depth = 0,
): ConditionDef | undefined {
  if (!isPlainObject(raw)) {
    report(`a condition must be a mapping such as ${EXAMPLE}`, p);
    return undefined;
  }
  if (depth > MAX_DEPTH) {
    report(`conditions are nested more than ${MAX_DEPTH} levels deep`, p);
    return undefined;
  }
  const keys = Object.keys(raw);
  for (const combinator of ["and", "or", "not"] as const) {
    if (!(combinator in raw)) continue;
    if (keys.length !== 1) {
      report(`"${combinator}" must be the only key of its condition`, p);
      return undefined;
    }
    const arg = raw[combinator];
    const argPtr = `${p}/${combinator}`;
    if (combinator === "not") {
      const inner = parseCondition(arg, argPtr, report, maxPatternLength, depth + 1);
      return inner && { not: inner };
    }
    if (!Array.isArray(arg) || arg.length === 0) {
      report(`"${combinator}" needs a non-empty list of conditions`, argPtr);
      return undefined;
    }
    const items = arg.map((c, i) => parseCondition(c, `${argPtr}/${i}`, report, maxPatternLength, depth + 1));
    if (items.some((c) => c === undefined)) return undefined;
    return combinator === "and" ? { and: items as ConditionDef[] } : { or: items as ConditionDef[] };
  }

  let ok = true;
  for (const k of keys) {
    if (k !== "field" && k !== "flags" && !OPERATORS.includes(k)) {
      report(`unknown key "${k}" in condition; use field with one of ${OPERATORS.join(", ")}, or and/or/not`, `${p}/${escapePointer(k)}`);
      ok = false;
    }
  }
  const field = readString(raw.field);
  if (field === undefined || !isKnownField(field)) {
    report(unknownFieldDetail(field), `${p}/field`);
    ok = false;
  }
  const ops = keys.filter((k) => OPERATORS.includes(k));
  if (ops.length !== 1) {
    report(`a condition needs exactly one of ${OPERATORS.join(", ")}`, p);
    return undefined;
  }
  const op = ops[0];
  const arg = raw[op];
  const argPtr = `${p}/${op}`;
  if ("flags" in raw && op !== "matches") {
    report(`"flags" only applies to matches`, `${p}/flags`);
    ok = false;
  }
  if (!ok || field === undefined) return undefined;
  switch (op) {
    case "equals": {
      const s = readString(arg);
      if (s === undefined) {
        report("equals needs a single value", argPtr);
        return undefined;
      }
      return { field, equals: s };
    }
    case "in": {
      if (!Array.isArray(arg) || arg.length === 0 || arg.some((x) => readString(x) === undefined)) {
        report("in needs a non-empty list of values", argPtr);
        return undefined;
      }
      return { field, in: arg.map((x) => readString(x)!) };
    }
    case "exists": {
      const b = readBool(arg);
      if (b === undefined) {
        report("exists must be true or false", argPtr);
        return undefined;
      }
      return { field, exists: b };
    }
    default: {
      const pattern = readString(arg);
      const flags = raw.flags === undefined ? "" : readString(raw.flags);
      if (pattern === undefined || flags === undefined) {
        report("matches needs a regular expression", argPtr);
        return undefined;
      }
      const bad = checkRegex(pattern, flags, maxPatternLength);
      if (bad) {
        report(bad, /flag/.test(bad) ? `${p}/flags` : argPtr);
        return undefined;
      }
      return flags ? { field, matches: pattern, flags } : { field, matches: pattern };
    }
  }
}

/** Fields a condition reads. */
export function conditionFields(c: ConditionDef, out: string[] = []): string[] {
  if ("and" in c) c.and.forEach((x) => conditionFields(x, out));
  else if ("or" in c) c.or.forEach((x) => conditionFields(x, out));
  else if ("not" in c) conditionFields(c.not, out);
  else out.push(c.field);
  return out;
}

/**
 * Builds the condition as a closure. Values compare as trimmed text, so `equals: "1"` matches the
 * number 1 and `equals: "true"` the boolean true. A missing (or blank) value matches nothing except
 * `exists: false`.
 */
export function compileCondition(c: ConditionDef): ConditionFn {
  if ("and" in c) {
    const fns = c.and.map(compileCondition);
    return (r) => {
      for (let i = 0; i < fns.length; i++) if (!fns[i](r)) return false;
      return true;
    };
  }
  if ("or" in c) {
    const fns = c.or.map(compileCondition);
    return (r) => {
      for (let i = 0; i < fns.length; i++) if (fns[i](r)) return true;
      return false;
    };
  }
  if ("not" in c) {
    const inner = compileCondition(c.not);
    return (r) => !inner(r);
  }
  const get = compileGetter(c.field);
  if ("exists" in c) {
    const want = c.exists;
    return (r) => !isAbsent(get(r)) === want;
  }
  if ("equals" in c) {
    const want = c.equals;
    return (r) => {
      const s = toText(get(r));
      return s !== undefined && (s === want || s.trim() === want);
    };
  }
  if ("in" in c) {
    const set = new Set(c.in);
    return (r) => {
      const s = toText(get(r));
      return s !== undefined && (set.has(s) || set.has(s.trim()));
    };
  }
  const re = compilePattern(c.matches, c.flags ?? "", { trusted: false });
  return (r) => {
    const s = toText(get(r));
    return s !== undefined && re.test(s);
  };
}
