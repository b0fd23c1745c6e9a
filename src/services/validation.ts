import type { Locale } from "../core/locale";
import { type CompiledMapping, MappingError, mapRecordObject, unmapRecordObject } from "../core/mapping";
import { addResult, emptySummary } from "../core/report/summary";
import type { Issue, RecordResult } from "../core/rules";
import type { Env } from "../env";
import { resolvePack } from "./rule-packs";

/** Above this, validation belongs in a job. */
export const MAX_SYNC_RECORDS = 1000;

export interface ValidateInput {
  rulePack: string;
  category?: string;
  records: Record<string, unknown>[];
  applyFixes: boolean;
  locale: Locale;
  /**
   * Records are in the seller's layout (keys are their column names): each is mapped first, and
   * its mapping issues count like rule issues. `id`/`version` are null for an inline mapping.
   */
  mapping?: { compiled: CompiledMapping; id: string | null; version: number | null };
}

type RowResult = RecordResult & { row: number; mapped?: Record<string, unknown>; corrected_source?: Record<string, unknown> };

function mapped(mapping: CompiledMapping, record: Record<string, unknown>, row: number, locale: Locale) {
  try {
    return mapRecordObject(mapping, record, row, { locale });
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    throw new MappingError(error.problems.map((p) => ({ detail: `record ${row}: ${p.detail}`, pointer: `/records/${row - 1}` })));
  }
}

/** Validates records in the request, uniqueness checked across all of them. */
export async function validateRecords(env: Env, accountId: string, input: ValidateInput) {
  const pack = await resolvePack(env, accountId, input.rulePack);
  const validator = pack.compiled.createValidator({ category: input.category, locale: input.locale, applyFixes: input.applyFixes });
  const summary = emptySummary();
  const results: RowResult[] = new Array(input.records.length);
  const mapping = input.mapping;
  for (let i = 0; i < input.records.length; i++) {
    const row = i + 1;
    if (!mapping) {
      const result = validator.validate(input.records[i], row);
      addResult(summary, result);
      results[i] = { row, valid: result.valid, issues: result.issues, ...(input.applyFixes && { corrected: result.corrected }) };
      continue;
    }
    const m = mapped(mapping.compiled, input.records[i], row, input.locale);
    const result = validator.validate(m.record, row);
    const issues: Issue[] = m.issues.length ? [...m.issues, ...result.issues] : result.issues;
    const valid = result.valid && m.issues.length === 0;
    addResult(summary, { valid, issues });
    results[i] = { row, valid, issues, mapped: m.record };
    if (input.applyFixes) {
      results[i].corrected = result.corrected;
      results[i].corrected_source = unmapRecordObject(mapping.compiled, result.corrected ?? m.record, input.records[i]);
    }
  }
  return {
    rule_pack: { id: pack.def.id, version: pack.def.version, revision: pack.revision, hash: pack.compiled.hash },
    category: input.category ?? null,
    mapping: mapping ? { id: mapping.id, version: mapping.version } : null,
    summary,
    results,
  };
}
