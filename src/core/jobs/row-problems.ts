import type { Issue, Locale } from "../rules";
import type { RowProblem } from "../tabular";

const MESSAGES: Record<RowProblem["code"], Record<Locale, (p: any) => string>> = {
  ragged_row: {
    en: (p) => `The row has ${p.actual} values but the header has ${p.expected} columns.`,
    "pt-BR": (p) => `A linha tem ${p.actual} valores, mas o cabeçalho tem ${p.expected} colunas.`,
  },
  unterminated_quote: {
    en: () => "A quoted value is never closed; the rest of the file was read as one value.",
    "pt-BR": () => "Um valor entre aspas nunca é fechado; o resto do arquivo foi lido como um só valor.",
  },
  field_too_large: {
    en: (p) => `Column ${p.column + 1} is longer than ${p.limit} characters.`,
    "pt-BR": (p) => `A coluna ${p.column + 1} passa de ${p.limit} caracteres.`,
  },
  record_too_large: {
    en: (p) => `The row is longer than ${p.limit} characters.`,
    "pt-BR": (p) => `A linha passa de ${p.limit} caracteres.`,
  },
  too_many_columns: {
    en: (p) => `The row has ${p.actual} columns; at most ${p.limit} are read.`,
    "pt-BR": (p) => `A linha tem ${p.actual} colunas; no máximo ${p.limit} são lidas.`,
  },
  invalid_json: {
    en: (p) => `The record is not valid JSON: ${p.message}`,
    "pt-BR": (p) => `O registro não é um JSON válido: ${p.message}`,
  },
  not_an_object: {
    en: () => "The record is not a JSON object.",
    "pt-BR": () => "O registro não é um objeto JSON.",
  },
};

/** A row the reader could not read cleanly becomes an error issue with a `file.*` rule id. */
export function rowProblemIssue(problem: RowProblem, row: number, locale: Locale): Issue {
  return {
    row,
    field: "",
    rule: `file.${problem.code}`,
    severity: "error",
    message: MESSAGES[problem.code][locale](problem),
    value: null,
  };
}
