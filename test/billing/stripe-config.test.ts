import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { ConfigError, config } from "../../src/config";
import { stripeClient } from "../../src/services/billing/stripe-client";
import { FAKE_PRICES, FAKE_STRIPE_SECRET_KEY } from "../fakes/stripe";
import { env } from "../helpers";
import { billingEnv } from "./helpers";

const prices = {
  STRIPE_WEBHOOK_SECRET: "whsec_x",
  STRIPE_PRICE_PRO: "price_a",
  STRIPE_PRICE_BUSINESS: "price_b",
  STRIPE_PRICE_PRO_OVERAGE: "price_c",
  STRIPE_PRICE_BUSINESS_OVERAGE: "price_d",
};
const dev = { ENVIRONMENT: "development" };

describe("Stripe configuration", () => {
  it("is off without STRIPE_SECRET_KEY, whatever else is set", () => {
    expect(config(env).stripe).toBeUndefined();
    expect(config({ ...dev, ...prices }).stripe).toBeUndefined();
  });

  it("names every missing variable once the secret key is set", () => {
    expect(() => config({ ...dev, STRIPE_SECRET_KEY: "sk_test_1" })).toThrow(
      /STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_PRO, STRIPE_PRICE_BUSINESS, STRIPE_PRICE_PRO_OVERAGE, STRIPE_PRICE_BUSINESS_OVERAGE are required when STRIPE_SECRET_KEY is set/,
    );
    const { STRIPE_PRICE_BUSINESS_OVERAGE: _left, ...rest } = prices;
    expect(() => config({ ...dev, ...rest, STRIPE_SECRET_KEY: "sk_test_1" })).toThrow(/STRIPE_PRICE_BUSINESS_OVERAGE is required/);
  });

  it("defaults to Stripe's API, the vitrine_validations meter and a 7-day grace", () => {
    expect(config({ ...dev, ...prices, STRIPE_SECRET_KEY: "sk_test_1" }).stripe).toEqual({
      secretKey: "sk_test_1",
      webhookSecret: "whsec_x",
      prices: { pro: "price_a", business: "price_b" },
      overagePrices: { pro: "price_c", business: "price_d" },
      meterEventName: "vitrine_validations",
      api: { host: "api.stripe.com", port: 443, protocol: "https" },
      pastDueGraceDays: 7,
      contact: undefined,
    });
  });

  it("turns STRIPE_API_URL into the host, port and protocol the stripe package takes", () => {
    const local = config({ ...dev, ...prices, STRIPE_SECRET_KEY: "sk_test_1", STRIPE_API_URL: "http://localhost:12111", BILLING_PAST_DUE_GRACE_DAYS: "3" });
    expect(local.stripe).toMatchObject({ api: { host: "localhost", port: 12111, protocol: "http" }, pastDueGraceDays: 3 });
    expect(() => config({ ...dev, ...prices, STRIPE_SECRET_KEY: "sk_test_1", STRIPE_API_URL: "http://localhost:12111/v1" })).toThrow(/STRIPE_API_URL must be an origin/);
    expect(() => config({ ...dev, ...prices, STRIPE_SECRET_KEY: "sk_test_1", STRIPE_API_URL: "not a url" })).toThrow(ConfigError);
  });

  it("refuses plain http to Stripe in production", () => {
    const production = { ENCRYPTION_KEY: btoa("k".repeat(32)), PUBLIC_URL: "https://vitrine.example.com.br", ...prices, STRIPE_SECRET_KEY: "sk_live_1" };
    expect(() => config({ ...production, STRIPE_API_URL: "http://localhost:12111" })).toThrow(/STRIPE_API_URL must be an https URL/);
    expect(config(production).stripe?.api.protocol).toBe("https");
  });

  it("refuses a meter event name Stripe would not take", () => {
    expect(() => config({ ...dev, STRIPE_METER_EVENT_NAME: "vitrine validations" })).toThrow(/STRIPE_METER_EVENT_NAME/);
  });
});

describe("the stripe package against the fake", () => {
  it("reaches the fake by hostname, on the fetch client, with Stripe's objects", async () => {
    const client = stripeClient(config(billingEnv).stripe!);
    const customer = await client.customers.create({ email: "ana@example.com", metadata: { account_id: "acc_test" } });
    expect(customer).toMatchObject({ object: "customer", email: "ana@example.com", metadata: { account_id: "acc_test" } });
    expect(customer.id).toMatch(/^cus_/);
    expect((await client.customers.retrieve(customer.id)).id).toBe(customer.id);
    const price = await client.prices.retrieve(FAKE_PRICES.proOverage);
    expect(price).toMatchObject({ recurring: { usage_type: "metered" }, transform_quantity: { divide_by: 1000 } });
  });

  it("answers a wrong key and an unknown object as Stripe does", async () => {
    const settings = config(billingEnv).stripe!;
    const wrong = stripeClient({ ...settings, secretKey: `${FAKE_STRIPE_SECRET_KEY}_wrong` });
    await expect(wrong.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    await expect(stripeClient(settings).subscriptions.retrieve("sub_missing")).rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 404, param: "id" });
  });
});
