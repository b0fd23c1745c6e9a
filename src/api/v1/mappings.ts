import { z } from "zod";
import { MARKETPLACES, type Marketplace } from "../../core/marketplaces";
import { renderDeep, text } from "../../core/text";
import {
  createMapping,
  deleteMapping,
  getMapping,
  listMappings,
  listMappingVersions,
  listPresets,
  listTemplates,
  suggest,
  updateMapping,
} from "../../services/mappings";
import { metered } from "../../services/billing/quota";
import { meteredJson } from "../metered-response";
import { MAX_SYNC_RECORDS, preparePreview } from "../../services/validation";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, QUOTA_HEADERS, Timestamp, wholeNumber } from "../schemas";
import { InlineMapping, Mapping, MappingBody, Transform } from "./models/mapping";
import { ListQuery, listOf } from "./models/pagination";
import { ValidationResponse } from "./models/validation";
import { bilingualRefinement } from "../validation-messages";

const MappingVersion = z
  .object({ version: z.number().int(), name: z.string(), marketplace: z.string(), category: z.string().nullable(), created_at: Timestamp })
  .meta({ id: "MappingVersion" });

const Localized = z.object({ en: z.string(), "pt-BR": z.string() });

const TemplateField = z
  .object({
    field: z.string(),
    label: Localized,
    required: z.boolean(),
    requirement: z.enum(["required", "conditional", "recommended", "optional"]).describe("conditional: required when a condition of the rule holds; recommended: a warning-level requirement"),
    type: z.string().describe("string, decimal, integer, url, list, date or boolean"),
    items: z.string().optional().describe("Type of list items"),
    unit: z.enum(["g", "cm"]).optional(),
    min_length: z.number().int().optional(),
    max_length: z.number().int().optional(),
    values: z.array(z.unknown()).optional().describe("Allowed values"),
    min: z.number().optional(),
    max: z.number().optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
    min_items: z.number().int().optional(),
    max_items: z.number().int().optional(),
    pattern: z.string().optional(),
    example: z.unknown().describe("A value that passes every rule of the pack for this field"),
    synonyms: z.object({ en: z.array(z.string()), "pt-BR": z.array(z.string()) }).describe("Column names sellers use for the field"),
    rules: z.array(z.string()).describe("Ids of the pack's rules on the field"),
  })
  .meta({ id: "MappingTemplateField" });

const MappingTemplate = z
  .object({
    marketplace: z.string(),
    pack: z.object({ id: z.string(), version: z.string(), hash: z.string() }),
    category: z.object({ id: z.string(), name: z.string() }).nullable(),
    fields: z.array(TemplateField),
    required: z.array(z.string()).describe("Fields with requirement: required"),
  })
  .meta({ id: "MappingTemplate" });

const PresetRef = z.object({ id: z.string(), name: z.string(), verified: z.boolean(), score: z.number() });

const Suggestion = z
  .object({
    mapping: InlineMapping.describe("The proposed fields (confidence ≥ 0.75): review, then save with POST /api/v1/mappings"),
    fields: z.array(
      z.object({
        target: z.string(),
        source: z.string().optional(),
        sources: z.array(z.string()).optional(),
        value: z.unknown().optional(),
        transforms: z.array(Transform),
        confidence: z.number().describe("0–1; a recognised layout's columns ≈ 0.97 (0.85 unverified), exact synonyms ≈ 0.95, sample values alone ≤ 0.8"),
        match: z.enum(["name", "name_and_values", "values", "numbered_columns", "constant", "preset"]),
        status: z.enum(["proposed", "question"]).describe("question: not sure enough to propose; see questions"),
        evidence: z
          .array(z.object({ kind: z.string(), effect: z.number().describe("Confidence given, added or removed"), detail: z.string() }))
          .describe("Why: name match, layout, value checks (in the language chosen by Accept-Language)"),
      }),
    ),
    unmapped_columns: z.array(z.string()),
    unmapped_required: z.array(z.string()).describe("Required fields of the marketplace that the mapping does not fill"),
    preset: PresetRef.extend({
      version: z.string(),
      explicit: z.boolean().describe("Asked for with preset rather than recognised"),
      missing_columns: z.array(z.string()),
    })
      .nullable()
      .describe("The layout (ERP, store or marketplace export) the header was recognised as; see GET /api/v1/mappings/presets"),
    preset_alternatives: z.array(PresetRef),
    questions: z
      .array(
        z.object({
          field: z.string(),
          required: z.boolean(),
          text: z.string().describe('e.g. "Which column holds the title?"'),
          candidates: z.array(z.object({ columns: z.array(z.string()), confidence: z.number() })),
        }),
      )
      .describe("Fields to ask the seller about instead of guessing"),
    rejected: z
      .array(z.object({ field: z.string(), column: z.string(), reason: z.string() }))
      .describe("Columns whose name pointed at a field but whose values rule it out"),
  })
  .meta({ id: "MappingSuggestion" });

const Preset = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.string(),
    verified: z.boolean().describe("false: not confirmed from a public source; only suggested, never applied on its own"),
    description: z.string(),
    sources: z.array(z.object({ url: z.string(), note: z.string().describe("What the page confirms, or why it is not enough") })),
    file: z.record(z.string(), z.unknown()).describe("How such files are usually written: encoding, delimiter, decimal comma"),
    header: z.array(z.string()),
    fields: z.array(z.unknown()).describe("The mapping, in the shape of a saved mapping's fields"),
    unmapped: z.array(z.object({ column: z.string(), why: z.string() })),
  })
  .meta({ id: "MappingPreset" });

// Mapping ids are map_…; the marketplace listings below are concrete paths, matched first.
const IdParam = z.object({ id: z.string().max(64).describe("map_…") });

export class ListMappingTemplates extends ApiRoute {
  schema = {
    operationId: "listMappingTemplates",
    tags: ["Mappings"],
    summary: "What each marketplace (and category) needs: target fields, requirements, limits, examples, column synonyms",
    description:
      "Derived from the marketplace's rule pack on every call, so a template never disagrees with its pack. Without `marketplace`, " +
      `lists the general and per-category templates of ${MARKETPLACES.join(", ")}.`,
    request: {
      query: z.object({
        marketplace: z.string().max(64).optional(),
        category: z.string().max(64).optional().describe("Needs marketplace"),
      }),
    },
    responses: { "200": jsonResponse("Templates", listOf(MappingTemplate)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return { data: await listTemplates(c.env, caller(c).accountId, query.marketplace, query.category), has_more: false };
  }
}

export class SuggestMapping extends ApiRoute {
  schema = {
    operationId: "suggestMapping",
    tags: ["Mappings"],
    summary: "Propose a mapping for a file: its header and sample rows, or a stored file",
    description:
      "First recognises a known layout (Bling, Tiny, Shopify, Google Merchant, …; GET /api/v1/mappings/presets) from the header, " +
      "then matches the other columns accent- and case-insensitively against pt-BR and en synonyms. Every candidate is checked " +
      "against the sample values (GTINs with a valid check digit, URLs, prices with decimal commas, currencies, conditions); " +
      "unsure fields come back as questions. Send `headers` (+ `sample_rows`) or the `file_id` of an upload. Nothing is saved.",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z
              .object({
                marketplace: z.string().max(64),
                category: z.string().max(64).optional(),
                preset: z.string().max(64).optional().describe("Use this layout preset whether or not the header looks like it"),
                file_id: z
                  .string()
                  .max(64)
                  .optional()
                  .describe("Read the header and the first 50 rows of this uploaded file (any format or encoding); below a title, as a job does"),
                sheet: z.union([z.string().min(1).max(31), z.number().int().min(0).max(1000)]).optional().describe("With file_id, XLSX: the sheet, as in a job's options"),
                header_row: z.number().int().min(1).max(1_048_576).optional().describe("With file_id: the row holding the column names, as in a job's options"),
                first_data_row: z.number().int().min(2).max(1_048_576).optional().describe("With file_id: the first row of products, as in a job's options"),
                headers: z.array(z.string().max(200)).min(1).max(500).optional().describe("The file's header row"),
                sample_rows: z
                  .array(z.union([z.array(z.unknown()).max(500), z.record(z.string(), z.unknown())]))
                  .max(50)
                  .optional()
                  .describe("Up to 50 data rows: cell lists in header order, or objects keyed by column name"),
              })
              .refine(
                (b) => (b.file_id === undefined) !== (b.headers === undefined),
                bilingualRefinement(text("Send either headers (and sample_rows) or file_id", "Envie headers (e sample_rows) ou file_id")),
              )
              .refine(
                (b) => b.file_id !== undefined || (b.sheet === undefined && b.header_row === undefined && b.first_data_row === undefined),
                bilingualRefinement(text("sheet, header_row and first_data_row go with file_id", "sheet, header_row e first_data_row acompanham file_id")),
              )
              .refine((b) => b.header_row === undefined || b.first_data_row === undefined || b.first_data_row > b.header_row, {
                ...bilingualRefinement(text("first_data_row must come after header_row", "first_data_row deve vir depois de header_row")),
                path: ["first_data_row"],
              }),
          },
        },
      },
    },
    responses: { "200": jsonResponse("The suggestion", Suggestion), ...problemResponses(...AUTHED, 404, 413, 415, 422) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const layout = { sheet: body.sheet, headerRow: body.header_row, firstDataRow: body.first_data_row };
    const source = body.file_id !== undefined ? { fileId: body.file_id, layout } : { headers: body.headers!, sampleRows: body.sample_rows };
    const suggestion = await suggest(c.env, caller(c).accountId, { marketplace: body.marketplace, category: body.category, preset: body.preset, ...source });
    return renderDeep(suggestion, c.get("locale"));
  }
}

export class ListMappingPresets extends ApiRoute {
  schema = {
    operationId: "listMappingPresets",
    tags: ["Mappings"],
    summary: "The spreadsheet layouts Vitrine recognises: ERP, store platform, marketplace and feed exports",
    description:
      "Each preset maps a known layout's columns to canonical fields, cites where the layout was taken from, and says whether it " +
      "was confirmed from a public source. Suggestions and jobs without a mapping recognise these from the header.",
    responses: { "200": jsonResponse("Every preset", listOf(Preset)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    return { data: renderDeep(listPresets(), c.get("locale")), has_more: false };
  }
}

export class ListMappings extends ApiRoute {
  schema = {
    operationId: "listMappings",
    tags: ["Mappings"],
    summary: "List the account's mappings",
    description: "Each mapping at its latest version. Filter by `marketplace`; page with `limit` and `starting_after`.",
    request: { query: ListQuery.extend({ marketplace: z.string().max(64).optional().describe("Only this marketplace's mappings") }) },
    responses: { "200": jsonResponse("A page of mappings, newest first, each at its latest version", listOf(Mapping)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listMappings(c.env, caller(c).accountId, { marketplace: query.marketplace, limit: query.limit, startingAfter: query.starting_after });
  }
}

const pascal = (id: string) => id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");

/** GET /mappings/{marketplace}, one concrete path per built-in marketplace. */
function marketplaceMappings(marketplace: Marketplace) {
  return class ListMarketplaceMappings extends ApiRoute {
    schema = {
      operationId: `list${pascal(marketplace)}Mappings`,
      tags: ["Mappings"],
      summary: `List the account's mappings for ${marketplace}`,
      description: `Same as GET /api/v1/mappings?marketplace=${marketplace}. Read one mapping at /api/v1/mappings/{id}.`,
      request: { query: ListQuery },
      responses: { "200": jsonResponse("A page of mappings, newest first", listOf(Mapping)), ...problemResponses(...AUTHED) },
    };

    async handle(c: AppContext) {
      const { query } = await this.getValidatedData<typeof this.schema>();
      return listMappings(c.env, caller(c).accountId, { marketplace, limit: query.limit, startingAfter: query.starting_after });
    }
  };
}

export class CreateMapping extends ApiRoute {
  schema = {
    operationId: "createMapping",
    tags: ["Mappings"],
    summary: "Save a mapping (version 1)",
    description: "A mapping that does not compile (unknown target or transform, bad parameters, unsafe pattern, unknown marketplace or category) is refused with `invalid_mapping` and a pointer per problem.",
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: MappingBody } } } },
    responses: {
      "201": { ...jsonResponse("The saved mapping", Mapping), headers: { Location: { description: "The mapping's URL", schema: { type: "string" as const } } } },
      ...problemResponses(...AUTHED, 409, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const mapping = await createMapping(c.env, caller(c).accountId, body);
    return c.json(mapping, 201, { Location: `/api/v1/mappings/${mapping.id}` });
  }
}

export class GetMapping extends ApiRoute {
  schema = {
    operationId: "getMapping",
    tags: ["Mappings"],
    summary: "Get a mapping, at its latest version or at ?version=",
    description: "Without `version`, the latest version; jobs record the exact version they used, which stays readable here.",
    request: { params: IdParam, query: z.object({ version: wholeNumber(1, 1_000_000).optional() }) },
    responses: { "200": jsonResponse("The mapping", Mapping), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    return getMapping(c.env, caller(c).accountId, params.id, query.version);
  }
}

export class ListMappingVersions extends ApiRoute {
  schema = {
    operationId: "listMappingVersions",
    tags: ["Mappings"],
    summary: "List a mapping's versions, newest first",
    description: "Every saved version of the mapping, newest first: what a job's `mapping.version` refers to.",
    request: { params: IdParam },
    responses: { "200": jsonResponse("Every saved version", listOf(MappingVersion)), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    return { data: await listMappingVersions(c.env, caller(c).accountId, params.id), has_more: false };
  }
}

export class UpdateMapping extends ApiRoute {
  schema = {
    operationId: "updateMapping",
    tags: ["Mappings"],
    summary: "Save a new version of a mapping",
    description: "The whole mapping is replaced and its version increases. Earlier versions stay: jobs that used them keep their meaning.",
    request: { params: IdParam, body: { content: { "application/json": { schema: MappingBody } } } },
    responses: { "200": jsonResponse("The mapping at its new version", Mapping), ...problemResponses(...AUTHED, 404, 409, 413, 415, 422) },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    return updateMapping(c.env, caller(c).accountId, params.id, body);
  }
}

export class DeleteMapping extends ApiRoute {
  schema = {
    operationId: "deleteMapping",
    tags: ["Mappings"],
    summary: "Delete a mapping",
    description: "It disappears from the API; jobs that used it keep their results.",
    request: { params: IdParam },
    responses: { "204": { description: "Deleted" }, ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    await deleteMapping(c.env, caller(c).accountId, params.id);
    return c.body(null, 204);
  }
}

export class PreviewMapping extends ApiRoute {
  schema = {
    operationId: "previewMapping",
    tags: ["Mappings"],
    summary: "Map records with a mapping and validate them against its marketplace",
    description:
      "Records are objects keyed by the seller's column names. Each result has the mapped canonical record, the mapping issues " +
      "(rule ids mapping.*) and the rule pack's issues. With apply_fixes, `corrected_source` is the corrected record in the seller's own columns. " +
      "Each record counts as one validation, as at POST /api/v1/validate.",
    request: {
      params: IdParam,
      body: {
        content: {
          "application/json": {
            schema: z.object({
              records: z.array(z.record(z.string(), z.unknown())).min(1).describe(`At most ${MAX_SYNC_RECORDS}`),
              version: z.number().int().min(1).optional().describe("Preview an earlier version"),
              apply_fixes: z.boolean().default(false),
            }),
          },
        },
      },
    },
    responses: {
      "200": { ...jsonResponse("Mapped and validated records", ValidationResponse), headers: QUOTA_HEADERS },
      ...problemResponses(...AUTHED, 402, 404, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const accountId = caller(c).accountId;
    const prepared = await preparePreview(c.env, accountId, params.id, {
      records: body.records,
      version: body.version,
      applyFixes: body.apply_fixes,
      locale: c.get("locale"),
    });
    return meteredJson(c, await metered(c.env, caller(c), prepared, (work) => c.executionCtx.waitUntil(work)));
  }
}

export function mountMappings(api: Api) {
  // Concrete paths first: /mappings/{id} would otherwise catch "templates" or "shopee".
  mount(api, "get", "/mappings/templates", ListMappingTemplates);
  mount(api, "post", "/mappings/suggest", SuggestMapping);
  mount(api, "get", "/mappings/presets", ListMappingPresets);
  for (const marketplace of MARKETPLACES) mount(api, "get", `/mappings/${marketplace}`, marketplaceMappings(marketplace));
  mount(api, "get", "/mappings", ListMappings);
  mount(api, "post", "/mappings", CreateMapping, { idempotent: true });
  mount(api, "get", "/mappings/:id", GetMapping);
  mount(api, "put", "/mappings/:id", UpdateMapping);
  mount(api, "delete", "/mappings/:id", DeleteMapping);
  mount(api, "get", "/mappings/:id/versions", ListMappingVersions);
  mount(api, "post", "/mappings/:id/preview", PreviewMapping);
}
