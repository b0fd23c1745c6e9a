import { VitrineError } from "../errors";
import { type Locale, text, type Text, verbatim } from "../text";

export { LOCALES, type Locale } from "../text";

/** How serious a failed rule is. Only `error` makes a record invalid. */
export type Severity = "error" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/**
 * The canonical product record every source is mapped to. Values coming from CSV are strings, so
 * numbers, booleans and lists are accepted in their text form too.
 */
export interface ProductRecord {
  sku?: string;
  title?: string;
  description?: string;
  price?: number | string;
  sale_price?: number | string;
  currency?: string;
  stock?: number | string;
  gtin?: string | number;
  brand?: string;
  model?: string;
  condition?: string;
  category_id?: string;
  images?: string[] | string;
  attributes?: Record<string, unknown>;
  weight_g?: number | string;
  width_cm?: number | string;
  height_cm?: number | string;
  length_cm?: number | string;
  ncm?: string;
  warranty?: string;
  url?: string;
  [key: string]: unknown;
}

/** One finding about one record. `row` is 1-based (the header is row 0). */
export interface Issue {
  /** The row the seller's spreadsheet shows (header = row 1), or the 1-based record number of JSON input. */
  row: number;
  /** The canonical field; list items as images[2]. */
  field: string;
  rule: string;
  severity: Severity;
  /** In the validator's language. */
  message: string;
  /** The message in every language, when it is kept to be read later (job results render it per reader). */
  text?: Text;
  value: unknown;
  suggestion?: unknown;
  fixed?: boolean;
  /** The record's SKU, when it has one. */
  sku?: string;
  /** The seller's own column(s) the field came from, or the canonical field when there is no mapping. */
  column?: string;
}

export interface RecordResult {
  valid: boolean;
  issues: Issue[];
  /** The record with fixes applied; only with `applyFixes`. It is the input object when nothing changed. */
  corrected?: Record<string, unknown>;
}

/** One reason a pack was rejected. */
export interface PackProblem {
  /** The problem in English (`text.en`). */
  detail: string;
  /** The problem in every language. */
  text: Text;
  /** JSON pointer into the pack, e.g. `/rules/3/pattern`. */
  pointer?: string;
  /** 1-based line in the YAML/JSON source. */
  line?: number;
  /** Id of the rule the problem is about. */
  rule?: string;
  /** Id of the pack the problem is in, when it is not the pack being parsed or compiled. */
  pack?: string;
}

/** A problem as code states it: in every language (`text`), or in English only (`detail`, shown as is in every language). */
export type PackProblemInput = Omit<PackProblem, "detail" | "text"> & ({ text: Text; detail?: string } | { detail: string; text?: undefined });

/** A problem with its English `detail` beside its `text`. */
export function packProblem(t: Text, where: Omit<PackProblem, "detail" | "text"> = {}): PackProblem {
  return { detail: t.en, text: t, ...where };
}

/** Thrown by `parsePack`, `compilePack` and `createValidator` with every problem found. */
export class PackError extends VitrineError {
  override name = "PackError";
  readonly problems: PackProblem[];

  constructor(problems: readonly PackProblemInput[]) {
    const all = problems.map((p): PackProblem => {
      const t = p.text ?? verbatim(p.detail!);
      return { ...p, detail: t.en, text: t };
    });
    super("invalid_rule_pack", summarize(all), {
      errors: all.map((p) => ({
        detail: p.pack ? text(`${p.pack}: ${p.text.en}`, `${p.pack}: ${p.text["pt-BR"]}`) : p.text,
        ...(p.pointer !== undefined && { pointer: p.pointer }),
        ...(p.line !== undefined && { line: p.line }),
        ...(p.rule !== undefined && { rule: p.rule }),
      })),
    });
    this.problems = all;
  }
}

function summarize(problems: PackProblem[]): Text {
  const first = problems[0];
  if (!first) return text("Invalid rule pack", "Pacote de regras inválido");
  const n = problems.length - 1;
  const where = (line: string) => (first.line !== undefined ? ` (${line} ${first.line})` : first.pointer ? ` (${first.pointer})` : "");
  return text(
    `Invalid rule pack: ${first.text.en}${where("line")}${n > 0 ? ` and ${n} more problem(s)` : ""}`,
    `Pacote de regras inválido: ${first.text["pt-BR"]}${where("linha")}${n > 0 ? ` e mais ${n} problema(s)` : ""}`,
  );
}

export interface PackLimits {
  /** Source size in UTF-8 bytes. */
  maxBytes: number;
  /** Rules in a pack, category rules included (also applied to the effective, inherited set). */
  maxRules: number;
  /** YAML alias nodes, and the alias expansion budget. */
  maxAliases: number;
  /** Longest `extends` chain. */
  maxExtendsDepth: number;
  /** Longest regular expression (pattern check, replace fix, `matches` condition). */
  maxPatternLength: number;
}

export const DEFAULT_LIMITS: Readonly<PackLimits> = Object.freeze({
  maxBytes: 256 * 1024,
  maxRules: 2000,
  maxAliases: 50,
  maxExtendsDepth: 5,
  maxPatternLength: 256,
});

export type CheckName =
  | "required"
  | "type"
  | "min_length"
  | "max_length"
  | "pattern"
  | "one_of"
  | "range"
  | "gtin"
  | "gtin_prefix"
  | "url"
  | "count"
  | "unique"
  | "compare"
  | "forbidden_words"
  | "plain_text"
  | "normalized";

/** A `when` condition as written in the pack (validated). */
export type ConditionDef =
  | { field: string; equals: string }
  | { field: string; in: string[] }
  | { field: string; exists: boolean }
  | { field: string; matches: string; flags?: string }
  | { and: ConditionDef[] }
  | { or: ConditionDef[] }
  | { not: ConditionDef };

/**
 * One fix as written in the pack (validated): its name and the parameters of the registry
 * operation it names (core/ops), as read (`{ op: "truncate", max: 60 }`).
 */
export interface FixDef {
  op: string;
  [param: string]: unknown;
}

export type LocalizedText = Partial<Record<Locale, string>>;

/** A validated rule. Plain data (JSON-serializable); closures are built by `compilePack`. */
export interface RuleDef {
  id: string;
  field: string;
  check: CheckName;
  /** Check parameters, coerced to the types the check needs. */
  params: Record<string, unknown>;
  severity: Severity;
  each: boolean;
  when?: ConditionDef;
  message?: LocalizedText;
  fix?: FixDef[];
  source?: string;
  description?: string;
  /** Where the rule is in its pack's source. */
  pointer: string;
  line?: number;
}

export interface CategoryDef {
  id: string;
  name: string;
  rules: RuleDef[];
}

export interface OverrideDef {
  id: string;
  severity?: Severity;
  disabled?: boolean;
  pointer: string;
  line?: number;
}

/** A parsed, validated pack. Produced by `parsePack`; compiled by `compilePack`. */
export interface PackDefinition {
  id: string;
  name: string;
  version: string;
  description?: string;
  locale_default?: Locale;
  extends: string[];
  rules: RuleDef[];
  categories: CategoryDef[];
  overrides: OverrideDef[];
  /** The original text. */
  source: string;
  /**
   * A reviewed built-in pack: its patterns may run on the native regular-expression engine. Rules
   * keep their own pack's trust when another pack extends it.
   */
  trusted?: boolean;
}

/** An effective rule, as exposed to API clients. */
export interface RuleInfo {
  id: string;
  field: string;
  check: CheckName;
  params: Record<string, unknown>;
  severity: Severity;
  each: boolean;
  has_fix: boolean;
  /** Set for rules that come from a category section. */
  category?: string;
  /** Id of the pack that defines the rule. */
  pack: string;
  when?: ConditionDef;
  description?: string;
  source?: string;
  /** The rule's own message templates, as written in the pack (placeholders unfilled). */
  message?: LocalizedText;
}

/** Remembers values of `unique` rules across records (a request, or a whole job). */
export interface UniqueTracker {
  /** First row that had `key` for this rule; or undefined, and `row` is remembered as the first. */
  seen(ruleId: string, key: string, row: number): number | undefined;
}

export interface Validator {
  validate(record: Record<string, unknown>, row: number): RecordResult;
  readonly uniqueRules: { rule: string; field: string }[];
  /** The issue a `unique` rule reports for a duplicate found outside this validator (e.g. across job chunks). */
  uniqueIssue(ruleId: string, value: unknown, row: number, firstRow: number): Issue;
}

export interface ValidatorOptions {
  category?: string;
  /** Message language; defaults to the pack's `locale_default`, then `en`. */
  locale?: Locale;
  applyFixes?: boolean;
  unique?: UniqueTracker;
  /** Keep every issue's message in all languages too (`Issue.text`), for results read later in another language. */
  bilingual?: boolean;
}

export interface CompiledPack {
  id: string;
  version: string;
  /** Stable hash of the source texts of the pack and its ancestors. */
  hash: string;
  categories: { id: string; name: string }[];
  /** Effective rules, in run order. Unknown category → PackError. */
  rules(category?: string): RuleInfo[];
  /** Fields read by the effective rules (checked fields, `compare.other`, `when` fields). */
  fields(category?: string): string[];
  createValidator(opts?: ValidatorOptions): Validator;
}

export type PackResolver = (id: string) => PackDefinition | undefined;
