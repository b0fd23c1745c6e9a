import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { envelopeSchema, EVENT_SUMMARIES, EVENT_TYPES, type EventType } from "../../core/webhooks/events";
import { getEvent, listEvents } from "../../services/events";
import { type AppContext, caller } from "../context";
import { EVENT_EXAMPLES } from "../examples";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";
import { ListQuery, listOf } from "./models/pagination";

/** ValidationCompletedEvent, JobStatusChangedEvent, … */
function componentName(type: EventType) {
  return type.split(/[._]/).map((w) => w[0].toUpperCase() + w.slice(1)).join("") + "Event";
}

const ENVELOPES = EVENT_TYPES.map((type) => envelopeSchema(type).meta({ id: componentName(type), description: EVENT_SUMMARIES[type] }));

export const Event = z
  .discriminatedUnion("type", ENVELOPES as unknown as [(typeof ENVELOPES)[number], ...(typeof ENVELOPES)[number][]])
  .meta({ id: "Event", description: "Something that happened in the account; what webhooks deliver" });

const EventType = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export class ListEvents extends ApiRoute {
  schema = {
    operationId: "listEvents",
    tags: ["Events"],
    summary: "List the account's events (kept for 30 days)",
    description: "What happened in the account in the last 30 days, newest first, exactly as webhooks deliver it. Filter by `type`.",
    request: { query: ListQuery.extend({ type: EventType.optional().describe("Only events of this type") }) },
    responses: { "200": jsonResponse("A page of events, newest first", listOf(Event)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listEvents(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after, type: query.type }, c.get("locale"));
  }
}

export class GetEvent extends ApiRoute {
  schema = {
    operationId: "getEvent",
    tags: ["Events"],
    summary: "Get an event",
    description: "One event, exactly as webhooks deliver it: use it to re-read an event your receiver missed.",
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { "200": jsonResponse("The event, exactly as webhooks deliver it", Event), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const event = await getEvent(c.env, caller(c).accountId, params.id, c.get("locale"));
    if (!event) throw notFound(text("Event", "O evento"), params.id);
    return event;
  }
}

const SignatureHeaders = z.object({
  "webhook-id": z.string().describe("The event id (evt_…); identical on every retry, so use it to deduplicate"),
  "webhook-timestamp": z.string().describe("Unix seconds when this attempt was signed; reject if more than 5 minutes off"),
  "webhook-signature": z
    .string()
    .describe('Space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per active secret (two during a rotation)'),
});

/**
 * The OpenAPI `webhooks` section: one entry per event type, describing the request
 * Vitrine sends to your endpoint and how your answer is read.
 */
function registerEventWebhooks(registry: Api["registry"]) {
  EVENT_TYPES.forEach((type, i) => {
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `${componentName(type)[0].toLowerCase()}${componentName(type).slice(1)}Webhook`,
      tags: ["Webhooks"],
      summary: EVENT_SUMMARIES[type],
      description:
        "Signed per Standard Webhooks; see docs/webhooks.md. Answer 2xx within 15 s to acknowledge. " +
        "Redirects are not followed; any other status, a timeout or a network error is retried for about three days.",
      security: [],
      request: { headers: SignatureHeaders, body: { required: true, content: { "application/json": { schema: ENVELOPES[i], examples: EVENT_EXAMPLES[type] } } } },
      responses: {
        "2XX": { description: "Received; nothing more is sent for this event" },
        "410": { description: "Gone: the endpoint is disabled at once" },
        default: { description: "Anything else: retried with backoff (Retry-After honoured)" },
      },
    });
  });
}

export function mountEvents(api: Api) {
  mount(api, "get", "/events", ListEvents);
  mount(api, "get", "/events/:id", GetEvent);
  registerEventWebhooks(api.registry);
}
