import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../api/context";
import type { Web, WebEnv } from "./context";
import { readCookie } from "./cookies";
import { CSRF_FIELD, csrfAllowed, csrfToken } from "./csrf";
import { csrfRefusedPage, notFoundPage, webErrorHandler } from "./errors";
import { i18n, isLocale, pickWebLocale } from "./i18n";
import { mountAccountPage } from "./pages/account";
import { mountApiKeysPage } from "./pages/api-keys";
import { mountBilling } from "./pages/billing";
import { mountJobs } from "./pages/jobs";
import { mountConnectorsPage } from "./pages/connectors";
import { mountLanding } from "./pages/landing";
import { mountLanguage } from "./pages/language";
import { mountMappings } from "./pages/mappings";
import { mountOnboarding } from "./pages/onboarding";
import { mountOperator } from "./pages/operator";
import { mountPasswordLinks } from "./pages/password";
import { mountRulePacks } from "./pages/rule-packs";
import { mountSignIn } from "./pages/sign-in";
import { mountUpload, UPLOAD_FORM_PATH, uploadFormCap } from "./pages/upload";
import { mountWebhooksPage } from "./pages/webhooks";
import { securityHeaders } from "./security-headers";
import { loadSession, requireSession } from "./session";

/**
 * Paths the dashboard owns. Its middleware is attached to these alone, so the API under /api/v1
 * never sees a session cookie or a form token. New pages live under /app/ and are covered.
 */
const PUBLIC_PATHS = ["/", "/signup", "/login", "/logout", "/password/*", "/language"];
const SIGNED_IN_PATHS = "/app/*";
/** The operator's KPI page: its own credential (OPERATOR_TOKEN), never a seller's session. */
const OPERATOR_PATHS = ["/operator", "/operator/*"];

/** The account's choice, then the switch's cookie, then the browser's languages (pt-BR by default). */
const readerLocale: MiddlewareHandler<WebEnv> = async (c, next) => {
  const chosen = c.get("session")?.account.locale ?? readCookie(c, "vt_lang");
  const locale = isLocale(chosen) ? chosen : pickWebLocale(c.req.header("accept-language"));
  c.set("locale", locale);
  c.set("i18n", i18n(locale));
  await next();
};

/**
 * Every request that is not a read must prove it comes from one of our own pages. The token comes
 * from the form body, or from the X-CSRF-Token header (for scripts that send raw bodies, such as
 * uploads in parts).
 */
const requireCsrf: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  let submitted = c.req.header("x-csrf-token");
  const type = c.req.header("content-type") ?? "";
  if (submitted === undefined && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
    const value = (await c.req.parseBody())[CSRF_FIELD];
    if (typeof value === "string") submitted = value;
  }
  if (!(await csrfAllowed(c, submitted))) return csrfRefusedPage(c);
  await next();
};

/**
 * Mounts the dashboard: server-rendered pages (hono/jsx) that call the services directly. To add a
 * page, write `pages/<name>.tsx` exporting `mount<Name>(web)` and call it below (docs/dashboard.md).
 */
export function mountWeb(app: Hono<AppEnv>) {
  const web: Web = new Hono<WebEnv>();
  web.onError(webErrorHandler);
  const stack = [securityHeaders, loadSession, readerLocale, csrfToken, requireCsrf];
  // Before the stack: its CSRF check parses form bodies whole, so the upload form's size is checked first.
  web.use(UPLOAD_FORM_PATH, securityHeaders, uploadFormCap);
  for (const path of [...PUBLIC_PATHS, ...OPERATOR_PATHS, SIGNED_IN_PATHS]) web.use(path, ...stack);
  web.use(SIGNED_IN_PATHS, requireSession);

  mountLanding(web);
  mountSignIn(web);
  mountPasswordLinks(web);
  mountLanguage(web);
  mountOnboarding(web);
  mountAccountPage(web);
  mountMappings(web);
  mountRulePacks(web);
  mountUpload(web);
  mountWebhooksPage(web);
  mountApiKeysPage(web);
  mountJobs(web);
  mountConnectorsPage(web);
  mountBilling(web);
  mountOperator(web);

  // Last: any other dashboard path is the dashboard's own 404 page.
  web.all(SIGNED_IN_PATHS, notFoundPage);
  app.route("/", web as unknown as Hono<AppEnv>);
}
