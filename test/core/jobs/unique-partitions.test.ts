import { describe, expect, it } from "vitest";
import { plannedUniquePartitions, ROWS_PER_UNIQUE_PARTITION, uniquePartitionsOf } from "../../../src/core/jobs/unique-partitions";

describe("cross-chunk uniqueness partitions", () => {
  it("give a new plan one partition per 100,000 rows, at least one", () => {
    expect(ROWS_PER_UNIQUE_PARTITION).toBe(100_000);
    expect(plannedUniquePartitions(0)).toBe(1);
    expect(plannedUniquePartitions(100_000)).toBe(1);
    expect(plannedUniquePartitions(100_001)).toBe(2);
    expect(plannedUniquePartitions(1_000_000)).toBe(10);
  });

  it("are always the plan's own once recorded", () => {
    expect(uniquePartitionsOf({ rowsTotal: 1_000_000, uniquePartitions: 20 })).toBe(20);
    expect(uniquePartitionsOf({ rowsTotal: 10, uniquePartitions: 3 })).toBe(3);
  });

  it("read a plan registered before they were recorded as it was cut then (200,000 rows each)", () => {
    expect(uniquePartitionsOf({ rowsTotal: 1_000_000 })).toBe(5);
    expect(uniquePartitionsOf({ rowsTotal: 200_000 })).toBe(1);
    expect(uniquePartitionsOf({ rowsTotal: 0 })).toBe(1);
  });
});
