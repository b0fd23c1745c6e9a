import type { Context } from "hono";
import type { Locale } from "../core/text";
import type { Env } from "../env";
import type { AuthenticatedKey } from "../services/api-keys";

export interface AppVariables {
  requestId: string;
  locale: Locale;
  auth?: AuthenticatedKey;
  /** The request body as read (and capped) by the route's body middleware. */
  rawBody?: string;
  /** The parsed JSON body. */
  body?: unknown;
  /** How a rule-pack body is written. */
  bodyFormat?: "yaml" | "json";
  /** Steps timed for the Server-Timing header (see middleware/server-timing.ts). */
  serverTimings?: string[];
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
export type AppContext = Context<AppEnv>;

/** The authenticated caller; routes behind the auth middleware can rely on it. */
export function caller(c: AppContext): AuthenticatedKey {
  const auth = c.get("auth");
  if (!auth) throw new Error("route mounted without the auth middleware");
  return auth;
}
