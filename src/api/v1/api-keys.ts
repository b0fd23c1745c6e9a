import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { type AppContext, caller } from "../context";
import { notFound } from "../error-handler";
import { AUTHED, IdempotencyHeaders, jsonResponse, ListQuery, listOf, problemResponses, Timestamp } from "../schemas";

export const ApiKey = z
  .object({
    id: z.string().describe("key_…"),
    name: z.string(),
    // The prefix lets people tell keys apart in logs and dashboards without revealing them.
    prefix: z.string().describe("The key's first characters, e.g. vt_live_AbC1"),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable().describe("Refreshed at most once a minute"),
    revoked_at: Timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });

export const CreatedApiKey = ApiKey.extend({
  key: z.string().describe("The full secret key. Shown only once."),
}).meta({ id: "CreatedApiKey" });

const KeyId = z.object({ id: z.string().max(64) });

export class ListApiKeys extends OpenAPIRoute {
  schema = {
    operationId: "listApiKeys",
    tags: ["API keys"],
    summary: "List the account's API keys (never the secrets)",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of keys, newest first", listOf(ApiKey)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listApiKeys(c.env, caller(c).accountId, query.limit, query.starting_after);
  }
}

export class CreateApiKey extends OpenAPIRoute {
  schema = {
    operationId: "createApiKey",
    tags: ["API keys"],
    summary: "Create an API key",
    description: "The full key is returned only in this response.",
    request: {
      headers: IdempotencyHeaders,
      body: { content: { "application/json": { schema: z.object({ name: z.string().trim().min(1).max(100) }) } } },
    },
    responses: { "201": jsonResponse("The new key, with its secret", CreatedApiKey), ...problemResponses(...AUTHED, 409, 422) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return c.json(await createApiKey(c.env, caller(c).accountId, body.name), 201);
  }
}

export class RevokeApiKey extends OpenAPIRoute {
  schema = {
    operationId: "revokeApiKey",
    tags: ["API keys"],
    summary: "Revoke an API key",
    description: "The key stops working on its very next request. Revoking an already revoked key is a no-op.",
    request: { params: KeyId },
    responses: { "200": jsonResponse("The revoked key", ApiKey), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const key = await revokeApiKey(c.env, caller(c).accountId, params.id);
    if (!key) throw notFound("API key", params.id);
    return key;
  }
}
