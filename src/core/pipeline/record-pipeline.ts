import { rowProblemIssue, uncachedFormulaIssue } from "../jobs/row-problems";
import {
  type AttributeTwin,
  type CompiledMapping,
  type MappedRow,
  mapRecordObject,
  recordColumnsOf,
  type RowMapper,
  unmapRecordObject,
  withAttributeTwins,
} from "../mapping";
import type { Issue, Validator } from "../rules";
import { looksLikeFormula, type RowProblem } from "../tabular";
import { type Locale, text } from "../text";

/** What the pipeline made of one source record. */
export interface RecordOutcome<Source> {
  /** The record's row: as the seller's spreadsheet shows it, or its 1-based number in JSON input. */
  row: number;
  /** No error-severity issue is left unfixed (see `isValid`). */
  valid: boolean;
  /** Reader and mapping issues first, then rule issues. */
  issues: Issue[];
  /** The canonical record the mapping made (input with a mapping only). */
  mapped?: Record<string, unknown>;
  /** The canonical record with fixes applied (with `applyFixes`; not for records the reader could not read). */
  corrected?: Record<string, unknown>;
  /**
   * The corrected record in the source's own layout (with `applyFixes` and a mapping): cells for
   * tabular input (a row the reader could not read keeps its cells), the seller's keys for JSON.
   */
  corrected_source?: Source;
}

export interface PipelineSetup {
  validator: Validator;
  applyFixes: boolean;
  /** Language of mapping and reader issue messages (rule messages follow the validator's). */
  locale: Locale;
  /** For JSON records whose keys are the seller's columns; without it, JSON records are canonical already. */
  mapping?: CompiledMapping;
  /** The mapping bound to a file's header, for rows of cells. */
  rows?: RowMapper;
  /**
   * For canonical records (no mapping): attributes the pack reads that hold the same fact as a
   * canonical field (Mercado Livre's BRAND and `brand`), filled from it when the record lacks them.
   */
  twins?: readonly AttributeTwin[];
  /**
   * Keep each issue's message in every language (`Issue.text`), for results read later by someone
   * else (jobs). Build the validator with `bilingual` too. Otherwise issues carry only `message`.
   */
  bilingual?: boolean;
}

/**
 * The one definition of a valid record: no error-severity issue is left unfixed, whether it comes
 * from the reader, the mapping or a rule. (The validator applies the same rule to rule issues.)
 */
export function isValid(issues: readonly Issue[]): boolean {
  for (let i = 0; i < issues.length; i++) if (issues[i].severity === "error" && issues[i].fixed !== true) return false;
  return true;
}

const FORMULA = text(
  "The cell looks like a spreadsheet formula. Marketplaces take it as text, and a spreadsheet that opens an exported file may run it (CSV injection, OWASP). Write the value itself instead of the formula.",
  "A célula parece uma fórmula de planilha. Os marketplaces a recebem como texto, e uma planilha que abra um arquivo exportado pode executá-la (injeção de CSV, OWASP). Escreva o próprio valor no lugar da fórmula.",
);

/** The SKU an issue is about, as the seller wrote it. */
function skuOf(record: Record<string, unknown> | undefined): string | undefined {
  const sku = record?.sku;
  return typeof sku === "string" ? sku : typeof sku === "number" ? String(sku) : undefined;
}

/**
 * Names every issue as the seller does (the record's SKU and the column(s) its field came from),
 * and keeps its message in every language only when the results are read later.
 */
function annotate(issues: Issue[], sku: string | undefined, columnsOf: (field: string) => string[], bilingual: boolean): void {
  for (const issue of issues) {
    if (!bilingual) delete issue.text;
    if (sku !== undefined) issue.sku = sku;
    if (issue.column === undefined && issue.field !== "") {
      const columns = columnsOf(issue.field);
      issue.column = columns.length > 0 ? columns.join(", ") : issue.field;
    }
  }
}

/**
 * Map → validate → fix → combine → unmap, for one request or one job chunk. Built once (the
 * validator keeps `unique` state across the records it sees), then fed records one by one.
 */
export class RecordPipeline {
  private readonly bilingual: boolean;

  constructor(private readonly setup: PipelineSetup) {
    this.bilingual = setup.bilingual === true;
  }

  /**
   * A row of cells from a tabular file (CSV, XLSX), read through the bound mapping. Cells that look
   * like formulas are reported (a warning) and never rewritten: a fix that would change one is
   * left unapplied, so no corrected file ever holds half a formula.
   */
  cells(values: readonly string[], row: number, problem?: RowProblem, uncachedFormulas?: readonly number[]): RecordOutcome<string[]> {
    const { rows, applyFixes } = this.setup;
    if (problem) {
      const outcome: RecordOutcome<string[]> = { row, valid: false, issues: [rowProblemIssue(problem, row, this.setup.locale)] };
      annotate(outcome.issues, undefined, () => [], this.bilingual);
      if (applyFixes) outcome.corrected_source = values.slice();
      return outcome;
    }
    if (!rows) throw new Error("RecordPipeline.cells needs a mapping bound to the file's header");
    const mapped = rows.map(values, row);
    const outcome = this.validate<string[]>(mapped, row);
    const sku = skuOf(mapped.record);
    const formulas = this.formulaIssues(values, row, sku, rows.header, uncachedFormulas);
    annotate(outcome.issues, sku, (field) => rows.columnsOf(field, values), this.bilingual);
    if (formulas.length > 0) outcome.issues = [...outcome.issues, ...formulas];
    if (applyFixes) {
      const corrected = rows.unmap(outcome.corrected ?? mapped.record, values);
      for (const f of formulas) {
        const i = rows.header.indexOf(f.column!);
        if (corrected[i] === values[i]) continue;
        corrected[i] = values[i];
        for (const issue of outcome.issues) {
          if (issue.fixed && issue.column?.split(", ").includes(f.column!)) delete issue.fixed;
        }
        outcome.valid = isValid(outcome.issues);
      }
      outcome.corrected_source = corrected;
    }
    return outcome;
  }

  /** One warning per formula cell: "without value" for a formula saved with no cached result, else "formula". */
  private formulaIssues(
    values: readonly string[],
    row: number,
    sku: string | undefined,
    header: readonly string[],
    uncached: readonly number[] = [],
  ): Issue[] {
    let found: Issue[] | undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      let issue: Issue;
      if (uncached.includes(i)) {
        issue = uncachedFormulaIssue(row, header[i] ?? "", v, this.setup.locale);
        if (!this.bilingual) delete issue.text;
      } else if (typeof v === "string" && looksLikeFormula(v)) {
        issue = { row, field: "", rule: "file.formula", severity: "warning", message: FORMULA[this.setup.locale], value: v, column: header[i] ?? "" };
        if (this.bilingual) issue.text = FORMULA;
      } else continue;
      if (sku !== undefined) issue.sku = sku;
      (found ??= []).push(issue);
    }
    return found ?? [];
  }

  /**
   * A JSON record (inline, JSON array or NDJSON): mapped when the pipeline has a mapping, else
   * taken as canonical. Throws MappingError when the record's keys cannot be bound (a source
   * column matching two keys).
   */
  object(record: Record<string, unknown>, row: number, problem?: RowProblem): RecordOutcome<Record<string, unknown>> {
    if (problem) {
      const issues = [rowProblemIssue(problem, row, this.setup.locale)];
      annotate(issues, undefined, () => [], this.bilingual);
      return { row, valid: false, issues };
    }
    const { mapping, applyFixes, locale } = this.setup;
    if (!mapping) {
      const result = this.setup.validator.validate(this.setup.twins ? withAttributeTwins(record, this.setup.twins) : record, row);
      const outcome: RecordOutcome<Record<string, unknown>> = { row, valid: result.valid, issues: result.issues };
      annotate(outcome.issues, skuOf(record), () => [], this.bilingual);
      if (applyFixes) outcome.corrected = result.corrected;
      return outcome;
    }
    const mapped = mapRecordObject(mapping, record, row, { locale, bilingual: this.bilingual });
    const outcome = this.validate<Record<string, unknown>>(mapped, row);
    annotate(outcome.issues, skuOf(mapped.record), (field) => recordColumnsOf(mapping, record, field), this.bilingual);
    if (applyFixes) outcome.corrected_source = unmapRecordObject(mapping, outcome.corrected ?? mapped.record, record);
    return outcome;
  }

  private validate<S>(mapped: MappedRow, row: number): RecordOutcome<S> {
    const result = this.setup.validator.validate(mapped.record, row);
    const mappingIssues = mapped.issues;
    const outcome: RecordOutcome<S> =
      mappingIssues.length === 0
        ? { row, valid: result.valid, issues: result.issues, mapped: mapped.record }
        : { row, valid: result.valid && isValid(mappingIssues), issues: [...mappingIssues, ...result.issues], mapped: mapped.record };
    if (this.setup.applyFixes) outcome.corrected = result.corrected;
    return outcome;
  }
}
