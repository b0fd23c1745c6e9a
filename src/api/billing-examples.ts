import type { ContentExamples, NamedExamples } from "./examples";

/**
 * Examples of the billing operations (issue 16), merged into OPERATION_EXAMPLES and EVENT_EXAMPLES
 * by src/api/examples.ts. The seller is the Loja da Gabi on the Pro plan, billed by Stripe in US
 * dollars; amounts are in cents as the API returns them, and Stripe's ids are shaped like Stripe's.
 * test/api/examples.test.ts sends the request examples to the app with billing on (the Stripe
 * fake answering), the webhook event signed as Stripe signs it.
 */

const json = (examples: NamedExamples): ContentExamples => ({ "application/json": examples });
const one = (name: string, summary: string, value: unknown): NamedExamples => ({ [name]: { summary, value } });

/** The deployment's own origin in the examples: return addresses must be on it. */
export const EXAMPLE_ORIGIN = "https://vitrine.suaempresa.com.br";

/** Stripe's ids for the seller's customer, subscription, Checkout session and invoices. */
export const STRIPE_IDS = {
  account: "acct_01jdz4t9k7q8wz3m5n2p6r8s0v",
  customer: "cus_RBq8Xk2NfLw3Yd",
  subscription: "sub_1QJ7nW2eZvKYlo2CkT9pXa4M",
  session: "cs_live_a1Rk3Vq9TzYbNw2Lx8JcE5mPdH7sGf4UoQ6iK0yB",
  invoice: "in_1QJ7nX2eZvKYlo2CvH3sLm8R",
  previousInvoice: "in_1QB2cD2eZvKYlo2C9fWq1ZrT",
  event: "evt_1QJ7o02eZvKYlo2Cb5Nq7WdE",
  proPrice: "price_1PZk4A2eZvKYlo2C7mJ3vX0s",
  overagePrice: "price_1PZk5B2eZvKYlo2Cq8Hn2Y4d",
} as const;

const PERIOD = { start: "2026-11-18T14:22:05.000Z", end: "2026-12-18T14:22:05.000Z" };
const PERIOD_START_S = 1795011725; // PERIOD.start

/** Validations per São Paulo day of the period so far (they add up to the usage example's `used`). */
const DAILY = [568, 379, 647, 927, 267, 293, 801, 317, 614, 852, 277, 770, 448, 255, 308, 689];

const byDay = DAILY.map((records, i) => ({ date: new Date(Date.UTC(2026, 10, 18 + i)).toISOString().slice(0, 10), records }));

const hostedInvoice = (id: string) => `https://invoice.stripe.com/i/acct_1PZjzL2eZvKYlo2C/live_YWNjdF8xUFpqekwyZVp2S1lsbzJDLF9S${id.slice(3, 15)}`;
const invoicePdf = (id: string) => `https://pay.stripe.com/invoice/acct_1PZjzL2eZvKYlo2C/live_YWNjdF8xUFpqekwyZVp2S1lsbzJDLF9S${id.slice(3, 15)}/pdf?s=ap`;

/** checkout.session.completed as Stripe sends it after the seller paid for Pro (abridged to what matters). */
const CHECKOUT_COMPLETED = {
  id: STRIPE_IDS.event,
  object: "event",
  api_version: "2025-09-30.clover",
  created: PERIOD_START_S + 4,
  data: {
    object: {
      id: STRIPE_IDS.session,
      object: "checkout.session",
      amount_subtotal: 4900,
      amount_total: 4900,
      billing_address_collection: "required",
      cancel_url: `${EXAMPLE_ORIGIN}/app/billing?billing=canceled`,
      client_reference_id: STRIPE_IDS.account,
      created: PERIOD_START_S - 95,
      currency: "usd",
      customer: STRIPE_IDS.customer,
      customer_details: { email: "financeiro@lojadagabi.com.br", name: "Loja da Gabi Comércio Ltda", tax_ids: [{ type: "br_cnpj", value: "12.345.678/0001-95" }] },
      expires_at: PERIOD_START_S - 95 + 86_400,
      invoice: STRIPE_IDS.invoice,
      livemode: true,
      locale: "pt-BR",
      metadata: { account_id: STRIPE_IDS.account, plan: "pro" },
      mode: "subscription",
      payment_status: "paid",
      status: "complete",
      subscription: STRIPE_IDS.subscription,
      success_url: `${EXAMPLE_ORIGIN}/app/billing?billing=subscribed`,
      tax_id_collection: { enabled: true, required: "if_supported" },
      ui_mode: "hosted",
      url: null,
    },
  },
  livemode: true,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: "checkout.session.completed",
};

export const BILLING_REQUESTS: Record<string, ContentExamples> = {
  subscribe: json({
    ...one("pro", "Subscribe to Pro, back to the Billing page", {
      plan: "pro",
      success_url: `${EXAMPLE_ORIGIN}/app/billing?billing=subscribed`,
      cancel_url: `${EXAMPLE_ORIGIN}/app/billing?billing=canceled`,
    }),
    ...one("business", "Subscribe to Business, with the default return addresses", { plan: "business" }),
  }),
  openBillingPortal: json(one("back_to_billing", "Manage the subscription, then come back to the Billing page", { return_url: `${EXAMPLE_ORIGIN}/app/billing` })),
  setSpendCap: json({
    ...one("fifty_dollars", "At most US$ 50.00 of overage a period", { spend_cap_cents: 5000 }),
    ...one("no_cap", "Remove the cap", { spend_cap_cents: null }),
  }),
  receiveStripeWebhook: json(one("checkout_completed", "The seller paid for Pro in Checkout", CHECKOUT_COMPLETED)),
};

const PLANS = [
  {
    id: "free",
    name: "Free",
    included_validations: 100,
    price: { amount: 0, currency: "usd", interval: "month" },
    overage: null,
    hard_limit: true,
    priority_queue: false,
  },
  {
    id: "pro",
    name: "Pro",
    included_validations: 10000,
    price: { amount: 4900, currency: "usd", interval: "month" },
    overage: { amount: 500, currency: "usd", per: 1000 },
    hard_limit: false,
    priority_queue: true,
  },
  {
    id: "business",
    name: "Business",
    included_validations: 100000,
    price: { amount: 29900, currency: "usd", interval: "month" },
    overage: { amount: 300, currency: "usd", per: 1000 },
    hard_limit: false,
    priority_queue: true,
  },
  { id: "enterprise", name: "Enterprise", included_validations: null, price: null, overage: null, hard_limit: false, priority_queue: true },
];

const INVOICES = [
  {
    id: STRIPE_IDS.invoice,
    number: "9F3A2C71-0002",
    status: "paid",
    amount_due: 5900,
    amount_paid: 5900,
    total: 5900,
    currency: "usd",
    period: PERIOD,
    hosted_invoice_url: hostedInvoice(STRIPE_IDS.invoice),
    invoice_pdf: invoicePdf(STRIPE_IDS.invoice),
    created_at: "2026-11-18T15:22:09.000Z",
  },
  {
    id: STRIPE_IDS.previousInvoice,
    number: "9F3A2C71-0001",
    status: "paid",
    amount_due: 4900,
    amount_paid: 4900,
    total: 4900,
    currency: "usd",
    period: { start: "2026-10-18T14:22:05.000Z", end: PERIOD.start },
    hosted_invoice_url: hostedInvoice(STRIPE_IDS.previousInvoice),
    invoice_pdf: invoicePdf(STRIPE_IDS.previousInvoice),
    created_at: "2026-10-18T14:22:06.000Z",
  },
];

export const BILLING_RESPONSES: Record<string, Record<string, ContentExamples>> = {
  listPlans: { "200": json(one("default", "The four plans, prices in US$ cents", { data: PLANS, billing_enabled: true })) },
  getUsage: {
    "200": json(
      one("pro_mid_period", "A Pro account 16 days into its period, with a spend cap", {
        period: PERIOD,
        plan: "pro",
        included: 10000,
        used: 8412,
        reserved: 250,
        remaining: 1338,
        overage: 0,
        spend_cap: { amount: 5000, currency: "usd" },
        enforced: true,
        by_day: byDay,
      }),
    ),
  },
  subscribe: {
    "200": json({
      ...one("pro", "Send the seller to Stripe Checkout", { checkout_url: `https://checkout.stripe.com/c/pay/${STRIPE_IDS.session}` }),
      ...one("business", "Send the seller to Stripe Checkout", { checkout_url: "https://checkout.stripe.com/c/pay/cs_live_b1Tn8Wc2KpZqMx4Rd7LeF3hJsY9gA5vNo0uQiE6k" }),
    }),
  },
  openBillingPortal: {
    "200": json(one("back_to_billing", "Send the seller to Stripe's customer portal", { url: "https://billing.stripe.com/p/session/live_YWNjdF8xUFpqekwyZVp2S1lsbzJDLF9SQnE4WGsyTmZMdzNZZA" })),
  },
  listInvoices: {
    "200": json(
      one("default", "Two paid invoices, newest first: Pro with the last period's 2,000 validations of overage, then the first month", { data: INVOICES, has_more: false }),
    ),
  },
  getSpendCap: { "200": json(one("fifty_dollars", "At most US$ 50.00 of overage a period", { spend_cap_cents: 5000, currency: "usd" })) },
  setSpendCap: {
    "200": json({
      ...one("fifty_dollars", "The cap is set", { spend_cap_cents: 5000, currency: "usd" }),
      ...one("no_cap", "No cap: overage is billed in full", { spend_cap_cents: null, currency: "usd" }),
    }),
  },
  receiveStripeWebhook: {
    "200": json({
      ...one("applied", "The event changed the account (here: it is on Pro now)", { received: true, outcome: "applied" }),
      ...one("duplicate", "Stripe delivered an event already applied: nothing changes", { received: true, outcome: "duplicate" }),
    }),
  },
};

/** What Vitrine POSTs to webhook endpoints about billing, by event type. */
export const BILLING_EVENT_EXAMPLES: Record<string, NamedExamples> = {
  "billing.quota_warning": {
    eighty_percent: {
      summary: "The Pro plan used 80 % of its validations",
      value: {
        id: "evt_01je3h4a2b6c0d4e8f2g6h0j4k",
        type: "billing.quota_warning",
        version: 1,
        created_at: "2026-12-01T19:41:37.512Z",
        data: {
          percent: 80,
          plan: "pro",
          included: 10000,
          used: 8000,
          period: PERIOD,
          stops: false,
          links: { usage: "/api/v1/billing/usage", plans: "/api/v1/billing/plans" },
        },
      },
    },
  },
  "billing.plan_changed": {
    subscribed: {
      summary: "The seller subscribed to Pro",
      value: {
        id: "evt_01je3h4b7c1d5e9f3g7h1j5k9m",
        type: "billing.plan_changed",
        version: 1,
        created_at: "2026-11-18T14:22:10.204Z",
        data: {
          previous_plan: "free",
          plan: "pro",
          previous_status: "none",
          status: "active",
          cancel_at_period_end: false,
          current_period_end: PERIOD.end,
          changed_at: "2026-11-18T14:22:10.204Z",
        },
      },
    },
  },
  "billing.payment_failed": {
    card_declined: {
      summary: "Stripe could not charge the renewal; it retries in 3 days",
      value: {
        id: "evt_01je3h4c3d7e1f5g9h3j7k1m5n",
        type: "billing.payment_failed",
        version: 1,
        created_at: "2026-12-18T15:24:41.090Z",
        data: {
          invoice_id: "in_1QTa9C2eZvKYlo2CzK6pRm1W",
          invoice_number: "9F3A2C71-0003",
          amount_due: 4900,
          currency: "usd",
          attempt_count: 1,
          next_payment_attempt: "2026-12-21T15:24:41.000Z",
          hosted_invoice_url: hostedInvoice("in_1QTa9C2eZvKYlo2CzK6pRm1W"),
          grace_until: "2026-12-25T15:24:41.000Z",
        },
      },
    },
  },
};
