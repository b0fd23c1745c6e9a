import type { ValidationSummary } from "../../core/report/summary";
import type { JobRow } from "../../db/schema";
import type { ChunkUsage } from "../../durable/job-coordinator";
import type { Env } from "../../env";
import { ITEM_UNAVAILABLE_RULE } from "../connectors/errors";
import { recordUsage } from "./usage";

/** The validations a chunk did: its records, less the marketplace items that could not be fetched (never validated). */
export function chunkValidations(summary: ValidationSummary): number {
  return Math.max(0, summary.records - (summary.by_rule[ITEM_UNAVAILABLE_RULE]?.count ?? 0));
}

/** The hold a job's plan step takes on the account's quota. */
export function jobHold(jobId: string): string {
  return `job:${jobId}`;
}

/**
 * Records the coordinator's counted chunks as the account's usage, each under the key of its chunk
 * (a repeated drain counts nothing), moving them out of the job's hold.
 */
export async function recordJobUsage(env: Env, job: Pick<JobRow, "id" | "accountId" | "sourceType">, usage: readonly ChunkUsage[]): Promise<void> {
  for (const entry of usage) {
    await recordUsage(env, job.accountId, entry.records, {
      source: job.sourceType === "connector" ? "connector" : "job",
      dedupeKey: `${job.id}:chunk:${entry.chunk}`,
      hold: jobHold(job.id),
    });
  }
}
