import { z } from "zod";
import { renderDeep } from "../../core/text";
import { deletePack, describePack, listPacks, savePack } from "../../services/rule-packs";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { listOf } from "./models/pagination";

const Category = z.object({ id: z.string(), name: z.string() });

export const RulePackSummary = z
  .object({
    id: z.string().describe("Pack id, e.g. mercadolivre or your own slug"),
    name: z.string(),
    version: z.string().describe("The version declared in the pack itself"),
    description: z.string().nullable(),
    builtin: z.boolean(),
    revision: z.number().int().nullable().describe("Increases on every save of a custom pack; null for built-ins"),
    extends: z.array(z.string()),
    categories: z.array(Category),
    rule_count: z.number().int().nullable().describe("Effective rules outside categories, inherited ones included; null when the pack no longer compiles"),
    updated_at: Timestamp.nullable(),
    problem: z
      .string()
      .optional()
      .describe("Set when the pack no longer compiles because a pack it extends changed; fix it with PUT or delete it"),
  })
  .meta({ id: "RulePackSummary" });

const RuleInfo = z
  .object({
    id: z.string(),
    field: z.string(),
    check: z.string(),
    severity: z.enum(["error", "warning", "info"]),
  })
  .loose()
  .meta({ id: "RuleInfo" });

export const RulePack = RulePackSummary.extend({
  hash: z.string().describe("Hash of the pack's and its ancestors' sources: what results are tied to"),
  source: z.string().describe("The pack as submitted (YAML or JSON)"),
  rules: z.array(RuleInfo).describe("Effective rules in evaluation order, inherited ones included"),
  fields: z.array(z.string()).describe("Canonical fields the rules read"),
}).meta({ id: "RulePack" });

const PackIdParam = z.object({ id: z.string().max(64) });

const PACK_BODY = {
  content: {
    "application/yaml": { schema: z.string().describe("The pack as YAML (see docs/rules.md)") },
    "application/json": { schema: z.record(z.string(), z.unknown()).describe("The pack as a JSON object") },
  },
};

/** The pack as the body middleware read it: YAML or JSON text, capped at 256 KiB. */
function packBody(c: AppContext) {
  return { source: c.get("rawBody") ?? "", format: c.get("bodyFormat") ?? "yaml" };
}

export class ListRulePacks extends ApiRoute {
  schema = {
    operationId: "listRulePacks",
    tags: ["Rule packs"],
    summary: "List built-in rule packs and the account's own",
    description: "The built-in packs (mercadolivre, shopee, google-merchant, common) and the account's own, each with its categories and rule count. A custom pack that no longer compiles (because a pack it extends changed) carries `problem`.",
    responses: { "200": jsonResponse("All packs visible to the account, by id", listOf(RulePackSummary)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    return { data: renderDeep(await listPacks(c.env, caller(c).accountId), c.get("locale")), has_more: false };
  }
}

export class GetRulePack extends ApiRoute {
  schema = {
    operationId: "getRulePack",
    tags: ["Rule packs"],
    summary: "Get a rule pack: its source and its effective rules and fields",
    description: "The pack's source as submitted, and the rules and fields it applies once `extends` is resolved. With `category`, the rules of that category's section are included.",
    request: {
      params: PackIdParam,
      query: z.object({ category: z.string().max(64).optional().describe("Include this category's rules") }),
    },
    responses: { "200": jsonResponse("The pack", RulePack), ...problemResponses(...AUTHED, 404, 422) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    return describePack(c.env, caller(c).accountId, params.id, query.category);
  }
}

export class CreateRulePack extends ApiRoute {
  schema = {
    operationId: "createRulePack",
    tags: ["Rule packs"],
    summary: "Create a custom rule pack",
    description:
      "Send YAML (`Content-Type: application/yaml`) or the same structure as JSON. The pack may `extends` built-in packs " +
      "or your own. A pack that does not parse or compile is refused with `invalid_rule_pack` and a list of problems with lines.",
    request: { headers: IdempotencyHeaders, body: PACK_BODY },
    responses: {
      "201": jsonResponse("The saved pack (revision 1)", RulePack),
      ...problemResponses(...AUTHED, 409, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { source, format } = packBody(c);
    const pack = await savePack(c.env, caller(c).accountId, source, format);
    return c.json(pack, 201, { Location: `/api/v1/rule-packs/${pack.id}` });
  }
}

export class UpdateRulePack extends ApiRoute {
  schema = {
    operationId: "updateRulePack",
    tags: ["Rule packs"],
    summary: "Save a new revision of a custom rule pack",
    description: "Earlier revisions are kept, so finished jobs keep their meaning.",
    request: { params: PackIdParam, body: PACK_BODY },
    responses: { "200": jsonResponse("The pack at its new revision", RulePack), ...problemResponses(...AUTHED, 404, 409, 413, 415, 422) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const { source, format } = packBody(c);
    return savePack(c.env, caller(c).accountId, source, format, params.id);
  }
}

export class DeleteRulePack extends ApiRoute {
  schema = {
    operationId: "deleteRulePack",
    tags: ["Rule packs"],
    summary: "Delete a custom rule pack",
    description: "Refused while another of your packs extends it. Jobs that used it keep their results.",
    request: { params: PackIdParam },
    responses: { "204": { description: "Deleted" }, ...problemResponses(...AUTHED, 404, 409) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    await deletePack(c.env, caller(c).accountId, params.id);
    return c.body(null, 204);
  }
}

export function mountRulePacks(api: Api) {
  mount(api, "get", "/rule-packs", ListRulePacks);
  mount(api, "get", "/rule-packs/:id", GetRulePack);
  mount(api, "post", "/rule-packs", CreateRulePack, { idempotent: true, body: "pack" });
  mount(api, "put", "/rule-packs/:id", UpdateRulePack, { body: "pack" });
  mount(api, "delete", "/rule-packs/:id", DeleteRulePack);
}
