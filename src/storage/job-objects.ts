/** R2 layout of one job's objects: everything under one prefix, so deleting a job is one listing. */
export function jobPrefix(accountId: string, jobId: string): string {
  return `jobs/${accountId}/${jobId}/`;
}

const pad = (n: number) => String(n).padStart(6, "0");

export const jobObjects = {
  /** Inline records, or a JSON array, as NDJSON. */
  ndjsonInput: (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}input.ndjson`,
  /** An XLSX sheet converted to one JSON line per row. */
  sheetInput: (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}input.sheet.ndjson`,
  issues: (accountId: string, jobId: string, chunk: number) => `${jobPrefix(accountId, jobId)}issues/${pad(chunk)}.ndjson`,
  /** Duplicates across chunks found in one uniqueness partition by the finalize step; sorts after every chunk's issues. */
  uniqueIssues: (accountId: string, jobId: string, partition: number) => `${jobPrefix(accountId, jobId)}issues/zz-unique-${pad(partition)}.ndjson`,
  /**
   * Where jobs finalized before the per-partition finalize wrote all their cross-chunk duplicates
   * (still listed with the other issues). A merge deletes it: a job half-finalized across that
   * deploy would otherwise list its duplicates twice.
   */
  legacyUniqueIssues: (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}issues/zz-unique.ndjson`,
  /** What one partition's comparison found that must be counted once per row across partitions (runner.ts). */
  uniqueFacts: (accountId: string, jobId: string, partition: number) => `${jobPrefix(accountId, jobId)}unique-facts/${pad(partition)}.json`,
  issuesPrefix: (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}issues/`,
  /** CSV: the chunk's corrected records as text; XLSX: its cell edits; JSON: corrected records as NDJSON. */
  corrected: (accountId: string, jobId: string, chunk: number) => `${jobPrefix(accountId, jobId)}corrected/${pad(chunk)}`,
  correctedPrefix: (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}corrected/`,
  uniqueKeys: (accountId: string, jobId: string, partition: number, chunk: number) =>
    `${jobPrefix(accountId, jobId)}unique/${pad(partition)}/${pad(chunk)}.ndjson`,
  uniquePartitionPrefix: (accountId: string, jobId: string, partition: number) => `${jobPrefix(accountId, jobId)}unique/${pad(partition)}/`,
};
