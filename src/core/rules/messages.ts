import { text, type Text } from "../text";
import type { Locale } from "./types";

/**
 * Default messages per check (and per failure variant, `check.variant`), in every locale.
 * Placeholders are `{name}`; `{{` and `}}` write literal braces.
 */
export const DEFAULT_MESSAGES: Record<string, Record<Locale, string>> = {
  required: {
    en: "The {field} field is required.",
    "pt-BR": "O campo {field} é obrigatório.",
  },
  type: {
    en: 'The {field} field must be {type_label}, but it is "{value}".',
    "pt-BR": 'O campo {field} deve ser {type_label}, mas é "{value}".',
  },
  min_length: {
    en: "The {field} field is too short: it has {length} characters and needs at least {min}.",
    "pt-BR": "O campo {field} está curto demais: tem {length} caracteres e precisa de pelo menos {min}.",
  },
  max_length: {
    en: "The {field} field is too long: it has {length} characters and at most {max} are allowed.",
    "pt-BR": "O campo {field} está longo demais: tem {length} caracteres e o máximo permitido é {max}.",
  },
  "length.not_text": {
    en: "The {field} field must be text.",
    "pt-BR": "O campo {field} deve ser um texto.",
  },
  pattern: {
    en: 'The {field} field is not in the expected format: "{value}".',
    "pt-BR": 'O campo {field} não está no formato esperado: "{value}".',
  },
  one_of: {
    en: 'The {field} field accepts only {values}, but it is "{value}".',
    "pt-BR": 'O campo {field} aceita apenas {values}, mas é "{value}".',
  },
  range: {
    en: "The {field} field must be {bounds}, but it is {value}.",
    "pt-BR": "O campo {field} deve ser {bounds}, mas é {value}.",
  },
  gtin: {
    en: 'The {field} field is not a valid GTIN (EAN/UPC): "{value}". It needs 8, 12, 13 or 14 digits with a correct check digit.',
    "pt-BR":
      'O campo {field} não é um GTIN (EAN/UPC) válido: "{value}". Ele precisa ter 8, 12, 13 ou 14 dígitos com o dígito verificador correto.',
  },
  gtin_prefix: {
    en: 'The {field} field "{value}" has the GS1 prefix {prefix}, which is not used for products sold in the open market.',
    "pt-BR": 'O campo {field} "{value}" tem o prefixo GS1 {prefix}, que não é usado em produtos vendidos no mercado aberto.',
  },
  "gtin_prefix.restricted": {
    en: 'The {field} field "{value}" is a restricted-circulation number (GS1 prefix {prefix}): stores and companies issue these for their own use, such as items sold by weight, so it is not the manufacturer\'s GTIN.',
    "pt-BR":
      'O campo {field} "{value}" é um número de circulação restrita (prefixo GS1 {prefix}): lojas e empresas o emitem para uso interno, como em produtos pesáveis, então ele não é o GTIN do fabricante.',
  },
  "gtin_prefix.coupon": {
    en: 'The {field} field "{value}" is a coupon number (GS1 prefix {prefix}), not a product\'s GTIN.',
    "pt-BR": 'O campo {field} "{value}" é um número de cupom (prefixo GS1 {prefix}), não o GTIN de um produto.',
  },
  url: {
    en: 'The {field} field must be a full URL starting with {schemes}, but it is "{value}".',
    "pt-BR": 'O campo {field} deve ser uma URL completa começando com {schemes}, mas é "{value}".',
  },
  "url.too_long": {
    en: "The {field} field is a URL of {length} characters; at most {max_length} are allowed.",
    "pt-BR": "O campo {field} é uma URL de {length} caracteres; o máximo permitido é {max_length}.",
  },
  count: {
    en: "The {field} field must have {bounds} items, but it has {count}.",
    "pt-BR": "O campo {field} deve ter {bounds} itens, mas tem {count}.",
  },
  unique: {
    en: 'The {field} value "{value}" is repeated: it already appears in row {first_row}.',
    "pt-BR": 'O valor "{value}" do campo {field} está repetido: ele já aparece na linha {first_row}.',
  },
  compare: {
    en: "The {field} field ({value}) must be {op_label} the {other} field ({other_value}).",
    "pt-BR": "O campo {field} ({value}) deve ser {op_label} campo {other} ({other_value}).",
  },
  forbidden_words: {
    en: 'The {field} field contains the forbidden word "{word}".',
    "pt-BR": 'O campo {field} contém a palavra proibida "{word}".',
  },
  plain_text: {
    en: "The {field} field must be plain text, without HTML tags or entities.",
    "pt-BR": "O campo {field} deve ser texto simples, sem tags ou entidades HTML.",
  },
  normalized: {
    en: 'The {field} field is not normalized: "{value}" should be "{suggestion}".',
    "pt-BR": 'O campo {field} não está padronizado: "{value}" deveria ser "{suggestion}".',
  },
};

/** Placeholders every message may use. */
export const COMMON_PLACEHOLDERS = ["field", "value", "rule", "suggestion"] as const;

export type Template = readonly (string | { readonly p: string })[];

/** Splits a message into literal parts and placeholders; undefined + reason when malformed. */
export function parseTemplate(source: string): { template?: Template; error?: Text } {
  const parts: (string | { p: string })[] = [];
  let lit = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "{" && source[i + 1] === "{") {
      lit += "{";
      i++;
    } else if (c === "}" && source[i + 1] === "}") {
      lit += "}";
      i++;
    } else if (c === "{") {
      const end = source.indexOf("}", i);
      const name = end < 0 ? "" : source.slice(i + 1, end);
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        return {
          error: text(
            `malformed placeholder at character ${i + 1} (write {{ for a literal brace)`,
            `marcador malformado no caractere ${i + 1} (escreva {{ para uma chave literal)`,
          ),
        };
      }
      if (lit) parts.push(lit);
      lit = "";
      parts.push({ p: name });
      i = end;
    } else if (c === "}") {
      return {
        error: text(`unmatched "}" at character ${i + 1} (write }} for a literal brace)`, `"}" sem abertura no caractere ${i + 1} (escreva }} para uma chave literal)`),
      };
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return { template: parts };
}

export function compileTemplate(source: string): Template {
  const r = parseTemplate(source);
  return r.template ?? [source];
}

export function placeholdersOf(t: Template): string[] {
  const out: string[] = [];
  for (const part of t) if (typeof part !== "string") out.push(part.p);
  return out;
}

export function render(t: Template, lookup: (name: string) => string | undefined): string {
  let s = "";
  for (const part of t) {
    if (typeof part === "string") s += part;
    else s += lookup(part.p) ?? "";
  }
  return s;
}

// --- localized fragments used to fill placeholders ------------------------------------------

export function formatNumber(n: number, locale: Locale): string {
  const s = String(n);
  return locale === "pt-BR" ? s.replace(".", ",") : s;
}

/** "a, b or c" / "a, b ou c". */
export function joinOr(items: readonly string[], locale: Locale): string {
  if (items.length <= 1) return items.join("");
  const or = locale === "pt-BR" ? " ou " : " or ";
  return items.slice(0, -1).join(", ") + or + items[items.length - 1];
}

function joinAnd(items: readonly string[], locale: Locale): string {
  if (items.length <= 1) return items.join("");
  const and = locale === "pt-BR" ? " e " : " and ";
  return items.slice(0, -1).join(", ") + and + items[items.length - 1];
}

export const TYPE_LABELS: Record<string, Record<Locale, string>> = {
  string: { en: "text", "pt-BR": "um texto" },
  integer: { en: "a whole number", "pt-BR": "um número inteiro" },
  decimal: { en: "a number (with a dot for decimals)", "pt-BR": "um número (com ponto como separador decimal)" },
  boolean: { en: "true or false", "pt-BR": "verdadeiro ou falso" },
  url: { en: "a full URL", "pt-BR": "uma URL completa" },
  date: { en: "a date (YYYY-MM-DD)", "pt-BR": "uma data (AAAA-MM-DD)" },
};

export const OP_LABELS: Record<string, Record<Locale, string>> = {
  lt: { en: "less than", "pt-BR": "menor que o" },
  lte: { en: "less than or equal to", "pt-BR": "menor ou igual ao" },
  gt: { en: "greater than", "pt-BR": "maior que o" },
  gte: { en: "greater than or equal to", "pt-BR": "maior ou igual ao" },
  eq: { en: "equal to", "pt-BR": "igual ao" },
  ne: { en: "different from", "pt-BR": "diferente do" },
};

/** "at least 1 and at most 10" style bounds for `range`; "between 1 and 10" style for `count`. */
export function boundsText(
  b: { min?: number; max?: number; gt?: number; lt?: number },
  locale: Locale,
  style: "range" | "count",
): string {
  const n = (x: number) => formatNumber(x, locale);
  const pt = locale === "pt-BR";
  if (style === "count" && b.min !== undefined && b.max !== undefined) {
    if (b.min === b.max) return pt ? `exatamente ${n(b.min)}` : `exactly ${n(b.min)}`;
    return pt ? `entre ${n(b.min)} e ${n(b.max)}` : `between ${n(b.min)} and ${n(b.max)}`;
  }
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(pt ? `no mínimo ${n(b.min)}` : `at least ${n(b.min)}`);
  if (b.gt !== undefined) parts.push(pt ? `maior que ${n(b.gt)}` : `greater than ${n(b.gt)}`);
  if (b.max !== undefined) parts.push(pt ? `no máximo ${n(b.max)}` : `at most ${n(b.max)}`);
  if (b.lt !== undefined) parts.push(pt ? `menor que ${n(b.lt)}` : `less than ${n(b.lt)}`);
  return joinAnd(parts, locale);
}
