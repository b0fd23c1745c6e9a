import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE } from "../helpers";

export { BASE };

/** The default password of accounts these helpers create. */
export const PASSWORD = "correct horse battery staple";

/**
 * A browser, as far as the Worker can tell: a cookie jar, same-origin form posts carrying the CSRF
 * token the pages handed out, and no redirect following (tests look at each answer). Part 2's page
 * tests use it as is: `const seller = await signUpInBrowser(); const page = await seller.browser.page("/app/jobs")`.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    if (!headers.has("user-agent")) headers.set("user-agent", this.userAgent);
    const res = await exports.default.fetch(new Request(BASE + path, { ...init, headers, redirect: "manual" }));
    this.remember(res);
    return res;
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** GET a page; the answer's HTML alongside it. */
  async page(path: string, init: RequestInit = {}): Promise<{ res: Response; html: string }> {
    const res = await this.fetch(path, init);
    return { res, html: await res.text() };
  }

  /** The form token this browser holds (the pages render the same value in their forms). */
  csrf(): string {
    const token = this.cookies.get("__Host-vt_csrf");
    if (!token) throw new Error("no CSRF cookie yet: load a page first");
    return token;
  }

  /**
   * Posts a form as the dashboard's own pages do (Origin of this site, the token in `_csrf`).
   * `csrf: false` leaves the token out; `origin` changes or (null) drops the Origin header.
   */
  async post(path: string, fields: Record<string, string>, options: { csrf?: string | false; origin?: string | null } = {}): Promise<Response> {
    if (!this.cookies.has("__Host-vt_csrf")) await this.fetch("/login");
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set("_csrf", options.csrf ?? this.csrf());
    const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
    const origin = options.origin === undefined ? BASE : options.origin;
    if (origin !== null) headers.set("origin", origin);
    return this.fetch(path, { method: "POST", body, headers });
  }

  signedIn(): boolean {
    return this.cookies.has("__Host-vt_session");
  }
}

let count = 0;

export interface BrowserSeller {
  browser: Browser;
  accountId: string;
  email: string;
  password: string;
}

/** Signs up through the landing page's form, as a seller does, and comes back signed in. */
export async function signUpInBrowser(options: { name?: string; email?: string; password?: string; companyName?: string; taxId?: string } = {}): Promise<BrowserSeller> {
  count++;
  const browser = new Browser();
  const email = options.email ?? `web${count}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = options.password ?? PASSWORD;
  await browser.fetch("/");
  const res = await browser.post("/signup", {
    name: options.name ?? "Loja Web",
    email,
    password,
    company_name: options.companyName ?? "",
    tax_id: options.taxId ?? "",
  });
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get("location")).toBe("/app");
  const row = await env.DB.prepare("SELECT id FROM accounts WHERE email = ?").bind(email).first<{ id: string }>();
  return { browser, accountId: row!.id, email, password };
}

/** Signs in through the form in a fresh browser. */
export async function signInInBrowser(email: string, password = PASSWORD): Promise<{ browser: Browser; res: Response }> {
  const browser = new Browser();
  await browser.fetch("/login");
  const res = await browser.post("/login", { email, password });
  return { browser, res };
}

/** The one-time link a development page shows (the same one the email carries). */
export function linkOnPage(html: string): string {
  const match = /href="(https?:\/\/[^"]+\/password\/new\?token=[A-Za-z0-9_-]{43})"/.exec(html);
  if (!match) throw new Error("no emailed link on the page");
  return new URL(match[1].replaceAll("&amp;", "&")).pathname + new URL(match[1].replaceAll("&amp;", "&")).search;
}

/** Asks for a password link through the form and returns its path (development shows it on the page). */
export async function requestLink(email: string, browser = new Browser()): Promise<string> {
  await browser.fetch("/password");
  const res = await browser.post("/password", { email });
  expect(res.status).toBe(200);
  return linkOnPage(await res.text());
}

/** The page's visible text, tags dropped, entities of interest decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replace(/\s+/g, " ")
    .trim();
}

/** A dashboard 404: what another account's object answers, exactly like one that does not exist. */
export function expectNotFoundPage(res: Response, html: string) {
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(html).toMatch(/Página não encontrada|Page not found/);
}

/** Whether a page answer sent the browser to sign in (it was not, or no longer, signed in). */
export function expectSentToSignIn(res: Response) {
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toMatch(/^\/login\?notice=signInFirst/);
}
