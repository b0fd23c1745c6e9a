import type { Locale } from "../rules";
import { didYouMean } from "../rules/params";
import { checkRegex } from "../rules/safe-regex";
import { compilePattern } from "../regex";
import { sentenceCase, titleCase, truncate } from "../rules/text";
import { displayValue, fold, isBlankString } from "../rules/values";
import { compileDateFormat, type DateFormat, parseDateAuto } from "./dates";
import { columnKey } from "./normalize";
import { formatNumber, NUMBER_LOCALES, type NumberLocale, numberText, parseNumber, round, usesDecimalComma } from "./numbers";
import { convert, splitUnit, unitOf, UNIT_SYMBOLS } from "./units";

/** Returned by a step that cannot apply to a value; the mapper turns it into a `mapping.*` issue. */
export const FAIL: unique symbol = Symbol("mapping transform failed");

/** A transform compiled into closures. */
export interface Step {
  readonly op: string;
  /** Scalar steps apply to each item of a list value. */
  readonly scalar: boolean;
  /** Runs on an absent value too (only `default`). */
  readonly onAbsent: boolean;
  /** Turns one item into several (split): items are flattened when mapping over a list. */
  readonly flattens: boolean;
  /** Rule id of the issue when the step fails. */
  readonly rule: string | undefined;
  forward(v: unknown): unknown;
  /**
   * Gives the step input that produces `v`, knowing the input it saw originally; FAIL when the
   * step cannot be undone. Absent: the step is not reversible.
   */
  reverse?(v: unknown, originalInput: unknown): unknown;
  /** Issue message for a value the step could not apply to. */
  message?(value: unknown, column: string, locale: Locale): string;
}

export interface StepContext {
  /** The field's source column names, for `template` placeholders; undefined for constants. */
  sources: readonly string[] | undefined;
  /** Whether the value entering the pipeline is a list aligned with `sources`. */
  multi: boolean;
}

type Report = (detail: string, pointer: string) => void;

// ------------------------------------------------------------------ parameters

type ParamSpec =
  | { kind: "string"; required?: boolean; min?: number; max: number }
  | { kind: "int"; required?: boolean; min: number; max: number }
  | { kind: "bool" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "scalar"; required?: boolean }
  | { kind: "map"; required?: boolean; max: number };

const isScalar = (v: unknown) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean";

function readParams(op: string, raw: Record<string, unknown>, spec: Record<string, ParamSpec>, pointer: string, report: Report) {
  const out: Record<string, unknown> = {};
  let ok = true;
  const bad = (name: string, detail: string) => {
    report(`${op}: ${detail}`, `${pointer}/${name}`);
    ok = false;
  };
  for (const key of Object.keys(raw)) {
    if (key !== "op" && !Object.hasOwn(spec, key)) {
      const known = Object.keys(spec);
      bad(key, `unknown parameter "${key}"${known.length ? `; ${op} takes ${known.join(", ")}` : `; ${op} takes no parameters`}${didYouMean(key, known)}`);
    }
  }
  for (const [name, s] of Object.entries(spec)) {
    const v = raw[name];
    if (v === undefined || v === null) {
      if ("required" in s && s.required) bad(name, `"${name}" is required`);
      continue;
    }
    switch (s.kind) {
      case "string":
        if (typeof v !== "string") bad(name, `"${name}" must be a string`);
        else if (v.length < (s.min ?? 0) || v.length > s.max) bad(name, `"${name}" must have ${s.min ?? 0} to ${s.max} characters`);
        else out[name] = v;
        break;
      case "int":
        if (typeof v !== "number" || !Number.isInteger(v) || v < s.min || v > s.max) bad(name, `"${name}" must be a whole number from ${s.min} to ${s.max}`);
        else out[name] = v;
        break;
      case "bool":
        if (typeof v !== "boolean") bad(name, `"${name}" must be true or false`);
        else out[name] = v;
        break;
      case "enum":
        if (typeof v !== "string" || !s.values.includes(v)) bad(name, `"${name}" must be one of ${s.values.join(", ")}`);
        else out[name] = v;
        break;
      case "scalar":
        if (!isScalar(v) && !(Array.isArray(v) && v.length <= 100 && v.every(isScalar))) bad(name, `"${name}" must be a string, number, boolean or a list of them`);
        else out[name] = v;
        break;
      case "map": {
        if (typeof v !== "object" || Array.isArray(v)) bad(name, `"${name}" must be an object of "from": "to" pairs`);
        else {
          const entries = Object.entries(v as Record<string, unknown>);
          if (entries.length === 0 || entries.length > s.max) bad(name, `"${name}" must have 1 to ${s.max} entries`);
          else if (!entries.every(([k, to]) => k.length <= 200 && isScalar(to))) bad(name, `"${name}" maps text to a string, number or boolean`);
          else out[name] = v;
        }
        break;
      }
    }
  }
  return ok ? out : undefined;
}

// ------------------------------------------------------------------ helpers

const absent = (v: unknown) => v === undefined || v === null || (typeof v === "string" && isBlankString(v));

/** Text transforms leave numbers and booleans (from JSON records) alone. */
function textStep(fn: (s: string) => string): Omit<Step, "op"> {
  return {
    scalar: true,
    onAbsent: false,
    flattens: false,
    rule: undefined,
    forward: (v) => (typeof v === "string" ? fn(v) : v),
    reverse: (v) => v,
  };
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return String(v);
  return undefined;
}

const COLLAPSE = /[^\S\r\n]+/g;
const ALL_SPACES = /\s+/g;
const NON_DIGITS = /\D+/g;

type Messages = { en: string; pt: string };
function render(m: Messages, locale: Locale, vars: Record<string, string>): string {
  return (locale === "pt-BR" ? m.pt : m.en).replace(/\{(\w+)\}/g, (all, k: string) => vars[k] ?? all);
}

function failing(rule: string, m: Messages, vars: (value: unknown) => Record<string, string> = () => ({})) {
  return {
    rule,
    message: (value: unknown, column: string, locale: Locale) => render(m, locale, { value: displayValue(value), column, ...vars(value) }),
  };
}

// ------------------------------------------------------------------ the transforms

interface OpSpec {
  params: Record<string, ParamSpec>;
  /** Extra checks on the parsed parameters; returns the compiled step or reports and returns undefined. */
  compile(p: Record<string, any>, ctx: StepContext, pointer: string, report: Report): Omit<Step, "op"> | undefined;
  /** Ops that turn several columns into one value. */
  combines?: boolean;
}

const NUMBER_MESSAGES = {
  en: '"{value}" in column {column} is not a number',
  pt: '"{value}" na coluna {column} não é um número',
};

const OPS: Record<string, OpSpec> = {
  trim: { params: {}, compile: () => textStep((s) => s.trim()) },
  collapse_spaces: { params: {}, compile: () => textStep((s) => s.replace(COLLAPSE, " ").trim()) },
  upper: { params: {}, compile: () => textStep((s) => s.toUpperCase()) },
  lower: { params: {}, compile: () => textStep((s) => s.toLowerCase()) },
  title: { params: {}, compile: () => textStep(titleCase) },
  sentence: { params: {}, compile: () => textStep(sentenceCase) },
  digits_only: {
    params: {},
    compile: () => ({
      ...textStep((s) => s.replace(NON_DIGITS, "")),
      forward: (v) => {
        const s = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
        return typeof s === "string" ? s.replace(NON_DIGITS, "") : s;
      },
    }),
  },

  truncate: {
    params: { max: { kind: "int", required: true, min: 1, max: 100_000 }, at_word: { kind: "bool" }, ellipsis: { kind: "string", max: 10 } },
    compile: (p) => textStep((s) => truncate(s, p.max, p.at_word ?? true, p.ellipsis ?? "")),
  },

  replace: {
    params: {
      pattern: { kind: "string", min: 1, max: 256 },
      find: { kind: "string", min: 1, max: 1000 },
      with: { kind: "string", max: 1000 },
      flags: { kind: "string", max: 2 },
    },
    compile(p, _ctx, pointer, report) {
      const replacement: string = p.with ?? "";
      if ((p.pattern === undefined) === (p.find === undefined)) {
        report('replace: give either "pattern" (a regular expression) or "find" (plain text)', pointer);
        return undefined;
      }
      if (p.find !== undefined) {
        if (p.flags !== undefined) report('replace: "flags" only applies to "pattern"', `${pointer}/flags`);
        const find: string = p.find;
        return textStep((s) => s.split(find).join(replacement));
      }
      const flags: string = p.flags ?? "";
      const why = checkRegex(p.pattern, flags, 256, "iu");
      if (why) {
        report(`replace: ${why}`, `${pointer}/${why.includes("flag") ? "flags" : "pattern"}`);
        return undefined;
      }
      const re = compilePattern(p.pattern, flags, { trusted: false });
      return textStep((s) => re.replaceAll(s, replacement));
    },
  },

  default: {
    params: { value: { kind: "scalar", required: true } },
    compile: (p) => ({
      scalar: false,
      onAbsent: true,
      flattens: false,
      rule: undefined,
      forward: (v) => (absentValue(v) ? (Array.isArray(p.value) ? p.value.slice() : p.value) : v),
      reverse: (v) => v,
    }),
  },

  number: {
    params: { locale: { kind: "enum", values: NUMBER_LOCALES }, decimals: { kind: "int", min: 0, max: 10 } },
    compile(p) {
      const locale: NumberLocale = p.locale ?? "auto";
      const decimals: number | undefined = p.decimals;
      return {
        scalar: true,
        onAbsent: false,
        flattens: false,
        ...failing("mapping.number.invalid", NUMBER_MESSAGES),
        forward(v) {
          const n = parseNumber(v, locale);
          return n === undefined ? FAIL : decimals === undefined ? n : round(n, decimals);
        },
        reverse(v, orig) {
          if (typeof v !== "number" || !Number.isFinite(v)) return typeof v === "string" ? v : FAIL;
          const comma = locale === "pt-BR" || (locale === "auto" && usesDecimalComma(orig));
          return numberText(v, comma, decimals !== undefined && !Number.isInteger(v) ? decimals : undefined);
        },
      };
    },
  },

  format_number: {
    params: { locale: { kind: "enum", values: ["pt-BR", "en"] }, decimals: { kind: "int", min: 0, max: 10 }, grouping: { kind: "bool" } },
    compile(p) {
      const locale: "pt-BR" | "en" = p.locale ?? "pt-BR";
      return {
        scalar: true,
        onAbsent: false,
        flattens: false,
        ...failing("mapping.number.invalid", NUMBER_MESSAGES),
        forward(v) {
          const n = parseNumber(v, "auto");
          return n === undefined ? FAIL : formatNumber(n, locale, p.decimals, p.grouping ?? false);
        },
        reverse(v) {
          const n = parseNumber(v, locale);
          return n === undefined ? FAIL : n;
        },
      };
    },
  },

  unit: {
    params: {
      from: { kind: "string", required: true, min: 1, max: 20 },
      to: { kind: "string", required: true, min: 1, max: 20 },
      locale: { kind: "enum", values: NUMBER_LOCALES },
      decimals: { kind: "int", min: 0, max: 10 },
    },
    compile(p, _ctx, pointer, report) {
      const from = unitOf(p.from);
      const to = unitOf(p.to);
      if (!from) report(`unit: unknown unit "${p.from}"; known units: ${UNIT_SYMBOLS.join(", ")}`, `${pointer}/from`);
      if (!to) report(`unit: unknown unit "${p.to}"; known units: ${UNIT_SYMBOLS.join(", ")}`, `${pointer}/to`);
      if (!from || !to) return undefined;
      if (from.dimension !== to.dimension) {
        report(`unit: cannot convert ${from.symbol} (${from.dimension}) to ${to.symbol} (${to.dimension})`, `${pointer}/to`);
        return undefined;
      }
      const locale: NumberLocale = p.locale ?? "auto";
      const decimals: number | undefined = p.decimals;
      return {
        scalar: true,
        onAbsent: false,
        flattens: false,
        ...failing(
          "mapping.unit.invalid",
          { en: '"{value}" in column {column} is not a {dimension} in {from}', pt: '"{value}" na coluna {column} não é um(a) {dimension_pt} em {from}' },
          () => ({ from: from.symbol, dimension: from.dimension, dimension_pt: from.dimension === "mass" ? "peso" : "medida" }),
        ),
        forward(v) {
          let n: number | undefined;
          let unit = from;
          if (typeof v === "string") {
            const parts = splitUnit(v);
            if (parts.unit !== "") {
              const u = unitOf(parts.unit);
              if (!u || u.dimension !== from.dimension) return FAIL;
              unit = u;
            }
            n = parseNumber(parts.number, locale);
          } else n = parseNumber(v, locale);
          return n === undefined ? FAIL : round(convert(n, unit, to), decimals);
        },
        reverse(v, orig) {
          if (typeof v !== "number" || !Number.isFinite(v)) return FAIL;
          let unit = from;
          let suffix = "";
          if (typeof orig === "string") {
            const parts = splitUnit(orig);
            const u = parts.unit ? unitOf(parts.unit) : undefined;
            if (u) {
              unit = u;
              suffix = orig.trim().slice(orig.trim().length - parts.unit.length);
              if (orig.trim().charAt(orig.trim().length - parts.unit.length - 1) === " ") suffix = " " + suffix;
            }
          }
          const comma = locale === "pt-BR" || (locale === "auto" && usesDecimalComma(orig));
          return numberText(round(convert(v, to, unit)), comma) + suffix;
        },
      };
    },
  },

  date: {
    params: { format: { kind: "string", min: 1, max: 40 }, output: { kind: "string", min: 1, max: 40 } },
    compile(p, _ctx, pointer, report) {
      let input: DateFormat | undefined;
      if (p.format !== undefined && p.format !== "auto") {
        const f = compileDateFormat(p.format, true);
        if (typeof f === "string") report(`date: ${f}`, `${pointer}/format`);
        else input = f;
      }
      const o = compileDateFormat(p.output ?? "YYYY-MM-DD", false);
      if (typeof o === "string") report(`date: ${o}`, `${pointer}/output`);
      if (typeof o === "string" || (p.format !== undefined && p.format !== "auto" && !input)) return undefined;
      const output = o;
      const formatText = input?.text ?? "DD/MM/YYYY, YYYY-MM-DD";
      return {
        scalar: true,
        onAbsent: false,
        flattens: false,
        ...failing(
          "mapping.date.invalid",
          { en: '"{value}" in column {column} is not a date ({format})', pt: '"{value}" na coluna {column} não é uma data ({format})' },
          () => ({ format: formatText }),
        ),
        forward(v) {
          if (input) {
            const parts = typeof v === "string" ? input.parse(v) : undefined;
            return parts ? output.format(parts) : FAIL;
          }
          const auto = parseDateAuto(v);
          return auto ? output.format(auto.parts) : FAIL;
        },
        reverse(v, orig) {
          const parts = typeof v === "string" ? output.parse(v) : undefined;
          if (!parts) return FAIL;
          const back = input ?? parseDateAuto(orig)?.format ?? AUTO_OUTPUT;
          return back.format(parts);
        },
      };
    },
  },

  split: {
    params: { separator: { kind: "string", min: 1, max: 10 } },
    compile(p) {
      const sep: string = p.separator ?? "|";
      return {
        scalar: true,
        onAbsent: false,
        flattens: true,
        rule: undefined,
        forward(v) {
          if (typeof v !== "string") return v;
          const out: string[] = [];
          for (const part of v.split(sep)) {
            const t = part.trim();
            if (t.length > 0) out.push(t);
          }
          return out.length ? out : undefined;
        },
        reverse(v) {
          if (!Array.isArray(v)) return typeof v === "string" ? v : FAIL;
          const items: string[] = [];
          for (const item of v) {
            const t = text(item);
            if (t === undefined || t.includes(sep)) return FAIL;
            items.push(t);
          }
          return items.join(sep);
        },
      };
    },
  },

  collect: {
    params: {},
    combines: true,
    compile: () => ({
      scalar: false,
      onAbsent: false,
      flattens: false,
      rule: undefined,
      forward(v) {
        if (!Array.isArray(v)) return [v];
        const out: unknown[] = [];
        for (const item of v) {
          if (Array.isArray(item)) {
            for (const x of item) if (!absent(x)) out.push(x);
          } else if (!absent(item)) out.push(item);
        }
        return out.length ? out : undefined;
      },
      reverse(v, orig) {
        const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
        if (!Array.isArray(orig)) return items.length === 1 ? items[0] : FAIL;
        const out: unknown[] = new Array(orig.length).fill(undefined);
        const filled: number[] = [];
        for (let i = 0; i < orig.length; i++) if (!absent(orig[i])) filled.push(i);
        if (items.length > orig.length || items.some((x) => Array.isArray(x))) return FAIL;
        // Same number of items: keep each in the column it came from; otherwise fill from the first column.
        if (items.length === filled.length) items.forEach((x, k) => (out[filled[k]] = x));
        else items.forEach((x, k) => (out[k] = x));
        return out;
      },
    }),
  },

  first: {
    params: {},
    combines: true,
    compile: () => ({
      scalar: false,
      onAbsent: false,
      flattens: false,
      rule: undefined,
      forward(v) {
        if (!Array.isArray(v)) return v;
        for (const item of v) if (!absent(item)) return item;
        return undefined;
      },
      reverse(v, orig) {
        if (!Array.isArray(orig)) return v;
        const out = orig.slice();
        const at = orig.findIndex((x) => !absent(x));
        out[at < 0 ? 0 : at] = v;
        return out;
      },
    }),
  },

  concat: {
    params: { separator: { kind: "string", max: 10 } },
    combines: true,
    compile(p) {
      const sep: string = p.separator ?? " ";
      return {
        scalar: false,
        onAbsent: false,
        flattens: false,
        rule: undefined,
        forward(v) {
          const items = Array.isArray(v) ? v : [v];
          let out = "";
          let n = 0;
          for (const item of items) {
            const t = text(item);
            if (t === undefined || isBlankString(t)) continue;
            out += (n++ > 0 ? sep : "") + t;
          }
          return n > 0 ? out : undefined;
        },
      };
    },
  },

  template: {
    params: { template: { kind: "string", required: true, min: 1, max: 1000 } },
    combines: true,
    compile(p, ctx, pointer, report) {
      const parts = parseTemplate(p.template);
      if (typeof parts === "string") {
        report(`template: ${parts}`, `${pointer}/template`);
        return undefined;
      }
      if (ctx.sources?.some((s) => s.includes("*"))) {
        report('template: name each column in "sources"; a "*" pattern cannot be used with a template', `${pointer}/template`);
        return undefined;
      }
      const keys = (ctx.sources ?? []).map(columnKey);
      const pieces: (string | number)[] = [];
      for (const part of parts) {
        if (typeof part === "string") {
          pieces.push(part);
          continue;
        }
        const i = part.name === "value" ? -1 : keys.indexOf(columnKey(part.name));
        if (i < 0 && part.name !== "value") {
          report(`template: {${part.name}} is not one of the field's source columns (${(ctx.sources ?? []).join(", ") || "none"})`, `${pointer}/template`);
          return undefined;
        }
        pieces.push(i);
      }
      const multi = ctx.multi;
      return {
        scalar: false,
        onAbsent: true,
        flattens: false,
        rule: undefined,
        forward(v) {
          let out = "";
          for (const piece of pieces) {
            if (typeof piece === "string") out += piece;
            else {
              const x = piece < 0 || !multi ? v : Array.isArray(v) ? v[piece] : undefined;
              out += text(x) ?? "";
            }
          }
          out = out.replace(ALL_SPACES, " ").trim();
          return out.length ? out : undefined;
        },
      };
    },
  },

  value_map: {
    params: {
      values: { kind: "map", required: true, max: 500 },
      case_insensitive: { kind: "bool" },
      strict: { kind: "bool" },
      default: { kind: "scalar" },
    },
    compile(p) {
      const ci: boolean = p.case_insensitive ?? true;
      const entries = Object.entries(p.values as Record<string, unknown>);
      const map = new Map<string, unknown>();
      for (const [from, to] of entries) {
        const k = ci ? fold(from.trim()) : from.trim();
        if (!map.has(k)) map.set(k, to);
      }
      const keys = entries.map(([k]) => k);
      const shown = keys.slice(0, 10).join(", ") + (keys.length > 10 ? ", …" : "");
      return {
        scalar: true,
        onAbsent: false,
        flattens: false,
        ...failing(
          "mapping.value_map.unmatched",
          { en: '"{value}" in column {column} is not one of the mapped values ({keys})', pt: '"{value}" na coluna {column} não é um dos valores mapeados ({keys})' },
          () => ({ keys: shown }),
        ),
        forward(v) {
          const s = text(v);
          if (s === undefined) return v;
          const to = map.get(ci ? fold(s.trim()) : s.trim());
          if (to !== undefined) return to;
          if (p.strict) return FAIL;
          return p.default !== undefined ? p.default : v;
        },
        reverse(v) {
          for (const [from, to] of entries) if (to === v) return from;
          return v;
        },
      };
    },
  },
};

const AUTO_OUTPUT = compileDateFormat("DD/MM/YYYY", true) as DateFormat;

export const TRANSFORM_OPS: readonly string[] = Object.keys(OPS);

/** True for undefined and for a list whose items are all absent. */
export function absentValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(absent);
  return absent(v);
}

type TemplatePart = string | { name: string };

/** Splits "{Marca} {Modelo}" into literal text and placeholders; `{{` and `}}` are literal braces. */
export function parseTemplate(t: string): TemplatePart[] | string {
  const out: TemplatePart[] = [];
  let lit = "";
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if ((c === "{" || c === "}") && t[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === "{") {
      const end = t.indexOf("}", i);
      if (end < 0) return `unclosed "{" at character ${i + 1}`;
      const name = t.slice(i + 1, end).trim();
      if (!name || name.length > 200) return `empty or too long placeholder at character ${i + 1}`;
      if (lit) out.push(lit);
      lit = "";
      out.push({ name });
      i = end;
    } else if (c === "}") return `unmatched "}" at character ${i + 1}`;
    else lit += c;
  }
  if (lit) out.push(lit);
  if (!out.some((p) => typeof p !== "string")) return "the template has no {placeholder}";
  return out;
}

/** Placeholder names of a template, for fields whose sources are implied by it. */
export function templatePlaceholders(t: string): string[] {
  const parts = parseTemplate(t);
  if (typeof parts === "string") return [];
  return parts.filter((p): p is { name: string } => typeof p !== "string" && p.name !== "value").map((p) => p.name);
}

/** The op name of a transform as written; undefined when it is neither a string nor an object with a string `op`. */
export function opOf(def: unknown): string | undefined {
  if (typeof def === "string") return def;
  if (def !== null && typeof def === "object" && !Array.isArray(def) && typeof (def as { op?: unknown }).op === "string") return (def as { op: string }).op;
  return undefined;
}

export function isCombining(op: string): boolean {
  return OPS[op]?.combines === true;
}

/** Validates and compiles one transform. Reports problems and returns undefined when it is invalid. */
export function compileTransform(def: unknown, ctx: StepContext, pointer: string, report: Report): Step | undefined {
  const op = opOf(def);
  if (op === undefined) {
    report('a transform is an op name ("trim") or an object with an "op" ({ "op": "number", "locale": "pt-BR" })', pointer);
    return undefined;
  }
  const spec = Object.hasOwn(OPS, op) ? OPS[op] : undefined;
  if (!spec) {
    report(`unknown transform "${op}"${didYouMean(op, TRANSFORM_OPS)}; known: ${TRANSFORM_OPS.join(", ")}`, typeof def === "string" ? pointer : `${pointer}/op`);
    return undefined;
  }
  const params = readParams(op, typeof def === "string" ? {} : (def as Record<string, unknown>), spec.params, pointer, report);
  if (!params) return undefined;
  const step = spec.compile(params, ctx, pointer, report);
  return step ? { op, ...step } : undefined;
}
