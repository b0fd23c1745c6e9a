import { parseLocaleNumber } from "./numbers";
import { didYouMean, escapePointer, isPlainObject, readBool, readInt, readString, type Report } from "./params";
import { checkRegex } from "./safe-regex";
import { compilePattern } from "../regex";
import { sentenceCase, stripHtml, titleCase, truncate } from "./text";
import type { FixDef } from "./types";
import { fold, isAbsent } from "./values";

export type FixFn = (value: unknown) => unknown;

const SIMPLE_OPS = ["trim", "collapse_spaces", "strip_html", "normalize_number", "digits_only"] as const;
const OBJECT_OPS = ["truncate", "case", "default", "replace", "value_map"] as const;
const ALL_OPS: readonly string[] = [...SIMPLE_OPS, ...OBJECT_OPS];
const CASES = ["upper", "lower", "title", "sentence"] as const;

/** Reads a rule's `fix`: one op or a list of ops. Returns undefined when any op is invalid. */
export function parseFixes(raw: unknown, pointer: string, report: Report, maxPatternLength: number): FixDef[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) {
    report("fix must name at least one operation", pointer);
    return undefined;
  }
  const out: FixDef[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const p = Array.isArray(raw) ? `${pointer}/${i}` : pointer;
    const def = parseFix(item, p, report, maxPatternLength);
    if (def) out.push(def);
    else ok = false;
  });
  return ok ? out : undefined;
}

function parseFix(raw: unknown, p: string, report: Report, maxPatternLength: number): FixDef | undefined {
  if (typeof raw === "string") {
    if ((SIMPLE_OPS as readonly string[]).includes(raw)) return { op: raw as (typeof SIMPLE_OPS)[number] };
    if ((OBJECT_OPS as readonly string[]).includes(raw)) {
      report(`fix "${raw}" needs parameters, e.g. ${EXAMPLES[raw]}`, p);
    } else report(`unknown fix "${raw}"${didYouMean(raw, ALL_OPS)}; known fixes: ${ALL_OPS.join(", ")}`, p);
    return undefined;
  }
  if (!isPlainObject(raw)) {
    report("a fix is an operation name (trim) or a mapping ({ truncate: { max: 60 } })", p);
    return undefined;
  }
  const keys = Object.keys(raw);
  const opKeys = keys.filter((k) => ALL_OPS.includes(k));
  if (opKeys.length !== 1) {
    const unknown = keys.find((k) => !ALL_OPS.includes(k));
    report(
      opKeys.length > 1
        ? `a fix item holds one operation; split ${opKeys.join(" and ")} into separate list items`
        : `unknown fix "${unknown ?? ""}"${didYouMean(unknown ?? "", ALL_OPS)}; known fixes: ${ALL_OPS.join(", ")}`,
      p,
    );
    return undefined;
  }
  const op = opKeys[0];
  const arg = raw[op];
  const argPtr = `${p}/${escapePointer(op)}`;
  for (const k of keys) {
    if (k !== op && !(op === "value_map" && k === "case_insensitive")) {
      report(`unknown key "${k}" in fix ${op}`, `${p}/${escapePointer(k)}`);
      return undefined;
    }
  }
  if ((SIMPLE_OPS as readonly string[]).includes(op)) {
    report(`fix "${op}" takes no parameters; write it as a plain list item: - ${op}`, argPtr);
    return undefined;
  }
  switch (op) {
    case "truncate": {
      const shorthand = readInt(arg);
      const obj: Record<string, unknown> = shorthand !== undefined ? { max: arg } : isPlainObject(arg) ? arg : {};
      if (shorthand === undefined && !isPlainObject(arg)) {
        report(`truncate needs parameters, e.g. ${EXAMPLES.truncate}`, argPtr);
        return undefined;
      }
      for (const k of Object.keys(obj)) {
        if (!["max", "at_word", "ellipsis"].includes(k)) {
          report(`unknown parameter "${k}" for truncate (expected max, at_word, ellipsis)`, `${argPtr}/${escapePointer(k)}`);
          return undefined;
        }
      }
      const max = readInt(obj.max);
      if (max === undefined || max < 1) {
        report("truncate.max must be a whole number of at least 1", `${argPtr}/max`);
        return undefined;
      }
      const atWord = obj.at_word === undefined ? true : readBool(obj.at_word);
      if (atWord === undefined) {
        report("truncate.at_word must be true or false", `${argPtr}/at_word`);
        return undefined;
      }
      const ellipsis = obj.ellipsis === undefined ? "" : readString(obj.ellipsis);
      if (ellipsis === undefined || Array.from(ellipsis).length >= max) {
        report("truncate.ellipsis must be text shorter than max", `${argPtr}/ellipsis`);
        return undefined;
      }
      return { op: "truncate", max, at_word: atWord, ellipsis };
    }
    case "case": {
      const to = readString(arg);
      if (to === undefined || !(CASES as readonly string[]).includes(to)) {
        report(`case must be one of ${CASES.join(", ")}`, argPtr);
        return undefined;
      }
      return { op: "case", to: to as (typeof CASES)[number] };
    }
    case "default":
      if (arg === undefined || arg === null || arg === "") {
        report("default needs a value, e.g. { default: new }", argPtr);
        return undefined;
      }
      return { op: "default", value: arg };
    case "replace": {
      if (!isPlainObject(arg)) {
        report(`replace needs parameters, e.g. ${EXAMPLES.replace}`, argPtr);
        return undefined;
      }
      for (const k of Object.keys(arg)) {
        if (!["pattern", "with", "flags"].includes(k)) {
          report(`unknown parameter "${k}" for replace (expected pattern, with, flags)`, `${argPtr}/${escapePointer(k)}`);
          return undefined;
        }
      }
      const pattern = readString(arg.pattern);
      const withText = arg.with === undefined ? "" : readString(arg.with);
      const flags = arg.flags === undefined ? "" : readString(arg.flags);
      if (pattern === undefined || pattern === "") {
        report("replace.pattern must be a non-empty regular expression", `${argPtr}/pattern`);
        return undefined;
      }
      if (withText === undefined) {
        report("replace.with must be text", `${argPtr}/with`);
        return undefined;
      }
      if (flags === undefined) {
        report("replace.flags must be text such as i", `${argPtr}/flags`);
        return undefined;
      }
      const bad = checkRegex(pattern, flags, maxPatternLength);
      if (bad) {
        report(bad, `${argPtr}/${/flag/.test(bad) ? "flags" : "pattern"}`);
        return undefined;
      }
      return { op: "replace", pattern, with: withText, flags };
    }
    case "value_map": {
      if (!isPlainObject(arg) || Object.keys(arg).length === 0) {
        report(`value_map needs a mapping, e.g. ${EXAMPLES.value_map}`, argPtr);
        return undefined;
      }
      const ci = raw.case_insensitive === undefined ? true : readBool(raw.case_insensitive);
      if (ci === undefined) {
        report("case_insensitive must be true or false", `${p}/case_insensitive`);
        return undefined;
      }
      const map: Record<string, string> = {};
      const seen = new Map<string, string>();
      for (const [from, to] of Object.entries(arg)) {
        const target = readString(to);
        if (target === undefined) {
          report(`value_map target for "${from}" must be a text value`, `${argPtr}/${escapePointer(from)}`);
          return undefined;
        }
        const key = ci ? fold(from.trim()) : from.trim();
        const prior = seen.get(key);
        if (prior !== undefined) {
          report(`value_map keys "${prior}" and "${from}" are the same when case and accents are ignored`, `${argPtr}/${escapePointer(from)}`);
          return undefined;
        }
        seen.set(key, from);
        map[from] = target;
      }
      return { op: "value_map", map, case_insensitive: ci };
    }
  }
  return undefined;
}

const EXAMPLES: Record<string, string> = {
  truncate: "{ truncate: { max: 60, at_word: true } }",
  case: "{ case: title }",
  default: "{ default: new }",
  replace: '{ replace: { pattern: "\\\\s+-\\\\s+", with: " - " } }',
  value_map: "{ value_map: { novo: new, usado: used } }",
};

const CASE_FNS: Record<(typeof CASES)[number], (s: string) => string> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: titleCase,
  sentence: sentenceCase,
};

/** Whitespace other than a lone plain space: what collapse_spaces changes. */
const NEEDS_COLLAPSE = /\s{2}|[^\S ]/;

function isSpaceCode(c: number): boolean {
  return c <= 32 || c === 160 || c === 0xfeff || (c >= 0x1680 && c <= 0x3000);
}

/**
 * `normalized` rules run these fixes on every record only to see that nothing changes; the
 * fast paths answer that without allocating a new string.
 */
function trim(s: string): string {
  return s.length > 0 && (isSpaceCode(s.charCodeAt(0)) || isSpaceCode(s.charCodeAt(s.length - 1))) ? s.trim() : s;
}

function collapseSpaces(s: string): string {
  return NEEDS_COLLAPSE.test(s) ? s.replace(/\s+/g, " ") : s;
}

function onString(f: (s: string) => unknown): FixFn {
  return (v) => (typeof v === "string" ? f(v) : v);
}

function compileOne(def: FixDef): FixFn {
  switch (def.op) {
    case "trim":
      return onString(trim);
    case "collapse_spaces":
      return onString(collapseSpaces);
    case "strip_html":
      return onString(stripHtml);
    case "digits_only":
      return onString((s) => s.replace(/\D+/g, ""));
    case "normalize_number":
      return onString((s) => parseLocaleNumber(s) ?? s);
    case "truncate":
      return onString((s) => truncate(s, def.max, def.at_word, def.ellipsis));
    case "case":
      return onString(CASE_FNS[def.to]);
    case "default": {
      const value = def.value;
      return (v) => (isAbsent(v) ? (Array.isArray(value) ? value.slice() : isPlainObject(value) ? { ...value } : value) : v);
    }
    case "replace": {
      const re = compilePattern(def.pattern, def.flags, { trusted: false });
      return onString((s) => re.replaceAll(s, def.with));
    }
    case "value_map": {
      const ci = def.case_insensitive;
      const map = new Map<string, string>();
      for (const [from, to] of Object.entries(def.map)) map.set(ci ? fold(from.trim()) : from.trim(), to);
      return (v) => {
        const s = typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
        if (s === undefined) return v;
        const to = map.get(ci ? fold(s.trim()) : s.trim());
        return to === undefined ? v : to;
      };
    }
  }
}

/** One function applying the ops in order. */
export function compileFixes(defs: readonly FixDef[]): FixFn {
  const fns = defs.map(compileOne);
  if (fns.length === 1) return fns[0];
  return (v) => {
    let x = v;
    for (let i = 0; i < fns.length; i++) x = fns[i](x);
    return x;
  };
}
