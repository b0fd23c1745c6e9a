import { fold } from "../rules/values";

const SEPARATORS = /[\s_\u00a0\u200b\ufeff]+/g;

/**
 * The key two column names are compared by: accents, case, underscores and runs of spaces do not
 * count ("Preço  (R$)" = "preco (r$)", "sale_price" = "Sale Price"). Punctuation does.
 */
export function columnKey(name: string): string {
  return fold(name).replace(SEPARATORS, " ").trim();
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Words of a name for fuzzy matching: folded, punctuation dropped ("Preço (R$)" → ["preco", "r"]). */
export function words(name: string): string[] {
  const out: string[] = [];
  for (const w of fold(name).split(NON_WORD)) if (w.length > 0) out.push(w);
  return out;
}

/** Folded words joined by single spaces: "Preço (R$)" → "preco r". */
export function wordKey(name: string): string {
  return words(name).join(" ");
}
