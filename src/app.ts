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
import { GetHealth } from "./api/v1/health";
import { mountDocs } from "./ui/docs";

/** Routes reachable without an API key; everything else under /api/v1 requires one. */
const PUBLIC_PATHS = new Set(["/api/v1/health", "/api/v1/signup", "/api/v1/openapi.json"]);

export function buildApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext);
  app.use("/api/v1/*", jsonBody);
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

  mountDocs(app);
  app.get("/", (c) => c.redirect("/docs", 302));
  app.onError(onError);
  app.notFound(notFoundHandler(methodsFor));
  return app;
}
