import type { JobInput } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { type CompiledMapping, compileMapping, defaultMapping, type RowMapper } from "../../core/mapping";
import type { Env } from "../../env";
import type { JobRow } from "../../db/schema";
import { resolveMapping } from "../mappings";

/** How one job's source records become canonical records: what a RecordPipeline is built with. */
export interface JobMapping {
  /** For JSON records; absent when they are canonical already. */
  mapping?: CompiledMapping;
  /** The mapping bound to the CSV header (CSV and converted XLSX input). */
  rows?: RowMapper;
}


/**
 * The job's mapping: its pinned mapping, or for CSV the default one (columns named after canonical
 * fields; pt-BR numbers when the file writes decimal commas), bound to the CSV header. JSON records
 * without a mapping are canonical already. Throws MappingBindError when the file lacks a column
 * the mapping reads.
 */
export async function jobMapping(env: Env, job: JobRow, csv: Extract<JobInput, { kind: "csv" }> | null): Promise<JobMapping> {
  const locale = job.locale as Locale;
  let mapping: CompiledMapping | undefined;
  if (job.mappingId) mapping = (await resolveMapping(env, job.accountId, job.mappingId, job.mappingVersion ?? undefined)).compiled;
  else if (csv) mapping = compileMapping(defaultMapping(csv.header, undefined, { decimalComma: csv.decimalComma }));
  return { mapping, rows: mapping && csv ? mapping.bind(csv.header, { locale }) : undefined };
}
