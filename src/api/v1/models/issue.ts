import { z } from "zod";

// Issues are what every validation path reports (/validate, previews, job results): one shape.

export const Severity = z.enum(["error", "warning", "info"]);

export const Issue = z
  .object({
    row: z
      .number()
      .int()
      .describe(
        "The row the seller's spreadsheet shows: CSV and XLSX count the header as row 1 (XLSX: the sheet's own row number, blank rows included); JSON, NDJSON and inline records: the 1-based record number",
      ),
    sku: z.string().optional().describe("The record's SKU, when it has one"),
    column: z
      .string()
      .optional()
      .describe("The seller's own column(s) the field came from, as named in the file (the canonical field when there is no mapping)"),
    field: z.string().describe("Canonical field path; list items as images[2]; empty for problems of the row itself"),
    rule: z.string().describe("Stable rule id, e.g. ml.title.max_length"),
    severity: Severity,
    message: z.string().describe("In the language chosen by Accept-Language"),
    value: z.unknown().describe("The offending value"),
    suggestion: z.unknown().optional().describe("A corrected value that passes the rule, when the rule has a fix"),
    fixed: z.boolean().optional().describe("With apply_fixes: the suggestion was applied"),
  })
  .meta({ id: "Issue" });
