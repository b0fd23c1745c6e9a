import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { ALL_EVENTS, SUBSCRIBABLE_EVENT_TYPES } from "../../core/webhooks/events";
import { MAX_URL_LENGTH } from "../../core/webhooks/url-policy";
import { listDeliveries, retryDelivery } from "../../services/webhook-deliveries";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, rotateSecret, sendTestEvent, updateWebhook } from "../../services/webhooks";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { bilingualRefinement } from "../validation-messages";
import { ListQuery, listOf } from "./models/pagination";

const Subscription = z
  .enum([ALL_EVENTS, ...SUBSCRIBABLE_EVENT_TYPES] as [string, ...string[]])
  .describe(`An event type, or "${ALL_EVENTS}" for every type (including ones added later)`);

export const WebhookEndpoint = z
  .object({
    id: z.string().describe("whk_…"),
    url: z.string().describe("Where events are POSTed; https, public hosts only"),
    description: z.string().nullable(),
    events: z.array(Subscription),
    enabled: z.boolean(),
    // The account must be able to see why deliveries stopped without asking support.
    disabled_reason: z
      .enum(["gone", "failing", "manual"])
      .nullable()
      .describe("gone: the receiver answered 410; failing: every attempt failed for 5 days; manual: disabled through the API"),
    disabled_detail: z.string().nullable().describe("What happened, with dates and the last error"),
    disabled_at: Timestamp.nullable(),
    failing_since: Timestamp.nullable().describe("First failed attempt since the last success; the endpoint is disabled 5 days after it"),
    previous_secret_expires_at: Timestamp.nullable().describe("While set, deliveries are signed with the previous secret too"),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe("whsec_… signing secret. Shown only here: at creation and on rotation."),
}).meta({ id: "WebhookEndpointWithSecret" });

const WebhookAttempt = z
  .object({
    attempt: z.number().int().describe("1-based"),
    started_at: Timestamp,
    status_code: z.number().int().nullable().describe("null when no response came (timeout, network error, refused URL)"),
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    response_excerpt: z.string().nullable().describe("The first 1 KiB of the receiver's response"),
    succeeded: z.boolean(),
    next_retry_at: Timestamp.nullable().describe("When the attempt after this one was scheduled"),
  })
  .meta({ id: "WebhookAttempt" });

export const WebhookDelivery = z
  .object({
    id: z.string().describe("dlv_…: one event to one endpoint"),
    webhook_id: z.string(),
    event_id: z.string().describe("Also the webhook-id header of every attempt"),
    event_type: z.string(),
    status: z.enum(["pending", "sending", "succeeded", "failed"]),
    attempt_count: z.number().int(),
    next_attempt_at: Timestamp.nullable().describe("When the next automatic attempt is due"),
    last_attempt_at: Timestamp.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    attempts: z.array(WebhookAttempt).describe("Newest first"),
  })
  .meta({ id: "WebhookDelivery" });

const WebhookTestResult = z
  .object({
    event_id: z.string(),
    delivery_id: z.string(),
    succeeded: z.boolean().describe("The receiver answered 2xx"),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int().nullable(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "WebhookTestResult" });

const Url = z.string().trim().min(1).max(MAX_URL_LENGTH).describe("https URL of your receiver");
const Events = z.array(Subscription).min(1).max(SUBSCRIBABLE_EVENT_TYPES.length + 1);
const WebhookId = z.object({ id: z.string().max(64) });
const DeliveryParams = z.object({ id: z.string().max(64), delivery_id: z.string().max(64) });

const endpointNotFound = (id: string) => notFound(text("Webhook endpoint", "O endpoint de webhook"), id);

export class ListWebhooks extends ApiRoute {
  schema = {
    operationId: "listWebhooks",
    tags: ["Webhooks"],
    summary: "List webhook endpoints (never their secrets)",
    description: "Every endpoint with its events, state and, when disabled, why. Signing secrets are shown only at creation and rotation.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of endpoints, newest first", listOf(WebhookEndpoint)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listWebhooks(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
  }
}

export class CreateWebhook extends ApiRoute {
  schema = {
    operationId: "createWebhook",
    tags: ["Webhooks"],
    summary: "Create a webhook endpoint",
    description:
      "The URL must be https on a public host: loopback, private, link-local, CGNAT and cloud-metadata addresses are refused, " +
      "as are internal names (localhost, *.internal, …). The signing secret is returned only in this response.",
    request: {
      headers: IdempotencyHeaders,
      body: {
        content: {
          "application/json": {
            schema: z.object({ url: Url, events: Events, description: z.string().trim().max(500).optional() }),
          },
        },
      },
    },
    responses: { "201": jsonResponse("The endpoint, with its signing secret", WebhookEndpointWithSecret), ...problemResponses(...AUTHED, 409, 413, 415, 422) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return c.json(await createWebhook(c.env, caller(c).accountId, body), 201);
  }
}

export class GetWebhook extends ApiRoute {
  schema = {
    operationId: "getWebhook",
    tags: ["Webhooks"],
    summary: "Get a webhook endpoint",
    description: "The endpoint's URL, events and state: enabled, or why and since when it was disabled.",
    request: { params: WebhookId },
    responses: { "200": jsonResponse("The endpoint", WebhookEndpoint), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const endpoint = await getWebhook(c.env, caller(c).accountId, params.id);
    if (!endpoint) throw endpointNotFound(params.id);
    return endpoint;
  }
}

export class UpdateWebhook extends ApiRoute {
  schema = {
    operationId: "updateWebhook",
    tags: ["Webhooks"],
    summary: "Change a webhook endpoint's URL, events, description, or enable/disable it",
    description:
      "Enabling a disabled endpoint clears disabled_reason and failing_since. Disabling fails its pending deliveries; " +
      "retry them once it is enabled again.",
    request: {
      params: WebhookId,
      body: {
        content: {
          "application/json": {
            schema: z
              .object({ url: Url.optional(), events: Events.optional(), description: z.string().trim().max(500).nullable().optional(), enabled: z.boolean().optional() })
              .refine(
                (b) => Object.values(b).some((v) => v !== undefined),
                bilingualRefinement(text("Send at least one of url, events, description, enabled", "Envie ao menos um de url, events, description, enabled")),
              ),
          },
        },
      },
    },
    responses: { "200": jsonResponse("The updated endpoint", WebhookEndpoint), ...problemResponses(...AUTHED, 404, 413, 415) },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const endpoint = await updateWebhook(c.env, caller(c).accountId, params.id, body);
    if (!endpoint) throw endpointNotFound(params.id);
    return endpoint;
  }
}

export class DeleteWebhook extends ApiRoute {
  schema = {
    operationId: "deleteWebhook",
    tags: ["Webhooks"],
    summary: "Delete a webhook endpoint and its delivery log",
    description: "Nothing more is sent to it, including pending retries, and its delivery log is deleted.",
    request: { params: WebhookId },
    responses: { "204": { description: "Deleted; nothing more is sent to it" }, ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    if (!(await deleteWebhook(c.env, caller(c).accountId, params.id))) throw endpointNotFound(params.id);
    return c.body(null, 204);
  }
}

export class TestWebhook extends ApiRoute {
  schema = {
    operationId: "testWebhook",
    tags: ["Webhooks"],
    summary: "Send a webhook.test event to the endpoint now",
    description:
      "Signed and sent like any event (to a disabled endpoint too), once, without automatic retries. " +
      "Answers with how the receiver responded; the attempt also appears in the delivery log.",
    request: { params: WebhookId, headers: IdempotencyHeaders },
    responses: { "200": jsonResponse("The receiver's answer", WebhookTestResult), ...problemResponses(...AUTHED, 404, 409, 422) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const result = await sendTestEvent(c.env, caller(c).accountId, params.id);
    if (!result) throw endpointNotFound(params.id);
    return result;
  }
}

export class RotateWebhookSecret extends ApiRoute {
  schema = {
    operationId: "rotateWebhookSecret",
    tags: ["Webhooks"],
    summary: "Rotate the endpoint's signing secret",
    description:
      "Returns the new secret (only here). For 24 hours deliveries carry two signatures, one per secret, " +
      "so receivers can switch without rejecting anything; then only the new secret signs.",
    request: { params: WebhookId, headers: IdempotencyHeaders },
    responses: { "200": jsonResponse("The endpoint, with its new secret", WebhookEndpointWithSecret), ...problemResponses(...AUTHED, 404, 409, 422) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const endpoint = await rotateSecret(c.env, caller(c).accountId, params.id);
    if (!endpoint) throw endpointNotFound(params.id);
    return endpoint;
  }
}

export class ListWebhookDeliveries extends ApiRoute {
  schema = {
    operationId: "listWebhookDeliveries",
    tags: ["Webhooks"],
    summary: "List deliveries to an endpoint, each with its attempts",
    description: "Each delivery of an event to the endpoint, with every attempt: status code, latency, error and an excerpt of the response. Filter by `status` or `event_id`.",
    request: {
      params: WebhookId,
      query: ListQuery.extend({
        status: z.enum(["pending", "sending", "succeeded", "failed"]).optional(),
        event_id: z.string().max(64).optional(),
      }),
    },
    responses: { "200": jsonResponse("A page of deliveries, newest first", listOf(WebhookDelivery)), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const { accountId } = caller(c);
    if (!(await getWebhook(c.env, accountId, params.id))) throw endpointNotFound(params.id);
    return listDeliveries(c.env, accountId, params.id, {
      limit: query.limit,
      startingAfter: query.starting_after,
      status: query.status,
      eventId: query.event_id,
    });
  }
}

export class RetryWebhookDelivery extends ApiRoute {
  schema = {
    operationId: "retryWebhookDelivery",
    tags: ["Webhooks"],
    summary: "Retry a delivery now",
    description:
      "Queues an attempt right away, with the same webhook-id. A pending delivery keeps its retry schedule; " +
      "a failed or succeeded one gets exactly one more attempt.",
    request: { params: DeliveryParams },
    responses: { "202": jsonResponse("The delivery, queued", WebhookDelivery), ...problemResponses(...AUTHED, 404, 409) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    return c.json(await retryDelivery(c.env, caller(c).accountId, params.id, params.delivery_id), 202);
  }
}

export function mountWebhooks(api: Api) {
  mount(api, "get", "/webhooks", ListWebhooks);
  mount(api, "post", "/webhooks", CreateWebhook, { idempotent: true });
  mount(api, "get", "/webhooks/:id", GetWebhook);
  mount(api, "patch", "/webhooks/:id", UpdateWebhook);
  mount(api, "delete", "/webhooks/:id", DeleteWebhook);
  mount(api, "post", "/webhooks/:id/test", TestWebhook, { idempotent: true });
  mount(api, "post", "/webhooks/:id/rotate-secret", RotateWebhookSecret, { idempotent: true });
  mount(api, "get", "/webhooks/:id/deliveries", ListWebhookDeliveries);
  mount(api, "post", "/webhooks/:id/deliveries/:delivery_id/retry", RetryWebhookDelivery);
}
