import type { Context, MiddlewareHandler } from "hono";
import { config } from "../config";
import type { Env } from "../env";
import { type ActiveSession, createSession, SESSION_LIFETIME_MS, sessionFromToken } from "../services/sessions";
import type { WebContext, WebEnv } from "./context";
import { clearCookie, readCookie, writeCookie } from "./cookies";
import { rotateCsrfToken } from "./csrf";

/**
 * Opens the session named by the cookie, if any. Only the cookie counts: an Authorization header
 * (an API key) never signs a browser in, just as the API never reads this cookie.
 */
export const loadSession: MiddlewareHandler<WebEnv> = async (c, next) => {
  const token = readCookie(c, "vt_session");
  if (token) {
    const session = await sessionFromToken(c.env, token, c.executionCtx);
    if (session) c.set("session", session);
    else clearCookie(c, "vt_session");
  }
  await next();
};

/**
 * The dashboard session a request's cookie names, for routes outside the dashboard's middleware
 * (the OAuth callback checks the browser is signed in to the account a link was made for).
 */
export async function sessionOfRequest<E extends { Bindings: Env }>(c: Context<E>): Promise<ActiveSession | null> {
  const token = readCookie(c, "vt_session");
  return token ? sessionFromToken(c.env, token, c.executionCtx) : null;
}

/** Pages of a signed-in account: anyone else is sent to sign in (and back here afterwards). */
export const requireSession: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get("session")) {
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? `&next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`/login?notice=signInFirst${back}`, 303);
  }
  await next();
};

/** Where to go after signing in: only a dashboard path of this site, never another origin. */
export function safeNext(value: string | undefined): string {
  return value && /^\/app(?:[/?#][^\\\s]*)?$/.test(value) && !value.startsWith("//") ? value : "/app";
}

/** Puts a new session in the browser (after sign-up or sign-in) and renews the form token. */
export async function startSession(c: WebContext, accountId: string, token?: string): Promise<void> {
  const sessionToken = token ?? (await createSession(c.env, accountId, c.req.header("user-agent"))).token;
  writeCookie(c, "vt_session", sessionToken, SESSION_LIFETIME_MS / 1000);
  rotateCsrfToken(c);
}

export function endSession(c: WebContext): void {
  clearCookie(c, "vt_session");
  rotateCsrfToken(c);
}

/**
 * The client's address for rate limits. CF-Connecting-IP is set by Cloudflare's edge and trusted
 * in production only; elsewhere anyone could send it, so every local client is one subject.
 */
export function clientAddress(c: WebContext): string {
  return (config(c.env).production ? c.req.header("cf-connecting-ip") : undefined) ?? "local";
}
