import type { Context, Hono } from "hono";
import type { AppVariables } from "../api/context";
import type { Env } from "../env";
import type { ActiveSession } from "../services/sessions";
import type { I18n } from "./i18n";

export interface WebVariables {
  /** The reader's language and formatters (the shared `locale` variable holds the same language). */
  i18n: I18n;
  /** This browser's form token; every form carries it (see csrf.ts). */
  csrfToken: string;
  /** Set when the browser is signed in. */
  session?: ActiveSession;
}

export type WebEnv = { Bindings: Env; Variables: AppVariables & WebVariables };
export type WebContext = Context<WebEnv>;
/** The dashboard's router: pages mount their routes on it (see index.ts). */
export type Web = Hono<WebEnv>;

/** The signed-in session; pages behind `requireSession` can rely on it. */
export function currentSession(c: WebContext): ActiveSession {
  const session = c.get("session");
  if (!session) throw new Error("page mounted without requireSession");
  return session;
}
