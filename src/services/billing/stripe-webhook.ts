import { eq, lt } from "drizzle-orm";
import type Stripe from "stripe";
import type { StripeConfig } from "../../config";
import { VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import { database } from "../../db/client";
import { stripeEvents } from "../../db/schema";
import type { Env } from "../../env";
import { requireStripe, stripeClient, webCrypto } from "./stripe-client";
import { type ApplyOutcome, applyInvoice, applySubscription, paymentFailed } from "./subscription-state";

/** Stripe's own default: a signature older (or newer) than five minutes is refused, so a captured request cannot be replayed later. */
const SIGNATURE_TOLERANCE_S = 300;
/** Applied event ids are kept well past Stripe's three days of retries. */
const EVENT_MEMORY_MS = 30 * 24 * 3600 * 1000;

export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.finalized",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export interface WebhookOutcome {
  received: true;
  /** What was done: applied, duplicate (already applied), ignored (a type or object that is not ours) or stale (an older version). */
  outcome: "applied" | "duplicate" | "ignored" | "stale";
}

const BAD_SIGNATURE = text(
  "The Stripe-Signature header does not match this body, or was made too long ago.",
  "O cabeçalho Stripe-Signature não corresponde a este corpo, ou foi feito há tempo demais.",
);

/**
 * A webhook delivery from Stripe: verified with the endpoint's secret (a bad or stale signature
 * changes nothing), applied once per event id, and safe in any order.
 */
export async function receiveStripeEvent(env: Env, payload: string, signatureHeader: string | undefined): Promise<WebhookOutcome> {
  const settings = requireStripe(env);
  let event: Stripe.Event;
  try {
    if (!signatureHeader) throw new Error("no Stripe-Signature header");
    event = await stripeClient(settings).webhooks.constructEventAsync(payload, signatureHeader, settings.webhookSecret, SIGNATURE_TOLERANCE_S, webCrypto);
  } catch {
    throw new VitrineError("invalid_request", BAD_SIGNATURE, { errors: [{ detail: BAD_SIGNATURE, parameter: "Stripe-Signature" }] });
  }
  const db = database(env.DB);
  const [seen] = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  if (seen) return { received: true, outcome: "duplicate" };
  const outcome = await apply(env, settings, event);
  // Remembered only once applied: if applying failed, Stripe's retry runs it again.
  await db.insert(stripeEvents).values({ id: event.id, type: event.type, created: event.created, processedAt: Date.now() }).onConflictDoNothing();
  return { received: true, outcome };
}

async function apply(env: Env, settings: StripeConfig, event: Stripe.Event): Promise<WebhookOutcome["outcome"]> {
  const source = { eventId: event.id, refetched: false };
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const id = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
      if (session.mode !== "subscription" || !id) return "ignored";
      // The session names the subscription only: its state is read from Stripe.
      return subscriptionOutcome(await applyFetched(env, settings, id, event));
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const outcome = await applySubscription(env, settings, event.data.object, event.created, source);
      if (outcome !== "in_doubt") return subscriptionOutcome(outcome);
      return subscriptionOutcome(await applyFetched(env, settings, event.data.object.id, event));
    }
    case "invoice.finalized":
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = event.data.object;
      const stored = await applyInvoice(env, invoice, event.created);
      if (!stored) return "ignored";
      if (event.type === "invoice.payment_failed") await paymentFailed(env, settings, invoice, event.id);
      return "applied";
    }
    default:
      return "ignored";
  }
}

/** Applies the subscription as Stripe has it now, as of the event that made us ask. */
async function applyFetched(env: Env, settings: StripeConfig, subscriptionId: string, event: Stripe.Event): Promise<ApplyOutcome> {
  const current = await stripeClient(settings).subscriptions.retrieve(subscriptionId);
  return applySubscription(env, settings, current, event.created, { eventId: event.id, refetched: true });
}

function subscriptionOutcome(outcome: ApplyOutcome): WebhookOutcome["outcome"] {
  if (outcome === "applied") return "applied";
  if (outcome === "stale") return "stale";
  return "ignored";
}

/** Forgets applied event ids after 30 days (the minute cron). */
export async function purgeStripeEvents(env: Env, now = Date.now()): Promise<void> {
  await database(env.DB).delete(stripeEvents).where(lt(stripeEvents.processedAt, now - EVENT_MEMORY_MS));
}
