import { z } from "zod";
import { JOB_STATUSES, type JobSnapshot } from "../../../core/jobs/types";
import { type Locale, render } from "../../../core/text";
import type { JobRow } from "../../../db/schema";
import { jobLinks } from "../../../services/jobs/events";
import { Timestamp } from "../../schemas";
import { ValidationSummary } from "./validation";

// Jobs are listed, read, created and cancelled by the jobs routes, and linked from their results.

export const JobStatus = z.enum(JOB_STATUSES);

const PresetRef = z.object({ id: z.string(), name: z.string(), version: z.string(), verified: z.boolean() });

export const Job = z
  .object({
    id: z.string().describe("job_…"),
    status: JobStatus,
    rule_pack: z.object({ id: z.string(), revision: z.number().int().nullable(), hash: z.string() }),
    category: z.string().nullable(),
    mapping: z.object({ id: z.string(), version: z.number().int() }).nullable().describe("The exact mapping version the job used"),
    options: z.object({
      apply_fixes: z.boolean(),
      sheet: z.union([z.string(), z.number()]).optional(),
      header_row: z.number().int().optional(),
      first_data_row: z.number().int().optional(),
    }),
    layout: z
      .object({
        applied: PresetRef.nullable().describe("The known layout (ERP, store or marketplace export) whose mapping the job used"),
        unverified: PresetRef.nullable().describe("A layout the file looks like but whose columns are not confirmed, so it was not applied: pass preset or a mapping"),
        header_row: z
          .number()
          .int()
          .optional()
          .describe("The row the column names were found on, when the rows above it hold only a title (\"Planilha de produtos\") or nothing; those rows are kept as they are in the corrected file"),
        columns: z
          .array(z.object({ column: z.string(), field: z.string() }))
          .optional()
          .describe("Without a mapping: each column the job read (as the file names it) and the canonical field it filled, in the file's order; a column that fills two fields (Marca: brand and attributes.BRAND) is listed twice"),
        unread_columns: z
          .array(z.string())
          .optional()
          .describe("Without a mapping: the named columns the job did not read (the first 100); map them with a mapping_id (POST /api/v1/mappings/suggest proposes one)"),
      })
      .nullable()
      .describe(
        "How the file was read: without a mapping, the spreadsheet layout it was recognised as (see GET /api/v1/mappings/presets) and the columns read into each field; and the header's row when a title comes first. Set once the job is planned.",
      ),
    source: z.object({
      type: z.enum(["file", "records", "connector"]),
      file_id: z.string().nullable(),
      connector_id: z.string().optional().describe("A sync job: the connector whose items it read (POST /api/v1/connectors/{id}/sync)"),
    }),
    progress: z.object({
      rows_processed: z.number().int(),
      rows_total: z.number().int().nullable().describe("Known once the plan step has read the file"),
      chunks_done: z.number().int(),
      chunks_total: z.number().int().nullable(),
      percent: z.number().int().min(0).max(100),
    }),
    // Exact at every moment: each chunk is counted once by the job's coordinator.
    counts: ValidationSummary.pick({ records: true, valid: true, invalid: true, corrected: true, issues: true }),
    error: z
      .object({ code: z.string(), message: z.string().describe("In the language chosen by Accept-Language") })
      .nullable(),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: "Job" });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The job as the API shows it, its error message in the reader's language. */
export function jobView(row: JobRow, snapshot: JobSnapshot, locale: Locale) {
  const s = snapshot.summary;
  return {
    id: row.id,
    status: snapshot.status,
    rule_pack: { id: row.rulePack, revision: row.rulePackRevision, hash: row.rulePackHash },
    category: row.category,
    mapping: row.mappingId && row.mappingVersion !== null ? { id: row.mappingId, version: row.mappingVersion } : null,
    options: {
      apply_fixes: row.applyFixes,
      ...(row.sheetOptions?.sheet !== undefined && { sheet: row.sheetOptions.sheet }),
      ...(row.sheetOptions?.headerRow !== undefined && { header_row: row.sheetOptions.headerRow }),
      ...(row.sheetOptions?.firstDataRow !== undefined && { first_data_row: row.sheetOptions.firstDataRow }),
    },
    layout: row.layout,
    source: { type: row.sourceType, file_id: row.fileId, ...(row.connectorId && { connector_id: row.connectorId }) },
    progress: snapshot.progress,
    counts: { records: s.records, valid: s.valid, invalid: s.invalid, corrected: s.corrected, issues: s.issues },
    error: snapshot.error ? { code: snapshot.error.code, message: render(snapshot.error.message, locale) } : null,
    created_at: new Date(row.createdAt).toISOString(),
    started_at: iso(snapshot.started_at),
    finished_at: iso(snapshot.finished_at),
    links: jobLinks(row.id, row.applyFixes),
  };
}
