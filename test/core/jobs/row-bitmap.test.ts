import { describe, expect, it } from "vitest";
import { RowBitmap } from "../../../src/core/jobs/row-bitmap";

describe("the finalize merge's row bitmap", () => {
  it("says whether each row is new, across growth far past its first size", () => {
    const rows = new RowBitmap();
    expect(rows.add(2)).toBe(true);
    expect(rows.add(2)).toBe(false);
    expect(rows.add(1_000_003)).toBe(true);
    expect(rows.has(2)).toBe(true);
    expect(rows.has(3)).toBe(false);
    expect(rows.has(1_000_003)).toBe(true);
    expect(rows.has(1_000_002)).toBe(false);
    expect(rows.add(1_000_003)).toBe(false);
    expect(rows.add(0)).toBe(true);
    expect(rows.has(5_000_000)).toBe(false);
  });

  it("holds one bit per row up to the largest", () => {
    const rows = new RowBitmap();
    for (let r = 0; r < 1_000_000; r += 3) rows.add(r);
    expect(rows.bytes).toBeGreaterThanOrEqual(1_000_000 / 8);
    expect(rows.bytes).toBeLessThanOrEqual(2 * (1_000_000 / 8));
  });

  it("refuses what is not a row number", () => {
    const rows = new RowBitmap();
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 33]) expect(() => rows.add(bad)).toThrow(RangeError);
  });
});
