import { rowProblemIssue } from "../jobs/row-problems";
import { type CompiledMapping, type MappedRow, mapRecordObject, type RowMapper, unmapRecordObject } from "../mapping";
import type { Issue, Validator } from "../rules";
import type { RowProblem } from "../tabular";
import type { Locale } from "../text";

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
}

/**
 * The one definition of a valid record: no error-severity issue is left unfixed, whether it comes
 * from the reader, the mapping or a rule. (The validator applies the same rule to rule issues.)
 */
export function isValid(issues: readonly Issue[]): boolean {
  for (let i = 0; i < issues.length; i++) if (issues[i].severity === "error" && issues[i].fixed !== true) return false;
  return true;
}

/**
 * Map → validate → fix → combine → unmap, for one request or one job chunk. Built once (the
 * validator keeps `unique` state across the records it sees), then fed records one by one.
 */
export class RecordPipeline {
  constructor(private readonly setup: PipelineSetup) {}

  /** A row of cells from a tabular file (CSV, XLSX), read through the bound mapping. */
  cells(values: readonly string[], row: number, problem?: RowProblem): RecordOutcome<string[]> {
    const { rows, applyFixes } = this.setup;
    if (problem) {
      const outcome: RecordOutcome<string[]> = { row, valid: false, issues: [rowProblemIssue(problem, row, this.setup.locale)] };
      if (applyFixes) outcome.corrected_source = values.slice();
      return outcome;
    }
    if (!rows) throw new Error("RecordPipeline.cells needs a mapping bound to the file's header");
    const mapped = rows.map(values, row);
    const outcome = this.validate<string[]>(mapped, row);
    if (applyFixes) outcome.corrected_source = rows.unmap(outcome.corrected ?? mapped.record, values);
    return outcome;
  }

  /**
   * A JSON record (inline, JSON array or NDJSON): mapped when the pipeline has a mapping, else
   * taken as canonical. Throws MappingError when the record's keys cannot be bound (a source
   * column matching two keys).
   */
  object(record: Record<string, unknown>, row: number, problem?: RowProblem): RecordOutcome<Record<string, unknown>> {
    if (problem) return { row, valid: false, issues: [rowProblemIssue(problem, row, this.setup.locale)] };
    const { mapping, applyFixes, locale } = this.setup;
    if (!mapping) {
      const result = this.setup.validator.validate(record, row);
      const outcome: RecordOutcome<Record<string, unknown>> = { row, valid: result.valid, issues: result.issues };
      if (applyFixes) outcome.corrected = result.corrected;
      return outcome;
    }
    const mapped = mapRecordObject(mapping, record, row, { locale });
    const outcome = this.validate<Record<string, unknown>>(mapped, row);
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
