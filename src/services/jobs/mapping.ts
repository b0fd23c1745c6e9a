import type { JobPlan } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { type CompiledMapping, compileMapping, type RowMapper } from "../../core/mapping";
import type { JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { resolveMapping } from "../mappings";

/** How one job's source records become canonical records: what a RecordPipeline is built with. */
export interface JobMapping {
  /** For JSON records; absent when they are canonical already. */
  mapping?: CompiledMapping;
  /** The mapping bound to the header of tabular input (CSV, XLSX). */
  rows?: RowMapper;
}

/**
 * The job's mapping: its pinned mapping version, or for tabular input the automatic one its plan
 * chose (a recognised layout preset, or columns named after canonical fields), bound to the
 * header. JSON records without a mapping are canonical already. Throws MappingBindError when the
 * file lacks a column the mapping reads.
 */
export async function jobMapping(env: Env, job: JobRow, plan: JobPlan): Promise<JobMapping> {
  const locale = job.locale as Locale;
  let mapping: CompiledMapping | undefined;
  if (job.mappingId) mapping = (await resolveMapping(env, job.accountId, job.mappingId, job.mappingVersion ?? undefined)).compiled;
  else if (plan.automatic) mapping = compileMapping(plan.automatic.mapping);
  const header = "header" in plan.input ? plan.input.header : null;
  // Jobs keep messages in every language (results are read later, in the reader's).
  return { mapping, rows: mapping && header ? mapping.bind(header, { locale, bilingual: true }) : undefined };
}
