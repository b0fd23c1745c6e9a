import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "./context";

/**
 * Every resource a page loads comes from this Worker's origin; no inline script or style can run,
 * forms post only here, and no other site may frame the dashboard.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The dashboard's policy, with the origins its forms may also be sent to: a form whose answer
 * redirects to another site (connecting a store goes on to the marketplace's authorization page)
 * is blocked by `form-action 'self'` alone, because browsers check the redirect's target too.
 */
export function dashboardCspWithFormTarget(...origins: string[]): string {
  return origins.length ? DASHBOARD_CSP.replace("form-action 'self'", `form-action 'self' ${origins.join(" ")}`) : DASHBOARD_CSP;
}

/**
 * Security headers on every dashboard response. Referrer-Policy is same-origin rather than
 * no-referrer: with no-referrer, browsers send `Origin: null` on form posts, which the CSRF check
 * could not tell from a forged one. Pages are personal and carry form tokens: never stored.
 */
export const securityHeaders: MiddlewareHandler<WebEnv> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  // A page may send a narrower-purpose variant of this policy (see `dashboardCspWithFormTarget`).
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", DASHBOARD_CSP);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
};
