import Stripe from "stripe";
import { type StripeConfig, config } from "../../config";
import { VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import type { Env } from "../../env";

const clients = new WeakMap<StripeConfig, Stripe>();

/** Billing is on when STRIPE_SECRET_KEY is set. */
export function stripeConfig(env: Env): StripeConfig | undefined {
  return config(env).stripe;
}

export const BILLING_OFF = text(
  "Billing is not configured on this deployment: every plan's features are available without a subscription.",
  "A cobrança não está configurada nesta instalação: os recursos de todos os planos estão disponíveis sem assinatura.",
);

/** The Stripe configuration, or a 501 problem when billing is off. */
export function requireStripe(env: Env): StripeConfig {
  const stripe = stripeConfig(env);
  if (!stripe) throw new VitrineError("billing_not_configured", BILLING_OFF);
  return stripe;
}

/**
 * The `stripe` package for this configuration, on the runtime's fetch (Workers have no Node
 * http module). STRIPE_API_URL becomes host/port/protocol, so stripe-mock or a fake can stand in.
 */
export function stripeClient(settings: StripeConfig): Stripe {
  const hit = clients.get(settings);
  if (hit) return hit;
  const client = new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    host: settings.api.host,
    port: settings.api.port,
    protocol: settings.api.protocol,
    // One retry of a dropped connection or a 5xx; POSTs carry an idempotency key, so it is safe.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
  });
  clients.set(settings, client);
  return client;
}

/** Signature checks run on WebCrypto in Workers. */
export const webCrypto = Stripe.createSubtleCryptoProvider();

/** A Stripe call that failed: 502 with Stripe's request id, never Stripe's message (it may name our configuration). */
export function stripeFailure(error: unknown): VitrineError {
  const requestId = error instanceof Stripe.errors.StripeError ? error.requestId : undefined;
  console.error(JSON.stringify({ level: "error", msg: "stripe request failed", error: String(error), stripe_request_id: requestId }));
  return new VitrineError(
    "payment_provider_error",
    text("The payment provider did not answer as expected. Try again in a few minutes.", "O provedor de pagamentos não respondeu como esperado. Tente de novo em alguns minutos."),
    { retry_after: 60 },
  );
}
