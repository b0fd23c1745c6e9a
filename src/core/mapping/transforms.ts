/**
 * The transform syntax of mappings, over the operations registry (core/ops): `"trim"`,
 * `{ "op": "number", "locale": "pt-BR" }`. Mappings are JSON, so parameters must have their JSON
 * type; a transform that cannot apply to a cell becomes a `mapping.*` issue.
 */
import { compileUse, FAIL, offeredParams, operation, type OpContext, readUse, type Report, type SyntaxEntry } from "../ops";
import { templatePlaceholders } from "../ops/list";
import { didYouMean } from "../ops/params";
import { isBlankString } from "../rules/values";
import { text, type Text } from "../text";

export { FAIL, templatePlaceholders };

/** A transform compiled into closures. */
export interface Step {
  /** The transform as the mapping names it. */
  readonly op: string;
  /** Scalar steps apply to each item of a list value. */
  readonly scalar: boolean;
  /** Runs on an absent value too (`default`, `template`). */
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
  message?(value: unknown, column: string): Text;
}

export interface StepContext {
  /** The field's source column names, for `template` placeholders; undefined for constants. */
  sources: readonly string[] | undefined;
  /** Whether the value entering the pipeline is a list aligned with `sources`. */
  multi: boolean;
}

/** Longest `replace` pattern a mapping may hold. */
const MAX_PATTERN = 256;

/** Transform name → registry operation, in the order the API documents them. */
const TRANSFORMS: Record<string, SyntaxEntry> = {
  trim: { op: "trim" },
  collapse_spaces: { op: "collapse_spaces", preset: { newlines: false, trim: true } },
  upper: { op: "case", preset: { to: "upper" } },
  lower: { op: "case", preset: { to: "lower" } },
  title: { op: "case", preset: { to: "title" } },
  sentence: { op: "case", preset: { to: "sentence" } },
  digits_only: { op: "digits_only", preset: { integers: true } },
  truncate: {
    op: "truncate",
    params: { max: { kind: "int", required: true, min: 1, max: 100_000 }, ellipsis: { kind: "text", maxLength: 10 } },
  },
  replace: {
    op: "replace",
    params: {
      pattern: { kind: "text", minLength: 1, maxLength: MAX_PATTERN },
      find: { kind: "text", minLength: 1, maxLength: 1000 },
      with: { kind: "text", maxLength: 1000 },
      flags: { kind: "text", maxLength: 2 },
    },
  },
  default: { op: "default" },
  number: { op: "number" },
  format_number: { op: "format_number" },
  unit: { op: "unit" },
  date: { op: "date" },
  split: { op: "split" },
  collect: { op: "collect" },
  first: { op: "first" },
  concat: { op: "concat" },
  template: { op: "template" },
  value_map: {
    op: "value_map",
    preset: { booleans: true },
    params: { values: { kind: "map", required: true, maxEntries: 500, maxKeyLength: 200 } },
  },
};

export const TRANSFORM_OPS: readonly string[] = Object.keys(TRANSFORMS);

/** The registry operation a transform names, and what it presets: for the registry's own listing. */
export function transformSyntax(name: string): SyntaxEntry | undefined {
  return Object.hasOwn(TRANSFORMS, name) ? TRANSFORMS[name] : undefined;
}

const absent = (v: unknown) => v === undefined || v === null || (typeof v === "string" && isBlankString(v));

/** True for undefined and for a list whose items are all absent. */
export function absentValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(absent);
  return absent(v);
}

/** The op name of a transform as written; undefined when it is neither a string nor an object with a string `op`. */
export function opOf(def: unknown): string | undefined {
  if (typeof def === "string") return def;
  if (def !== null && typeof def === "object" && !Array.isArray(def) && typeof (def as { op?: unknown }).op === "string") return (def as { op: string }).op;
  return undefined;
}

export function isCombining(name: string): boolean {
  const entry = transformSyntax(name);
  return entry !== undefined && operation(entry.op).combines === true;
}

/** Validates and compiles one transform. Reports problems and returns undefined when it is invalid. */
export function compileTransform(def: unknown, ctx: StepContext, pointer: string, report: Report): Step | undefined {
  const name = opOf(def);
  if (name === undefined) {
    report(
      text(
        'a transform is an op name ("trim") or an object with an "op" ({ "op": "number", "locale": "pt-BR" })',
        'uma transformação é o nome de uma operação ("trim") ou um objeto com "op" ({ "op": "number", "locale": "pt-BR" })',
      ),
      pointer,
    );
    return undefined;
  }
  const entry = transformSyntax(name);
  if (!entry) {
    const dym = didYouMean(name, TRANSFORM_OPS);
    const known = TRANSFORM_OPS.join(", ");
    report(
      text(`unknown transform "${name}"${dym.en}; known: ${known}`, `transformação "${name}" desconhecida${dym["pt-BR"]}; conhecidas: ${known}`),
      typeof def === "string" ? pointer : `${pointer}/op`,
    );
    return undefined;
  }
  const raw = typeof def === "string" ? {} : (def as Record<string, unknown>);
  const specs = offeredParams(entry);
  const offered = Object.keys(specs);
  const prefix = text(`${name}: `, `${name}: `);
  const pointerOf = (param: string) => `${pointer}/${param}`;
  let ok = true;
  const say: Report = (detail, at) => {
    ok = false;
    report(detail, at);
  };
  for (const key of Object.keys(raw)) {
    if (key === "op" || Object.hasOwn(specs, key)) continue;
    const dym = didYouMean(key, offered);
    const takes = offered.length
      ? text(`; ${name} takes ${offered.join(", ")}`, `; ${name} aceita ${offered.join(", ")}`)
      : text(`; ${name} takes no parameters`, `; ${name} não tem parâmetros`);
    say(text(`${name}: unknown parameter "${key}"${takes.en}${dym.en}`, `${name}: parâmetro "${key}" desconhecido${takes["pt-BR"]}${dym["pt-BR"]}`), pointerOf(key));
  }
  const written: Record<string, { raw: unknown }> = {};
  for (const [param, spec] of Object.entries(specs)) {
    const v = raw[param];
    if (v === undefined || v === null) {
      if (spec.required) say(text(`${name}: "${param}" is required`, `${name}: "${param}" é obrigatório`), pointerOf(param));
    } else written[param] = { raw: v };
  }
  const site = { paramPrefix: prefix, opPrefix: prefix, pointer, pointerOf };
  const params = readUse(entry, written, "json", say, site);
  if (!ok || params === undefined) return undefined;
  const opCtx: OpContext = { trusted: false, maxPatternLength: MAX_PATTERN, isAbsent: absentValue, sources: ctx.sources, multi: ctx.multi };
  const compiled = compileUse(entry, params, opCtx, report, site);
  if (!compiled) return undefined;
  const op = operation(entry.op);
  return {
    op: name,
    scalar: op.scalar,
    onAbsent: op.onAbsent === true,
    flattens: op.flattens === true,
    rule: compiled.failure?.rule,
    forward: compiled.forward,
    reverse: compiled.reverse,
    message: compiled.failure?.message,
  };
}
