import { eq } from "drizzle-orm";
import type { StripeConfig } from "../../config";
import { VitrineError } from "../../core/errors";
import { type Locale, text } from "../../core/text";
import { database } from "../../db/client";
import { subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { PLANS } from "../../core/plans";
import { ensureCustomer } from "./customers";
import { requireStripe, stripeClient, stripeFailure } from "./stripe-client";

/** Plans bought through Checkout; Free needs nothing and Enterprise is arranged with the operator. */
export type PaidPlan = "pro" | "business";

/** Where Stripe sends the person back to, by default: the dashboard's Billing page (src/web/pages/billing.tsx). */
const RETURN_PATH = "/app/billing";

/**
 * A URL the person is sent back to: absolute and on this deployment's own origin, so Checkout and
 * the portal can never be used to redirect someone elsewhere.
 */
function returnUrl(raw: string | undefined, origin: string, fallback: string, field: string): string {
  if (raw === undefined) return origin + fallback;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || url.origin !== origin || url.username || url.password) {
    throw new VitrineError("invalid_request", text(`${field} must be an address on ${origin}.`, `${field} deve ser um endereço em ${origin}.`), {
      errors: [{ detail: text(`must start with ${origin}/`, `deve começar com ${origin}/`), pointer: `/${field}` }],
    });
  }
  return url.href;
}

function enterpriseContact(settings: StripeConfig): VitrineError {
  const contact = settings.contact;
  return new VitrineError(
    "unprocessable",
    contact
      ? text(`Enterprise is arranged with us directly: write to ${contact} and we will set it up.`, `O plano Enterprise é combinado diretamente: escreva para ${contact} e nós o configuramos.`)
      : text(
          "Enterprise is arranged directly with the operator of this deployment, who sets it with the admin command.",
          "O plano Enterprise é combinado diretamente com quem opera esta instalação, que o define com o comando de administração.",
        ),
    { contact: contact ?? null },
  );
}

export interface CheckoutRequest {
  plan: "free" | PaidPlan | "enterprise";
  successUrl?: string;
  cancelUrl?: string;
}

/**
 * A Stripe Checkout session (mode subscription) for a paid plan: the plan's recurring price plus
 * its metered overage price. Checkout collects the CPF/CNPJ (tax id collection) and offers the
 * payment methods the operator enabled in Stripe (card, boleto, Pix). The client's
 * Idempotency-Key, scoped to the account, goes to Stripe too.
 */
export async function startCheckout(
  env: Env,
  accountId: string,
  request: CheckoutRequest,
  options: { origin: string; locale: Locale; idempotencyKey?: string },
): Promise<{ checkout_url: string }> {
  const settings = requireStripe(env);
  if (request.plan === "enterprise") throw enterpriseContact(settings);
  const successUrl = returnUrl(request.successUrl, options.origin, `${RETURN_PATH}?billing=subscribed`, "success_url");
  const cancelUrl = returnUrl(request.cancelUrl, options.origin, `${RETURN_PATH}?billing=canceled`, "cancel_url");
  const [current] = await database(env.DB)
    .select({ plan: subscriptions.plan, status: subscriptions.status })
    .from(subscriptions)
    .where(eq(subscriptions.accountId, accountId))
    .limit(1);
  if (current?.plan && (current.status === "active" || current.status === "past_due")) {
    // A second subscription would bill twice: changes to a live one go through the portal, where
    // downgrades and cancellations are set to take effect at the end of the period.
    throw new VitrineError(
      "conflict",
      text(
        `This account already subscribes to ${PLANS[current.plan].name}. Change plan or cancel in the billing portal (POST /api/v1/billing/portal); downgrades and cancellations take effect at the end of the period.`,
        `Esta conta já assina o plano ${PLANS[current.plan].name}. Troque de plano ou cancele no portal de cobrança (POST /api/v1/billing/portal); reduções e cancelamentos valem no fim do período.`,
      ),
      { plan: current.plan },
    );
  }
  if (request.plan === "free") {
    throw new VitrineError(
      "unprocessable",
      text("Free needs no subscription: every account starts on it.", "O plano Free não precisa de assinatura: toda conta começa nele."),
    );
  }
  const customer = await ensureCustomer(env, settings, accountId);
  const plan = request.plan;
  try {
    const session = await stripeClient(settings).checkout.sessions.create(
      {
        mode: "subscription",
        customer,
        client_reference_id: accountId,
        line_items: [{ price: settings.prices[plan], quantity: 1 }, { price: settings.overagePrices[plan] }],
        success_url: successUrl,
        cancel_url: cancelUrl,
        locale: options.locale === "pt-BR" ? "pt-BR" : "en",
        metadata: { account_id: accountId, plan },
        subscription_data: { metadata: { account_id: accountId, plan } },
        // CPF/CNPJ on the invoice; Stripe requires the name and address to be saved back to the customer.
        tax_id_collection: { enabled: true },
        customer_update: { name: "auto", address: "auto" },
        billing_address_collection: "required",
      },
      options.idempotencyKey ? { idempotencyKey: `vitrine-checkout-${accountId}-${options.idempotencyKey}` } : {},
    );
    if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
    return { checkout_url: session.url };
  } catch (error) {
    throw stripeFailure(error);
  }
}

/** A Stripe Billing Portal session: payment methods, invoices, plan changes and cancellation. */
export async function openPortal(env: Env, accountId: string, request: { returnUrl?: string }, options: { origin: string; locale: Locale }): Promise<{ url: string }> {
  const settings = requireStripe(env);
  const returnTo = returnUrl(request.returnUrl, options.origin, RETURN_PATH, "return_url");
  const customer = await ensureCustomer(env, settings, accountId);
  try {
    const session = await stripeClient(settings).billingPortal.sessions.create({ customer, return_url: returnTo, locale: options.locale === "pt-BR" ? "pt-BR" : "en" });
    return { url: session.url };
  } catch (error) {
    throw stripeFailure(error);
  }
}

