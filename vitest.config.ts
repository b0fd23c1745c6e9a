import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
// ".js" resolves to the .ts file and keeps Vite's (future default) native config loader quiet.
import { buildAssets } from "./scripts/build-assets.js";
import { outbound } from "./test/fakes/index.js";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from "./test/fakes/mercadolivre.js";
import { FAKE_GOOGLE_CLIENT_ID, FAKE_GOOGLE_CLIENT_SECRET, FAKE_SERVICE_ACCOUNT_JSON } from "./test/fakes/google-sheets.js";
import { FAKE_PARTNER_ID, FAKE_PARTNER_KEY } from "./test/fakes/shopee.js";
import { FAKE_METER_EVENT_NAME, FAKE_PRICES, FAKE_STRIPE_SECRET_KEY, FAKE_STRIPE_WEBHOOK_SECRET } from "./test/fakes/stripe.js";

export default defineConfig(async () => {
  // wrangler.toml serves the dashboard's built assets; the Worker links them through the manifest.
  await buildAssets();
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const workerBindings = {
    // The setup file applies these to each test file's isolated D1.
    TEST_MIGRATIONS: migrations,
    // wrangler.toml ships production settings; the tests run as development (vt_test_ keys)…
    ENVIRONMENT: "development",
    // …with a test-only key (never used anywhere else), so sealing runs exactly as in production,
    ENCRYPTION_KEY: "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=",
    // the address test requests use (test/helpers.ts BASE), which production requires,
    PUBLIC_URL: "https://vitrine.test",
    // production's rule for webhook targets,
    ALLOW_LOOPBACK_WEBHOOKS: "false",
    // and room for the many signups of a test file (locally every signup shares one address).
    SIGNUP_LIMIT_PER_HOUR: "1000",
    // Small chunks, so a few hundred rows already exercise multi-chunk jobs.
    JOB_CHUNK_ROWS: "50",
    // Mercado Livre is the fake in test/fakes/mercadolivre.ts, reached through outboundService;
    MERCADOLIVRE_CLIENT_ID: FAKE_CLIENT_ID,
    MERCADOLIVRE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    MERCADOLIVRE_AUTH_URL: "https://auth.mercadolivre.test",
    MERCADOLIVRE_API_URL: "https://api.mercadolibre.test",
    // its rate is not what syncs are tested for (429s are, scripted in the fake),
    MERCADOLIVRE_REQUESTS_PER_MINUTE: "600000",
    // and syncs of a few thousand items already run as dozens of chunks.
    SUBREQUEST_BUDGET: "600",
    // Google Sheets is the fake in test/fakes/google-sheets.ts (OAuth client and a test-only service account),
    GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT_SECRET,
    GOOGLE_SERVICE_ACCOUNT_JSON: FAKE_SERVICE_ACCOUNT_JSON,
    GOOGLE_AUTH_URL: "https://accounts.google.test/o/oauth2/v2/auth",
    GOOGLE_TOKEN_URL: "https://oauth2.googleapis.test/token",
    GOOGLE_SHEETS_API_URL: "https://sheets.googleapis.test",
    // without Sheets' 60 a minute as the bound (429s are scripted in the fake).
    GOOGLE_SHEETS_REQUESTS_PER_MINUTE: "600000",
    // Shopee is the fake in test/fakes/shopee.ts (it checks every signature).
    SHOPEE_PARTNER_ID: FAKE_PARTNER_ID,
    SHOPEE_PARTNER_KEY: FAKE_PARTNER_KEY,
    SHOPEE_API_URL: "https://partner.shopee.test",
    SHOPEE_REQUESTS_PER_MINUTE: "600000",
    // Feed URL connectors: a 1 MiB limit, so the size check is tested with a small feed.
    FEED_MAX_BYTES: "1048576",
    // Stripe is the fake in test/fakes/stripe.ts. STRIPE_SECRET_KEY is left out on purpose: every test
    // runs with billing off, as a self-hoster does; the "billing" project below and test/billing/helpers.ts
    // (callBilling, per request) add the key to turn billing on.
    STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
    STRIPE_PRICE_PRO: FAKE_PRICES.pro,
    STRIPE_PRICE_BUSINESS: FAKE_PRICES.business,
    STRIPE_PRICE_PRO_OVERAGE: FAKE_PRICES.proOverage,
    STRIPE_PRICE_BUSINESS_OVERAGE: FAKE_PRICES.businessOverage,
    STRIPE_METER_EVENT_NAME: FAKE_METER_EVENT_NAME,
    STRIPE_API_URL: "https://api.stripe.test",
  };
  return {
    test: {
      // The Worker logs one JSON line per request; keep test output readable.
      onConsoleLog: (log: string) => !log.includes('"msg":"request"'),
      projects: [
        {
          // Checks of the repository itself that need Node (e.g. what `wrangler deploy` would ship).
          test: { name: "deploy", include: ["test/deploy/**/*.test.ts"], environment: "node" },
        },
        {
          // The local CLI (`npm run validate`), run as a seller runs it: a Node process reading and
          // writing files on disk.
          test: { name: "cli", include: ["test/cli/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
        },
        {
          // Pure modules (src/core, rule packs) run in workerd without the Worker's bindings,
          // so they prove the core stays runtime-neutral and boot fast.
          plugins: [
            cloudflareTest({
              miniflare: { compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"] },
            }),
          ],
          test: { name: "core", include: ["test/core/**/*.test.ts", "test/rules/**/*.test.ts"] },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: workerBindings,
                // Outgoing fetches (webhook receivers, marketplaces, Stripe) are answered by the fakes in
                // test/fakes/, which run in this Node process; nothing reaches the network.
                outboundService: outbound,
              },
            }),
          ],
          test: {
            name: "worker",
            // Job tests wait for the local queues to run whole pipelines.
            testTimeout: 60_000,
            include: ["test/**/*.test.ts"],
            // test/browser drives Chromium from Node: `npm run test:browser` (vitest.browser.config.ts).
            exclude: ["test/core/**", "test/rules/**", "test/deploy/**", "test/cli/**", "test/browser/**", "test/integration/**", "test/billing/enforced/**"],
            setupFiles: ["./test/setup.ts"],
          },
        },
        {
          // Billing on (STRIPE_SECRET_KEY set): quotas stop work. Every other Worker test runs with
          // billing off, as self-hosters and `npm start` do, so no quota gets in their way.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // The same Worker, and Stripe's fake as the billing provider.
                bindings: { ...workerBindings, STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY },
                outboundService: outbound,
              },
            }),
          ],
          test: { name: "billing", testTimeout: 60_000, include: ["test/billing/enforced/**/*.test.ts"], setupFiles: ["./test/setup.ts"] },
        },
      ],
    },
  };
});
