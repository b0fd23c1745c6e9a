import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { JOB_STATUSES, type JobError, type JobLayout, type SheetOptions } from "../../core/jobs/types";
import type { ValidationSummary } from "../../core/report/summary";

/**
 * One row per validation job. Live progress is owned by the job's JobCoordinator
 * Durable Object; this row is updated on every state transition and holds the
 * final counts once the job ends. Per-row data lives in R2, never here.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    rulePack: text("rule_pack").notNull(),
    rulePackRevision: integer("rule_pack_revision"),
    rulePackHash: text("rule_pack_hash").notNull(),
    category: text("category"),
    mappingId: text("mapping_id"),
    mappingVersion: integer("mapping_version"),
    applyFixes: integer("apply_fixes", { mode: "boolean" }).notNull(),
    locale: text("locale").notNull(),
    sourceType: text("source_type", { enum: ["file", "records", "connector"] }).notNull(),
    fileId: text("file_id"),
    /** The connector a sync job reads */
    connectorId: text("connector_id"),
    /** R2 key of the bytes the job reads (the upload, or inline records as NDJSON) */
    inputKey: text("input_key").notNull(),
    priority: text("priority", { enum: ["high", "normal"] }).notNull(),
    /** XLSX: which sheet, and which rows hold the header and the first record, when not the defaults */
    sheetOptions: text("sheet_options", { mode: "json" }).$type<SheetOptions>(),
    /**
     * Without a mapping: the layout preset the file was recognised as (applied, or only resembled)
     * and which columns were read into which fields; with or without one: the row the header was
     * found on below a title (`header_row`)
     */
    layout: text("layout", { mode: "json" }).$type<JobLayout>(),
    /** Exact counts, written when the job ends */
    summary: text("summary", { mode: "json" }).$type<ValidationSummary>(),
    /** Why a failed job failed */
    error: text("error", { mode: "json" }).$type<JobError>(),
    rowsTotal: integer("rows_total"),
    chunksTotal: integer("chunks_total"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("jobs_account_idx").on(t.accountId, t.id), index("jobs_account_status_idx").on(t.accountId, t.status, t.id)],
);

/** Queue messages that exhausted their retries, kept for inspection. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    jobId: text("job_id"),
    body: text("body", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("dead_letters_job_idx").on(t.jobId)],
);

export type JobRow = typeof jobs.$inferSelect;
