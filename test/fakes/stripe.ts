import type { FakeHost } from "./router.js";

/**
 * A fake of the parts of Stripe's API that billing uses, answering the `stripe` package as
 * Stripe would (form-encoded requests, JSON objects shaped like the API reference):
 *
 *   POST https://api.stripe.test/v1/customers                 docs.stripe.com/api/customers/object
 *   GET  https://api.stripe.test/v1/customers/{id}
 *   DEL  https://api.stripe.test/v1/customers/{id}             docs.stripe.com/api/customers/delete
 *   POST https://api.stripe.test/v1/checkout/sessions         docs.stripe.com/api/checkout/sessions/object
 *   POST https://api.stripe.test/v1/billing_portal/sessions   docs.stripe.com/api/customer_portal/sessions/object
 *   GET  https://api.stripe.test/v1/subscriptions/{id}        docs.stripe.com/api/subscriptions/object (periods on the
 *                                                             items: docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end)
 *   GET  https://api.stripe.test/v1/invoices/{id}             docs.stripe.com/api/invoices/object
 *   GET  https://api.stripe.test/v1/prices/{id}               docs.stripe.com/api/prices/object
 *   POST https://api.stripe.test/v1/billing/meter_events      docs.stripe.com/api/billing/meter-event/create
 *
 * Errors are `{ error: { type, message, param? } }` with a `request-id` header (docs.stripe.com/api/errors).
 * `Idempotency-Key` replays the first response of a POST (docs.stripe.com/api/idempotent_requests), and
 * meter events count once per `identifier` (Stripe enforces its uniqueness over a rolling window).
 *
 * What happens in Stripe's hosted pages, and what the tests look at, goes through
 * https://control.stripe.test:
 *   POST /checkout/{cs_id}/complete   the customer pays: a subscription and its paid first invoice
 *   POST /subscriptions/{id}          changes a subscription (status, plan, cancel_at_period_end, renew, period_start/_end)
 *   POST /invoices                    a new invoice of a subscription ({ subscription, status, amount_due })
 *   GET  /customers?account_id=…      the customers created with that metadata, their subscriptions and meter totals
 *   GET  /checkout/{cs_id}            a session as created, with the idempotency key it came with
 *   POST /script                      { path, customer?, times, status, lose_response? } answers the next matching requests
 *                                     with `status`; with lose_response the request is carried out first
 */

export const FAKE_STRIPE_SECRET_KEY = "sk_test_fake_key_not_used_anywhere_else";
export const FAKE_STRIPE_WEBHOOK_SECRET = "whsec_fake_secret_not_used_anywhere_else";
export const FAKE_PRICES = {
  pro: "price_fake_pro_monthly",
  business: "price_fake_business_monthly",
  proOverage: "price_fake_pro_overage",
  businessOverage: "price_fake_business_overage",
} as const;
export const FAKE_METER_EVENT_NAME = "vitrine_validations";

const API_VERSION = "2026-11-18.endive";
const MONTH_S = 30 * 24 * 3600;

type StripeObject = Record<string, any>;

const customers = new Map<string, StripeObject>();
const sessions = new Map<string, { session: StripeObject; idempotencyKey: string | null; lineItems: { price: string; quantity?: number }[] }>();
const subscriptions = new Map<string, StripeObject>();
const invoices = new Map<string, StripeObject>();
/** identifier → the first meter event with it; `meterPosts` counts every request, duplicates included. */
const meterEvents = new Map<string, StripeObject>();
let meterPosts = 0;
const idempotent = new Map<string, { status: number; body: string }>();
const scripts: { path: string; customer?: string; times: number; status: number; loseResponse: boolean }[] = [];
let sequence = 0;

const PRICES: Record<string, StripeObject> = {
  [FAKE_PRICES.pro]: price(FAKE_PRICES.pro, "prod_fake_pro", 4900, { usage_type: "licensed" }),
  [FAKE_PRICES.business]: price(FAKE_PRICES.business, "prod_fake_business", 29900, { usage_type: "licensed" }),
  // Per 1,000 validations: a metered price on the meter, with transform_quantity dividing by 1,000.
  [FAKE_PRICES.proOverage]: price(FAKE_PRICES.proOverage, "prod_fake_overage", 500, { usage_type: "metered", meter: "mtr_fake_validations" }, { divide_by: 1000, round: "up" }),
  [FAKE_PRICES.businessOverage]: price(FAKE_PRICES.businessOverage, "prod_fake_overage", 300, { usage_type: "metered", meter: "mtr_fake_validations" }, { divide_by: 1000, round: "up" }),
};

function price(id: string, product: string, unitAmount: number, recurring: { usage_type: string; meter?: string }, transform: StripeObject | null = null): StripeObject {
  return {
    id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: 1_767_225_600,
    currency: "usd",
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product,
    recurring: { interval: "month", interval_count: 1, meter: recurring.meter ?? null, trial_period_days: null, usage_type: recurring.usage_type },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: transform,
    type: "recurring",
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
}

function newId(prefix: string): string {
  sequence++;
  return `${prefix}_${Date.now().toString(36)}${sequence.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

const now = () => Math.floor(Date.now() / 1000);

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "request-id": newId("req") } });
}

function stripeError(status: number, type: string, message: string, param?: string): Response {
  return json({ error: { type, message, ...(param && { param }) } }, status);
}

/**
 * Stripe's form encoding, as the `stripe` package writes it: `a[b][0][c]=x` becomes
 * `{ a: { b: [{ c: "x" }] } }`.
 */
export function parseStripeForm(body: string): StripeObject {
  const out: StripeObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, "").split("[");
    let node: any = out;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]);
      const key = Array.isArray(node) ? Number(part) : part;
      if (last) node[key] = value;
      else node = node[key] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

function subscriptionItem(subscriptionId: string, priceId: string, start: number, end: number): StripeObject {
  return {
    id: newId("si"),
    object: "subscription_item",
    created: start,
    current_period_start: start,
    current_period_end: end,
    discounts: [],
    metadata: {},
    price: PRICES[priceId],
    ...(PRICES[priceId].recurring.usage_type === "licensed" && { quantity: 1 }),
    subscription: subscriptionId,
    tax_rates: [],
  };
}

function newSubscription(customer: string, prices: string[], metadata: StripeObject): StripeObject {
  const id = newId("sub");
  const start = now();
  const items = prices.map((p) => subscriptionItem(id, p, start, start + MONTH_S));
  return {
    id,
    object: "subscription",
    application: null,
    automatic_tax: { enabled: false, liability: null },
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: "charge_automatically",
    created: start,
    currency: "usd",
    customer,
    default_payment_method: null,
    description: null,
    discounts: [],
    ended_at: null,
    items: { object: "list", data: items, has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    metadata,
    pending_update: null,
    start_date: start,
    status: "active",
    trial_end: null,
    trial_start: null,
  };
}

function newInvoice(subscription: StripeObject, fields: { status?: string; amount_due?: number; billing_reason?: string }): StripeObject {
  const id = newId("in");
  const customer = customers.get(subscription.customer);
  const status = fields.status ?? "paid";
  const amountDue = fields.amount_due ?? subscription.items.data.reduce((sum: number, i: StripeObject) => sum + (i.quantity ? i.price.unit_amount : 0), 0);
  const created = now();
  const count = [...invoices.values()].filter((i) => i.customer === subscription.customer).length + 1;
  const period = subscription.items.data[0];
  const invoice = {
    id,
    object: "invoice",
    account_country: "BR",
    account_name: "Vitrine (fake)",
    amount_due: amountDue,
    amount_paid: status === "paid" ? amountDue : 0,
    amount_remaining: status === "paid" ? 0 : amountDue,
    attempt_count: status === "draft" ? 0 : 1,
    attempted: status !== "draft",
    billing_reason: fields.billing_reason ?? "subscription_cycle",
    collection_method: "charge_automatically",
    created,
    currency: subscription.currency,
    customer: subscription.customer,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    hosted_invoice_url: status === "draft" ? null : `https://invoice.stripe.test/i/${id}`,
    invoice_pdf: status === "draft" ? null : `https://pay.stripe.test/invoice/${id}/pdf`,
    lines: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    // Stripe retries an open invoice of a subscription (Smart Retries); the fake says in three days.
    next_payment_attempt: status === "open" ? created + 3 * 24 * 3600 : null,
    number: status === "draft" ? null : `${(customer?.invoice_prefix ?? "FAKE0000")}-${String(count).padStart(4, "0")}`,
    parent: { type: "subscription_details", quote_details: null, subscription_details: { metadata: subscription.metadata, subscription: subscription.id } },
    period_end: period.current_period_end,
    period_start: period.current_period_start,
    status,
    status_transitions: {
      finalized_at: status === "draft" ? null : created,
      marked_uncollectible_at: null,
      paid_at: status === "paid" ? created : null,
      voided_at: null,
    },
    subtotal: amountDue,
    total: amountDue,
  };
  invoices.set(id, invoice);
  return invoice;
}

async function api(request: Request, url: URL): Promise<Response> {
  if (request.headers.get("authorization") !== `Bearer ${FAKE_STRIPE_SECRET_KEY}`) {
    return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
  }
  const params = request.method === "POST" ? parseStripeForm(await request.text()) : Object.fromEntries(url.searchParams);
  if (request.method === "POST" && url.pathname === "/v1/billing/meter_events") meterPosts++;
  const customer = params.customer ?? params.payload?.stripe_customer_id;
  const script = scripts.find((s) => s.times > 0 && url.pathname.startsWith(s.path) && (!s.customer || s.customer === customer));
  if (script) script.times--;
  if (script && !script.loseResponse) return stripeError(script.status, "api_error", "Scripted failure of the fake.");
  const key = request.method === "POST" ? request.headers.get("idempotency-key") : null;
  const first = key ? idempotent.get(key) : undefined;
  const response = first
    ? new Response(first.body, { status: first.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } })
    : route(request.method, url.pathname, params, key);
  if (key && !first && response.status < 500) idempotent.set(key, { status: response.status, body: await response.clone().text() });
  // Stripe did the work, but the answer never reached the caller (a dropped connection).
  if (script) return stripeError(script.status, "api_error", "Scripted failure of the fake after the request was carried out.");
  return response;
}

function route(method: string, path: string, params: StripeObject, idempotencyKey: string | null): Response {
  let m: RegExpMatchArray | null;
  if (method === "POST" && path === "/v1/customers") {
    const id = newId("cus");
    const customer = {
      id,
      object: "customer",
      address: null,
      balance: 0,
      created: now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: params.description ?? null,
      discount: null,
      email: params.email ?? null,
      invoice_prefix: id.slice(4, 12).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: params.metadata ?? {},
      name: params.name ?? null,
      next_invoice_sequence: 1,
      phone: null,
      preferred_locales: params.preferred_locales ?? [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
    customers.set(id, customer);
    return json(customer);
  }
  if (method === "GET" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) {
    const customer = customers.get(m[1]);
    return customer ? json(customer) : stripeError(404, "invalid_request_error", `No such customer: '${m[1]}'`, "id");
  }
  if (method === "DELETE" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) {
    const customer = customers.get(m[1]);
    if (!customer || customer.deleted) return stripeError(404, "invalid_request_error", `No such customer: '${m[1]}'`, "id");
    // Deleting a customer cancels its subscriptions at once (docs.stripe.com/api/customers/delete).
    for (const subscription of subscriptions.values()) {
      if (subscription.customer === m[1] && subscription.status !== "canceled") Object.assign(subscription, { status: "canceled", canceled_at: now(), ended_at: now() });
    }
    customer.deleted = true;
    return json({ id: m[1], object: "customer", deleted: true });
  }
  if (method === "POST" && path === "/v1/checkout/sessions") {
    if (params.mode !== "subscription") return stripeError(400, "invalid_request_error", "The fake only knows subscription mode.", "mode");
    if (!params.customer || !customers.has(params.customer)) return stripeError(400, "invalid_request_error", `No such customer: '${params.customer}'`, "customer");
    const lineItems = (params.line_items ?? []) as { price: string; quantity?: string }[];
    for (const [i, item] of lineItems.entries()) {
      if (!PRICES[item.price]) return stripeError(400, "invalid_request_error", `No such price: '${item.price}'`, `line_items[${i}][price]`);
      // Stripe refuses a quantity on metered prices.
      if (PRICES[item.price].recurring.usage_type === "metered" && item.quantity !== undefined) {
        return stripeError(400, "invalid_request_error", "Quantity should not be specified where usage_type is `metered`.", `line_items[${i}][quantity]`);
      }
    }
    if (!params.success_url) return stripeError(400, "invalid_request_error", "Missing required param: success_url.", "success_url");
    const id = `cs_test_${newId("x").slice(2)}`;
    const session = {
      id,
      object: "checkout.session",
      allow_promotion_codes: null,
      amount_subtotal: null,
      amount_total: null,
      billing_address_collection: params.billing_address_collection ?? null,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: now(),
      currency: null,
      customer: params.customer,
      customer_email: null,
      expires_at: now() + 24 * 3600,
      invoice: null,
      livemode: false,
      locale: params.locale ?? null,
      metadata: params.metadata ?? {},
      mode: "subscription",
      payment_status: "unpaid",
      status: "open",
      submit_type: null,
      subscription: null,
      success_url: params.success_url,
      tax_id_collection: { enabled: params.tax_id_collection?.enabled === "true", required: params.tax_id_collection?.required ?? "never" },
      ui_mode: "hosted",
      url: `https://checkout.stripe.test/c/pay/${id}`,
    };
    sessions.set(id, {
      session,
      idempotencyKey,
      lineItems: lineItems.map((i) => ({ price: i.price, ...(i.quantity !== undefined && { quantity: Number(i.quantity) }) })),
    });
    return json({ ...session, subscription_data: undefined });
  }
  if (method === "POST" && path === "/v1/billing_portal/sessions") {
    if (!params.customer || !customers.has(params.customer)) return stripeError(400, "invalid_request_error", `No such customer: '${params.customer}'`, "customer");
    const id = newId("bps");
    return json({
      id,
      object: "billing_portal.session",
      configuration: "bpc_fake_default",
      created: now(),
      customer: params.customer,
      flow: null,
      livemode: false,
      locale: params.locale ?? null,
      on_behalf_of: null,
      return_url: params.return_url ?? null,
      url: `https://billing.stripe.test/p/session/${id}`,
    });
  }
  if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
    const subscription = subscriptions.get(m[1]);
    return subscription ? json(subscription) : stripeError(404, "invalid_request_error", `No such subscription: '${m[1]}'`, "id");
  }
  if (method === "GET" && (m = path.match(/^\/v1\/invoices\/([^/]+)$/))) {
    const invoice = invoices.get(m[1]);
    return invoice ? json(invoice) : stripeError(404, "invalid_request_error", `No such invoice: '${m[1]}'`, "id");
  }
  if (method === "GET" && (m = path.match(/^\/v1\/prices\/([^/]+)$/))) {
    const found = PRICES[m[1]];
    return found ? json(found) : stripeError(404, "invalid_request_error", `No such price: '${m[1]}'`, "id");
  }
  if (method === "POST" && path === "/v1/billing/meter_events") {
    if (params.event_name !== FAKE_METER_EVENT_NAME) return stripeError(400, "invalid_request_error", `No active meter found for event_name ${params.event_name}`, "event_name");
    const customer = params.payload?.stripe_customer_id;
    if (!customer || !customers.has(customer)) return stripeError(400, "invalid_request_error", "payload[stripe_customer_id] must name a customer.", "payload[stripe_customer_id]");
    if (!/^\d+$/.test(params.payload?.value ?? "")) return stripeError(400, "invalid_request_error", "payload[value] must be a whole number.", "payload[value]");
    const timestamp = params.timestamp ? Number(params.timestamp) : now();
    if (timestamp < now() - 35 * 24 * 3600 || timestamp > now() + 300) {
      return stripeError(400, "invalid_request_error", "Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.", "timestamp");
    }
    const identifier = params.identifier ?? newId("mev");
    const event = { object: "billing.meter_event", created: now(), event_name: params.event_name, identifier, livemode: false, payload: params.payload, timestamp };
    if (!meterEvents.has(identifier)) meterEvents.set(identifier, event);
    return json(event);
  }
  return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
}

function priceFor(plan: string): string[] {
  return plan === "business" ? [FAKE_PRICES.business, FAKE_PRICES.businessOverage] : [FAKE_PRICES.pro, FAKE_PRICES.proOverage];
}

async function control(request: Request, url: URL): Promise<Response> {
  let m: RegExpMatchArray | null;
  const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as StripeObject) : {};
  if (request.method === "POST" && (m = url.pathname.match(/^\/checkout\/([^/]+)\/complete$/))) {
    const entry = sessions.get(m[1]);
    if (!entry) return json({ error: "no such session" }, 404);
    const subscription = newSubscription(entry.session.customer, entry.lineItems.map((i) => i.price), entry.session.metadata ?? {});
    subscriptions.set(subscription.id, subscription);
    const invoice = newInvoice(subscription, { status: "paid", billing_reason: "subscription_create" });
    subscription.latest_invoice = invoice.id;
    Object.assign(entry.session, { status: "complete", payment_status: "paid", subscription: subscription.id, invoice: invoice.id, currency: "usd", amount_total: invoice.total, amount_subtotal: invoice.subtotal });
    return json({ session: entry.session, subscription, invoice });
  }
  if (request.method === "GET" && (m = url.pathname.match(/^\/checkout\/([^/]+)$/))) {
    const entry = sessions.get(m[1]);
    return entry ? json(entry) : json({ error: "no such session" }, 404);
  }
  if (request.method === "POST" && (m = url.pathname.match(/^\/subscriptions\/([^/]+)$/))) {
    const subscription = subscriptions.get(m[1]);
    if (!subscription) return json({ error: "no such subscription" }, 404);
    if (body.plan) {
      const start = subscription.items.data[0].current_period_start;
      const end = subscription.items.data[0].current_period_end;
      const items = priceFor(body.plan).map((p) => subscriptionItem(subscription.id, p, start, end));
      subscription.items = { ...subscription.items, data: items, total_count: items.length };
    }
    if (body.period_start !== undefined) {
      for (const item of subscription.items.data) {
        item.current_period_start = body.period_start;
        item.current_period_end = body.period_end ?? body.period_start + MONTH_S;
      }
    }
    if (body.renew) {
      for (const item of subscription.items.data) {
        item.current_period_start = item.current_period_end;
        item.current_period_end = item.current_period_end + MONTH_S;
      }
    }
    if (body.status) subscription.status = body.status;
    if (body.status === "canceled") subscription.ended_at = subscription.canceled_at = now();
    if (body.cancel_at_period_end !== undefined) {
      subscription.cancel_at_period_end = body.cancel_at_period_end;
      subscription.cancel_at = body.cancel_at_period_end ? subscription.items.data[0].current_period_end : null;
    }
    return json(subscription);
  }
  if (request.method === "POST" && url.pathname === "/invoices") {
    const subscription = subscriptions.get(body.subscription);
    if (!subscription) return json({ error: "no such subscription" }, 404);
    const invoice = newInvoice(subscription, body);
    subscription.latest_invoice = invoice.id;
    return json(invoice);
  }
  if (request.method === "POST" && (m = url.pathname.match(/^\/invoices\/([^/]+)$/))) {
    const invoice = invoices.get(m[1]);
    if (!invoice) return json({ error: "no such invoice" }, 404);
    if (body.status === "paid") Object.assign(invoice, { status: "paid", amount_paid: invoice.amount_due, amount_remaining: 0, attempt_count: invoice.attempt_count + 1 });
    invoice.status_transitions.paid_at = invoice.status === "paid" ? now() : null;
    return json(invoice);
  }
  if (request.method === "GET" && url.pathname === "/customers") {
    const accountId = url.searchParams.get("account_id");
    const found = [...customers.values()].filter((c) => c.metadata?.account_id === accountId);
    return json(
      found.map((customer) => {
        const subs = [...subscriptions.values()].filter((sub) => sub.customer === customer.id).map((sub) => ({ id: sub.id, status: sub.status }));
        const events = [...meterEvents.values()].filter((e) => e.payload.stripe_customer_id === customer.id);
        return { customer, subscriptions: subs, meter: { total: events.reduce((sum, e) => sum + Number(e.payload.value), 0), events } };
      }),
    );
  }
  if (request.method === "GET" && url.pathname === "/meter-posts") return json({ posts: meterPosts });
  if (request.method === "POST" && url.pathname === "/script") {
    scripts.push({ path: body.path, customer: body.customer, times: body.times ?? 1, status: body.status ?? 500, loseResponse: body.lose_response === true });
    return new Response(null, { status: 204 });
  }
  return json({ error: `no control route ${request.method} ${url.pathname}` }, 404);
}

export const stripe: FakeHost = {
  name: "stripe",
  matches: (hostname) => hostname === "api.stripe.test" || hostname === "control.stripe.test",
  fetch(request) {
    const url = new URL(request.url);
    return url.hostname === "control.stripe.test" ? control(request, url) : api(request, url);
  },
};

/** The `api_version` events carry (what the `stripe` package pins). */
export const FAKE_API_VERSION = API_VERSION;
