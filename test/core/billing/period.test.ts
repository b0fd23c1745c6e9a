import { describe, expect, it } from "vitest";
import { calendarMonth, dayOf, hourOf, usageByDay } from "../../../src/core/billing/period";

const iso = (ms: number) => new Date(ms).toISOString();

describe("calendarMonth (America/Sao_Paulo)", () => {
  it("runs from São Paulo's midnight of the 1st to that of the next month", () => {
    const may = calendarMonth(Date.UTC(2026, 4, 15, 12));
    expect([iso(may.start), iso(may.end)]).toEqual(["2026-05-01T03:00:00.000Z", "2026-06-01T03:00:00.000Z"]);
  });

  it("puts the last evening of a month in São Paulo in that month, though UTC has turned the page", () => {
    // 31 May 23:30 in São Paulo is 1 June 02:30 UTC.
    const lateMay = calendarMonth(Date.UTC(2026, 5, 1, 2, 30));
    expect(iso(lateMay.start)).toBe("2026-05-01T03:00:00.000Z");
    const earlyJune = calendarMonth(Date.UTC(2026, 5, 1, 3, 0));
    expect(iso(earlyJune.start)).toBe("2026-06-01T03:00:00.000Z");
  });

  it("turns the year in December", () => {
    const december = calendarMonth(Date.UTC(2026, 11, 20));
    expect([iso(december.start), iso(december.end)]).toEqual(["2026-12-01T03:00:00.000Z", "2027-01-01T03:00:00.000Z"]);
  });

  it("follows the zone's rules where clocks change (New York, as a check of the arithmetic)", () => {
    // March 2026: EST (-5) on the 1st, EDT (-4) by April 1st.
    const march = calendarMonth(Date.UTC(2026, 2, 15), "America/New_York");
    expect([iso(march.start), iso(march.end)]).toEqual(["2026-03-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z"]);
  });
});

describe("hours and days", () => {
  it("counts usage in UTC hours and shows it in São Paulo days", () => {
    expect(iso(hourOf(Date.UTC(2026, 4, 10, 13, 59, 59)))).toBe("2026-05-10T13:00:00.000Z");
    expect(dayOf(Date.UTC(2026, 4, 11, 2, 0))).toBe("2026-05-10");
  });

  it("lists every day of the period so far, zeros included, with each hour on its São Paulo day", () => {
    const may = calendarMonth(Date.UTC(2026, 4, 2));
    const hours = [
      { hour: Date.UTC(2026, 4, 1, 3), records: 5 },
      { hour: Date.UTC(2026, 4, 2, 2), records: 7 }, // 1 May 23:00 in São Paulo
      { hour: Date.UTC(2026, 4, 3, 15), records: 1 },
    ];
    expect(usageByDay(hours, may, Date.UTC(2026, 4, 3, 16))).toEqual([
      { date: "2026-05-01", records: 12 },
      { date: "2026-05-02", records: 0 },
      { date: "2026-05-03", records: 1 },
    ]);
  });

  it("puts the hour a mid-hour period starts in on the period's first day", () => {
    const period = { start: Date.UTC(2026, 4, 10, 14, 23), end: Date.UTC(2026, 5, 10, 14, 23) };
    expect(usageByDay([{ hour: Date.UTC(2026, 4, 10, 14), records: 3 }], period, Date.UTC(2026, 4, 10, 20))).toEqual([{ date: "2026-05-10", records: 3 }]);
  });
});

describe("calendarMonth at the edges", () => {
  it("starts at midnight in São Paulo, not in UTC", () => {
    // 2026-03-01 01:00 UTC is still 28 February, 22:00, in São Paulo.
    expect(calendarMonth(Date.UTC(2026, 2, 1, 1))).toEqual({ start: Date.UTC(2026, 1, 1, 3), end: Date.UTC(2026, 2, 1, 3) });
    expect(calendarMonth(Date.UTC(2026, 2, 1, 3))).toEqual({ start: Date.UTC(2026, 2, 1, 3), end: Date.UTC(2026, 3, 1, 3) });
  });

  it("rolls over the year", () => {
    expect(calendarMonth(Date.UTC(2026, 11, 31, 12))).toEqual({ start: Date.UTC(2026, 11, 1, 3), end: Date.UTC(2027, 0, 1, 3) });
  });
});
