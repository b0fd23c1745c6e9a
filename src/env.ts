import type { ConnectorGate } from "./durable/connector-gate";
import type { JobCoordinator } from "./durable/job-coordinator";
import type { RateLimiter } from "./durable/rate-limiter";

/** Bindings and variables the Worker runs with (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  JOB_COORDINATOR: DurableObjectNamespace<JobCoordinator>;
  CONNECTOR_GATE: DurableObjectNamespace<ConnectorGate>;
  FILES: R2Bucket;
  JOBS_QUEUE: Queue;
  JOBS_PRIORITY_QUEUE: Queue;
  WEBHOOKS_QUEUE: Queue;
  /** The dashboard's built CSS/JS (wrangler.toml [assets]); the Worker reads assets-manifest.json through it. */
  ASSETS: Fetcher;
  /** Workers Analytics Engine dataset of the operator's KPIs (wrangler.toml; docs/operations.md). */
  KPI_EVENTS?: AnalyticsEngineDataset;
  /** Worker secret: the operator's token for /operator (docs/operations.md); no operator access while unset. */
  OPERATOR_TOKEN?: string;
  /** "production" (the default: vt_live_ keys) or "development" (vt_test_ keys). Read through config(). */
  ENVIRONMENT?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  SIGNUP_LIMIT_PER_HOUR?: string;
  /** Largest uploaded file in bytes (default 1 GiB). */
  MAX_FILE_BYTES?: string;
  JOB_CHUNK_ROWS?: string;
  /** Worker secret: base64 of 32 random bytes; seals webhook secrets (and other credentials) at rest. */
  ENCRYPTION_KEY?: string;
  /** "true" lets webhook endpoints target loopback (http allowed) — ignored in production. */
  ALLOW_LOOPBACK_WEBHOOKS?: string;
  /** Days uploaded files and job results are kept (default 90); the minute cron deletes what is older. */
  RETENTION_DAYS?: string;
  /** Where the dashboard is served (https://…); emailed links start with it. Required in production. */
  PUBLIC_URL?: string;
  /** Dashboard sign-in attempts allowed per 15 minutes, per client address and per email address. */
  LOGIN_ATTEMPTS_PER_IP?: string;
  LOGIN_ATTEMPTS_PER_EMAIL?: string;
  /** Subrequests one invocation may make: 1000 on Workers Paid (the default), 50 on Free. */
  SUBREQUEST_BUDGET?: string;
  /** The job consumers' max_batch_size in wrangler.toml (default 4): a batch's messages share one invocation's subrequests. */
  JOB_QUEUE_BATCH_SIZE?: string;
  /** The Mercado Livre application's id; connectors of type mercadolivre exist only when it is set. */
  MERCADOLIVRE_CLIENT_ID?: string;
  /** Worker secret: the application's secret key. */
  MERCADOLIVRE_CLIENT_SECRET?: string;
  /** Default https://auth.mercadolivre.com.br */
  MERCADOLIVRE_AUTH_URL?: string;
  /** Default https://api.mercadolibre.com */
  MERCADOLIVRE_API_URL?: string;
  /** Requests per minute per connector (default 1500). */
  MERCADOLIVRE_REQUESTS_PER_MINUTE?: string;
  /** Google Sheets by OAuth: the web client's id (docs/google-sheets.md). */
  GOOGLE_CLIENT_ID?: string;
  /** Worker secret: the OAuth client's secret. */
  GOOGLE_CLIENT_SECRET?: string;
  /** Worker secret: the service account's JSON key, for sellers who share their sheet instead. */
  GOOGLE_SERVICE_ACCOUNT_JSON?: string;
  /** Default https://accounts.google.com/o/oauth2/v2/auth */
  GOOGLE_AUTH_URL?: string;
  /** Default https://oauth2.googleapis.com/token */
  GOOGLE_TOKEN_URL?: string;
  /** Default https://sheets.googleapis.com */
  GOOGLE_SHEETS_API_URL?: string;
  /** Requests per minute per connector (default 60, Sheets' per-user quota). */
  GOOGLE_SHEETS_REQUESTS_PER_MINUTE?: string;
  /** The Shopee partner app's id; connectors of type shopee exist only when it is set. */
  SHOPEE_PARTNER_ID?: string;
  /** Worker secret: the partner app's key (signs every request). */
  SHOPEE_PARTNER_KEY?: string;
  /** Default https://partner.shopeemobile.com (sandbox https://partner.test-stable.shopeemobile.com) */
  SHOPEE_API_URL?: string;
  /** Requests per minute per connector (default 600). */
  SHOPEE_REQUESTS_PER_MINUTE?: string;
  /** Feed URL connectors: the largest feed downloaded, in bytes (default 200 MiB, at most MAX_FILE_BYTES). */
  FEED_MAX_BYTES?: string;
  /** Feed URL connectors: seconds one download may take (default 240, at most 270). */
  FEED_TIMEOUT_SECONDS?: string;
  /** Worker secret: the Stripe secret key (sk_live_… / rk_live_…); billing is off without it (docs/billing.md). */
  STRIPE_SECRET_KEY?: string;
  /** Worker secret: the signing secret of the Stripe webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Recurring prices (price_…) of Pro and Business. */
  STRIPE_PRICE_PRO?: string;
  STRIPE_PRICE_BUSINESS?: string;
  /** Metered prices (price_…) of validations beyond the allowance, per 1,000, attached to the meter. */
  STRIPE_PRICE_PRO_OVERAGE?: string;
  STRIPE_PRICE_BUSINESS_OVERAGE?: string;
  /** The meter's event name (default vitrine_validations). */
  STRIPE_METER_EVENT_NAME?: string;
  /** Default https://api.stripe.com; an origin such as http://localhost:12111 points at stripe-mock (development only). */
  STRIPE_API_URL?: string;
  /** Days a past_due subscription keeps its plan before Free allowances apply (default 7). */
  BILLING_PAST_DUE_GRACE_DAYS?: string;
  /** How sellers reach the operator about Enterprise: an email address or a URL. */
  BILLING_CONTACT?: string;
  /** US cents per 1,000 validations past the Pro allowance (default 500); must match the metered price in Stripe. */
  OVERAGE_CENTS_PER_1000_PRO?: string;
  /** US cents per 1,000 validations past the Business allowance (default 300); must match the metered price in Stripe. */
  OVERAGE_CENTS_PER_1000_BUSINESS?: string;
}
