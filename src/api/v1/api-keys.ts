import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses } from "../schemas";
import { ApiKey, CreatedApiKey } from "./models/api-key";
import { ListQuery, listOf } from "./models/pagination";

const KeyId = z.object({ id: z.string().max(64) });

export class ListApiKeys extends ApiRoute {
  schema = {
    operationId: "listApiKeys",
    tags: ["API keys"],
    summary: "List the account's API keys (never the secrets)",
    description: "Each key's id, name, prefix and when it was created, last used and revoked. The secrets themselves are shown only once, when a key is created.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of keys, newest first", listOf(ApiKey)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listApiKeys(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
  }
}

export class CreateApiKey extends ApiRoute {
  schema = {
    operationId: "createApiKey",
    tags: ["API keys"],
    summary: "Create an API key",
    description: "The full key is returned only in this response.",
    request: {
      headers: IdempotencyHeaders,
      body: { content: { "application/json": { schema: z.object({ name: z.string().trim().min(1).max(100) }) } } },
    },
    responses: { "201": jsonResponse("The new key, with its secret", CreatedApiKey), ...problemResponses(...AUTHED, 409, 413, 415, 422) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return c.json(await createApiKey(c.env, caller(c).accountId, body.name), 201);
  }
}

export class RevokeApiKey extends ApiRoute {
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
    if (!key) throw notFound(text("API key", "A chave de API"), params.id);
    return key;
  }
}

export function mountApiKeys(api: Api) {
  mount(api, "get", "/api-keys", ListApiKeys);
  mount(api, "post", "/api-keys", CreateApiKey, { idempotent: true });
  mount(api, "delete", "/api-keys/:id", RevokeApiKey);
}
