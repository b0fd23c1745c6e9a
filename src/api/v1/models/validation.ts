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
  })
  .meta({ id: "ValidationSummary" });

export const ValidationResponse = z
  .object({
    rule_pack: z.object({ id: z.string(), version: z.string(), revision: z.number().int().nullable(), hash: z.string() }),
    category: z.string().nullable(),
    mapping: z
      .object({ id: z.string().nullable(), version: z.number().int().nullable() })
      .nullable()
      .describe("The mapping the records went through (id and version null for an inline one); null without a mapping"),
    summary: ValidationSummary,
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
