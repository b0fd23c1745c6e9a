/**
 * Dates in seller sheets: fixed formats built from tokens (YYYY YY MM M DD D HH mm ss), plus an
 * `auto` reader for ISO dates, Brazilian day-first dates and Excel serial day numbers. Formats
 * are turned into regular expressions once, when the mapping is compiled.
 */

import { text, type Text } from "../text";

export interface DateParts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const TOKENS = ["YYYY", "YY", "MM", "M", "DD", "D", "HH", "mm", "ss"] as const;
type Token = (typeof TOKENS)[number];
const TOKEN_RE: Record<Token, string> = {
  YYYY: "(\\d{4})",
  YY: "(\\d{2})",
  MM: "(\\d{1,2})",
  M: "(\\d{1,2})",
  DD: "(\\d{1,2})",
  D: "(\\d{1,2})",
  HH: "(\\d{1,2})",
  mm: "(\\d{2})",
  ss: "(\\d{2})",
};

type Piece = string | { t: Token };

function tokenize(format: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < format.length) {
    const t = TOKENS.find((tok) => format.startsWith(tok, i));
    if (t) {
      out.push({ t });
      i += t.length;
    } else {
      const last = out[out.length - 1];
      if (typeof last === "string") out[out.length - 1] = last + format[i];
      else out.push(format[i]);
      i++;
    }
  }
  return out;
}

const ESCAPE = /[.*+?^${}()|[\]\\/]/g;

export interface DateFormat {
  readonly text: string;
  parse(s: string): DateParts | undefined;
  format(p: DateParts): string;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function valid(p: DateParts): boolean {
  return p.m >= 1 && p.m <= 12 && p.d >= 1 && p.d <= daysIn(p.y, p.m) && p.h <= 23 && p.mi <= 59 && p.s <= 59;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Compiles a format, or says why it is refused. `needsDate`: parsing formats must have year, month and day. */
export function compileDateFormat(format: string, needsDate: boolean): DateFormat | { problem: Text } {
  if (format.length === 0 || format.length > 40) return { problem: text("a date format has 1 to 40 characters", "um formato de data tem de 1 a 40 caracteres") };
  const pieces = tokenize(format);
  const tokens = pieces.filter((p): p is { t: Token } => typeof p !== "string").map((p) => p.t);
  if (new Set(tokens).size !== tokens.length) return { problem: text(`date format "${format}" repeats a token`, `o formato de data "${format}" repete um elemento`) };
  if (needsDate) {
    const has = (...ts: Token[]) => ts.some((t) => tokens.includes(t));
    if (!has("YYYY", "YY") || !has("MM", "M") || !has("DD", "D")) {
      return {
        problem: text(
          `date format "${format}" needs a year (YYYY or YY), a month (MM or M) and a day (DD or D)`,
          `o formato de data "${format}" precisa de ano (YYYY ou YY), mês (MM ou M) e dia (DD ou D)`,
        ),
      };
    }
  } else if (tokens.length === 0) {
    return { problem: text(`date format "${format}" has no tokens (YYYY, MM, DD, …)`, `o formato de data "${format}" não tem elementos (YYYY, MM, DD, …)`) };
  }
  const re = new RegExp("^" + pieces.map((p) => (typeof p === "string" ? p.replace(ESCAPE, "\\$&") : TOKEN_RE[p.t])).join("") + "$");
  return {
    text: format,
    parse(s) {
      const m = re.exec(s.trim());
      if (!m) return undefined;
      const p: DateParts = { y: 0, m: 1, d: 1, h: 0, mi: 0, s: 0 };
      tokens.forEach((t, i) => {
        const n = Number(m[i + 1]);
        if (t === "YYYY") p.y = n;
        else if (t === "YY") p.y = n < 70 ? 2000 + n : 1900 + n;
        else if (t === "MM" || t === "M") p.m = n;
        else if (t === "DD" || t === "D") p.d = n;
        else if (t === "HH") p.h = n;
        else if (t === "mm") p.mi = n;
        else p.s = n;
      });
      return valid(p) ? p : undefined;
    },
    format(p) {
      let out = "";
      for (const piece of pieces) {
        if (typeof piece === "string") {
          out += piece;
          continue;
        }
        switch (piece.t) {
          case "YYYY": out += pad(p.y, 4); break;
          case "YY": out += pad(p.y % 100, 2); break;
          case "MM": out += pad(p.m, 2); break;
          case "M": out += String(p.m); break;
          case "DD": out += pad(p.d, 2); break;
          case "D": out += String(p.d); break;
          case "HH": out += pad(p.h, 2); break;
          case "mm": out += pad(p.mi, 2); break;
          case "ss": out += pad(p.s, 2); break;
        }
      }
      return out;
    },
  };
}

const AUTO_FORMATS = ["YYYY-MM-DD", "DD/MM/YYYY", "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YY"].map((f) => compileDateFormat(f, true) as DateFormat);
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const SERIAL = /^\d{1,6}(?:[.,]\d+)?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * Reads ISO dates (with or without a time), day-first dates (31/12/2024, 31-12-2024, 31.12.2024,
 * 31/12/24) and Excel serial day numbers (45657 → 2024-12-31). Never month-first.
 */
export function parseDateAuto(v: unknown): { parts: DateParts; format: DateFormat | undefined } | undefined {
  if (typeof v === "number") return fromSerial(v);
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  const iso = ISO_DATETIME.exec(s);
  for (const f of AUTO_FORMATS) {
    const p = f.parse(iso ? iso[1] : s);
    if (p) return { parts: p, format: iso ? undefined : f };
  }
  if (SERIAL.test(s)) return fromSerial(Number(s.replace(",", ".")));
  return undefined;
}

function fromSerial(n: number): { parts: DateParts; format: undefined } | undefined {
  if (!Number.isFinite(n) || n < 1 || n > 2_958_465) return undefined;
  const d = new Date(EXCEL_EPOCH + Math.floor(n) * 86_400_000);
  return { parts: { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: 0, mi: 0, s: 0 }, format: undefined };
}
