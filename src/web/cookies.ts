import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { WebContext } from "./context";

/**
 * Cookies are HttpOnly, SameSite=Lax and Secure with the __Host- prefix (no Domain, Path=/, so
 * no subdomain can set or read them) — except on a loopback address, where `npm start` serves
 * plain http and a Secure cookie would be refused.
 */
function secure(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return !(host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]");
}

export type CookieName = "vt_session" | "vt_csrf" | "vt_lang" | "vt_operator";

/** Any request's context: the OAuth callback (an API route) reads the session cookie too. */
export function readCookie(c: Context, name: CookieName): string | undefined {
  return secure(c) ? getCookie(c, name, "host") : getCookie(c, name);
}

export function writeCookie(c: WebContext, name: CookieName, value: string, maxAgeSeconds?: number): void {
  const isSecure = secure(c);
  setCookie(c, name, value, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecure,
    ...(isSecure ? { prefix: "host" as const } : {}),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearCookie(c: WebContext, name: CookieName): void {
  const isSecure = secure(c);
  deleteCookie(c, name, { path: "/", secure: isSecure, ...(isSecure ? { prefix: "host" as const } : {}) });
}
