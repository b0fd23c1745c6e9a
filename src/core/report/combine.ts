import type { Issue, RecordResult } from "../rules";

/** Puts a record's mapping issues before its rule issues; a mapping error makes the record invalid. */
export function withMappingIssues(mappingIssues: readonly Issue[], result: RecordResult): RecordResult {
  if (mappingIssues.length === 0) return result;
  return {
    valid: result.valid && !mappingIssues.some((i) => i.severity === "error"),
    issues: [...mappingIssues, ...result.issues],
    corrected: result.corrected,
  };
}
