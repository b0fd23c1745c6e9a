import { type FieldProblem, VitrineError } from "../core/errors";
import type { Locale } from "../core/locale";
import { attributeTwinsOf, type CompiledMapping, compileMapping, type MappingDefinition, MappingError } from "../core/mapping";
import { RecordPipeline, type RecordOutcome } from "../core/pipeline";
import type { RuleInfo } from "../core/rules";
import { addResult, emptySummary, topIssues, type TopIssue, type ValidationSummary } from "../core/report";
import { text } from "../core/text";
import type { JobRow } from "../db/schema";
import type { Env } from "../env";
import { resolveMapping } from "./mappings";
import { resolvePack } from "./rule-packs";

/** Above this, validation belongs in a job. */
export const MAX_SYNC_RECORDS = 1000;

/** More records than a synchronous request takes: pointing to files and jobs. */
function tooManyRecords(count: number): VitrineError {
  return new VitrineError(
    "payload_too_large",
    text(
      `At most ${MAX_SYNC_RECORDS} records per request (got ${count}). Upload the catalog with POST /api/v1/files and validate it with POST /api/v1/jobs.`,
      `No máximo ${MAX_SYNC_RECORDS} registros por requisição (vieram ${count}). Envie o catálogo com POST /api/v1/files e valide com POST /api/v1/jobs.`,
    ),
    { limit_records: MAX_SYNC_RECORDS, jobs_url: "/api/v1/jobs" },
  );
}

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

/** A validation whose pack and mapping are resolved: how many records it will validate, and the work itself. */
export interface PreparedValidation {
  records: number;
  run(): ValidationResult;
}

export type ValidationResult = ReturnType<typeof runValidation>;

/**
 * Everything that can fail before a record is looked at (too many records, an unknown pack or
 * category), so a request is refused before it is counted as validations.
 */
export async function prepareValidation(env: Env, accountId: string, input: ValidateInput): Promise<PreparedValidation> {
  if (input.records.length > MAX_SYNC_RECORDS) throw tooManyRecords(input.records.length);
  const pack = await resolvePack(env, accountId, input.rulePack, undefined, { category: input.category });
  const validator = pack.compiled.createValidator({ category: input.category, locale: input.locale, applyFixes: input.applyFixes });
  const twins = attributeTwinsOf(pack.compiled.fields(input.category));
  const pipeline = new RecordPipeline({ validator, applyFixes: input.applyFixes, locale: input.locale, mapping: input.mapping?.compiled, twins });
  return { records: input.records.length, run: () => runValidation(pack, pipeline, input) };
}

function runValidation(pack: Awaited<ReturnType<typeof resolvePack>>, pipeline: RecordPipeline, input: ValidateInput) {
  const mapping = input.mapping;
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
    top_issues: topIssues(summary, pack.compiled.rules(input.category), input.locale),
    results,
  };
}

/** Validates records in the request (/validate and the mapping preview), uniqueness checked across all of them. */
export async function validateRecords(env: Env, accountId: string, input: ValidateInput) {
  return (await prepareValidation(env, accountId, input)).run();
}

/**
 * A job's issues grouped by rule, explained with the rules it ran with. A pack that no longer
 * resolves (deleted, or a parent changed) still gives every group, with plainer explanations.
 */
export async function jobTopIssues(env: Env, job: JobRow, summary: ValidationSummary, locale: Locale): Promise<TopIssue[]> {
  let rules: RuleInfo[] = [];
  try {
    const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
    rules = pack.compiled.rules(job.category ?? undefined);
  } catch (error) {
    if (!(error instanceof VitrineError)) throw error;
  }
  return topIssues(summary, rules, locale);
}

/** What a validation request names: a pack (or a mapping whose marketplace implies one), a category, a mapping. */
export interface ValidationTarget {
  rulePack?: string;
  category?: string;
  mappingId?: string;
  mappingVersion?: number;
  /** An unsaved mapping, as sent in the request body at /mapping. */
  mapping?: MappingDefinition;
}

/** Compiles a mapping sent in the request body, its problems located at /mapping. */
function compileInline(definition: MappingDefinition): CompiledMapping {
  try {
    return compileMapping(definition);
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    throw new MappingError(error.problems.map((p) => ({ ...p, pointer: `/mapping${p.pointer ?? ""}` })));
  }
}

function badInput(pointer: string, en: string, pt: string): VitrineError {
  const detail = text(en, pt);
  const problem: FieldProblem = { detail, pointer };
  return new VitrineError("invalid_request", detail, { errors: [problem] });
}

/**
 * Resolves the pack, category and mapping a request means. Without a pack, the mapping's
 * marketplace (and its category, which belongs to that marketplace) is the default.
 */
export async function resolveTarget(env: Env, accountId: string, target: ValidationTarget) {
  if (target.mappingId !== undefined && target.mapping !== undefined) {
    throw badInput("/mapping", "Send mapping_id or mapping, not both.", "Envie mapping_id ou mapping, não os dois.");
  }
  if (target.mappingVersion !== undefined && target.mappingId === undefined) {
    throw badInput("/mapping_version", "mapping_version needs mapping_id.", "mapping_version exige mapping_id.");
  }
  let rulePack = target.rulePack;
  let category = target.category;
  let mapping: ValidateInput["mapping"];
  if (target.mappingId !== undefined) {
    const saved = await resolveMapping(env, accountId, target.mappingId, target.mappingVersion);
    mapping = { compiled: saved.compiled, id: saved.id, version: saved.version };
    if (rulePack === undefined) {
      rulePack = saved.marketplace;
      category ??= saved.category ?? undefined;
    }
  } else if (target.mapping !== undefined) {
    mapping = { compiled: compileInline(target.mapping), id: null, version: null };
    if (rulePack === undefined) {
      rulePack = target.mapping.marketplace;
      category ??= target.mapping.category ?? undefined;
    }
  }
  if (rulePack === undefined) {
    throw badInput(
      "/rule_pack",
      "rule_pack is required (or a mapping whose marketplace says which pack to use).",
      "rule_pack é obrigatório (ou um mapeamento cujo marketplace diga qual pacote usar).",
    );
  }
  return { rulePack, category, mapping };
}

/**
 * Maps records (keyed by the seller's columns) with a saved mapping and validates them against its
 * marketplace, or against another pack the caller chooses (the dashboard's preview).
 */
export async function preparePreview(
  env: Env,
  accountId: string,
  id: string,
  input: { records: Record<string, unknown>[]; version?: number; applyFixes: boolean; locale: Locale; rulePack?: string; category?: string },
): Promise<PreparedValidation> {
  const mapping = await resolveMapping(env, accountId, id, input.version);
  // Another pack than the mapping's own: its category belongs to the mapping's pack, so only the one given counts.
  const otherPack = input.rulePack !== undefined && input.rulePack !== mapping.marketplace;
  return prepareValidation(env, accountId, {
    rulePack: otherPack ? input.rulePack! : mapping.marketplace,
    category: otherPack ? input.category : (input.category ?? mapping.category ?? undefined),
    records: input.records,
    applyFixes: input.applyFixes,
    locale: input.locale,
    mapping: { compiled: mapping.compiled, id: mapping.id, version: mapping.version },
  });
}

export async function previewMapping(env: Env, accountId: string, id: string, input: Parameters<typeof preparePreview>[3]) {
  return (await preparePreview(env, accountId, id, input)).run();
}
