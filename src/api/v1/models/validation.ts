import { z } from "zod";
import { Issue, Severity } from "./issue";

// A summary is what /validate, previews and jobs count; jobs show a subset of it as live counts.

export const ValidationSummary = z
  .object({
    records: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int().describe("Records with at least one unfixed error"),
    corrected: z.number().int().describe("Records with at least one fix applied"),
    issues: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int(), total: z.number().int() }),
    by_rule: z.record(z.string(), z.object({ severity: Severity, count: z.number().int() })),
    by_field: z.record(z.string(), z.number().int()),
    records_by_rule: z
      .record(
        z.string(),
        z.object({
          records: z.number().int().describe("Records with at least one issue of the rule"),
          corrected: z.number().int().describe("Of those, records where fixes resolved every issue of the rule"),
          examples: z.array(z.number().int()).max(5).describe("The smallest rows among them, ascending"),
          field: z.string().nullable().describe("The field its issues are on; null when on several or none"),
        }),
      )
      .describe("Per rule, the records it affects: what top_issues is built from"),
  })
  .meta({ id: "ValidationSummary" });

// Grouped beside the summary rather than inside it: the summary is exact counts, identical in
// every language; top_issues is those counts explained in the reader's language.
export const TopIssue = z
  .object({
    rule: z.string(),
    severity: Severity,
    field: z.string().nullable().describe("The canonical field the rule checks; null when its issues are on several fields, or none"),
    records: z.number().int().describe("Records with at least one issue of the rule"),
    share: z.number().min(0).max(1).describe("records / the catalog's records, rounded to 4 decimals"),
    corrected: z.number().int().describe("Of those records, the ones fixes corrected for this rule"),
    issues: z.number().int().describe("Issues of the rule; a record may have several (one per picture, say)"),
    explanation: z.string().describe("What the rule asks for, in the reader's language (Accept-Language)"),
    examples: z.array(z.number().int()).max(5).describe("Rows of up to 5 affected records, the smallest first, as the seller's spreadsheet shows them"),
  })
  .meta({ id: "TopIssue" });

export const TopIssues = z
  .array(TopIssue)
  .describe("Issues grouped by rule, by impact: errors, then warnings, then info; within each, most affected records first. A rule failing on every record is one entry");

export const ValidationResponse = z
  .object({
    rule_pack: z.object({ id: z.string(), version: z.string(), revision: z.number().int().nullable(), hash: z.string() }),
    category: z.string().nullable(),
    mapping: z
      .object({ id: z.string().nullable(), version: z.number().int().nullable() })
      .nullable()
      .describe("The mapping the records went through (id and version null for an inline one); null without a mapping"),
    summary: ValidationSummary,
    top_issues: TopIssues,
    results: z.array(
      z.object({
        row: z.number().int(),
        valid: z.boolean(),
        issues: z.array(Issue).describe("With a mapping, its mapping.* issues come first"),
        mapped: z.record(z.string(), z.unknown()).optional().describe("With a mapping: the canonical record the mapping produced"),
        corrected: z.record(z.string(), z.unknown()).optional(),
        corrected_source: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("With a mapping and apply_fixes: the corrected record in your own columns (see docs/mappings.md)"),
      }),
    ),
  })
  .meta({ id: "ValidationResponse" });
