import { describe, expect, it } from "vitest";
import { calendarMonth } from "../../../src/core/billing/calendar";

describe("calendarMonth (America/Sao_Paulo)", () => {
  it("starts at midnight in São Paulo, not in UTC", () => {
    // 2026-03-01 01:00 UTC is still 28 February, 22:00, in São Paulo.
    expect(calendarMonth(Date.UTC(2026, 2, 1, 1))).toEqual({ start: Date.UTC(2026, 1, 1, 3), end: Date.UTC(2026, 2, 1, 3) });
    expect(calendarMonth(Date.UTC(2026, 2, 1, 3))).toEqual({ start: Date.UTC(2026, 2, 1, 3), end: Date.UTC(2026, 3, 1, 3) });
  });

  it("rolls over the year", () => {
    expect(calendarMonth(Date.UTC(2026, 11, 31, 12))).toEqual({ start: Date.UTC(2026, 11, 1, 3), end: Date.UTC(2027, 0, 1, 3) });
  });
});
