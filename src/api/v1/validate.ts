import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { compileMapping, MappingError } from "../../core/mapping";
import { resolveMapping } from "../../services/mappings";
import { MAX_SYNC_RECORDS, validateRecords, type ValidateInput } from "../../services/validation";
import { type AppContext, caller } from "../context";
import { ProblemError } from "../problems";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";
import { InlineMapping, mappingFailure, mappingProblem } from "./mapping-schemas";
import { packFailure } from "./rule-packs";

const Severity = z.enum(["error", "warning", "info"]);

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

const Body = z.object({
  rule_pack: z
    .string()
    .max(64)
    .optional()
    .describe("A built-in pack (mercadolivre, shopee, google-merchant, common) or one of yours. Defaults to the mapping's marketplace"),
  category: z.string().max(64).optional().describe("Apply the pack's section for this category too, e.g. MLB1055. Without rule_pack, defaults to the mapping's category"),
  // Counted in the handler, so more than 1,000 records answers 413 pointing to jobs rather than 400.
  records: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .describe(`At most ${MAX_SYNC_RECORDS}. Canonical product records, or — with a mapping — records keyed by your own column names`),
  mapping_id: z.string().max(64).optional().describe("Map the records with this saved mapping first (map_…)"),
  mapping_version: z.number().int().min(1).optional().describe("With mapping_id: use this version instead of the latest"),
  mapping: InlineMapping.optional().describe("Or an unsaved mapping, same shape as POST /api/v1/mappings"),
  apply_fixes: z.boolean().default(false).describe("Apply the rules' fixes and return corrected records"),
});

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

/** More records than a synchronous request takes: 413, pointing to files and jobs. */
export function tooManyRecords(count: number): ProblemError {
  return new ProblemError("payload_too_large", {
    en: `At most ${MAX_SYNC_RECORDS} records per request (got ${count}). Upload the catalog with POST /api/v1/files and validate it with POST /api/v1/jobs.`,
    "pt-BR": `No máximo ${MAX_SYNC_RECORDS} registros por requisição (vieram ${count}). Envie o catálogo com POST /api/v1/files e valide com POST /api/v1/jobs.`,
  }, { limit_records: MAX_SYNC_RECORDS, jobs_url: "/api/v1/jobs" });
}

function badBody(pointer: string, en: string, pt: string): ProblemError {
  return new ProblemError("invalid_request", { en, "pt-BR": pt }, { errors: [{ detail: en, pointer }] });
}

export class Validate extends OpenAPIRoute {
  schema = {
    operationId: "validateRecords",
    tags: ["Validation"],
    summary: "Validate up to 1,000 records now",
    description:
      "Checks canonical product records against a rule pack and answers at once. Larger catalogs go through " +
      "files and jobs (POST /api/v1/files, POST /api/v1/jobs). `unique` rules hold across the records of the request.",
    request: { body: { content: { "application/json": { schema: Body } } } },
    responses: { "200": jsonResponse("Summary and per-record results", ValidationResponse), ...problemResponses(...AUTHED, 404, 413, 422) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    if (body.records.length > MAX_SYNC_RECORDS) throw tooManyRecords(body.records.length);
    const accountId = caller(c).accountId;
    let rulePack = body.rule_pack;
    let category = body.category;
    let mapping: ValidateInput["mapping"];
    if (body.mapping_id !== undefined && body.mapping !== undefined) {
      throw badBody("/mapping", "Send mapping_id or mapping, not both.", "Envie mapping_id ou mapping, não os dois.");
    }
    if (body.mapping_version !== undefined && body.mapping_id === undefined) {
      throw badBody("/mapping_version", "mapping_version needs mapping_id.", "mapping_version exige mapping_id.");
    }
    if (body.mapping_id !== undefined) {
      try {
        const saved = await resolveMapping(c.env, accountId, body.mapping_id, body.mapping_version);
        mapping = { compiled: saved.compiled, id: saved.id, version: saved.version };
        // The mapping's category belongs to its marketplace: it is the default only with that pack.
        if (rulePack === undefined) {
          rulePack = saved.marketplace;
          category ??= saved.category ?? undefined;
        }
      } catch (error) {
        throw mappingFailure(error, body.mapping_version ? `${body.mapping_id} version ${body.mapping_version}` : body.mapping_id);
      }
    } else if (body.mapping !== undefined) {
      try {
        mapping = { compiled: compileMapping(body.mapping), id: null, version: null };
      } catch (error) {
        throw error instanceof MappingError ? mappingProblem(error, "/mapping") : error;
      }
      if (rulePack === undefined) {
        rulePack = body.mapping.marketplace;
        category ??= body.mapping.category ?? undefined;
      }
    }
    if (rulePack === undefined) {
      throw badBody("/rule_pack", "rule_pack is required (or a mapping whose marketplace says which pack to use).", "rule_pack é obrigatório (ou um mapeamento cujo marketplace diga qual pacote usar).");
    }
    try {
      return await validateRecords(c.env, accountId, { rulePack, category, records: body.records, applyFixes: body.apply_fixes, locale: c.get("locale"), mapping });
    } catch (error) {
      throw packFailure(mappingFailure(error, ""), rulePack);
    }
  }
}
