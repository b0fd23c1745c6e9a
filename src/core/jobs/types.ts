import type { ValidationSummary } from "../report/summary";
import type { Text } from "../text";
import type { MappingDefinition, PresetRef } from "../mapping";
import type { Delimiter, TextEncodingName } from "../tabular";
import type { ConnectorType } from "../connectors/types";

/** The job state machine: queued → running → completed | failed | cancelled. */
export const JOB_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What the chunk step reads. */
export type JobInput =
  /** The uploaded CSV itself, read in place by byte ranges (its own encoding and dialect). */
  | { kind: "csv"; key: string; size: number; encoding: TextEncodingName; delimiter: Delimiter; bom: boolean; decimalComma: boolean; header: string[] }
  /**
   * An XLSX sheet converted once to one JSON line per row, `[sheetRow, cells, formulaColumns?]`
   * (formula columns: cells holding a formula saved without its result). `source` is the workbook.
   */
  | { kind: "sheet"; key: string; source: string; sheet: string; header: string[] }
  /** JSON records, one per line: NDJSON uploads, JSON arrays and inline records. */
  | { kind: "ndjson"; key: string }
  /**
   * A connector's items: the plan step listed their ids, one object per chunk under `key` (a
   * prefix); each chunk fetches its items from the provider. Corrected records come out as NDJSON.
   */
  | {
      kind: "connector";
      key: string;
      connectorId: string;
      type: ConnectorType;
      descriptions: boolean;
      /** Google Sheets: the sheet's header row (the mapping is bound to it, as for files) and where its rows are. */
      header?: string[];
      sheet?: { spreadsheetId: string; name: string; headerRow: number; columns: number };
    };

/** A byte range of whole records, parsed on its own by one chunk step. */
export interface ChunkSpec {
  index: number;
  start: number;
  end: number;
  firstRow: number;
  rows: number;
  /** CSV: the spreadsheet row of the range's first line, so issues carry the rows the seller sees. */
  startSheetRow?: number;
}

/** Where a job's records come from in a workbook, when it is not the first sheet or its header is not the first row. */
export interface SheetOptions {
  sheet?: string | number;
  headerRow?: number;
  firstDataRow?: number;
}

/** How a job read its file (`layout` in the API), recorded by the plan step. */
export interface JobLayout {
  /** The verified layout preset whose mapping a job without a mapping used. */
  applied: PresetRef | null;
  /** A layout the header looks like but that is not confirmed, so it was not applied. */
  unverified: PresetRef | null;
  /** The sheet row the header was found on below a title. */
  header_row?: number;
  /** Without a mapping: the file's columns the job read, and the field each one filled. */
  columns?: { column: string; field: string }[];
  /** Without a mapping: named columns the job did not read (the first 100). */
  unread_columns?: string[];
}

/** The mapping a job that named none uses, decided once from the header (the same for every chunk). */
export interface AutomaticJobMapping {
  mapping: MappingDefinition;
  /** The verified layout preset it came from, or null for the default mapping (columns named after canonical fields). */
  preset: PresetRef | null;
  /** A layout the header looks like but that is not confirmed, so it was not applied. */
  unverified: PresetRef | null;
}

export interface JobPlan {
  input: JobInput;
  chunks: ChunkSpec[];
  rowsTotal: number;
  /** The pack has `unique` rules, so a finalize step compares keys across chunks. */
  crossChunkUnique: boolean;
  /**
   * How many partitions the cross-chunk uniqueness keys are split into; set once when the plan is
   * registered, so a job's chunks and its finalize step agree even across a deploy that changes
   * the partition size (see core/jobs/unique-partitions.ts).
   */
  uniquePartitions?: number;
  /** Tabular input of a job without a mapping. */
  automatic?: AutomaticJobMapping;
  /** The sheet row the header was found on, when rows above it hold a title (see `preambleLength`). */
  titledHeaderRow?: number;
}

export interface JobError {
  code: string;
  /** Bilingual; rendered in the reader's language. Plain strings come from jobs stored before messages were bilingual. */
  message: Text | string;
}

/** Queue messages of the jobs pipeline, by kind. Every step is idempotent: any message may arrive twice. */
interface JobMessageFields {
  plan: {};
  chunk: { chunk: number };
  /**
   * Without `partition`: fan out one message per uniqueness partition not yet compared, or merge
   * their results when every partition is done. With it: compare that partition only.
   */
  finalize: { partition?: number };
  sync: {};
  /** One part of a push of a sync job's corrections (or of its revert) back to the marketplace. */
  push: { push_id: string; part: number };
}

export type JobMessageKind = keyof JobMessageFields;
export type JobMessage = { [K in JobMessageKind]: { kind: K; job_id: string; account_id: string } & JobMessageFields[K] }[JobMessageKind];

const KINDS: Record<JobMessageKind, true> = { plan: true, chunk: true, finalize: true, sync: true, push: true };
export const JOB_MESSAGE_KINDS = Object.keys(KINDS) as JobMessageKind[];

export function isJobMessage(body: unknown): body is JobMessage {
  const kind = (body as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && Object.hasOwn(KINDS, kind) && typeof (body as JobMessage).job_id === "string";
}

/** A state change the coordinator recorded and the D1 row and events have yet to reflect. */
export interface JobTransition {
  seq: number;
  from: JobStatus;
  to: JobStatus;
  at: number;
}

export interface JobProgress {
  rows_processed: number;
  rows_total: number | null;
  chunks_done: number;
  chunks_total: number | null;
  percent: number;
}

export interface JobSnapshot {
  status: JobStatus;
  progress: JobProgress;
  summary: ValidationSummary;
  error: JobError | null;
  started_at: number | null;
  finished_at: number | null;
  rows_total: number | null;
  chunks_total: number | null;
}
