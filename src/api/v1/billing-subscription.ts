import { z } from "zod";
import { config } from "../../config";
import { openPortal, startCheckout } from "../../services/billing/checkout";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses } from "../schemas";

// A subscription is bought and managed on Stripe's pages: Checkout to subscribe, the portal for the rest.

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

export function mountBillingSubscription(api: Api) {
  mount(api, "post", "/billing/subscribe", Subscribe, { idempotent: true });
  mount(api, "post", "/billing/portal", OpenPortal);
}
