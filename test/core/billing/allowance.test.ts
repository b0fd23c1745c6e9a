import { describe, expect, it } from "vitest";
import { allowanceOf, crossedWarnings, jobPriority } from "../../../src/core/billing/allowance";

describe("allowanceOf", () => {
  it("stops Free at its 100 validations and never stops Enterprise", () => {
    expect(allowanceOf("free")).toEqual({ included: 100, limit: 100 });
    expect(allowanceOf("enterprise")).toEqual({ included: null, limit: null });
    expect(allowanceOf("free", { capCents: 10_000, overageCentsPer1000: 500 })).toEqual({ included: 100, limit: 100 });
  });

  it("lets paid plans into overage, up to what their spend cap buys at the overage price", () => {
    expect(allowanceOf("pro")).toEqual({ included: 10_000, limit: null });
    expect(allowanceOf("business")).toEqual({ included: 100_000, limit: null });
    // US$ 20.00 at US$ 5.00 per 1,000: 4,000 more validations.
    expect(allowanceOf("pro", { capCents: 2_000, overageCentsPer1000: 500 })).toEqual({ included: 10_000, limit: 14_000 });
    expect(allowanceOf("business", { capCents: 1_000, overageCentsPer1000: 300 })).toEqual({ included: 100_000, limit: 103_333 });
    expect(allowanceOf("pro", { capCents: 0, overageCentsPer1000: 500 })).toEqual({ included: 10_000, limit: 10_000 });
  });
});

describe("crossedWarnings", () => {
  it("names the thresholds usage went across, once each", () => {
    expect(crossedWarnings(100, 70, 79)).toEqual([]);
    expect(crossedWarnings(100, 79, 80)).toEqual([80]);
    expect(crossedWarnings(100, 80, 99)).toEqual([]);
    expect(crossedWarnings(100, 60, 100)).toEqual([80, 100]);
    expect(crossedWarnings(100, 100, 150)).toEqual([]);
    expect(crossedWarnings(10_000, 7_999, 8_000)).toEqual([80]);
    expect(crossedWarnings(null, 0, 1_000_000)).toEqual([]);
  });
});

describe("jobPriority", () => {
  it("puts every paid plan on the priority queue", () => {
    expect(["free", "pro", "business", "enterprise"].map((p) => jobPriority(p as any))).toEqual(["normal", "high", "high", "high"]);
  });
});
