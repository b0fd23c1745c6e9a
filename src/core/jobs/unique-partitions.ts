import type { JobPlan } from "./types";

/**
 * Rows per partition of a job's cross-chunk uniqueness keys. Each partition is compared by its own
 * finalize message, which holds that partition's first-seen keys and duplicates, so this bounds
 * its heap whatever the file's size (~7 MB per `unique` rule at 100,000 rows) and each message
 * reads one object per chunk (240 at the 1 GiB file cap with 20,000-row chunks). Smaller
 * partitions cost PUTs: each chunk writes one object per partition (50 per chunk at the cap;
 * 98 at 50,000 rows, which did not lower the measured peak; docs/scaling.md).
 */
export const ROWS_PER_UNIQUE_PARTITION = 100_000;

/** Plans made before partitions were recorded in the plan were cut at 200,000 rows. */
const ROWS_PER_UNIQUE_PARTITION_BEFORE = 200_000;

/** How many partitions a plan of `rowsTotal` rows gets when it is registered. */
export function plannedUniquePartitions(rowsTotal: number): number {
  return Math.max(1, Math.ceil(rowsTotal / ROWS_PER_UNIQUE_PARTITION));
}

/** The partitions a job's chunks write and its finalize step reads: always the plan's own. */
export function uniquePartitionsOf(plan: Pick<JobPlan, "rowsTotal" | "uniquePartitions">): number {
  return plan.uniquePartitions ?? Math.max(1, Math.ceil(plan.rowsTotal / ROWS_PER_UNIQUE_PARTITION_BEFORE));
}
