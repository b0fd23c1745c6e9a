import { type Text, text } from "../text";

/** The Free month is Brazil's calendar month, whatever the server's clock says. */
export const BILLING_TIME_ZONE = "America/Sao_Paulo";

export const HOUR_MS = 3_600_000;

/** A billing period: [start, end) in epoch milliseconds. */
export interface Period {
  start: number;
  end: number;
}

/** The start of the UTC hour holding `instant`: usage is counted per hour. */
export function hourOf(instant: number): number {
  return Math.floor(instant / HOUR_MS) * HOUR_MS;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(instant: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return parts;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant` (São Paulo: -3 h). */
function offsetMs(instant: number, timeZone: string): number {
  const l = localParts(instant, timeZone);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight starting `date` in `timeZone`. */
function localMidnight(date: LocalDate, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  const guess = asUtc - offsetMs(asUtc, timeZone);
  // Once more with the offset in force at the guess, in case a clock change lies in between.
  return asUtc - offsetMs(guess, timeZone);
}

function localDate(instant: number, timeZone: string): LocalDate {
  const l = localParts(instant, timeZone);
  return { year: l.year, month: l.month, day: l.day };
}

/** The calendar month holding `instant`, from local midnight of its first day to that of the next month's. */
export function calendarMonth(instant: number, timeZone = BILLING_TIME_ZONE): Period {
  const { year, month } = localDate(instant, timeZone);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { start: localMidnight({ year, month, day: 1 }, timeZone), end: localMidnight({ ...next, day: 1 }, timeZone) };
}

function nextDate(date: LocalDate): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dateKey({ year, month, day }: LocalDate): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The local calendar day of `instant`, as YYYY-MM-DD. */
export function dayOf(instant: number, timeZone = BILLING_TIME_ZONE): string {
  return dateKey(localDate(instant, timeZone));
}

/**
 * Hourly counts added up per local day, for every day of the period from its first until `until`
 * (days without usage are zero), oldest first. An hour that began before the period (a period
 * starting mid-hour) counts on the period's first day.
 */
export function usageByDay(hours: readonly { hour: number; records: number }[], period: Period, until: number, timeZone = BILLING_TIME_ZONE) {
  const days = new Map<string, number>();
  const last = Math.min(until, period.end - 1);
  for (let date = localDate(period.start, timeZone); localMidnight(date, timeZone) <= last; date = nextDate(date)) days.set(dateKey(date), 0);
  for (const { hour, records } of hours) {
    const day = dayOf(Math.max(hour, period.start), timeZone);
    if (days.has(day)) days.set(day, days.get(day)! + records);
  }
  return [...days].map(([date, records]) => ({ date, records }));
}

const longFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as a person in Brazil reads it, in both languages (e.g. when an allowance renews). */
export function formatInstant(instant: number, timeZone = BILLING_TIME_ZONE): Text {
  const format = (locale: string) => {
    let f = longFormats.get(locale + timeZone);
    if (!f) longFormats.set(locale + timeZone, (f = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "long", timeStyle: "short", hourCycle: "h23" })));
    return f.format(new Date(instant));
  };
  return text(`${format("en-US")} (São Paulo time)`, `${format("pt-BR")} (horário de Brasília)`);
}
