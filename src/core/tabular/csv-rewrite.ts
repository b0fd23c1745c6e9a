import { neutralizeFormula } from "./csv-writer";
import type { Delimiter } from "./types";

/** A value the engine wrote into a cell. Numbers are written in the file's decimal style; null clears the cell. */
export type CellValue = string | number | boolean | null;

/** A changed cell of one record: `column` is its index in the row's `values` (0-based). */
export interface CsvCellEdit {
  column: number;
  value: CellValue;
}

/** What the rewriter must know of the source file's dialect (see `SniffResult`). */
export interface CsvDialect {
  delimiter: Delimiter;
  /** Numbers are written "1234,56" rather than "1234.56". */
  decimalComma: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

interface FieldSpan {
  start: number;
  end: number;
  quoted: boolean;
}

/**
 * Rewrites one CSV record, given its source text (`TabularRow.sourceText`, from a reader with
 * `sourceText: true`) and the cells that changed, in the source's own dialect: blank lines
 * before the record, its line ending and every untouched field stay exactly as they were.
 * A changed field is quoted when the original was, or when its new value needs it; a string that
 * a spreadsheet would run as a formula gets a leading `'` (OWASP), so a fix never produces a
 * formula, broken or not; a number is written with the file's decimal separator. An edit past the
 * record's last field (a short, ragged record) adds the missing fields.
 */
export function rewriteCsvRecord(sourceText: string, edits: readonly CsvCellEdit[], dialect: CsvDialect): string {
  if (edits.length === 0) return sourceText;
  const d = dialect.delimiter.charCodeAt(0);
  const len = sourceText.length;
  let p = 0;
  while (p < len && (sourceText.charCodeAt(p) === LF || sourceText.charCodeAt(p) === CR)) p++;
  const recordStart = p;

  // The same field rules as the tokenizer: a quote opens a quoted field only at its start, `""`
  // inside is a quote, text after the closing quote runs to the next delimiter.
  const fields: FieldSpan[] = [];
  for (;;) {
    const start = p;
    let quoted = false;
    if (p < len && sourceText.charCodeAt(p) === QUOTE) {
      quoted = true;
      p++;
      for (;;) {
        const j = sourceText.indexOf('"', p);
        if (j < 0) {
          p = len;
          break;
        }
        if (sourceText.charCodeAt(j + 1) === QUOTE) {
          p = j + 2;
          continue;
        }
        p = j + 1;
        break;
      }
    }
    while (p < len) {
      const c = sourceText.charCodeAt(p);
      if (c === d || c === LF || c === CR) break;
      p++;
    }
    fields.push({ start, end: p, quoted });
    if (p < len && sourceText.charCodeAt(p) === d) {
      p++;
      continue;
    }
    break;
  }
  const lineEnd = sourceText.slice(p);

  const changed = new Map<number, CellValue>();
  for (const e of edits) {
    if (!(Number.isInteger(e.column) && e.column >= 0)) throw new RangeError(`bad column ${e.column}`);
    changed.set(e.column, e.value);
  }
  const allQuoted = fields.every((f) => f.quoted);
  const count = Math.max(fields.length, ...[...changed.keys()].map((c) => c + 1));
  let out = sourceText.slice(0, recordStart);
  for (let i = 0; i < count; i++) {
    if (i > 0) out += dialect.delimiter;
    const field = fields[i];
    if (!changed.has(i)) {
      if (field !== undefined) out += sourceText.slice(field.start, field.end);
      continue;
    }
    out += renderField(changed.get(i) ?? null, field?.quoted ?? allQuoted, dialect);
  }
  return out + lineEnd;
}

function renderField(value: CellValue, quote: boolean, dialect: CsvDialect): string {
  let text: string;
  if (value === null) text = "";
  else if (typeof value === "number") {
    text = Number.isFinite(value) ? String(value) : "";
    if (dialect.decimalComma) text = text.replace(".", ",");
  } else if (typeof value === "boolean") text = value ? "TRUE" : "FALSE";
  else text = neutralizeFormula(value);
  const needs = text.includes(dialect.delimiter) || text.includes('"') || text.includes("\n") || text.includes("\r");
  return quote || needs ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The cells where `after` differs from `before` (a row's values before and after fixes), as edits. */
export function changedCells(before: readonly string[], after: readonly CellValue[]): CsvCellEdit[] {
  const edits: CsvCellEdit[] = [];
  for (let i = 0; i < after.length; i++) {
    const v = after[i];
    const was = before[i] ?? "";
    if (v === was || ((v === null || v === "") && was === "")) continue;
    if (typeof v === "number" && String(v) === was) continue;
    edits.push({ column: i, value: v });
  }
  return edits;
}
