/** Free months follow Brazil's calendar: a month starts at midnight in São Paulo, whatever the server's clock. */
export const BILLING_TIME_ZONE = "America/Sao_Paulo";

const parts = new Intl.DateTimeFormat("en-US", {
  timeZone: BILLING_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** The wall clock in São Paulo at `instant`, read as if it were UTC (ms). */
function wallClock(instant: number): number {
  const p = Object.fromEntries(parts.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The instant São Paulo's clocks show midnight of year/month/day (months 0-based, may overflow). */
function midnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month, day);
  return guess - (wallClock(guess) - guess);
}

/** The calendar month around `now` in São Paulo, as [start, end) in ms. */
export function calendarMonth(now: number): { start: number; end: number } {
  const wall = new Date(wallClock(now));
  return { start: midnight(wall.getUTCFullYear(), wall.getUTCMonth(), 1), end: midnight(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1) };
}
