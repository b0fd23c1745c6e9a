import type { Getter, Setter } from "./canonical";
import type { CheckRuntime, Details, RunContext } from "./checks";
import type { ConditionFn } from "./conditions";
import type { FixFn } from "./fixes";
import { DEFAULT_MESSAGES, compileTemplate, formatNumber, joinOr, render, type Template } from "./messages";
import type { CheckName, Issue, Locale, RecordResult, RuleInfo, Severity, UniqueTracker, Validator } from "./types";
import { asList, displayValue, isAbsent, sameValue } from "./values";

/** A rule turned into closures, ready for the hot path. */
export interface CompiledRule {
  readonly id: string;
  readonly field: string;
  readonly check: CheckName;
  readonly severity: Severity;
  readonly each: boolean;
  readonly params: Record<string, unknown>;
  readonly info: RuleInfo;
  readonly get: Getter;
  readonly set: Setter;
  readonly when: ConditionFn | undefined;
  readonly skipsAbsent: boolean;
  readonly test: CheckRuntime["test"];
  readonly details: CheckRuntime["details"];
  readonly vars: CheckRuntime["vars"];
  readonly fix: FixFn | undefined;
  /** The rule's own message per locale (pt-BR falls back to en); undefined → default message. */
  readonly custom: Record<Locale, Template | undefined>;
}

const DEFAULT_TEMPLATES = new Map<string, Record<Locale, Template>>(
  Object.entries(DEFAULT_MESSAGES).map(([k, m]) => [k, { en: compileTemplate(m.en), "pt-BR": compileTemplate(m["pt-BR"]) }]),
);

const EMPTY_ISSUES = Object.freeze([]) as unknown as Issue[];
/** Shared result for valid records without issues (no allocation); frozen. */
const VALID: RecordResult = Object.freeze({ valid: true, issues: EMPTY_ISSUES }) as RecordResult;
const NOT_FIXED = Symbol("not fixed");

/** The default UniqueTracker: remembers keys in memory for the validator's lifetime (one request). */
export function createUniqueTracker(): UniqueTracker {
  const seen = new Map<string, Map<string, number>>();
  return {
    seen(ruleId, key, row) {
      let keys = seen.get(ruleId);
      if (keys === undefined) seen.set(ruleId, (keys = new Map()));
      const first = keys.get(key);
      if (first !== undefined) return first;
      keys.set(key, row);
      return undefined;
    },
  };
}

function placeholderText(x: unknown, locale: Locale): string {
  if (typeof x === "number") return formatNumber(x, locale);
  if (Array.isArray(x)) return joinOr(x.map((i) => displayValue(i)), locale);
  return displayValue(x);
}

export class RuleValidator implements Validator {
  readonly uniqueRules: { rule: string; field: string }[];
  private readonly ctx: RunContext;
  private original: Record<string, unknown> = {};
  private work: Record<string, unknown> = {};
  private copied = false;
  private issues: Issue[] | undefined;
  private errors = false;

  // The hot loop reads parallel arrays rather than rule objects: fewer loads per rule.
  private readonly gets: CompiledRule["get"][];
  private readonly tests: CompiledRule["test"][];
  private readonly whens: (ConditionFn | undefined)[];
  /** 0: skip absent values; 1: check absent values too; 2: each item of a list. */
  private readonly modes: number[];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly locale: Locale,
    private readonly applyFixes: boolean,
    unique: UniqueTracker,
  ) {
    this.ctx = { row: 0, record: this.work, unique, firstRow: 0 };
    this.uniqueRules = rules.filter((r) => r.check === "unique").map((r) => ({ rule: r.id, field: r.field }));
    this.gets = rules.map((r) => r.get);
    this.tests = rules.map((r) => r.test);
    this.whens = rules.map((r) => r.when);
    this.modes = rules.map((r) => (r.each ? 2 : r.skipsAbsent ? 0 : 1));
  }

  validate(record: Record<string, unknown>, row: number): RecordResult {
    const ctx = this.ctx;
    ctx.row = row;
    ctx.record = record;
    this.original = record;
    this.work = record;
    this.copied = false;
    this.issues = undefined;
    this.errors = false;
    const { gets, tests, whens, modes } = this;
    let work = record;
    for (let i = 0, n = gets.length; i < n; i++) {
      const when = whens[i];
      if (when !== undefined && !when(work)) continue;
      const v = gets[i](work);
      const mode = modes[i];
      if (mode === 0) {
        if (isAbsent(v) || tests[i](v, ctx)) continue;
      } else if (mode === 1) {
        if (tests[i](v, ctx)) continue;
      } else {
        if (!isAbsent(v)) {
          this.runEach(this.rules[i], v);
          work = this.work;
        }
        continue;
      }
      const r = this.rules[i];
      const fixed = this.fail(r, v, r.field);
      if (fixed !== NOT_FIXED) {
        this.ensureCopy();
        r.set(this.work, this.original, fixed);
        work = this.work;
      }
    }
    const issues = this.issues;
    if (issues === undefined) return this.applyFixes ? { valid: true, issues: EMPTY_ISSUES, corrected: work } : VALID;
    this.issues = undefined;
    const result: RecordResult = { valid: !this.errors, issues };
    if (this.applyFixes) result.corrected = work;
    return result;
  }

  /**
   * The issue a `unique` rule reports for `row` whose key first appeared at `firstRow`: for
   * duplicates found outside this validator, such as across the chunks of a job.
   */
  uniqueIssue(ruleId: string, value: unknown, row: number, firstRow: number): Issue {
    const r = this.rules.find((rule) => rule.id === ruleId && rule.check === "unique");
    if (r === undefined) throw new RangeError(`${ruleId} is not a unique rule of this validator`);
    this.ctx.row = row;
    this.ctx.firstRow = firstRow;
    const details = r.details !== undefined ? r.details(value, this.ctx) : undefined;
    return { row, field: r.field, rule: r.id, severity: r.severity, message: this.message(r, value, r.field, details, undefined, false), value };
  }

  private ensureCopy(): void {
    if (this.copied) return;
    this.work = { ...this.original };
    this.ctx.record = this.work;
    this.copied = true;
  }

  private runEach(r: CompiledRule, v: unknown): void {
    const list = asList(v);
    let copy: unknown[] | undefined;
    for (let k = 0; k < list.length; k++) {
      const item = list[k];
      if (r.skipsAbsent && isAbsent(item)) continue;
      if (r.test(item, this.ctx)) continue;
      const fixed = this.fail(r, item, `${r.field}[${k}]`);
      if (fixed === NOT_FIXED) continue;
      if (copy === undefined) {
        copy = list.slice();
        this.ensureCopy();
        r.set(this.work, this.original, copy);
      }
      copy[k] = fixed;
    }
  }

  /** Records the issue; returns the value to write when a fix is applied, else NOT_FIXED. */
  private fail(r: CompiledRule, v: unknown, field: string): unknown {
    const ctx = this.ctx;
    const details = r.details !== undefined ? r.details(v, ctx) : undefined;
    let suggestion: unknown;
    let hasSuggestion = false;
    if (r.fix !== undefined) {
      const fv = r.fix(v);
      if (!sameValue(fv, v) && !(r.skipsAbsent && isAbsent(fv)) && r.test(fv, ctx)) {
        suggestion = fv;
        hasSuggestion = true;
      }
    }
    const fixed = hasSuggestion && this.applyFixes;
    const issue: Issue = {
      row: ctx.row,
      field,
      rule: r.id,
      severity: r.severity,
      message: this.message(r, v, field, details, suggestion, hasSuggestion),
      value: v,
    };
    if (hasSuggestion) issue.suggestion = suggestion;
    if (fixed) issue.fixed = true;
    else if (r.severity === "error") this.errors = true;
    (this.issues ??= []).push(issue);
    return fixed ? suggestion : NOT_FIXED;
  }

  private message(r: CompiledRule, v: unknown, field: string, details: Details | undefined, suggestion: unknown, hasSuggestion: boolean): string {
    const l = this.locale;
    const template =
      r.custom[l] ?? (details?.variant !== undefined ? DEFAULT_TEMPLATES.get(details.variant)?.[l] : undefined) ?? DEFAULT_TEMPLATES.get(r.check)![l];
    return render(template, (name) => {
      switch (name) {
        case "field":
          return field;
        case "value":
          return displayValue(v);
        case "rule":
          return r.id;
        case "suggestion":
          return hasSuggestion ? displayValue(suggestion) : "";
      }
      if (details !== undefined && name in details) return placeholderText(details[name], l);
      const fromVars = r.vars?.[l][name];
      if (fromVars !== undefined) return fromVars;
      if (Object.hasOwn(r.params, name)) return placeholderText(r.params[name], l);
      return "";
    });
  }
}
