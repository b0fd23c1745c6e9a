import type { MiddlewareHandler } from "hono";
import { config } from "../config";
import { constantTimeEqual } from "../core/crypto/constant-time";
import { RANDOM_TOKEN, randomToken } from "../core/crypto/random-token";
import type { WebContext, WebEnv } from "./context";
import { readCookie, writeCookie } from "./cookies";

/** The hidden field every form carries. */
export const CSRF_FIELD = "_csrf";

/**
 * Gives the browser its form token: a random value in an HttpOnly cookie, repeated in every form
 * the server renders. A forged form cannot know it (the cookie is unreadable to other sites and,
 * with the __Host- prefix, cannot be planted by a subdomain).
 */
export const csrfToken: MiddlewareHandler<WebEnv> = async (c, next) => {
  const existing = readCookie(c, "vt_csrf");
  if (existing && RANDOM_TOKEN.test(existing)) c.set("csrfToken", existing);
  else rotateCsrfToken(c);
  await next();
};

/** A new token, at sign-in and sign-out, so a token seen before cannot be replayed after. */
export function rotateCsrfToken(c: WebContext): void {
  const token = randomToken();
  writeCookie(c, "vt_csrf", token);
  c.set("csrfToken", token);
}

/** Origins the dashboard's own forms post from: the request's, and PUBLIC_URL's when set. */
function ownOrigins(c: WebContext): string[] {
  const origins = [new URL(c.req.url).origin];
  const publicUrl = config(c.env).publicUrl;
  if (publicUrl) origins.push(publicUrl);
  return origins;
}

/**
 * Whether a form post may act: its Origin (or, without one, Sec-Fetch-Site) must be this site, and
 * its token must match the cookie's. Browsers send Origin on every POST; only non-browser clients
 * omit both headers, and they still need the token.
 */
export async function csrfAllowed(c: WebContext, submitted: string | undefined): Promise<boolean> {
  const origin = c.req.header("origin");
  if (origin !== undefined) {
    if (!ownOrigins(c).includes(origin)) return false;
  } else {
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  }
  const cookie = readCookie(c, "vt_csrf");
  return !!cookie && !!submitted && constantTimeEqual(cookie, submitted);
}
