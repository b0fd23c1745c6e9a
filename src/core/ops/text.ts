import { compilePattern } from "../regex";
import { regexProblem } from "../rules/safe-regex";
import { sentenceCase, stripHtml, titleCase, truncate } from "../rules/text";
import { displayValue, fold, isSpaceCode } from "../rules/values";
import { text } from "../text";
import { type CompiledOp, FAIL, type Operation } from "./types";

/**
 * Text operations leave numbers and booleans (from JSON records) alone. Their reverse is the
 * identity: a corrected text is written back as it is.
 */
function onText(fn: (s: string) => unknown): CompiledOp {
  return { forward: (v) => (typeof v === "string" ? fn(v) : v), reverse: (v) => v };
}

/**
 * `normalized` rules run trim and collapse_spaces on every record only to see that nothing changes;
 * these answer that without allocating a new string.
 */
function trimText(s: string): string {
  return s.length > 0 && (isSpaceCode(s.charCodeAt(0)) || isSpaceCode(s.charCodeAt(s.length - 1))) ? s.trim() : s;
}

/** Whitespace other than a lone plain space: what collapsing every run changes. */
const NEEDS_COLLAPSE = /\s{2}|[^\S ]/;
const ALL_RUNS = /\s+/g;
const INLINE_RUNS = /[^\S\r\n]+/g;
const NON_DIGITS = /\D+/g;

export const trim: Operation = {
  name: "trim",
  family: "text",
  params: {},
  scalar: true,
  compile: () => onText(trimText),
};

export const collapseSpaces: Operation = {
  name: "collapse_spaces",
  family: "text",
  params: {
    /** Line breaks count as spaces too. */
    newlines: { kind: "bool" },
    /** The edges are trimmed as well. */
    trim: { kind: "bool" },
  },
  scalar: true,
  compile(p) {
    const collapse = p.newlines === false ? (s: string) => s.replace(INLINE_RUNS, " ") : (s: string) => (NEEDS_COLLAPSE.test(s) ? s.replace(ALL_RUNS, " ") : s);
    return onText(p.trim === true ? (s) => trimText(collapse(s)) : collapse);
  },
};

const CASES = { upper: (s: string) => s.toUpperCase(), lower: (s: string) => s.toLowerCase(), title: titleCase, sentence: sentenceCase };
export const CASE_NAMES = Object.keys(CASES) as (keyof typeof CASES)[];

export const changeCase: Operation = {
  name: "case",
  family: "text",
  params: { to: { kind: "text", required: true, values: CASE_NAMES } },
  scalar: true,
  compile: (p) => onText(CASES[p.to as keyof typeof CASES]),
};

export const truncateText: Operation = {
  name: "truncate",
  family: "text",
  params: { max: { kind: "int", required: true, min: 1 }, at_word: { kind: "bool" }, ellipsis: { kind: "text" } },
  scalar: true,
  compile(p) {
    const max: number = p.max;
    const atWord: boolean = p.at_word ?? true;
    const ellipsis: string = p.ellipsis ?? "";
    return onText((s) => truncate(s, max, atWord, ellipsis));
  },
};

export const replace: Operation = {
  name: "replace",
  family: "text",
  params: { pattern: { kind: "text", minLength: 1 }, find: { kind: "text", minLength: 1 }, with: { kind: "text" }, flags: { kind: "text" } },
  scalar: true,
  compile(p, ctx, problem) {
    const replacement: string = p.with ?? "";
    if ((p.pattern === undefined) === (p.find === undefined)) {
      problem(text('give either "pattern" (a regular expression) or "find" (plain text)', 'informe "pattern" (uma expressão regular) ou "find" (texto simples), um dos dois'));
      return undefined;
    }
    if (p.find !== undefined) {
      if (p.flags !== undefined) problem(text('"flags" only applies to "pattern"', '"flags" só vale para "pattern"'), "flags");
      const find: string = p.find;
      return onText((s) => s.split(find).join(replacement));
    }
    const flags: string = p.flags ?? "";
    const refused = regexProblem(p.pattern, flags, ctx.maxPatternLength);
    if (refused) {
      problem(refused.detail, refused.inFlags ? "flags" : "pattern");
      return undefined;
    }
    const pattern = compilePattern(p.pattern, flags, { trusted: ctx.trusted });
    return onText((s) => pattern.replaceAll(s, replacement));
  },
};

export const stripHtmlOp: Operation = {
  name: "strip_html",
  family: "text",
  params: {},
  scalar: true,
  compile: () => onText(stripHtml),
};

export const digitsOnly: Operation = {
  name: "digits_only",
  family: "text",
  /** `integers`: whole numbers (from JSON) become their digits as text too. */
  params: { integers: { kind: "bool" } },
  scalar: true,
  compile(p) {
    if (p.integers !== true) return onText((s) => s.replace(NON_DIGITS, ""));
    return {
      forward(v) {
        const s = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
        return typeof s === "string" ? s.replace(NON_DIGITS, "") : s;
      },
      reverse: (v) => v,
    };
  },
};

function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (value !== null && typeof value === "object") return { ...value };
  return value;
}

export const fillDefault: Operation = {
  name: "default",
  family: "text",
  params: { value: { kind: "scalar", required: true } },
  scalar: false,
  onAbsent: true,
  compile(p, ctx) {
    const value: unknown = p.value;
    const isAbsent = ctx.isAbsent;
    return { forward: (v) => (isAbsent(v) ? copyOf(value) : v), reverse: (v) => v };
  },
};

export const valueMap: Operation = {
  name: "value_map",
  family: "text",
  params: {
    values: { kind: "map", required: true },
    case_insensitive: { kind: "bool" },
    /** A value the map does not name fails (instead of passing through or taking `default`). */
    strict: { kind: "bool" },
    default: { kind: "scalar" },
    /** true and false are looked up by their text. */
    booleans: { kind: "bool" },
  },
  scalar: true,
  compile(p) {
    const ci: boolean = p.case_insensitive ?? true;
    const strict = p.strict === true;
    const booleans = p.booleans !== false;
    const fallback: unknown = p.default;
    const entries = Object.entries(p.values as Record<string, unknown>);
    const map = new Map<string, unknown>();
    for (const [from, to] of entries) {
      const k = ci ? fold(from.trim()) : from.trim();
      if (!map.has(k)) map.set(k, to);
    }
    const keys = entries.map(([k]) => k);
    const shown = keys.slice(0, 10).join(", ") + (keys.length > 10 ? ", …" : "");
    return {
      forward(v) {
        const s =
          typeof v === "string" ? v : typeof v === "number" ? (Number.isFinite(v) ? String(v) : undefined) : booleans && typeof v === "boolean" ? String(v) : undefined;
        if (s === undefined) return v;
        const to = map.get(ci ? fold(s.trim()) : s.trim());
        if (to !== undefined) return to;
        if (strict) return FAIL;
        return fallback !== undefined ? fallback : v;
      },
      reverse(v) {
        for (const [from, to] of entries) if (to === v) return from;
        return v;
      },
      failure: {
        rule: "mapping.value_map.unmatched",
        message: (value, column) =>
          text(
            `"${displayValue(value)}" in column ${column} is not one of the mapped values (${shown})`,
            `"${displayValue(value)}" na coluna ${column} não é um dos valores mapeados (${shown})`,
          ),
      },
    };
  },
};

export const TEXT_OPS: readonly Operation[] = [trim, collapseSpaces, changeCase, truncateText, replace, stripHtmlOp, digitsOnly, fillDefault, valueMap];
