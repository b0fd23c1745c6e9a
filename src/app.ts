import { fromHono } from "chanfana";
import { Hono } from "hono";
import type { AppEnv } from "./api/context";
import { notFoundHandler, onError, routeMethods } from "./api/error-handler";
import { requestContext } from "./api/middleware/request-context";
import { serverTiming } from "./api/middleware/server-timing";
import { mountAccountData } from "./api/v1/account";
import { mountAccounts } from "./api/v1/accounts";
import { mountApiKeys } from "./api/v1/api-keys";
import { mountBillingPlans } from "./api/v1/billing-plans";
import { mountBillingInvoices } from "./api/v1/billing-invoices";
import { mountBillingSpendCap } from "./api/v1/billing-spend-cap";
import { mountBillingSubscription } from "./api/v1/billing-subscription";
import { mountBillingUsage } from "./api/v1/billing-usage";
import { mountConnectors } from "./api/v1/connectors";
import { mountEvents } from "./api/v1/events";
import { mountFiles } from "./api/v1/files";
import { mountHealth } from "./api/v1/health";
import { mountJobResults } from "./api/v1/job-results";
import { mountJobs } from "./api/v1/jobs";
import { mountMappings } from "./api/v1/mappings";
import { mountRulePacks } from "./api/v1/rule-packs";
import { mountSamples } from "./api/v1/samples";
import { mountStripeWebhook } from "./api/v1/stripe-webhook";
import { mountUploads } from "./api/v1/uploads";
import { mountValidate } from "./api/v1/validate";
import { mountWebhooks } from "./api/v1/webhooks";
import { mountDocs } from "./ui/docs";
import { mountWeb } from "./web";

export function buildApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext);
  app.use("*", serverTiming);

  const api = fromHono(app, {
    base: "/api/v1",
    openapi_url: "/openapi.json",
    docs_url: null,
    redoc_url: null,
    openapiVersion: "3.1",
    passthroughErrors: true,
    schema: {
      info: {
        title: "Vitrine API",
        version: "1.0.0",
        description:
          "Validate, correct and move e-commerce product data for Mercado Livre, Shopee and Google Merchant. " +
          "Errors are RFC 9457 problem+json; lists use cursor pagination; every response carries X-Request-Id.",
      },
      security: [{ bearerAuth: [] }],
    },
  });
  api.registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key: vt_live_… (production) or vt_test_… (local and development).",
  });

  // Each resource mounts its operations with their own policy (auth, body, idempotency).
  mountHealth(api);
  mountAccounts(api);
  mountAccountData(api);
  mountApiKeys(api);
  mountRulePacks(api);
  mountValidate(api);
  mountMappings(api);
  mountUploads(api);
  mountSamples(api);
  mountFiles(api);
  mountJobs(api);
  mountJobResults(api);
  mountEvents(api);
  mountWebhooks(api);
  mountConnectors(api);
  mountBillingPlans(api);
  mountBillingUsage(api);
  mountBillingSubscription(api);
  mountBillingInvoices(api);
  mountBillingSpendCap(api);
  mountStripeWebhook(api);

  mountDocs(app);
  mountWeb(app);
  app.onError(onError);
  app.notFound(notFoundHandler(routeMethods(app)));
  return app;
}
