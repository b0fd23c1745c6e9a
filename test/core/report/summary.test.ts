import { describe, expect, it } from "vitest";
import { addResult, countRuleRecord, emptySummary, mergeSummary, type ValidationSummary } from "../../../src/core/report";
import type { Issue, RecordResult } from "../../../src/core/rules";

const issue = (row: number, rule: string, field: string, extra: Partial<Issue> = {}): Issue => ({
  row,
  field,
  rule,
  severity: "error",
  message: "",
  value: null,
  ...extra,
});
const record = (...issues: Issue[]): RecordResult => ({ valid: issues.every((i) => i.severity !== "error" || i.fixed), issues });

function summaryOf(results: RecordResult[]): ValidationSummary {
  const s = emptySummary();
  for (const r of results) addResult(s, r);
  return s;
}

describe("records per rule", () => {
  it("counts a record once per rule however many issues it has there, and keeps the 5 smallest rows", () => {
    const results = [9, 3, 7, 1, 12, 5, 2].map((row) =>
      record(issue(row, "pics.https", "images[0]", { severity: "warning" }), issue(row, "pics.https", "images[2]", { severity: "warning" }), issue(row, "title.required", "title")),
    );
    const s = summaryOf(results);
    expect(s.by_rule["pics.https"]).toEqual({ severity: "warning", count: 14 });
    expect(s.records_by_rule["pics.https"]).toEqual({ records: 7, corrected: 0, examples: [1, 2, 3, 5, 7], field: "images" });
    expect(s.records_by_rule["title.required"]).toEqual({ records: 7, corrected: 0, examples: [1, 2, 3, 5, 7], field: "title" });
  });

  it("counts a record as corrected for a rule only when fixes resolved all of its issues there", () => {
    const s = summaryOf([
      record(issue(2, "pics.https", "images[0]", { fixed: true }), issue(2, "pics.https", "images[1]", { fixed: true })),
      record(issue(3, "pics.https", "images[0]", { fixed: true }), issue(3, "pics.https", "images[1]")),
      record(issue(4, "pics.https", "images[0]")),
    ]);
    expect(s.records_by_rule["pics.https"]).toMatchObject({ records: 3, corrected: 1 });
  });

  it("names the field only when every issue of the rule is on it", () => {
    const s = summaryOf([record(issue(2, "mapping.number.invalid", "price")), record(issue(3, "mapping.number.invalid", "stock")), record(issue(4, "file.ragged_row", ""))]);
    expect(s.records_by_rule["mapping.number.invalid"].field).toBeNull();
    expect(s.records_by_rule["file.ragged_row"].field).toBeNull();
  });

  it("merges chunk summaries in any order into the same answer as one pass", () => {
    const rows = Array.from({ length: 40 }, (_, i) => i + 2);
    const results = rows.map((row) => record(issue(row, "sku.required", "sku"), ...(row % 3 === 0 ? [issue(row, "price.type", "price")] : [])));
    const whole = summaryOf(results);
    const chunks = [results.slice(0, 10), results.slice(10, 25), results.slice(25)].map(summaryOf);
    const forward = chunks.reduce((into, c) => mergeSummary(into, c), emptySummary());
    const backward = [...chunks].reverse().reduce((into, c) => mergeSummary(into, c), emptySummary());
    expect(forward).toEqual(whole);
    expect(backward).toEqual(whole);
    expect(whole.records_by_rule["sku.required"]).toEqual({ records: 40, corrected: 0, examples: [2, 3, 4, 5, 6], field: "sku" });
    expect(whole.records_by_rule["price.type"]).toEqual({ records: 13, corrected: 0, examples: [3, 6, 9, 12, 15], field: "price" });
  });

  it("merging does not share example lists between summaries", () => {
    const chunk = summaryOf([record(issue(5, "sku.required", "sku"))]);
    const total = mergeSummary(emptySummary(), chunk);
    mergeSummary(total, summaryOf([record(issue(1, "sku.required", "sku"))]));
    expect(chunk.records_by_rule["sku.required"].examples).toEqual([5]);
    expect(total.records_by_rule["sku.required"].examples).toEqual([1, 5]);
  });

  it("adds issues found outside a record's validation (cross-chunk duplicates) the same way", () => {
    const delta = emptySummary();
    for (const row of [120, 48, 300]) countRuleRecord(delta, "sku.unique", "sku", row, false);
    const total = mergeSummary(summaryOf([record(issue(7, "sku.unique", "sku"))]), delta);
    expect(total.records_by_rule["sku.unique"]).toEqual({ records: 4, corrected: 0, examples: [7, 48, 120, 300], field: "sku" });
  });

  it("merges into a summary stored before records were counted per rule", () => {
    const old = emptySummary() as Partial<ValidationSummary>;
    delete old.records_by_rule;
    const merged = mergeSummary(old as ValidationSummary, summaryOf([record(issue(3, "sku.required", "sku"))]));
    expect(merged.records_by_rule["sku.required"]).toEqual({ records: 1, corrected: 0, examples: [3], field: "sku" });
  });
});
