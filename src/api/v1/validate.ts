import { z } from "zod";
import { MARKETPLACE_LIST } from "../../core/marketplaces";
import { metered } from "../../services/billing/quota";
import { meteredJson } from "../metered-response";
import { MAX_SYNC_RECORDS, prepareValidation, resolveTarget } from "../../services/validation";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, QUOTA_HEADERS } from "../schemas";
import { InlineMapping } from "./models/mapping";
import { ValidationResponse } from "./models/validation";

const Body = z.object({
  rule_pack: z
    .string()
    .max(64)
    .optional()
    .describe(`A built-in pack (${MARKETPLACE_LIST}, common) or one of yours. Defaults to the mapping's marketplace`),
  category: z.string().max(64).optional().describe("Apply the pack's section for this category too, e.g. MLB1055. Without rule_pack, defaults to the mapping's category"),
  // Counted by the service, so more than 1,000 records answers 413 pointing to jobs rather than 400.
  records: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .describe(`At most ${MAX_SYNC_RECORDS}. Canonical product records, or — with a mapping — records keyed by your own column names`),
  mapping_id: z.string().max(64).optional().describe("Map the records with this saved mapping first (map_…)"),
  mapping_version: z.number().int().min(1).optional().describe("With mapping_id: use this version instead of the latest"),
  mapping: InlineMapping.optional().describe("Or an unsaved mapping, same shape as POST /api/v1/mappings"),
  apply_fixes: z.boolean().default(false).describe("Apply the rules' fixes and return corrected records"),
});

export class Validate extends ApiRoute {
  schema = {
    operationId: "validateRecords",
    tags: ["Validation"],
    summary: "Validate up to 1,000 records now",
    description:
      "Checks canonical product records against a rule pack and answers at once. Larger catalogs go through " +
      "files and jobs (POST /api/v1/files, POST /api/v1/jobs). `unique` rules hold across the records of the request. " +
      "Each record is one validation of the plan's allowance, counted before the work starts: a request that does not fit in " +
      "what is left answers 402 as a whole (Vitrine-Quota-* headers tell what is left).",
    request: { body: { content: { "application/json": { schema: Body } } } },
    responses: {
      "200": { ...jsonResponse("Summary and per-record results", ValidationResponse), headers: QUOTA_HEADERS },
      ...problemResponses(...AUTHED, 402, 404, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const accountId = caller(c).accountId;
    const target = await resolveTarget(c.env, accountId, {
      rulePack: body.rule_pack,
      category: body.category,
      mappingId: body.mapping_id,
      mappingVersion: body.mapping_version,
      mapping: body.mapping,
    });
    const prepared = await prepareValidation(c.env, accountId, { ...target, records: body.records, applyFixes: body.apply_fixes, locale: c.get("locale") });
    return meteredJson(c, await metered(c.env, caller(c), prepared, (work) => c.executionCtx.waitUntil(work)));
  }
}

export function mountValidate(api: Api) {
  mount(api, "post", "/validate", Validate);
}
