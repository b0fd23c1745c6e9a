import Stripe from "stripe";
import { expect } from "vitest";
import { buildApp } from "../../src/app";
import type { Env } from "../../src/env";
import { FAKE_API_VERSION, FAKE_STRIPE_SECRET_KEY, FAKE_STRIPE_WEBHOOK_SECRET } from "../fakes/stripe";
import { BASE, env, newAccount } from "../helpers";

/**
 * The test side (in workerd) of the Stripe fake (test/fakes/stripe.ts). Every other test file runs
 * with billing off; these call the app with STRIPE_SECRET_KEY added to the bindings.
 */
export const CONTROL = "https://control.stripe.test";

/** The Worker's bindings with billing on (one object per test file: the parsed config is cached per env). */
export const billingEnv: Env = { ...env, STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY };

const app = buildApp();
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** A request to the Worker with billing on. */
export function callBilling(path: string, init: RequestInit & { key?: string; json?: unknown } = {}, bindings: Env = billingEnv): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return Promise.resolve(app.request(BASE + path, { ...init, headers, body }, bindings, ctx));
}

const stripe = new Stripe(FAKE_STRIPE_SECRET_KEY, { httpClient: Stripe.createFetchHttpClient() });
const crypto = Stripe.createSubtleCryptoProvider();
let events = 0;

/** An Event object as Stripe sends it (docs.stripe.com/api/events/object). */
export function stripeEvent(type: string, object: unknown, options: { created?: number; id?: string; previous?: unknown } = {}) {
  events++;
  return {
    id: options.id ?? `evt_test_${Date.now().toString(36)}${events}${Math.random().toString(36).slice(2, 8)}`,
    object: "event",
    api_version: FAKE_API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    data: { object, ...(options.previous !== undefined && { previous_attributes: options.previous }) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** The Stripe-Signature header for `payload`, made by the `stripe` package's test helper. */
export function signature(payload: string, options: { timestamp?: number; secret?: string } = {}): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? FAKE_STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp,
    cryptoProvider: crypto,
  });
}

/** Delivers an event to the webhook endpoint as Stripe would: the raw JSON body, signed. */
export async function deliver(event: unknown, options: { timestamp?: number; secret?: string; bindings?: Env } = {}): Promise<Response> {
  const payload = JSON.stringify(event, null, 2);
  return callBilling(
    "/api/v1/billing/stripe/webhook",
    { method: "POST", body: payload, headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": await signature(payload, options) } },
    options.bindings,
  );
}

export async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(CONTROL + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  expect(res.ok, `${path}: ${res.status}`).toBe(true);
  return res.status === 204 ? undefined : res.json();
}

/** The customers the fake holds for an account (by metadata.account_id), with their meter totals. */
export function customersOf(accountId: string): Promise<{ customer: any; subscriptions: { id: string; status: string }[]; meter: { total: number; events: any[] } }[]> {
  return control(`/customers?account_id=${encodeURIComponent(accountId)}`);
}

/** A fresh account that went through Checkout at the fake: the session, subscription and first invoice Stripe now holds. */
export async function paidCheckout(plan: "pro" | "business" = "pro") {
  const account = await newAccount();
  const res = await callBilling("/api/v1/billing/subscribe", { method: "POST", key: account.key, json: { plan } });
  expect(res.status).toBe(200);
  const sessionId = ((await res.json()) as { checkout_url: string }).checkout_url.split("/").pop();
  const done = (await control(`/checkout/${sessionId}/complete`, {})) as { session: any; subscription: any; invoice: any };
  return { ...account, ...done };
}

/** Subscribed: the two events Stripe sends after Checkout, delivered and applied. */
export async function subscribed(plan: "pro" | "business" = "pro") {
  const paid = await paidCheckout(plan);
  const t = paid.subscription.created;
  expect(await (await deliver(stripeEvent("checkout.session.completed", paid.session, { created: t }))).json()).toEqual({ received: true, outcome: "applied" });
  expect(await (await deliver(stripeEvent("customer.subscription.created", paid.subscription, { created: t }))).json()).toMatchObject({ received: true });
  return paid;
}

