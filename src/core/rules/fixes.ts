/**
 * The fix syntax of rule packs, over the operations registry (core/ops): `- trim`,
 * `{ truncate: { max: 60 } }` (or `{ truncate: 60 }`), `{ case: title }`,
 * `{ value_map: { novo: new }, case_insensitive: false }`. A fix that cannot apply leaves the value
 * as it is.
 */
import { type CompiledOp, compileUse, FAIL, offeredParams, type OpContext, readUse, type Report, type SyntaxEntry } from "../ops";
import { didYouMean, escapePointer, isPlainObject, readInt } from "../ops/params";
import { joinText, text, type Text } from "../text";
import type { FixDef } from "./types";
import { codePointLength, fold, isAbsent } from "./values";

export type FixFn = (value: unknown) => unknown;

type ParamProblem = (detail: Text, param?: string) => void;

export interface FixSyntax extends SyntaxEntry {
  /**
   * How the fix is written: its bare name (`- trim`); a mapping of parameters, where `shorthand`
   * names the parameter a lone number fills (`{ truncate: 60 }`); or one value filling `param`
   * (`{ case: title }`).
   */
  form: { kind: "bare" } | { kind: "object"; shorthand?: string } | { kind: "value"; param: string };
  /** Parameters written beside the fix's own key (`case_insensitive` next to `value_map`). */
  siblings?: readonly string[];
  example?: string;
  /** Checks the fix syntax has always made on top of the operation's own. */
  check?(params: Record<string, unknown>, problem: ParamProblem): void;
}

const FIXES: Record<string, FixSyntax> = {
  trim: { op: "trim", form: { kind: "bare" } },
  collapse_spaces: { op: "collapse_spaces", form: { kind: "bare" }, preset: { newlines: true, trim: false } },
  strip_html: { op: "strip_html", form: { kind: "bare" } },
  normalize_number: { op: "number", form: { kind: "bare" }, offers: [] },
  digits_only: { op: "digits_only", form: { kind: "bare" }, preset: { integers: false } },
  truncate: {
    op: "truncate",
    form: { kind: "object", shorthand: "max" },
    example: "{ truncate: { max: 60, at_word: true } }",
    check(p, problem) {
      if (p.ellipsis !== undefined && codePointLength(p.ellipsis as string) >= (p.max as number)) {
        problem(text('"ellipsis" must be text shorter than max', '"ellipsis" deve ser um texto mais curto que max'), "ellipsis");
      }
    },
  },
  case: { op: "case", form: { kind: "value", param: "to" }, example: "{ case: title }" },
  default: { op: "default", form: { kind: "value", param: "value" }, params: { value: { kind: "any", required: true } }, example: "{ default: new }" },
  replace: {
    op: "replace",
    form: { kind: "object" },
    offers: ["pattern", "with", "flags"],
    params: { pattern: { kind: "text", required: true, minLength: 1 } },
    example: '{ replace: { pattern: "\\\\s+-\\\\s+", with: " - " } }',
  },
  value_map: {
    op: "value_map",
    form: { kind: "value", param: "values" },
    siblings: ["case_insensitive"],
    offers: ["values", "case_insensitive"],
    preset: { booleans: false },
    example: "{ value_map: { novo: new, usado: used } }",
    check(p, problem) {
      const ci = p.case_insensitive !== false;
      const seen = new Map<string, string>();
      for (const from of Object.keys(p.values as Record<string, unknown>)) {
        const key = ci ? fold(from.trim()) : from.trim();
        const prior = seen.get(key);
        if (prior !== undefined) {
          problem(
            text(
              `value_map keys "${prior}" and "${from}" are the same when case and accents are ignored`,
              `as chaves "${prior}" e "${from}" de value_map são iguais quando se ignoram maiúsculas e acentos`,
            ),
            `values/${escapePointer(from)}`,
          );
          return;
        }
        seen.set(key, from);
      }
    },
  },
};

export const FIX_NAMES: readonly string[] = Object.keys(FIXES);

/** The registry operation a fix names, and what it presets: for the registry's own listing. */
export function fixSyntax(name: string): FixSyntax | undefined {
  return Object.hasOwn(FIXES, name) ? FIXES[name] : undefined;
}

/** Facts a fix is compiled with: where its pack came from, and the pack's limits. */
export interface FixContext {
  trusted: boolean;
  maxPatternLength: number;
}

function opContext(ctx: FixContext): OpContext {
  return { trusted: ctx.trusted, maxPatternLength: ctx.maxPatternLength, isAbsent };
}

/** Reads a rule's `fix`: one op or a list of ops. Returns undefined when any op is invalid. */
export function parseFixes(raw: unknown, pointer: string, report: Report, ctx: FixContext): FixDef[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) {
    report(text("fix must name at least one operation", "fix deve indicar pelo menos uma operação"), pointer);
    return undefined;
  }
  const out: FixDef[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const p = Array.isArray(raw) ? `${pointer}/${i}` : pointer;
    const def = parseFix(item, p, report, ctx);
    if (def) out.push(def);
    else ok = false;
  });
  return ok ? out : undefined;
}

function unknownFix(name: string): Text {
  const dym = didYouMean(name, FIX_NAMES);
  const known = FIX_NAMES.join(", ");
  return text(`unknown fix "${name}"${dym.en}; known fixes: ${known}`, `correção "${name}" desconhecida${dym["pt-BR"]}; correções conhecidas: ${known}`);
}

function needsParameters(name: string, example: string | undefined): Text {
  return text(`fix "${name}" needs parameters, e.g. ${example}`, `a correção "${name}" precisa de parâmetros, por exemplo ${example}`);
}

function parseFix(raw: unknown, p: string, report: Report, ctx: FixContext): FixDef | undefined {
  if (typeof raw === "string") {
    const syntax = fixSyntax(raw);
    if (syntax?.form.kind === "bare") return { op: raw };
    report(syntax ? needsParameters(raw, syntax.example) : unknownFix(raw), p);
    return undefined;
  }
  if (!isPlainObject(raw)) {
    report(
      text(
        "a fix is an operation name (trim) or a mapping ({ truncate: { max: 60 } })",
        "uma correção é o nome de uma operação (trim) ou um mapeamento ({ truncate: { max: 60 } })",
      ),
      p,
    );
    return undefined;
  }
  const keys = Object.keys(raw);
  const named = keys.filter((k) => Object.hasOwn(FIXES, k));
  if (named.length !== 1) {
    const unknown = keys.find((k) => !Object.hasOwn(FIXES, k)) ?? "";
    report(
      named.length > 1
        ? text(
            `a fix item holds one operation; split ${named.join(" and ")} into separate list items`,
            `cada item de correção tem uma operação; separe ${named.join(" e ")} em itens distintos da lista`,
          )
        : unknownFix(unknown),
      p,
    );
    return undefined;
  }
  const name = named[0];
  const syntax = FIXES[name];
  const arg = raw[name];
  const argPtr = `${p}/${escapePointer(name)}`;
  for (const k of keys) {
    if (k !== name && !syntax.siblings?.includes(k)) {
      report(text(`unknown key "${k}" in fix ${name}`, `chave "${k}" desconhecida na correção ${name}`), `${p}/${escapePointer(k)}`);
      return undefined;
    }
  }
  if (syntax.form.kind === "bare") {
    report(
      text(`fix "${name}" takes no parameters; write it as a plain list item: - ${name}`, `a correção "${name}" não tem parâmetros; escreva-a como um item simples da lista: - ${name}`),
      argPtr,
    );
    return undefined;
  }

  const written: Record<string, { raw: unknown; label?: string }> = {};
  let pointerOf: (param: string) => string;
  if (syntax.form.kind === "value") {
    const param = syntax.form.param;
    written[param] = { raw: arg, label: name };
    for (const s of syntax.siblings ?? []) if (s in raw) written[s] = { raw: raw[s] };
    pointerOf = (q) => (q === param ? argPtr : q.startsWith(`${param}/`) ? `${argPtr}${q.slice(param.length)}` : `${p}/${escapePointer(q)}`);
  } else {
    const shorthand = syntax.form.shorthand;
    if (shorthand !== undefined && readInt(arg) !== undefined) written[shorthand] = { raw: arg };
    else if (isPlainObject(arg)) {
      const offered = Object.keys(offeredParams(syntax));
      for (const [k, v] of Object.entries(arg)) {
        if (!offered.includes(k)) {
          const dym = didYouMean(k, offered);
          report(
            text(
              `${name}: unknown parameter "${k}"; ${name} takes ${offered.join(", ")}${dym.en}`,
              `${name}: parâmetro "${k}" desconhecido; ${name} aceita ${offered.join(", ")}${dym["pt-BR"]}`,
            ),
            `${argPtr}/${escapePointer(k)}`,
          );
          return undefined;
        }
        written[k] = { raw: v };
      }
    } else {
      report(needsParameters(name, syntax.example), argPtr);
      return undefined;
    }
    pointerOf = (q) => `${argPtr}/${escapePointer(q)}`;
  }

  const prefix = text(`${name}: `, `${name}: `);
  for (const [param, spec] of Object.entries(offeredParams(syntax))) {
    if (spec.required && written[param] === undefined) {
      report(text(`${name}: "${param}" is required`, `${name}: "${param}" é obrigatório`), pointerOf(param));
      return undefined;
    }
  }
  const site = { paramPrefix: syntax.form.kind === "object" ? prefix : undefined, opPrefix: prefix, pointer: argPtr, pointerOf };
  const params = readUse(syntax, written, "text", report, site);
  if (params === undefined) return undefined;
  let ok = true;
  syntax.check?.(params, (detail, param) => {
    ok = false;
    report(site.paramPrefix ? joinText([site.paramPrefix, detail]) : detail, param === undefined ? argPtr : pointerOf(param));
  });
  if (!ok || compileUse(syntax, params, opContext(ctx), report, site) === undefined) return undefined;
  return { op: name, ...params };
}

/** One function applying the fixes in order. */
export function compileFixes(defs: readonly FixDef[], ctx: FixContext): FixFn {
  const octx = opContext(ctx);
  const fns = defs.map((def) => {
    const { op: name, ...params } = def;
    return fixFunction(compileUse(FIXES[name], params, octx)!);
  });
  if (fns.length === 1) return fns[0];
  return (v) => {
    let x = v;
    for (let i = 0; i < fns.length; i++) x = fns[i](x);
    return x;
  };
}

function fixFunction(compiled: CompiledOp): FixFn {
  const forward = compiled.forward;
  if (compiled.failure === undefined) return forward;
  return (v) => {
    const r = forward(v);
    return r === FAIL ? v : r;
  };
}
