import type { JobInput } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { type CompiledMapping, type MappedRow, compileMapping, defaultMapping, mapRecordObject, unmapRecordObject } from "../../core/mapping";
import type { Env } from "../../env";
import type { JobRow } from "../../db/schema";
import { resolveMapping } from "../mappings";

/** How one job turns source rows into canonical records and corrected records back into the source's layout. */
export interface JobMappers {
  mapRow(values: string[], row: number): MappedRow;
  unmapRow(corrected: Record<string, unknown>, values: string[]): string[];
  mapObject(record: Record<string, unknown>, row: number): MappedRow;
  unmapObject(corrected: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown>;
}


/**
 * The job's mapping bound to the file's header: its pinned mapping, or for CSV the default
 * one (columns named after canonical fields; pt-BR numbers when the file writes decimal commas). JSON records without a mapping are canonical already.
 * Throws MappingBindError when the file lacks a column the mapping reads.
 */
export async function jobMappers(env: Env, job: JobRow, csv: Extract<JobInput, { kind: "csv" }> | null): Promise<JobMappers> {
  const locale = job.locale as Locale;
  const header = csv?.header ?? null;
  let compiled: CompiledMapping | null = null;
  if (job.mappingId) compiled = (await resolveMapping(env, job.accountId, job.mappingId, job.mappingVersion ?? undefined)).compiled;
  else if (csv) compiled = compileMapping(defaultMapping(csv.header, undefined, { decimalComma: csv.decimalComma }));
  const rows = compiled && header ? compiled.bind(header, { locale }) : null;
  const identity = (record: Record<string, unknown>): MappedRow => ({ record, issues: [] });
  return {
    mapRow: (values, row) => rows!.map(values, row),
    unmapRow: (corrected, values) => rows!.unmap(corrected, values),
    mapObject: compiled ? (record, row) => mapRecordObject(compiled, record, row, { locale }) : identity,
    unmapObject: compiled ? (corrected, original) => unmapRecordObject(compiled, corrected, original) : (corrected) => corrected,
  };
}
