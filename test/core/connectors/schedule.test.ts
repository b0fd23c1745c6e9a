import { describe, expect, it } from "vitest";
import { checkSchedule, cronOf, nextRun, ScheduleError } from "../../../src/core/connectors/schedule";

const utc = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe("schedules in America/Sao_Paulo", () => {
  it("reads a cron expression in São Paulo's wall clock (UTC-3 since 2019), not UTC", () => {
    // 08:00 in São Paulo is 11:00 UTC.
    expect(iso(nextRun("0 8 * * *", "con_a", utc("2026-03-10T10:00:00Z")))).toBe("2026-03-10T11:00:00.000Z");
    expect(iso(nextRun("0 8 * * *", "con_a", utc("2026-03-10T11:00:00Z")))).toBe("2026-03-11T11:00:00.000Z");
  });

  it("runs strictly after the given instant, so a run that is due is never repeated", () => {
    const at = nextRun("*/15 * * * *", "con_a", utc("2026-05-01T12:07:00Z"));
    expect(iso(at)).toBe("2026-05-01T12:15:00.000Z");
    expect(iso(nextRun("*/15 * * * *", "con_a", at))).toBe("2026-05-01T12:30:00.000Z");
  });

  it("skips missed runs: after a long outage the next run is the next one from now, not a backlog", () => {
    const longAfter = utc("2026-06-20T15:02:00Z");
    expect(iso(nextRun("0 * * * *", "con_a", longAfter))).toBe("2026-06-20T16:00:00.000Z");
  });

  it("matches day of month OR day of week when both are restricted, as cron does", () => {
    // 2026-02-01 is a Sunday; "0 9 13 * 1" runs on the 13th and on Mondays.
    const first = nextRun("0 9 13 * MON", "con_a", utc("2026-02-01T00:00:00Z"));
    expect(iso(first)).toBe("2026-02-02T12:00:00.000Z");
    const onThirteenth = nextRun("0 9 13 * MON", "con_a", utc("2026-02-10T00:00:00Z"));
    expect(iso(onThirteenth)).toBe("2026-02-13T12:00:00.000Z");
  });

  it("spreads hourly and daily over the hour by connector, stably", () => {
    expect(cronOf("hourly", "con_x")).toBe(cronOf("hourly", "con_x"));
    expect(cronOf("daily", "con_x")).toMatch(/^\d{1,2} 3 \* \* \*$/);
    const minutes = new Set(Array.from({ length: 40 }, (_, i) => cronOf("hourly", `con_${i}`).split(" ")[0]));
    expect(minutes.size).toBeGreaterThan(10);
    const daily = nextRun("daily", "con_x", utc("2026-04-04T12:00:00Z"));
    // 03:xx in São Paulo is 06:xx UTC.
    expect(new Date(daily).getUTCHours()).toBe(6);
  });

  it("refuses malformed expressions with a bilingual reason", () => {
    for (const bad of ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *", "a b c d e"]) {
      expect(() => checkSchedule(bad), bad).toThrow(ScheduleError);
    }
    try {
      checkSchedule("61 * * * *");
    } catch (error) {
      expect((error as ScheduleError).detail["pt-BR"]).toContain("minuto");
    }
    expect(() => checkSchedule("0 3 * * 1-5")).not.toThrow();
    expect(() => checkSchedule("hourly")).not.toThrow();
  });

  it("finds a leap day years away", () => {
    expect(iso(nextRun("0 12 29 2 *", "con_a", utc("2026-03-01T00:00:00Z")))).toBe("2028-02-29T15:00:00.000Z");
  });
});
