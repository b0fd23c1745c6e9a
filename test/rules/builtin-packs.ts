/**
 * Loads the built-in rule packs from rules/*.yaml the way the Worker bundles them (as text), parses
 * and compiles them once per test file, and offers small helpers to validate records with them.
 */
import commonSource from "../../rules/common.yaml?raw";
import googleMerchantSource from "../../rules/google-merchant.yaml?raw";
import mercadolivreSource from "../../rules/mercadolivre.yaml?raw";
import shopeeSource from "../../rules/shopee.yaml?raw";
import { compilePack, parsePack } from "../../src/core/rules";
import type { CompiledPack, Issue, Locale, PackDefinition, RecordResult } from "../../src/core/rules";

export const BUILTIN_SOURCES: Record<string, string> = {
  common: commonSource,
  mercadolivre: mercadolivreSource,
  shopee: shopeeSource,
  "google-merchant": googleMerchantSource,
};

const definitions = new Map<string, PackDefinition>();
for (const [id, source] of Object.entries(BUILTIN_SOURCES)) definitions.set(id, parsePack(source));

export function builtinDefinition(id: string): PackDefinition {
  const def = definitions.get(id);
  if (!def) throw new Error(`no built-in pack ${id}`);
  return def;
}

export function resolveBuiltin(id: string): PackDefinition | undefined {
  return definitions.get(id);
}

const compiled = new Map<string, CompiledPack>();
export function builtinPack(id: string): CompiledPack {
  let pack = compiled.get(id);
  if (!pack) {
    pack = compilePack(builtinDefinition(id), resolveBuiltin);
    compiled.set(id, pack);
  }
  return pack;
}

export interface CheckOptions {
  category?: string;
  locale?: Locale;
  applyFixes?: boolean;
  row?: number;
}

/** Validates one record with a fresh validator (so `unique` rules see only this record). */
export function check(packId: string, record: Record<string, unknown>, opts: CheckOptions = {}): RecordResult {
  const validator = builtinPack(packId).createValidator({
    category: opts.category,
    locale: opts.locale,
    applyFixes: opts.applyFixes,
  });
  return validator.validate(record, opts.row ?? 1);
}

/** Sorted rule ids of the issues, for exact comparisons. */
export function ruleIds(result: RecordResult): string[] {
  return result.issues.map((i) => i.rule).sort();
}

/** Sorted rule ids of the issues with the given severity. */
export function ruleIdsOf(result: RecordResult, severity: Issue["severity"]): string[] {
  return result.issues.filter((i) => i.severity === severity).map((i) => i.rule).sort();
}

export function issue(result: RecordResult, rule: string): Issue {
  const found = result.issues.find((i) => i.rule === rule);
  if (!found) throw new Error(`no issue for ${rule}; got ${ruleIds(result).join(", ") || "none"}`);
  return found;
}

/** A deep copy with some top-level fields replaced (undefined deletes the field). */
export function withFields(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** A deep copy with some attributes replaced (undefined deletes the attribute). */
export function withAttributes(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  const attrs = { ...((out.attributes as Record<string, unknown> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete attrs[k];
    else attrs[k] = v;
  }
  out.attributes = attrs;
  return out;
}
