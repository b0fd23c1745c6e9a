import { compileGetter } from "./canonical";
import type { FixFn } from "./fixes";
import { GTIN_PREFIX_KINDS, gs1Prefix, gtinPrefixKind, isNoBarcode, isValidGtin, type GtinPrefixKind } from "./gtin";
import { boundsText, joinOr, OP_LABELS, TYPE_LABELS } from "./messages";
import type { ParamSpec } from "../ops/params";
import { compilePattern } from "../regex";
import { text, type Text } from "../text";
import { regexProblem } from "./safe-regex";
import type { CheckName, FixDef, Locale, UniqueTracker } from "./types";
import { MemoryUniqueTracker } from "./unique";
import { compileUrlTest, URL_SCHEME } from "./url";
import { asList, codePointLength, isAbsent, isSpaceCode, parseBoolean, sameValue, toNumber, toText } from "./values";
import { compileWordFinder, wordText } from "./words";

/** Per-validator scratch state handed to checks; reused across records (no allocation). */
export interface RunContext {
  row: number;
  /** The working record (with fixes applied so far). */
  record: Record<string, unknown>;
  unique: UniqueTracker;
  /** Set by `unique` when it fails. */
  firstRow: number;
  /** Index of the list item being checked by an `each` rule; -1 otherwise. */
  index: number;
  /** Changes with every validated record (keys per-record memos such as the URL one). */
  epoch: number;
}

/** Extra placeholder values for a failure; `variant` picks a specific default message (`check.variant`). */
export type Details = { variant?: string; [name: string]: unknown };

export type TestFn = (value: unknown, ctx: RunContext) => boolean;

/**
 * A cheap condition under which `test` is known to pass, checked inline by the validator's loop
 * without calling `test` (most values of most records pass). `present` is exact: the check passes
 * if and only if the value is not absent.
 */
export type Quick =
  | { kind: "present" }
  | { kind: "text_max"; max: number }
  | { kind: "number_in"; lo: number; hi: number; loOpen: boolean; hiOpen: boolean }
  | { kind: "finite" }
  | { kind: "integer" };

export interface CheckRuntime {
  /** Hot path: true when the value passes. Must not allocate for passing values where avoidable. */
  test: TestFn;
  /**
   * A test bound to one validator (called once when the validator is created), for checks that
   * keep per-validator state; used instead of `test` by that validator.
   */
  bind?(ctx: RunContext): TestFn;
  /** Only called on failure. */
  details?(value: unknown, ctx: RunContext): Details;
  quick?: Quick;
  /** Placeholder values that depend on the locale only (labels), computed at compile time. */
  vars?: Record<Locale, Record<string, string>>;
}

/** What a check is compiled with besides its parameters. */
export interface CheckEnv {
  ruleId: string;
  fix?: FixFn;
  /** The rule comes from a reviewed built-in pack (its patterns may use the native engine). */
  trusted: boolean;
}

export interface CheckSpec {
  params: Record<string, ParamSpec>;
  /**
   * Absent values (missing, null, blank, empty list) pass without running the check; for
   * `normalized` this depends on the rule's fix.
   */
  skipsAbsent: boolean | ((fix: readonly FixDef[] | undefined) => boolean);
  fix: "allowed" | "required" | "forbidden";
  /** The check reads a whole list (so `each` makes no sense). */
  listValue?: boolean;
  /** Placeholders this check provides besides its parameters and the common ones. */
  placeholders: readonly string[];
  validate?(params: Record<string, unknown>, report: (detail: Text, param?: string) => void, maxPatternLength: number): void;
  compile(params: Record<string, unknown>, env: CheckEnv): CheckRuntime;
}

function perLocale(f: (l: Locale) => Record<string, string>): Record<Locale, Record<string, string>> {
  return { en: f("en"), "pt-BR": f("pt-BR") };
}

// --- checks ---------------------------------------------------------------------------------

const required: CheckSpec = {
  params: {},
  skipsAbsent: false,
  fix: "allowed",
  placeholders: [],
  compile: () => ({ test: (v) => !isAbsent(v), quick: { kind: "present" } }),
};

/** `/^\s*[-+]?\d+\s*$/` without a regular expression call (short numeric text from CSV). */
function isIntegerText(s: string): boolean {
  const n = s.length;
  let i = 0;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  const start = i;
  for (let c = s.charCodeAt(i); i < n && c >= 48 && c <= 57; c = s.charCodeAt(++i));
  if (i === start) return false;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  return i === n;
}
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const anyUrl = compileUrlTest(["http", "https"]);

function isDate(s: string): boolean {
  const m = ISO_DATE.exec(s.trim());
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (d > days[mo - 1]) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) return false;
  return true;
}

const TYPE_TESTS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)),
  integer: (v) => (typeof v === "number" ? Number.isInteger(v) : typeof v === "string" && isIntegerText(v)),
  decimal: (v) => (typeof v === "number" ? Number.isFinite(v) : typeof v === "string" && !Number.isNaN(toNumber(v))),
  boolean: (v) => parseBoolean(v) !== undefined,
  url: (v) => typeof v === "string" && anyUrl(v),
  date: (v) => typeof v === "string" && isDate(v),
};

const type: CheckSpec = {
  params: { type: { kind: "text", required: true, values: Object.keys(TYPE_TESTS) } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: ["type_label"],
  compile: (p) => {
    const t = p.type as string;
    const quick: Quick | undefined = t === "decimal" || t === "string" ? { kind: "finite" } : t === "integer" ? { kind: "integer" } : undefined;
    return { test: TYPE_TESTS[t], quick, vars: perLocale((l) => ({ type_label: TYPE_LABELS[t][l] })) };
  },
};

function lengthCheck(kind: "min" | "max"): CheckSpec {
  return {
    params: { [kind]: { kind: "int", required: true } },
    skipsAbsent: true,
    fix: "allowed",
    placeholders: ["length"],
    compile: (p) => {
      const limit = p[kind] as number;
      const details = (v: unknown): Details => {
        const s = toText(v);
        return s === undefined ? { variant: "length.not_text" } : { length: codePointLength(s) };
      };
      if (kind === "max") {
        return {
          test: (v) => {
            const s = typeof v === "string" ? v : toText(v);
            if (s === undefined) return false;
            return s.length <= limit || codePointLength(s) <= limit;
          },
          quick: { kind: "text_max", max: limit },
          details,
        };
      }
      return {
        test: (v) => {
          const s = typeof v === "string" ? v : toText(v);
          if (s === undefined) return false;
          // a string of n UTF-16 units has at least n/2 code points
          return s.length >= limit * 2 || codePointLength(s) >= limit;
        },
        details,
      };
    },
  };
}

const pattern: CheckSpec = {
  params: { pattern: { kind: "text", required: true }, flags: { kind: "flags" } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: [],
  validate: (p, report, maxLen) => {
    if (typeof p.pattern !== "string") return;
    if (p.pattern === "") return report(text("pattern must not be empty", "pattern não pode ser vazio"), "pattern");
    const bad = regexProblem(p.pattern, (p.flags as string | undefined) ?? "", maxLen);
    if (bad) report(bad.detail, bad.inFlags ? "flags" : "pattern");
  },
  compile: (p, env) => {
    const re = compilePattern(p.pattern as string, (p.flags as string | undefined) ?? "", { trusted: env.trusted });
    return {
      test: (v) => {
        const s = typeof v === "string" ? v : toText(v);
        return s !== undefined && re.test(s);
      },
    };
  },
};

const one_of: CheckSpec = {
  params: { values: { kind: "texts", required: true }, case_insensitive: { kind: "bool" } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: [],
  compile: (p) => {
    const values = p.values as string[];
    const ci = p.case_insensitive === true;
    const set = new Set(ci ? values.map((x) => x.toLowerCase()) : values);
    // Case-insensitive: spellings known to lowercase into the set (as written, upper, lower)
    // match without building a lowercased copy of the value.
    const exact = new Set(ci ? values.flatMap((x) => [x, x.toUpperCase(), x.toLowerCase()]).filter((x) => set.has(x.toLowerCase())) : values);
    return {
      test: (v) => {
        const s = typeof v === "string" ? v : toText(v);
        return s !== undefined && (exact.has(s) || (ci && set.has(s.toLowerCase())));
      },
      vars: perLocale((l) => ({ values: joinOr(values, l) })),
    };
  },
};

const range: CheckSpec = {
  params: { min: { kind: "number" }, max: { kind: "number" }, gt: { kind: "number" }, lt: { kind: "number" } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: ["bounds"],
  validate: (p, report) => {
    if (p.min === undefined && p.max === undefined && p.gt === undefined && p.lt === undefined) {
      report(text("range needs at least one of min, max, gt, lt", "range precisa de pelo menos um de min, max, gt, lt"));
    }
    if (p.min !== undefined && p.gt !== undefined) report(text("use either min or gt, not both", "use min ou gt, não os dois"), "gt");
    if (p.max !== undefined && p.lt !== undefined) report(text("use either max or lt, not both", "use max ou lt, não os dois"), "lt");
    const lo = (p.min ?? p.gt) as number | undefined;
    const hi = (p.max ?? p.lt) as number | undefined;
    if (lo !== undefined && hi !== undefined && lo > hi) report(text("the lower bound is greater than the upper bound", "o limite inferior é maior que o superior"));
  },
  compile: (p) => {
    const min = (p.min as number | undefined) ?? -Infinity;
    const max = (p.max as number | undefined) ?? Infinity;
    const gt = (p.gt as number | undefined) ?? -Infinity;
    const lt = (p.lt as number | undefined) ?? Infinity;
    const b = p as { min?: number; max?: number; gt?: number; lt?: number };
    return {
      test: (v) => {
        const n = toNumber(v);
        // Not a number: nothing to compare (the field's `type` rule reports it), as in `compare`.
        if (n !== n) return true;
        return n >= min && n <= max && (gt === -Infinity || n > gt) && (lt === Infinity || n < lt);
      },
      quick: { kind: "number_in", lo: Math.max(min, gt), hi: Math.min(max, lt), loOpen: gt !== -Infinity, hiOpen: lt !== Infinity },
      vars: perLocale((l) => ({ bounds: boundsText(b, l, "range") })),
    };
  },
};

const gtin: CheckSpec = {
  params: {},
  skipsAbsent: true,
  fix: "allowed",
  placeholders: [],
  compile: () => ({
    test: (v) => {
      // "SEM GTIN" declares that the product has no barcode: not an invalid GTIN.
      if (typeof v === "string") return isValidGtin(v) || isNoBarcode(v);
      return typeof v === "number" && Number.isSafeInteger(v) && v > 0 && isValidGtin(String(v));
    },
  }),
};

/** The GTIN's digits when the value is a valid GTIN (text, or a JSON number); else undefined. */
function validGtinText(v: unknown): string | undefined {
  const s = typeof v === "string" ? v : typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? String(v) : undefined;
  return s !== undefined && isValidGtin(s) ? s : undefined;
}

const gtin_prefix: CheckSpec = {
  params: { kinds: { kind: "texts", values: GTIN_PREFIX_KINDS } },
  skipsAbsent: true,
  // No value can be fixed into the manufacturer's GTIN.
  fix: "forbidden",
  placeholders: ["prefix"],
  compile: (p) => {
    const kinds = new Set((p.kinds as GtinPrefixKind[] | undefined) ?? GTIN_PREFIX_KINDS);
    return {
      // Invalid GTINs pass: reporting them is the `gtin` check's job. The prefix is read first
      // (a few digits), so the usual GTIN is decided without computing its check digit.
      test: (v) => {
        const s = typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
        if (s === undefined) return true;
        const n = s.length;
        if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return true;
        const kind = gtinPrefixKind(s);
        return kind === undefined || !kinds.has(kind) || validGtinText(v) === undefined;
      },
      details: (v) => {
        const s = validGtinText(v)!;
        return { variant: `gtin_prefix.${gtinPrefixKind(s)}`, prefix: gs1Prefix(s) };
      },
    };
  },
};

const url: CheckSpec = {
  params: { schemes: { kind: "texts" }, max_length: { kind: "int", min: 1 } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: ["length", "schemes"],
  validate: (p, report) => {
    const schemes = p.schemes as string[] | undefined;
    if (schemes?.some((s) => !URL_SCHEME.test(s.toLowerCase()))) report(text("schemes must be URL schemes such as https", "schemes devem ser esquemas de URL, como https"), "schemes");
  },
  compile: (p) => {
    const schemes = ((p.schemes as string[] | undefined) ?? ["http", "https"]).map((s) => s.toLowerCase());
    const ok = compileUrlTest(schemes);
    const maxLen = (p.max_length as number | undefined) ?? Infinity;
    return {
      test: (v, ctx) => typeof v === "string" && v.length <= maxLen && ok(v, ctx.index, ctx.epoch),
      details: (v) => (typeof v === "string" && v.length > maxLen && ok(v) ? { variant: "url.too_long", length: v.length } : {}),
      vars: perLocale((l) => ({ schemes: joinOr(schemes.map((s) => `${s}://`), l) })),
    };
  },
};

const count: CheckSpec = {
  params: { min: { kind: "int" }, max: { kind: "int" } },
  skipsAbsent: true,
  fix: "forbidden",
  listValue: true,
  placeholders: ["count", "bounds"],
  validate: (p, report) => {
    if (p.min === undefined && p.max === undefined) report(text("count needs min, max or both", "count precisa de min, max ou os dois"));
    if (typeof p.min === "number" && typeof p.max === "number" && p.min > p.max) report(text("min is greater than max", "min é maior que max"), "min");
  },
  compile: (p) => {
    const min = (p.min as number | undefined) ?? 0;
    const max = (p.max as number | undefined) ?? Infinity;
    const b = p as { min?: number; max?: number };
    return {
      test: (v) => {
        const n = asList(v).length;
        return n >= min && n <= max;
      },
      details: (v) => ({ count: asList(v).length }),
      vars: perLocale((l) => ({ bounds: boundsText(b, l, "count") })),
    };
  },
};

const unique: CheckSpec = {
  params: { case_insensitive: { kind: "bool" } },
  skipsAbsent: true,
  fix: "forbidden",
  placeholders: ["first_row"],
  compile: (p, env) => {
    const ci = p.case_insensitive === true;
    const id = env.ruleId;
    /** The value's text, trimmed: the same string when there is nothing to trim. */
    const textOf = (v: unknown): string => {
      const s = typeof v === "string" ? v : (toText(v) ?? JSON.stringify(v));
      const n = s.length;
      return n > 0 && (isSpaceCode(s.charCodeAt(0)) || isSpaceCode(s.charCodeAt(n - 1))) ? s.trim() : s;
    };
    const generic: TestFn = (v, ctx) => {
      const t = textOf(v);
      const first = ctx.unique.seen(id, ci ? t.toLowerCase() : t, ctx.row);
      if (first === undefined || first === ctx.row) return true;
      ctx.firstRow = first;
      return false;
    };
    return {
      test: generic,
      // With the default tracker, use this rule's table directly: no lookup by rule id, and no
      // lowercased copy of the key (the table compares ASCII keys case-insensitively itself).
      bind: (ctx) => {
        if (!(ctx.unique instanceof MemoryUniqueTracker)) return generic;
        const table = ctx.unique.tableFor(id);
        return (v, ctx) => {
          const first = table.firstRow(textOf(v), ci, ctx.row);
          if (first === undefined || first === ctx.row) return true;
          ctx.firstRow = first;
          return false;
        };
      },
      details: (_v, ctx) => ({ first_row: ctx.firstRow }),
    };
  },
};

const COMPARE_OPS = ["lt", "lte", "gt", "gte", "eq", "ne"] as const;

const compare: CheckSpec = {
  params: { op: { kind: "text", required: true, values: COMPARE_OPS }, other: { kind: "field", required: true } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: ["op_label", "other_value"],
  compile: (p) => {
    const op = p.op as (typeof COMPARE_OPS)[number];
    const getOther = compileGetter(p.other as string);
    const holds = (c: number): boolean => {
      switch (op) {
        case "lt":
          return c < 0;
        case "lte":
          return c <= 0;
        case "gt":
          return c > 0;
        case "gte":
          return c >= 0;
        case "eq":
          return c === 0;
        case "ne":
          return c !== 0;
      }
    };
    return {
      test: (v, ctx) => {
        const o = getOther(ctx.record);
        if (isAbsent(o)) return true;
        const a = toNumber(v);
        const b = toNumber(o);
        if (!Number.isNaN(a) && !Number.isNaN(b)) return holds(a < b ? -1 : a > b ? 1 : 0);
        // A number against text is not comparable; a type rule reports the bad value.
        if (Number.isNaN(a) !== Number.isNaN(b)) return true;
        const sa = toText(v);
        const sb = toText(o);
        if (sa === undefined || sb === undefined) return false;
        const x = sa.trim();
        const y = sb.trim();
        return holds(x < y ? -1 : x > y ? 1 : 0);
      },
      details: (_v, ctx) => ({ other_value: getOther(ctx.record) }),
      vars: perLocale((l) => ({ op_label: OP_LABELS[op][l] })),
    };
  },
};

const forbidden_words: CheckSpec = {
  params: { words: { kind: "texts", required: true } },
  skipsAbsent: true,
  fix: "allowed",
  placeholders: ["word"],
  validate: (p, report) => {
    const words = p.words as string[] | undefined;
    if (words?.some((w) => wordText(w) === "")) report(text("every forbidden word needs at least one letter or digit", "cada palavra proibida precisa de pelo menos uma letra ou dígito"), "words");
  },
  compile: (p) => {
    const words = p.words as string[];
    const find = compileWordFinder(words.map(wordText));
    return {
      test: (v) => {
        const s = typeof v === "string" ? v : toText(v);
        return s === undefined || find(s) < 0;
      },
      details: (v) => {
        const s = toText(v);
        const at = s === undefined ? -1 : find(s);
        return { word: at < 0 ? undefined : words[at] };
      },
    };
  },
};

const HTML = /<\/?[A-Za-z][^<>]*>|<!--|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

const plain_text: CheckSpec = {
  params: {},
  skipsAbsent: true,
  fix: "allowed",
  placeholders: [],
  compile: () => ({
    test: (v) => {
      if (typeof v !== "string") return true;
      return (v.indexOf("<") < 0 && v.indexOf("&") < 0) || !HTML.test(v);
    },
  }),
};

const normalized: CheckSpec = {
  params: {},
  // Blank values are `required`'s job, unless the fix can fill them in.
  skipsAbsent: (fix) => !fix?.some((f) => f.op === "default"),
  fix: "required",
  placeholders: [],
  compile: (_p, env) => {
    const fix = env.fix!;
    return { test: (v) => sameValue(fix(v), v) };
  },
};

export const CHECKS: Record<CheckName, CheckSpec> = {
  required,
  type,
  min_length: lengthCheck("min"),
  max_length: lengthCheck("max"),
  pattern,
  one_of,
  range,
  gtin,
  gtin_prefix,
  url,
  count,
  unique,
  compare,
  forbidden_words,
  plain_text,
  normalized,
};

export const CHECK_NAMES = Object.keys(CHECKS) as CheckName[];

export function isCheckName(s: string): s is CheckName {
  return Object.hasOwn(CHECKS, s);
}
