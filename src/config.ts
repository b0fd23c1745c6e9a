import { z } from "zod";
import { base64ToBytes } from "./core/crypto/base64";
import type { Env } from "./env";

/** Everything the Worker reads from its variables and secrets, parsed and checked once per isolate. */
export interface Config {
  environment: "production" | "development";
  production: boolean;
  rateLimitPerMinute: number;
  signupLimitPerHour: number;
  maxFileBytes: number;
  jobChunkRows: number;
  /** Base64 of 32 bytes; absent only in development, which then uses a built-in key. */
  encryptionKey: string | undefined;
  /** Development only: webhooks may target http://localhost. */
  allowLoopbackWebhooks: boolean;
  /** Days uploaded files and job results are kept (files: after upload or their last job; results: after the job finished). */
  retentionDays: number;
  /** Origin emailed links are built from (no trailing slash); absent only in development, where the request's origin is used. */
  publicUrl: string | undefined;
  /** Dashboard sign-in attempts per 15 minutes. */
  loginAttemptsPerIp: number;
  loginAttemptsPerEmail: number;
  /** Subrequests one Worker invocation may make (Workers Paid: 1,000; Free: 50); connector chunks are sized from it. */
  subrequestBudget: number;
  /** Messages one job-queue invocation handles at most (the job consumers' max_batch_size): they share its subrequests. */
  jobQueueBatchSize: number;
  /** The Mercado Livre application, when one is configured (MERCADOLIVRE_CLIENT_ID set). */
  mercadolivre: MercadoLivreConfig | undefined;
  /** Feed URL connectors: the largest feed downloaded, and how long one download may take. */
  feed: { maxBytes: number; timeoutSeconds: number };
  /** Google Sheets: an OAuth client, a service account, or both (GOOGLE_CLIENT_ID / GOOGLE_SERVICE_ACCOUNT_JSON set). */
  google: GoogleConfig | undefined;
  /** The Shopee partner app, when one is configured (SHOPEE_PARTNER_ID set). */
  shopee: ShopeeConfig | undefined;
  /** Stripe billing, when STRIPE_SECRET_KEY is set; without it billing is off (usage is shown, nothing is charged or blocked). */
  stripe: StripeConfig | undefined;
  /** Plans, usage and quotas (docs/billing.md). */
  billing: BillingConfig;
  /** The operator's token for /operator (OPERATOR_TOKEN secret, at least 32 characters); no operator access without it. */
  operatorToken: string | undefined;
}

/** How plans are sold on this deployment. */
export interface BillingConfig {
  /**
   * Billing is on exactly when Stripe is configured (STRIPE_SECRET_KEY set): quotas are enforced.
   * Off (self-hosting, local development), usage is still metered and shown, and nothing is blocked.
   */
  enabled: boolean;
  /** Plan prices are in US dollars. */
  currency: "usd";
  /** Cents per 1,000 validations past a paid plan's allowance; the metered prices in Stripe must say the same. */
  overageCentsPer1000: { pro: number; business: number };
}

/** The Stripe account that bills subscriptions and overage (docs/billing.md, "Stripe setup"). */
export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** Recurring prices of the paid plans (price_…). */
  prices: { pro: string; business: string };
  /** Metered prices billing validations beyond each plan's allowance, fed by the meter below. */
  overagePrices: { pro: string; business: string };
  /** The Stripe meter's event_name (Billing → Meters). */
  meterEventName: string;
  /** Where the `stripe` package sends requests: Stripe's own API, or stripe-mock or a fake in development. */
  api: { host: string; port: number; protocol: "https" | "http" };
  /** Days a past_due subscription keeps its plan before the account falls back to Free allowances. */
  pastDueGraceDays: number;
  /** How to reach the operator about Enterprise (an email or URL); absent: "contact the operator of this deployment". */
  contact: string | undefined;
}

/** A Shopee Open Platform partner app (open.shopee.com → App List). */
export interface ShopeeConfig {
  partnerId: string;
  partnerKey: string;
  /** The Open Platform host, e.g. https://partner.shopeemobile.com (sandbox: https://partner.test-stable.shopeemobile.com) */
  apiUrl: string;
  /** Requests per minute one connector may send. */
  requestsPerMinute: number;
}

/** A Mercado Livre application (developers.mercadolivre.com.br → "Criar aplicação"). */
export interface MercadoLivreConfig {
  clientId: string;
  clientSecret: string;
  /** Where sellers authorize the application, e.g. https://auth.mercadolivre.com.br */
  authUrl: string;
  /** The items, categories and OAuth token API, e.g. https://api.mercadolibre.com */
  apiUrl: string;
  /** Requests per minute one connector may send (its token bucket refills at this rate). */
  requestsPerMinute: number;
}

/** Google Sheets connectors (docs/google-sheets.md). */
export interface GoogleConfig {
  /** An OAuth 2.0 web client (Google Cloud console → Credentials), when configured. */
  oauth: { clientId: string; clientSecret: string } | undefined;
  /** One service account for every tenant, when configured: sellers share their sheet with its email. */
  serviceAccount: { email: string; privateKeyPem: string } | undefined;
  /** e.g. https://accounts.google.com/o/oauth2/v2/auth (a full URL, not a base). */
  authUrl: string;
  /** e.g. https://oauth2.googleapis.com/token (also the audience of service-account assertions). */
  tokenUrl: string;
  /** e.g. https://sheets.googleapis.com */
  sheetsUrl: string;
  /** Requests per minute one connector may send (Sheets allows 60 reads and 60 writes a minute per user). */
  requestsPerMinute: number;
}

const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number written with digits only")
    .transform(Number)
    .refine((n) => n > 0, "must be greater than 0")
    .optional()
    .transform((n) => n ?? fallback);

const flag = z
  .enum(["true", "false"], { message: 'must be "true" or "false"' })
  .optional()
  .transform((v) => v === "true");

const VARIABLES = z.object({
  ENVIRONMENT: z.enum(["production", "development"], { message: 'must be "production" or "development"' }).default("production"),
  RATE_LIMIT_PER_MINUTE: positiveInt(600),
  SIGNUP_LIMIT_PER_HOUR: positiveInt(20),
  MAX_FILE_BYTES: positiveInt(1024 * 1024 * 1024),
  JOB_CHUNK_ROWS: positiveInt(20_000),
  ENCRYPTION_KEY: z
    .string()
    .trim()
    .refine((key) => key === "" || decodesTo32Bytes(key), "must be the base64 of 32 random bytes (openssl rand -base64 32)")
    .optional(),
  ALLOW_LOOPBACK_WEBHOOKS: flag,
  RETENTION_DAYS: positiveInt(90),
  PUBLIC_URL: z
    .string()
    .trim()
    .refine((url) => url === "" || isHttpOrigin(url), "must be the dashboard's address, such as https://vitrine.example.com.br")
    .optional(),
  LOGIN_ATTEMPTS_PER_IP: positiveInt(50),
  LOGIN_ATTEMPTS_PER_EMAIL: positiveInt(10),
  SUBREQUEST_BUDGET: positiveInt(1000),
  JOB_QUEUE_BATCH_SIZE: positiveInt(4),
  MERCADOLIVRE_CLIENT_ID: z.string().trim().optional(),
  MERCADOLIVRE_CLIENT_SECRET: z.string().trim().optional(),
  MERCADOLIVRE_AUTH_URL: z.string().trim().optional(),
  MERCADOLIVRE_API_URL: z.string().trim().optional(),
  MERCADOLIVRE_REQUESTS_PER_MINUTE: positiveInt(1500),
  GOOGLE_CLIENT_ID: z.string().trim().optional(),
  GOOGLE_CLIENT_SECRET: z.string().trim().optional(),
  GOOGLE_SERVICE_ACCOUNT_JSON: z.string().trim().optional(),
  GOOGLE_AUTH_URL: z.string().trim().optional(),
  GOOGLE_TOKEN_URL: z.string().trim().optional(),
  GOOGLE_SHEETS_API_URL: z.string().trim().optional(),
  GOOGLE_SHEETS_REQUESTS_PER_MINUTE: positiveInt(60),
  SHOPEE_PARTNER_ID: z.string().trim().optional(),
  SHOPEE_PARTNER_KEY: z.string().trim().optional(),
  SHOPEE_API_URL: z.string().trim().optional(),
  SHOPEE_REQUESTS_PER_MINUTE: positiveInt(600),
  FEED_MAX_BYTES: positiveInt(200 * 1024 * 1024),
  FEED_TIMEOUT_SECONDS: positiveInt(240).refine((n) => n <= 270, "must be at most 270 (a sync's plan step holds its lease for 5 minutes)"),
  STRIPE_SECRET_KEY: z.string().trim().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().trim().optional(),
  STRIPE_PRICE_PRO: z.string().trim().optional(),
  STRIPE_PRICE_BUSINESS: z.string().trim().optional(),
  STRIPE_PRICE_PRO_OVERAGE: z.string().trim().optional(),
  STRIPE_PRICE_BUSINESS_OVERAGE: z.string().trim().optional(),
  STRIPE_METER_EVENT_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, "must be the meter's event name: letters, digits, _ . - (at most 100)")
    .optional(),
  STRIPE_API_URL: z.string().trim().optional(),
  BILLING_PAST_DUE_GRACE_DAYS: z
    .string()
    .regex(/^\d{1,3}$/, "must be a whole number of days written with digits only")
    .transform(Number)
    .optional()
    .transform((n) => n ?? 7),
  BILLING_CONTACT: z.string().trim().max(200, "must be at most 200 characters").optional(),
  // The overage prices the plans endpoint shows (Stripe's metered prices must say the same).
  OVERAGE_CENTS_PER_1000_PRO: positiveInt(500),
  OVERAGE_CENTS_PER_1000_BUSINESS: positiveInt(300),
  // A guessable operator token would open every account's KPIs: refuse short ones loudly.
  OPERATOR_TOKEN: z
    .string()
    .refine((token) => token === "" || token.length >= 32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
});

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.pathname.replace(/\/+$/, "") === "" && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/**
 * A base URL an operator configured: absolute, without query or fragment, https in production
 * (development may point at local fakes and sandboxes over http). Returned without a trailing slash.
 */
function baseUrl(name: string, raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Invalid Worker configuration: ${name} must be an absolute URL such as https://example.com (got "${raw}").`);
  }
  const schemeOk = url.protocol === "https:" || (!production && url.protocol === "http:");
  if (!schemeOk || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`Invalid Worker configuration: ${name} must be an ${production ? "https" : "http(s)"} URL without query, fragment or credentials (got "${raw}").`);
  }
  return url.href.replace(/\/+$/, "");
}

function mercadoLivre(v: z.output<typeof VARIABLES>, production: boolean): MercadoLivreConfig | undefined {
  const clientId = v.MERCADOLIVRE_CLIENT_ID || undefined;
  if (!clientId) return undefined;
  const clientSecret = v.MERCADOLIVRE_CLIENT_SECRET || undefined;
  if (!clientSecret) {
    throw new ConfigError(
      "Invalid Worker configuration: MERCADOLIVRE_CLIENT_SECRET is required when MERCADOLIVRE_CLIENT_ID is set (npx wrangler secret put MERCADOLIVRE_CLIENT_SECRET).",
    );
  }
  return {
    clientId,
    clientSecret,
    authUrl: baseUrl("MERCADOLIVRE_AUTH_URL", v.MERCADOLIVRE_AUTH_URL || "https://auth.mercadolivre.com.br", production),
    apiUrl: baseUrl("MERCADOLIVRE_API_URL", v.MERCADOLIVRE_API_URL || "https://api.mercadolibre.com", production),
    requestsPerMinute: v.MERCADOLIVRE_REQUESTS_PER_MINUTE,
  };
}

/**
 * An endpoint URL an operator configured (Google's authorization and token endpoints have paths):
 * absolute, https in production, without query, fragment or credentials.
 */
function endpointUrl(name: string, raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Invalid Worker configuration: ${name} must be an absolute URL (got "${raw}").`);
  }
  const schemeOk = url.protocol === "https:" || (!production && url.protocol === "http:");
  if (!schemeOk || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`Invalid Worker configuration: ${name} must be an ${production ? "https" : "http(s)"} URL without query, fragment or credentials (got "${raw}").`);
  }
  return url.href;
}

/** The service account's key file (its JSON as Google Cloud downloads it): only client_email and private_key are read. */
function serviceAccount(raw: string | undefined): GoogleConfig["serviceAccount"] {
  if (!raw) return undefined;
  let parsed: { client_email?: unknown; private_key?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    throw new ConfigError("Invalid Worker configuration: GOOGLE_SERVICE_ACCOUNT_JSON is not JSON (paste the whole key file: npx wrangler secret put GOOGLE_SERVICE_ACCOUNT_JSON < key.json).");
  }
  const email = typeof parsed.client_email === "string" ? parsed.client_email : "";
  const key = typeof parsed.private_key === "string" ? parsed.private_key : "";
  if (!email.includes("@") || !key.includes("BEGIN PRIVATE KEY")) {
    throw new ConfigError("Invalid Worker configuration: GOOGLE_SERVICE_ACCOUNT_JSON lacks client_email or a PKCS#8 private_key (use a JSON key of the service account).");
  }
  return { email, privateKeyPem: key };
}

function google(v: z.output<typeof VARIABLES>, production: boolean): GoogleConfig | undefined {
  const clientId = v.GOOGLE_CLIENT_ID || undefined;
  if (clientId && !v.GOOGLE_CLIENT_SECRET) {
    throw new ConfigError("Invalid Worker configuration: GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set (npx wrangler secret put GOOGLE_CLIENT_SECRET).");
  }
  const account = serviceAccount(v.GOOGLE_SERVICE_ACCOUNT_JSON || undefined);
  if (!clientId && !account) return undefined;
  return {
    oauth: clientId ? { clientId, clientSecret: v.GOOGLE_CLIENT_SECRET! } : undefined,
    serviceAccount: account,
    authUrl: endpointUrl("GOOGLE_AUTH_URL", v.GOOGLE_AUTH_URL || "https://accounts.google.com/o/oauth2/v2/auth", production),
    tokenUrl: endpointUrl("GOOGLE_TOKEN_URL", v.GOOGLE_TOKEN_URL || "https://oauth2.googleapis.com/token", production),
    sheetsUrl: baseUrl("GOOGLE_SHEETS_API_URL", v.GOOGLE_SHEETS_API_URL || "https://sheets.googleapis.com", production),
    requestsPerMinute: v.GOOGLE_SHEETS_REQUESTS_PER_MINUTE,
  };
}

function shopee(v: z.output<typeof VARIABLES>, production: boolean): ShopeeConfig | undefined {
  const partnerId = v.SHOPEE_PARTNER_ID || undefined;
  if (!partnerId) return undefined;
  if (!/^\d{1,20}$/.test(partnerId)) throw new ConfigError(`Invalid Worker configuration: SHOPEE_PARTNER_ID must be the partner id, digits only (got "${partnerId}").`);
  const partnerKey = v.SHOPEE_PARTNER_KEY || undefined;
  if (!partnerKey) {
    throw new ConfigError("Invalid Worker configuration: SHOPEE_PARTNER_KEY is required when SHOPEE_PARTNER_ID is set (npx wrangler secret put SHOPEE_PARTNER_KEY).");
  }
  return {
    partnerId,
    partnerKey,
    apiUrl: baseUrl("SHOPEE_API_URL", v.SHOPEE_API_URL || "https://partner.shopeemobile.com", production),
    requestsPerMinute: v.SHOPEE_REQUESTS_PER_MINUTE,
  };
}

const STRIPE_REQUIRED = ["STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_PRO", "STRIPE_PRICE_BUSINESS", "STRIPE_PRICE_PRO_OVERAGE", "STRIPE_PRICE_BUSINESS_OVERAGE"] as const;

function stripe(v: z.output<typeof VARIABLES>, production: boolean): StripeConfig | undefined {
  const secretKey = v.STRIPE_SECRET_KEY || undefined;
  if (!secretKey) return undefined;
  const missing = STRIPE_REQUIRED.filter((name) => !v[name]);
  if (missing.length) {
    throw new ConfigError(
      `Invalid Worker configuration: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} required when STRIPE_SECRET_KEY is set (docs/billing.md, "Stripe setup").`,
    );
  }
  const base = new URL(baseUrl("STRIPE_API_URL", v.STRIPE_API_URL || "https://api.stripe.com", production));
  if (base.pathname !== "/") throw new ConfigError(`Invalid Worker configuration: STRIPE_API_URL must be an origin without a path, such as http://localhost:12111 (got "${v.STRIPE_API_URL}").`);
  const protocol = base.protocol === "http:" ? "http" : "https";
  return {
    secretKey,
    webhookSecret: v.STRIPE_WEBHOOK_SECRET!,
    prices: { pro: v.STRIPE_PRICE_PRO!, business: v.STRIPE_PRICE_BUSINESS! },
    overagePrices: { pro: v.STRIPE_PRICE_PRO_OVERAGE!, business: v.STRIPE_PRICE_BUSINESS_OVERAGE! },
    meterEventName: v.STRIPE_METER_EVENT_NAME || "vitrine_validations",
    api: { host: base.hostname, port: base.port ? Number(base.port) : protocol === "http" ? 80 : 443, protocol },
    pastDueGraceDays: v.BILLING_PAST_DUE_GRACE_DAYS,
    contact: v.BILLING_CONTACT || undefined,
  };
}

function decodesTo32Bytes(key: string): boolean {
  try {
    return base64ToBytes(key).byteLength === 32;
  } catch {
    return false;
  }
}

/** A variable that is missing or wrong; the message names it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const parsed = new WeakMap<object, Config>();

/**
 * The typed configuration of this `env`. Parsed on first use by each entry point (fetch, queue,
 * cron), so a bad value fails the first request loudly, naming the variable, instead of being
 * read differently at each call site.
 */
export function config(env: Partial<Pick<Env, keyof z.input<typeof VARIABLES>>>): Config {
  const hit = parsed.get(env);
  if (hit) return hit;
  const result = VARIABLES.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new ConfigError(`Invalid Worker configuration: ${problems}. Fix it in wrangler.toml [vars] or with wrangler secret put.`);
  }
  const v = result.data;
  const production = v.ENVIRONMENT === "production";
  const encryptionKey = v.ENCRYPTION_KEY || undefined;
  if (production && !encryptionKey) {
    throw new ConfigError(
      "Invalid Worker configuration: ENCRYPTION_KEY is required in production (openssl rand -base64 32 | npx wrangler secret put ENCRYPTION_KEY).",
    );
  }
  const publicUrl = v.PUBLIC_URL ? new URL(v.PUBLIC_URL).origin : undefined;
  if (production && (!publicUrl || !publicUrl.startsWith("https://"))) {
    throw new ConfigError(
      "Invalid Worker configuration: PUBLIC_URL is required in production, the https address the dashboard is served at (wrangler.toml [vars] PUBLIC_URL = \"https://vitrine.example.com.br\"); emailed links start with it.",
    );
  }
  const stripeConfig = stripe(v, production);
  const out: Config = {
    environment: v.ENVIRONMENT,
    production,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    signupLimitPerHour: v.SIGNUP_LIMIT_PER_HOUR,
    maxFileBytes: v.MAX_FILE_BYTES,
    jobChunkRows: v.JOB_CHUNK_ROWS,
    encryptionKey,
    allowLoopbackWebhooks: !production && v.ALLOW_LOOPBACK_WEBHOOKS,
    retentionDays: v.RETENTION_DAYS,
    publicUrl,
    loginAttemptsPerIp: v.LOGIN_ATTEMPTS_PER_IP,
    loginAttemptsPerEmail: v.LOGIN_ATTEMPTS_PER_EMAIL,
    subrequestBudget: v.SUBREQUEST_BUDGET,
    jobQueueBatchSize: v.JOB_QUEUE_BATCH_SIZE,
    mercadolivre: mercadoLivre(v, production),
    google: google(v, production),
    shopee: shopee(v, production),
    stripe: stripeConfig,
    feed: { maxBytes: Math.min(v.FEED_MAX_BYTES, v.MAX_FILE_BYTES), timeoutSeconds: v.FEED_TIMEOUT_SECONDS },
    billing: {
      enabled: stripeConfig !== undefined,
      currency: "usd",
      overageCentsPer1000: { pro: v.OVERAGE_CENTS_PER_1000_PRO, business: v.OVERAGE_CENTS_PER_1000_BUSINESS },
    },
    operatorToken: v.OPERATOR_TOKEN || undefined,
  };
  parsed.set(env, out);
  return out;
}
