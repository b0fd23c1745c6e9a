import { jobPrefix } from "../../storage/job-objects";

// R2 layout of a sync job's own objects, under the job's prefix (deleting a job deletes them too).

const pad = (n: number) => String(n).padStart(6, "0");

/** Where a sync's listing is written: one object of item ids per chunk. */
export function listingPrefix(accountId: string, jobId: string): string {
  return `${jobPrefix(accountId, jobId)}listing/`;
}

export function listingChunk(prefix: string, chunk: number): string {
  return `${prefix}${pad(chunk)}.txt`;
}

/** A chunk's push candidates: per record, the fields its fixes changed (NDJSON). */
export function changesChunk(accountId: string, jobId: string, chunk: number): string {
  return `${jobPrefix(accountId, jobId)}changes/${pad(chunk)}.ndjson`;
}

export function changesPrefix(accountId: string, jobId: string): string {
  return `${jobPrefix(accountId, jobId)}changes/`;
}
