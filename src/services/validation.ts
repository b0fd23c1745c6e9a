import type { Locale } from "../core/locale";
import { type CompiledMapping, MappingError } from "../core/mapping";
import { RecordPipeline, type RecordOutcome } from "../core/pipeline";
import { addResult, emptySummary } from "../core/report/summary";
import { text } from "../core/text";
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

/** A record whose keys cannot be bound to the mapping, located in the request body. */
function recordProblem(error: MappingError, row: number): MappingError {
  return new MappingError(
    error.problems.map((p) => ({
      text: text(`record ${row}: ${p.text.en}`, `registro ${row}: ${p.text["pt-BR"]}`),
      pointer: `/records/${row - 1}`,
    })),
  );
}

/** Validates records in the request (/validate and the mapping preview), uniqueness checked across all of them. */
export async function validateRecords(env: Env, accountId: string, input: ValidateInput) {
  const pack = await resolvePack(env, accountId, input.rulePack);
  const validator = pack.compiled.createValidator({ category: input.category, locale: input.locale, applyFixes: input.applyFixes });
  const mapping = input.mapping;
  const pipeline = new RecordPipeline({ validator, applyFixes: input.applyFixes, locale: input.locale, mapping: mapping?.compiled });
  const summary = emptySummary();
  const results: RecordOutcome<Record<string, unknown>>[] = new Array(input.records.length);
  for (let i = 0; i < input.records.length; i++) {
    const row = i + 1;
    try {
      results[i] = pipeline.object(input.records[i], row);
    } catch (error) {
      throw error instanceof MappingError ? recordProblem(error, row) : error;
    }
    addResult(summary, results[i]);
  }
  return {
    rule_pack: { id: pack.def.id, version: pack.def.version, revision: pack.revision, hash: pack.compiled.hash },
    category: input.category ?? null,
    mapping: mapping ? { id: mapping.id, version: mapping.version } : null,
    summary,
    results,
  };
}
