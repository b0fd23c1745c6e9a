import type { Issue } from "../rules";
import type { RowProblem } from "../tabular";
import { type Locale, text, type Text } from "../text";

const MESSAGES: Record<RowProblem["code"], (p: any) => Text> = {
  ragged_row: (p) => text(`The row has ${p.actual} values but the header has ${p.expected} columns.`, `A linha tem ${p.actual} valores, mas o cabeçalho tem ${p.expected} colunas.`),
  unterminated_quote: () =>
    text("A quoted value is never closed; the rest of the file was read as one value.", "Um valor entre aspas nunca é fechado; o resto do arquivo foi lido como um só valor."),
  field_too_large: (p) => text(`Column ${p.column + 1} is longer than ${p.limit} characters.`, `A coluna ${p.column + 1} passa de ${p.limit} caracteres.`),
  record_too_large: (p) => text(`The row is longer than ${p.limit} characters.`, `A linha passa de ${p.limit} caracteres.`),
  too_many_columns: (p) => text(`The row has ${p.actual} columns; at most ${p.limit} are read.`, `A linha tem ${p.actual} colunas; no máximo ${p.limit} são lidas.`),
  invalid_json: (p) => text(`The record is not valid JSON: ${p.message}`, `O registro não é um JSON válido: ${p.message}`),
  not_an_object: () => text("The record is not a JSON object.", "O registro não é um objeto JSON."),
};

/** What a reader's row problem means, in every language. */
export function rowProblemText(problem: RowProblem): Text {
  return MESSAGES[problem.code](problem);
}

/** A row the reader could not read cleanly becomes an error issue with a `file.*` rule id. */
export function rowProblemIssue(problem: RowProblem, row: number, locale: Locale): Issue {
  const text = rowProblemText(problem);
  return {
    row,
    field: "",
    rule: `file.${problem.code}`,
    severity: "error",
    message: text[locale],
    text,
    value: null,
  };
}

/**
 * A cell that holds a formula saved without its result (a workbook written by a program and never
 * saved by a spreadsheet): its formula text was read in its place, which the seller should know.
 */
export function uncachedFormulaIssue(row: number, column: string, formula: string, locale: Locale): Issue {
  const text: Text = {
    en: `The cell holds the formula ${formula} without its result (the file was not saved by a spreadsheet program), so the formula text was read as the value. Open and save the file in your spreadsheet, or write the value itself.`,
    "pt-BR": `A célula tem a fórmula ${formula} sem o resultado (o arquivo não foi salvo por um programa de planilhas), então o texto da fórmula foi lido como valor. Abra e salve o arquivo na sua planilha, ou escreva o próprio valor.`,
  };
  return { row, field: "", rule: "file.formula_without_value", severity: "warning", message: text[locale], text, value: formula, column };
}
