import type { Getter, Setter } from "./canonical";
import type { CheckRuntime, Details, Quick, RunContext, TestFn } from "./checks";
import type { ConditionFn } from "./conditions";
import type { FixFn } from "./fixes";
import { DEFAULT_MESSAGES, compileTemplate, formatNumber, joinOr, render, type Template } from "./messages";
import type { CheckName, Issue, Locale, RecordResult, RuleInfo, Severity, UniqueTracker, Validator } from "./types";
import { asList, displayValue, isAbsent, sameValue } from "./values";
import type { Text } from "../text";

export { createUniqueTracker } from "./unique";

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
  /** Absent values pass without running the check. */
  readonly skipsAbsent: boolean;
  /** A fix that leaves the value absent does not count (checks that skip absent values). */
  readonly absentFixFails: boolean;
  readonly test: TestFn;
  readonly bind: CheckRuntime["bind"];
  readonly quick: Quick | undefined;
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

// Inline pass conditions (Quick) as small integers, with their parameters in two number arrays.
const Q_NONE = 0;
const Q_PRESENT = 1;
const Q_TEXT_MAX = 2;
const Q_NUMBER_IN = 3;
const Q_FINITE = 4;
const Q_INTEGER = 5;
/** Flags of Q_NUMBER_IN: exclusive lower / upper bound. */
const LO_OPEN = 1;
const HI_OPEN = 2;

function placeholderText(x: unknown, locale: Locale): string {
  if (typeof x === "number") return formatNumber(x, locale);
  if (Array.isArray(x)) return joinOr(x.map((i) => displayValue(i)), locale);
  return displayValue(x);
}

/** One per validated record, across validators: keys per-record memos (see RunContext.epoch). */
let epochs = 0;

export class RuleValidator implements Validator {
  readonly uniqueRules: { rule: string; field: string }[];
  private readonly ctx: RunContext;
  private original: Record<string, unknown> = {};
  private work: Record<string, unknown> = {};
  private copied = false;
  private issues: Issue[] | undefined;
  private errors = false;

  // The hot loop reads parallel arrays rather than rule objects: fewer loads per rule.
  /** Each rule's test, bound to this validator where the check keeps state (unique). */
  private readonly tests: TestFn[];
  private readonly whens: (ConditionFn | undefined)[];
  /** 0: skip absent values; 1: check absent values too; 2: each item of a list. */
  private readonly modes: number[];
  /** Each rule's inline pass condition (Q_*) and its parameters. */
  private readonly quicks: Uint8Array;
  private readonly quickA: Float64Array;
  private readonly quickB: Float64Array;
  private readonly quickFlags: Uint8Array;
  /** Index of each rule's field in `fieldGets` / `values` / `absent`. */
  private readonly fieldIds: number[];
  /** One getter per distinct field of the rules. */
  private readonly fieldGets: CompiledRule["get"][];
  /** The current record's value of each field, and whether it is absent. */
  private readonly values: unknown[];
  private readonly absent: boolean[];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly locale: Locale,
    private readonly applyFixes: boolean,
    unique: UniqueTracker,
    private readonly bilingual: boolean,
  ) {
    this.ctx = { row: 0, record: this.work, unique, firstRow: 0, index: -1, epoch: 0 };
    this.uniqueRules = rules.filter((r) => r.check === "unique").map((r) => ({ rule: r.id, field: r.field }));
    this.tests = rules.map((r) => (r.bind !== undefined ? r.bind(this.ctx) : r.test));
    this.whens = rules.map((r) => r.when);
    this.modes = rules.map((r) => (r.each ? 2 : r.skipsAbsent ? 0 : 1));
    this.quicks = new Uint8Array(rules.length);
    this.quickA = new Float64Array(rules.length);
    this.quickB = new Float64Array(rules.length);
    this.quickFlags = new Uint8Array(rules.length);
    rules.forEach((r, i) => {
      const q = r.each ? undefined : r.quick;
      if (q === undefined) return;
      switch (q.kind) {
        case "present":
          this.quicks[i] = Q_PRESENT;
          break;
        case "text_max":
          this.quicks[i] = Q_TEXT_MAX;
          this.quickA[i] = q.max;
          break;
        case "number_in":
          this.quicks[i] = Q_NUMBER_IN;
          this.quickA[i] = q.lo;
          this.quickB[i] = q.hi;
          this.quickFlags[i] = (q.loOpen ? LO_OPEN : 0) | (q.hiOpen ? HI_OPEN : 0);
          break;
        case "finite":
          this.quicks[i] = Q_FINITE;
          break;
        case "integer":
          this.quicks[i] = Q_INTEGER;
          break;
      }
    });
    const ids = new Map<string, number>();
    this.fieldGets = [];
    this.fieldIds = rules.map((r) => {
      let id = ids.get(r.field);
      if (id === undefined) {
        ids.set(r.field, (id = ids.size));
        this.fieldGets.push(r.get);
      }
      return id;
    });
    this.values = this.fieldGets.map(() => undefined);
    this.absent = this.fieldGets.map(() => true);
  }

  /**
   * Reads every field the rules check, once per record (and again after a fix writes). Done in one
   * go, before any check runs: the loads are independent, so the processor can overlap the cache
   * misses of a record that is not in cache yet instead of meeting them one rule at a time.
   */
  private readFields(work: Record<string, unknown>): void {
    const { fieldGets, values, absent } = this;
    const n = fieldGets.length;
    for (let f = 0; f < n; f++) values[f] = fieldGets[f](work);
    for (let f = 0; f < n; f++) absent[f] = isAbsent(values[f]);
  }

  validate(record: Record<string, unknown>, row: number): RecordResult {
    const ctx = this.ctx;
    ctx.row = row;
    ctx.record = record;
    ctx.index = -1;
    ctx.epoch = ++epochs;
    this.original = record;
    this.work = record;
    this.copied = false;
    this.issues = undefined;
    this.errors = false;
    const { tests, whens, modes, fieldIds, values, absent, quicks, quickA, quickB, quickFlags } = this;
    let work = record;
    this.readFields(work);
    for (let i = 0, n = tests.length; i < n; i++) {
      const when = whens[i];
      if (when !== undefined && !when(work)) continue;
      const f = fieldIds[i];
      const v = values[f];
      const mode = modes[i];
      const q = quicks[i];
      if (mode === 0) {
        if (absent[f]) continue;
        // the usual passing values, decided here without calling the check
        if (q !== Q_NONE) {
          if (q === Q_TEXT_MAX) {
            if (typeof v === "string" && v.length <= quickA[i]) continue;
          } else if (q === Q_NUMBER_IN) {
            if (typeof v === "number") {
              const flags = quickFlags[i];
              if (((flags & LO_OPEN) !== 0 ? v > quickA[i] : v >= quickA[i]) && ((flags & HI_OPEN) !== 0 ? v < quickB[i] : v <= quickB[i])) continue;
            }
          } else if (q === Q_FINITE) {
            if (typeof v === "number" && Number.isFinite(v)) continue;
          } else if (q === Q_INTEGER) {
            if (typeof v === "number" && Number.isInteger(v)) continue;
          }
        }
        if (tests[i](v, ctx)) continue;
      } else if (mode === 1) {
        if (q === Q_PRESENT ? !absent[f] : tests[i](v, ctx)) continue;
      } else {
        if (!absent[f] && this.runEach(i, v)) {
          work = this.work;
          this.readFields(work);
        }
        continue;
      }
      const r = this.rules[i];
      const fixed = this.fail(i, v, r.field);
      if (fixed !== NOT_FIXED) {
        this.ensureCopy();
        r.set(this.work, this.original, fixed);
        work = this.work;
        this.readFields(work);
      }
    }
    // (values keep references to this record's data until the next one: harmless, and cheaper
    // than clearing them)
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
    const issue: Issue = { row, field: r.field, rule: r.id, severity: r.severity, message: this.message(r, value, r.field, details, undefined, false, this.locale), value };
    if (this.bilingual) issue.text = this.texts(r, value, r.field, details, undefined, false);
    return issue;
  }

  private ensureCopy(): void {
    if (this.copied) return;
    this.work = { ...this.original };
    this.ctx.record = this.work;
    this.copied = true;
  }

  /** Checks each item of a list; true when a fix was written to the working record. */
  private runEach(i: number, v: unknown): boolean {
    const r = this.rules[i];
    const test = this.tests[i];
    const ctx = this.ctx;
    const skipsAbsent = r.skipsAbsent;
    const list = asList(v);
    let copy: unknown[] | undefined;
    for (let k = 0; k < list.length; k++) {
      const item = list[k];
      if (skipsAbsent && isAbsent(item)) continue;
      ctx.index = k;
      const ok = test(item, ctx);
      ctx.index = -1;
      if (ok) continue;
      const fixed = this.fail(i, item, `${r.field}[${k}]`);
      if (fixed === NOT_FIXED) continue;
      if (copy === undefined) {
        copy = list.slice();
        this.ensureCopy();
        r.set(this.work, this.original, copy);
      }
      copy[k] = fixed;
    }
    return copy !== undefined;
  }

  /** Records the issue; returns the value to write when a fix is applied, else NOT_FIXED. */
  private fail(i: number, v: unknown, field: string): unknown {
    const r = this.rules[i];
    const ctx = this.ctx;
    const details = r.details !== undefined ? r.details(v, ctx) : undefined;
    let suggestion: unknown;
    let hasSuggestion = false;
    if (r.fix !== undefined) {
      const fv = r.fix(v);
      if (!sameValue(fv, v) && !(r.absentFixFails && isAbsent(fv)) && this.tests[i](fv, ctx)) {
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
      message: this.message(r, v, field, details, suggestion, hasSuggestion, this.locale),
      value: v,
    };
    if (this.bilingual) issue.text = this.texts(r, v, field, details, suggestion, hasSuggestion);
    if (hasSuggestion) issue.suggestion = suggestion;
    if (fixed) issue.fixed = true;
    else if (r.severity === "error") this.errors = true;
    (this.issues ??= []).push(issue);
    return fixed ? suggestion : NOT_FIXED;
  }

  /** Only on failure, and only for validators asked to keep both languages. */
  private texts(r: CompiledRule, v: unknown, field: string, details: Details | undefined, suggestion: unknown, hasSuggestion: boolean): Text {
    return {
      en: this.message(r, v, field, details, suggestion, hasSuggestion, "en"),
      "pt-BR": this.message(r, v, field, details, suggestion, hasSuggestion, "pt-BR"),
    };
  }

  private message(r: CompiledRule, v: unknown, field: string, details: Details | undefined, suggestion: unknown, hasSuggestion: boolean, l: Locale): string {
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
