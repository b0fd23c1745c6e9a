import { expect } from "vitest";
import { call } from "../helpers";
import { confirmForm } from "./helpers";

/**
 * The test side (in workerd) of the Google fake (test/fakes/google-sheets.ts): fetches to
 * *.google.test / *.googleapis.test reach it through miniflare's outboundService.
 */
const CONTROL = "https://control.sheets.test";

let books = 0;

/** A fresh spreadsheet at the fake (random id, so parallel test files never share one). */
export async function newSpreadsheet(body: { owner?: string; shared?: string[]; sheets: { title: string; rows?: unknown[][]; generate?: number; rowCount?: number }[] }) {
  const id = `1Sheet${crypto.randomUUID().replace(/-/g, "")}${++books}`;
  const res = await fetch(`${CONTROL}/spreadsheets/${id}`, { method: "PUT", body: JSON.stringify(body) });
  expect(res.status).toBe(204);
  return {
    id,
    url: `https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`,
    async state(rows: "all" | "head" = "head"): Promise<any> {
      return (await fetch(`${CONTROL}/spreadsheets/${id}${rows === "all" ? "?rows=all" : ""}`)).json();
    },
    async script(script: { throttle?: number; retryAfterSeconds?: number; expireTokens?: boolean }) {
      expect((await fetch(`${CONTROL}/spreadsheets/${id}/script`, { method: "POST", body: JSON.stringify(script) })).status).toBe(204);
    },
    /** Edits cells as the seller would: [sheet, row, column (1-based), value]. */
    async setCells(cells: [string, number, number, unknown][]) {
      expect((await fetch(`${CONTROL}/spreadsheets/${id}/cells`, { method: "PATCH", body: JSON.stringify(cells) })).status).toBe(204);
    },
  };
}

export type Book = Awaited<ReturnType<typeof newSpreadsheet>>;

export async function issuedTokens(principal: string): Promise<{ counters: any; issued: { access: string[]; refresh: string[] } }> {
  return (await fetch(`${CONTROL}/tokens?principal=${encodeURIComponent(principal)}`)).json();
}

/** Creates an OAuth connector for the spreadsheet and goes through consent, the confirmation page and confirm; returns it active. */
export async function connectedSheet(key: string, book: Book, user: string, settings: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const created = await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: book.url, ...config }, ...settings } });
  expect(created.status, await created.clone().text()).toBe(201);
  const connector = (await created.json()) as any;
  expect(connector.status).toBe("pending_authorization");
  const consent = await fetch(connector.authorize_url, { redirect: "manual", headers: { "x-fake-user": user } });
  expect(consent.status, await consent.clone().text()).toBe(302);
  const back = new URL(consent.headers.get("location")!);
  expect((await call(back.pathname + back.search)).status).toBe(200);
  const confirmed = await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!);
  expect(confirmed.status, await confirmed.clone().text()).toBe(303);
  const active = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
  expect(active.status).toBe("active");
  return active;
}
