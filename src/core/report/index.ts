/** What a validation adds up to: exact, mergeable counts, and the issues grouped by rule for people. */
export { addResult, countRuleRecord, emptySummary, MAX_EXAMPLES, mergeSummary, type RuleRecords, type ValidationSummary } from "./summary";
export { topIssues, type TopIssue } from "./top-issues";
export { explainRule } from "./explanations";
