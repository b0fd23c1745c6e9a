import { type Locale, type Text, render } from "../core/text";
import { MESSAGES, type MessageKey } from "./messages";

export type { Locale, MessageKey };

/**
 * The dashboard speaks pt-BR unless the browser prefers English over Portuguese (the API's default
 * is English; sellers in Brazil reach the dashboard first).
 */
export function pickWebLocale(acceptLanguage: string | null | undefined): Locale {
  let english = -1;
  let portuguese = -1;
  for (const part of (acceptLanguage ?? "").split(",").slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.find((p) => p.trim().startsWith("q="));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (tag.startsWith("en")) english = Math.max(english, q);
    if (tag.startsWith("pt")) portuguese = Math.max(portuguese, q);
  }
  return english > portuguese ? "en" : "pt-BR";
}

export function isLocale(value: unknown): value is Locale {
  return value === "en" || value === "pt-BR";
}

/** Everything a page needs to speak its reader's language. */
export interface I18n {
  locale: Locale;
  /** A catalogue message; `{name}` placeholders are filled from `vars`. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A message a service wrote in both languages. */
  text(message: Text | string): string;
  /** "3 de dezembro de 2026 14:05" — Brazilian sellers read times in São Paulo's clock. */
  dateTime(ms: number): string;
  date(ms: number): string;
  number(value: number): string;
  /** "R$ 1.299,90" */
  money(amount: number, currency?: string): string;
}

const TIME_ZONE = "America/Sao_Paulo";
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let found = formatters.get(key) as T | undefined;
  if (!found) formatters.set(key, (found = make()));
  return found;
}

export function i18n(locale: Locale): I18n {
  return {
    locale,
    t(key, vars) {
      const message = MESSAGES[key][locale];
      return vars ? message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : message;
    },
    text: (message) => render(message, locale),
    dateTime: (ms) =>
      cached(`dt:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE })).format(ms),
    date: (ms) => cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: TIME_ZONE })).format(ms),
    number: (value) => cached(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(value),
    money: (amount, currency = "BRL") =>
      cached(`m:${locale}:${currency}`, () => new Intl.NumberFormat(locale, { style: "currency", currency })).format(amount),
  };
}
