import type { Locale } from "./text";

export type { Locale } from "./text";

/** Picks pt-BR or en from an Accept-Language header by quality; English is the default. */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return "en";
  let best: Locale = "en";
  let bestQ = -1;
  for (const part of acceptLanguage.split(",").slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.find((p) => p.trim().startsWith("q="));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    const locale: Locale | undefined = tag.startsWith("pt") ? "pt-BR" : tag.startsWith("en") ? "en" : undefined;
    if (locale && q > bestQ) {
      best = locale;
      bestQ = q;
    }
  }
  return best;
}
