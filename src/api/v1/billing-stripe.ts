import { z } from "zod";
import { config } from "../../config";
import { openPortal, startCheckout } from "../../services/billing/checkout";
import { listInvoices } from "../../services/billing/invoices";
import { getSpendCap, setSpendCap } from "../../services/billing/spend-cap";
import { HANDLED_EVENT_TYPES, receiveStripeEvent } from "../../services/billing/stripe-webhook";
import { type AppContext, caller } from "../context";
import { readCapped } from "../middleware/body";
import { type Api, ApiRoute, mount, StreamedBodyRoute } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { ListQuery, listOf } from "./models/pagination";

/** Where Checkout and the portal may send the person back to: this deployment's own address. */
function origin(c: AppContext): string {
  return config(c.env).publicUrl ?? new URL(c.req.url).origin;
}

const ReturnUrl = z.string().max(2000);

const SubscribeBody = z.object({
  plan: z.enum(["free", "pro", "business", "enterprise"]).describe("The plan to subscribe to: pro or business (enterprise answers how to get in touch)"),
  success_url: ReturnUrl.optional().describe("Where Checkout sends the person after paying; must be on this deployment's PUBLIC_URL origin"),
  cancel_url: ReturnUrl.optional().describe("Where Checkout sends the person who gives up; same origin rule"),
});

export class Subscribe extends ApiRoute {
  schema = {
    operationId: "subscribe",
    tags: ["Billing"],
    summary: "Start a subscription through Stripe Checkout",
    description:
      "Answers the Checkout address to send the person to. The plan changes when Stripe confirms the payment (a signed event), " +
      "not when this call returns. Accounts that already subscribe change plan or cancel in the portal (409). " +
      "Without Stripe configured the deployment answers 501.",
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: SubscribeBody } } } },
    responses: {
      "200": jsonResponse("Where to send the person to pay", z.object({ checkout_url: z.string().describe("Stripe Checkout, valid for 24 hours") }).meta({ id: "CheckoutSession" })),
      ...problemResponses(...AUTHED, 409, 413, 415, 422, 501, 502),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return startCheckout(
      c.env,
      caller(c).accountId,
      { plan: body.plan, successUrl: body.success_url, cancelUrl: body.cancel_url },
      { origin: origin(c), locale: c.get("locale"), idempotencyKey: c.req.header("idempotency-key") },
    );
  }
}

export class OpenPortal extends ApiRoute {
  schema = {
    operationId: "openBillingPortal",
    tags: ["Billing"],
    summary: "Open the Stripe Billing Portal",
    description: "Payment methods, invoices, plan changes and cancellation (at the end of the period). The address is valid for a short while: open it at once.",
    request: { body: { content: { "application/json": { schema: z.object({ return_url: ReturnUrl.optional().describe("Where the portal's back link goes; on this deployment's origin") }) } } } },
    responses: {
      "200": jsonResponse("The portal session's address", z.object({ url: z.string() }).meta({ id: "BillingPortalSession" })),
      ...problemResponses(...AUTHED, 413, 415, 501, 502),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return openPortal(c.env, caller(c).accountId, { returnUrl: body.return_url }, { origin: origin(c), locale: c.get("locale") });
  }
}

// Amounts stay in the currency's minor unit, as Stripe gives them: no float ever touches money.
const Invoice = z
  .object({
    id: z.string().describe("Stripe's invoice id (in_…)"),
    number: z.string().nullable().describe("The number printed on the invoice; null while a draft"),
    status: z.string().describe("draft, open, paid, uncollectible or void"),
    amount_due: z.number().int().describe("In the currency's minor unit (cents)"),
    amount_paid: z.number().int(),
    total: z.number().int(),
    currency: z.string().describe("ISO 4217, lowercase (usd, brl)"),
    period: z.object({ start: Timestamp, end: Timestamp }).describe("The usage period the invoice covers"),
    hosted_invoice_url: z.string().nullable().describe("Stripe's page to view and pay it (card, boleto, Pix as configured)"),
    invoice_pdf: z.string().nullable(),
    created_at: Timestamp,
  })
  .meta({ id: "Invoice" });

export class ListInvoices extends ApiRoute {
  schema = {
    operationId: "listInvoices",
    tags: ["Billing"],
    summary: "List the account's invoices",
    description: "Newest first, as Stripe's invoice events last described them. Empty when billing is off.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of invoices", listOf(Invoice)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listInvoices(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
  }
}

const SpendCap = z
  .object({
    spend_cap_cents: z.number().int().nullable().describe("Most overage may cost per period, in cents; null: no cap"),
    currency: z.string().nullable().describe("The subscription's currency (usd, brl), once there is one"),
  })
  .meta({ id: "SpendCap" });

export class GetSpendCap extends ApiRoute {
  schema = {
    operationId: "getSpendCap",
    tags: ["Billing"],
    summary: "Get the monthly spend cap on overage",
    responses: { "200": jsonResponse("The cap", SpendCap), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    return getSpendCap(c.env, caller(c).accountId);
  }
}

export class SetSpendCap extends ApiRoute {
  schema = {
    operationId: "setSpendCap",
    tags: ["Billing"],
    summary: "Set the monthly spend cap on overage",
    description:
      "Paid plans may validate past their allowance, each 1,000 beyond it billed at the overage price. With a cap, work stops " +
      "where the overage would cost more than the cap in the period, and no more overage is reported to Stripe. null removes the cap.",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z.object({ spend_cap_cents: z.number().int().min(0).max(100_000_000).nullable().describe("In cents of the subscription's currency; 0: no overage at all") }),
          },
        },
      },
    },
    responses: { "200": jsonResponse("The cap now", SpendCap), ...problemResponses(...AUTHED, 413, 415, 501, 502) },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return setSpendCap(c.env, caller(c).accountId, body.spend_cap_cents);
  }
}

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

export function mountBillingStripe(api: Api) {
  mount(api, "post", "/billing/subscribe", Subscribe, { idempotent: true });
  mount(api, "post", "/billing/portal", OpenPortal);
  mount(api, "get", "/billing/invoices", ListInvoices);
  mount(api, "get", "/billing/spend-cap", GetSpendCap);
  mount(api, "put", "/billing/spend-cap", SetSpendCap);
  mount(api, "post", "/billing/stripe/webhook", StripeWebhook, { public: true, body: "stream" });
}
