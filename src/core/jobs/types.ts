import type { ValidationSummary } from "../report/summary";
import type { Delimiter, TextEncodingName } from "../tabular";

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";
export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What the chunk step reads: a CSV (uploaded, or converted from XLSX) or NDJSON (JSON sources and inline records). */
export type JobInput =
  | { kind: "csv"; key: string; encoding: TextEncodingName; delimiter: Delimiter; bom: boolean; decimalComma: boolean; header: string[] }
  | { kind: "ndjson"; key: string };

/** A byte range of whole records, parsed on its own by one chunk step. */
export interface ChunkSpec {
  index: number;
  start: number;
  end: number;
  firstRow: number;
  rows: number;
}

export interface JobPlan {
  input: JobInput;
  chunks: ChunkSpec[];
  rowsTotal: number;
  /** The pack has `unique` rules, so a finalize step compares keys across chunks. */
  crossChunkUnique: boolean;
}

export interface JobError {
  code: string;
  message: string;
}

/** Queue messages of the jobs pipeline. Every step is idempotent: any message may arrive twice. */
export type JobMessage =
  | { kind: "plan"; job_id: string; account_id: string }
  | { kind: "chunk"; job_id: string; account_id: string; chunk: number }
  | { kind: "finalize"; job_id: string; account_id: string }
  | { kind: "sync"; job_id: string; account_id: string };

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
