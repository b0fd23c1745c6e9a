import { type Text, text } from "../text";

/** Schedules are read in Brazil's time: "daily" means São Paulo's night, whatever the server's clock. */
export const SCHEDULE_TIME_ZONE = "America/Sao_Paulo";

/** `hourly`, `daily` or a 5-field cron expression (minute hour day-of-month month day-of-week). */
export type ScheduleSpec = string;

interface CronFields {
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  /** Day-of-month or day-of-week written as `*`: cron matches a day when both match, else when either does. */
  anyDay: boolean;
  anyWeekday: boolean;
}

export class ScheduleError extends Error {
  constructor(readonly detail: Text) {
    super(detail.en);
  }
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: Text;
  min: number;
  max: number;
  names?: string[];
  /** First value the names stand for (months start at 1). */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: text("minute", "minuto"), min: 0, max: 59 },
  { name: text("hour", "hora"), min: 0, max: 23 },
  { name: text("day of month", "dia do mês"), min: 1, max: 31 },
  { name: text("month", "mês"), min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  // 7 is Sunday too, as in most crons.
  { name: text("day of week", "dia da semana"), min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

function fieldError(spec: FieldSpec, part: string): ScheduleError {
  return new ScheduleError(
    text(
      `"${part}" is not a valid ${spec.name.en} (${spec.min}–${spec.max}, *, lists a,b, ranges a-b and steps */n)`,
      `"${part}" não é um ${spec.name["pt-BR"]} válido (${spec.min}–${spec.max}, *, listas a,b, intervalos a-b e passos */n)`,
    ),
  );
}

function value(spec: FieldSpec, raw: string, part: string): number {
  const upper = raw.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d{1,2}$/.test(raw)) throw fieldError(spec, part);
  const n = Number(raw);
  if (n < spec.min || n > spec.max) throw fieldError(spec, part);
  return n;
}

function parseField(spec: FieldSpec, source: string): { set: boolean[]; any: boolean } {
  const set = new Array<boolean>(spec.max + 1).fill(false);
  for (const part of source.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : /^\d{1,2}$/.test(stepText) && Number(stepText) > 0 ? Number(stepText) : NaN;
    if (Number.isNaN(step) || part.split("/").length > 2) throw fieldError(spec, part);
    let from: number;
    let to: number;
    if (range === "*") {
      from = spec.min;
      to = spec.max;
    } else if (range.includes("-")) {
      const [a, b] = range.split("-");
      from = value(spec, a, part);
      to = value(spec, b, part);
      if (from > to) throw fieldError(spec, part);
    } else {
      from = value(spec, range, part);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return { set, any: source === "*" };
}

function parseCron(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new ScheduleError(
      text(
        `A cron schedule has 5 fields (minute hour day-of-month month day-of-week); "${expression}" has ${parts.length}.`,
        `Um agendamento cron tem 5 campos (minuto hora dia-do-mês mês dia-da-semana); "${expression}" tem ${parts.length}.`,
      ),
    );
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(FIELDS[i], p));
  if (weekdays.set[7]) weekdays.set[0] = true;
  return {
    minutes: minutes.set,
    hours: hours.set,
    days: days.set,
    months: months.set,
    weekdays: weekdays.set,
    anyDay: days.any,
    anyWeekday: weekdays.any,
  };
}

/** A stable minute (0–59) per connector, so hourly and daily syncs of many connectors do not all start together. */
function spreadMinute(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 60;
}

/** The cron expression a schedule means for one connector (`hourly` and `daily` pick the connector's own minute). */
export function cronOf(schedule: ScheduleSpec, seed: string): string {
  if (schedule === "hourly") return `${spreadMinute(seed)} * * * *`;
  // 03:xx in São Paulo: after the day's sales, before the day's edits.
  if (schedule === "daily") return `${spreadMinute(seed)} 3 * * *`;
  return schedule;
}

/** Throws ScheduleError (bilingual) when the schedule cannot be read. */
export function checkSchedule(schedule: ScheduleSpec): void {
  if (schedule === "hourly" || schedule === "daily") return;
  parseCron(schedule);
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(instant: number, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instant))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/** Minutes the zone is ahead of UTC at `instant` (São Paulo: -180). */
function offsetMinutes(instant: number, timeZone: string): number {
  const l = localTime(instant, timeZone);
  return Math.round((Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** The instant a wall-clock time in `timeZone` names (the later reading when a clock change makes it ambiguous). */
function instantOf(l: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  let guess = asUtc - offsetMinutes(asUtc, timeZone) * 60_000;
  const second = asUtc - offsetMinutes(guess, timeZone) * 60_000;
  if (second !== guess) guess = second;
  return guess;
}

/**
 * The first minute strictly after `after` at which the schedule runs, as an instant (ms). Runs that
 * were missed are never replayed: the next one is always computed from now.
 */
export function nextRun(schedule: ScheduleSpec, seed: string, after: number, timeZone = SCHEDULE_TIME_ZONE): number {
  const cron = parseCron(cronOf(schedule, seed));
  const start = localTime(after, timeZone);
  // Walk the calendar day by day (at most five years: "29 2 * *" may wait four), then the day's minutes.
  const day = new Date(Date.UTC(start.year, start.month - 1, start.day));
  for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    const y = day.getUTCFullYear();
    const m = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (!cron.months[m]) continue;
    const domMatch = cron.days[d];
    const dowMatch = cron.weekdays[day.getUTCDay()];
    const dayMatches = cron.anyDay && cron.anyWeekday ? true : cron.anyDay ? dowMatch : cron.anyWeekday ? domMatch : domMatch || dowMatch;
    if (!dayMatches) continue;
    // On the first day, wall-clock times before `after` cannot be later than it (a clock change moves them by an hour at most).
    const today = i === 0;
    for (let h = today ? Math.max(0, start.hour - 1) : 0; h < 24; h++) {
      if (!cron.hours[h]) continue;
      for (let min = 0; min < 60; min++) {
        if (!cron.minutes[min]) continue;
        const at = instantOf({ year: y, month: m, day: d, hour: h, minute: min }, timeZone);
        if (at > after) return at;
      }
    }
  }
  throw new ScheduleError(text(`The schedule "${schedule}" never runs.`, `O agendamento "${schedule}" nunca executa.`));
}
