import { z } from "zod";

// Issues are what every validation path reports (/validate, previews, job results): one shape.

export const Severity = z.enum(["error", "warning", "info"]);

export const Issue = z
  .object({
    row: z.number().int().describe("1-based record number (the header of a file is row 0)"),
    field: z.string().describe("Canonical field path; list items as images[2]"),
    rule: z.string().describe("Stable rule id, e.g. ml.title.max_length"),
    severity: Severity,
    message: z.string().describe("In the language chosen by Accept-Language"),
    value: z.unknown().describe("The offending value"),
    suggestion: z.unknown().optional().describe("A corrected value that passes the rule, when the rule has a fix"),
    fixed: z.boolean().optional().describe("With apply_fixes: the suggestion was applied"),
  })
  .meta({ id: "Issue" });
