import { z } from "zod";
import { HANDLED_EVENT_TYPES, receiveStripeEvent } from "../../services/billing/stripe-webhook";
import type { AppContext } from "../context";
import { readCapped } from "../middleware/body";
import { type Api, mount, StreamedBodyRoute } from "../route";
import { jsonResponse, problemResponses } from "../schemas";

/** Stripe's events are a few kilobytes; a megabyte leaves room for large invoices. */
const MAX_EVENT_BYTES = 1024 * 1024;

export class StripeWebhook extends StreamedBodyRoute {
  schema = {
    operationId: "receiveStripeWebhook",
    tags: ["Billing"],
    summary: "Receive Stripe's events (for Stripe only)",
    description:
      "The endpoint to register in Stripe (Developers → Webhooks). Verified with STRIPE_WEBHOOK_SECRET: a bad or stale " +
      `Stripe-Signature answers 400 and changes nothing. Handles ${HANDLED_EVENT_TYPES.join(", ")}; other types are acknowledged. ` +
      "Each event id is applied once; events may arrive in any order.",
    security: [],
    request: {
      headers: z.object({ "stripe-signature": z.string().describe("t=<unix seconds>,v1=<hex HMAC-SHA256 of t.body>") }),
      body: { content: { "application/json": { schema: z.object({ id: z.string(), type: z.string() }).passthrough().meta({ id: "StripeEvent" }) } } },
    },
    responses: {
      "200": jsonResponse(
        "Received",
        z.object({ received: z.literal(true), outcome: z.enum(["applied", "duplicate", "ignored", "stale"]) }).meta({ id: "StripeWebhookReceipt" }),
      ),
      ...problemResponses(400, 413, 501),
    },
  };

  async handle(c: AppContext) {
    const payload = await readCapped(c.req.raw, MAX_EVENT_BYTES);
    return receiveStripeEvent(c.env, payload, c.req.header("stripe-signature"));
  }
}

export function mountStripeWebhook(api: Api) {
  mount(api, "post", "/billing/stripe/webhook", StripeWebhook, { public: true, body: "stream" });
}
