/** Languages Vitrine writes messages in; English is the default. */
export type Locale = "en" | "pt-BR";
export const LOCALES: readonly Locale[] = ["en", "pt-BR"];

/**
 * A message in every language Vitrine speaks. Messages are written in both languages where they
 * are produced and rendered in the reader's language only when a response (or a delivery) is made,
 * so a stored message can be read later in another language.
 */
export interface Text {
  en: string;
  "pt-BR": string;
}

export function text(en: string, ptBR: string): Text {
  return { en, "pt-BR": ptBR };
}

/** The same words in every language: ids, numbers, quoted input. */
export function verbatim(value: string): Text {
  return { en: value, "pt-BR": value };
}

export function isText(value: unknown): value is Text {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Text).en === "string" &&
    typeof (value as Text)["pt-BR"] === "string"
  );
}

/** Renders a message in `locale`; plain strings (messages stored before they were bilingual) stay as they are. */
export function render(message: Text | string, locale: Locale): string {
  return typeof message === "string" ? message : message[locale];
}

/** Joins texts language by language. */
export function joinText(parts: readonly (Text | string)[], separator = ""): Text {
  return {
    en: parts.map((p) => render(p, "en")).join(separator),
    "pt-BR": parts.map((p) => render(p, "pt-BR")).join(separator),
  };
}

/**
 * Renders every message inside a value (answers and stored data carry them bilingual) in one
 * language. Only Vitrine puts `Text` objects in such values, so any `{ en, "pt-BR" }` object is one.
 */
export function renderDeep(value: unknown, locale: Locale): unknown {
  if (isText(value)) return value[locale];
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, locale));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, locale)]));
  }
  return value;
}
