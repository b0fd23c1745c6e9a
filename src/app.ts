import { fromHono } from "chanfana";
import { Hono } from "hono";
import type { AppEnv } from "./api/context";
import { notFoundHandler, onError, routeMethods } from "./api/error-handler";
import { requireApiKey } from "./api/middleware/auth";
import { idempotent } from "./api/middleware/idempotency";
import { jsonBody } from "./api/middleware/json-body";
import { requestContext } from "./api/middleware/request-context";
import { GetAccount, SignUp } from "./api/v1/accounts";
import { CreateApiKey, ListApiKeys, RevokeApiKey } from "./api/v1/api-keys";
import { CreateFile, DeleteFile, DownloadFile, GetFile, ListFiles, streamsBody } from "./api/v1/files";
import { GetEvent, ListEvents, registerEventWebhooks } from "./api/v1/events";
import { GetHealth } from "./api/v1/health";
import { GetCorrectedCatalog, GetJobIssues, GetJobResult } from "./api/v1/job-results";
import { CancelJob, CreateJob, GetJob, ListJobs } from "./api/v1/jobs";
import {
  CreateMapping,
  DeleteMapping,
  GetMapping,
  ListMappings,
  ListMappingTemplates,
  ListMappingVersions,
  ListMarketplaceMappings,
  PreviewMapping,
  SuggestMapping,
  UpdateMapping,
} from "./api/v1/mappings";
import { CreateRulePack, DeleteRulePack, GetRulePack, ListRulePacks, UpdateRulePack } from "./api/v1/rule-packs";
import { AbortUpload, CompleteUpload, CreateUpload, GetUpload, UploadPart } from "./api/v1/uploads";
import { Validate } from "./api/v1/validate";
import {
  CreateWebhook,
  DeleteWebhook,
  GetWebhook,
  ListWebhookDeliveries,
  ListWebhooks,
  RetryWebhookDelivery,
  RotateWebhookSecret,
  TestWebhook,
  UpdateWebhook,
} from "./api/v1/webhooks";
import { mountDocs } from "./ui/docs";

/** Routes reachable without an API key; everything else under /api/v1 requires one. */
const PUBLIC_PATHS = new Set(["/api/v1/health", "/api/v1/signup", "/api/v1/openapi.json"]);

export function buildApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext);
  // File uploads stream their bodies to R2; only the JSON routes are read up front.
  app.use("/api/v1/*", (c, next) => (streamsBody(c.req.method, c.req.path) ? next() : jsonBody(c, next)));
  const methodsFor = routeMethods(app);
  // Unrouted requests skip auth so they get an honest 404/405 rather than 401.
  app.use("/api/v1/*", async (c, next) =>
    PUBLIC_PATHS.has(c.req.path) || !methodsFor(c.req.path).includes(c.req.method) ? next() : requireApiKey(c, next),
  );

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

  api.get("/health", GetHealth);
  api.post("/signup", SignUp);
  api.get("/account", GetAccount);
  api.get("/api-keys", ListApiKeys);
  app.post("/api/v1/api-keys", idempotent);
  api.post("/api-keys", CreateApiKey);
  api.delete("/api-keys/:id", RevokeApiKey);
  api.get("/rule-packs", ListRulePacks);
  api.get("/rule-packs/:id", GetRulePack);
  app.post("/api/v1/rule-packs", idempotent);
  api.post("/rule-packs", CreateRulePack);
  api.put("/rule-packs/:id", UpdateRulePack);
  api.delete("/rule-packs/:id", DeleteRulePack);
  api.post("/validate", Validate);
  // Static mapping routes first: /mappings/{marketplace} would otherwise catch "templates".
  api.get("/mappings/templates", ListMappingTemplates);
  api.post("/mappings/suggest", SuggestMapping);
  api.get("/mappings", ListMappings);
  app.post("/api/v1/mappings", idempotent);
  api.post("/mappings", CreateMapping);
  api.get("/mappings/by-id/:id", GetMapping);
  api.get("/mappings/by-id/:id/versions", ListMappingVersions);
  api.get("/mappings/:marketplace", ListMarketplaceMappings);
  api.put("/mappings/:id", UpdateMapping);
  api.delete("/mappings/:id", DeleteMapping);
  api.post("/mappings/:id/preview", PreviewMapping);
  api.get("/files", ListFiles);
  api.post("/files", CreateFile);
  app.post("/api/v1/files/uploads", idempotent);
  api.post("/files/uploads", CreateUpload);
  api.get("/files/uploads/:id", GetUpload);
  api.put("/files/uploads/:id/parts/:n", UploadPart);
  api.post("/files/uploads/:id/complete", CompleteUpload);
  api.delete("/files/uploads/:id", AbortUpload);
  api.get("/files/:id", GetFile);
  api.get("/files/:id/content", DownloadFile);
  api.delete("/files/:id", DeleteFile);
  api.get("/jobs", ListJobs);
  app.post("/api/v1/jobs", idempotent);
  api.post("/jobs", CreateJob);
  api.get("/jobs/:id", GetJob);
  api.delete("/jobs/:id", CancelJob);
  api.get("/jobs/:id/result", GetJobResult);
  api.get("/jobs/:id/result/issues", GetJobIssues);
  api.get("/jobs/:id/result/corrected", GetCorrectedCatalog);
  api.get("/events", ListEvents);
  api.get("/events/:id", GetEvent);
  api.get("/webhooks", ListWebhooks);
  app.post("/api/v1/webhooks", idempotent);
  api.post("/webhooks", CreateWebhook);
  api.get("/webhooks/:id", GetWebhook);
  api.patch("/webhooks/:id", UpdateWebhook);
  api.delete("/webhooks/:id", DeleteWebhook);
  app.post("/api/v1/webhooks/:id/test", idempotent);
  api.post("/webhooks/:id/test", TestWebhook);
  app.post("/api/v1/webhooks/:id/rotate-secret", idempotent);
  api.post("/webhooks/:id/rotate-secret", RotateWebhookSecret);
  api.get("/webhooks/:id/deliveries", ListWebhookDeliveries);
  api.post("/webhooks/:id/deliveries/:delivery_id/retry", RetryWebhookDelivery);
  registerEventWebhooks(api.registry);

  mountDocs(app);
  app.get("/", (c) => c.redirect("/docs", 302));
  app.onError(onError);
  app.notFound(notFoundHandler(methodsFor));
  return app;
}
