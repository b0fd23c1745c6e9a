import { expect } from "vitest";
import { call, waitForJob } from "../helpers";

/**
 * The test side (in workerd) of the Mercado Livre fake (test/fakes/mercadolivre.ts): fetches to
 * *.mercadolivre.test / *.mercadolibre.test reach it through miniflare's outboundService.
 */
const CONTROL = "https://control.mercadolibre.test";

let sellers = 0;

/** A fresh seller at the fake (random user_id, so parallel test files never share one), with a catalog. */
export async function newSeller(catalog: { generate?: number; base?: number; items?: unknown[]; descriptions?: Record<string, string>; describeAll?: boolean } = {}) {
  const userId = 100_000_000 + Math.floor(Math.random() * 800_000_000) + ++sellers;
  const res = await fetch(`${CONTROL}/sellers/${userId}`, { method: "PUT", body: JSON.stringify(catalog) });
  expect(res.status).toBe(204);
  return {
    userId,
    async state(): Promise<any> {
      return (await fetch(`${CONTROL}/sellers/${userId}`)).json();
    },
    async script(script: Record<string, unknown>) {
      expect((await fetch(`${CONTROL}/sellers/${userId}/script`, { method: "POST", body: JSON.stringify(script) })).status).toBe(204);
    },
    async patchItem(itemId: string, patch: Record<string, unknown>) {
      expect((await fetch(`${CONTROL}/sellers/${userId}/items/${itemId}`, { method: "PATCH", body: JSON.stringify(patch) })).status).toBe(204);
    },
    async item(itemId: string): Promise<{ item: any; description: string | null }> {
      return (await fetch(`${CONTROL}/sellers/${userId}/items/${itemId}`)).json();
    },
  };
}

export type Seller = Awaited<ReturnType<typeof newSeller>>;

/** The seller opens authorize_url at the (fake) marketplace and approves; returns where the browser is sent back to. */
export async function approveAtMarketplace(authorizeUrl: string, seller: { userId: number }, decision: "approve" | "deny" = "approve") {
  const res = await fetch(authorizeUrl, { redirect: "manual", headers: { "x-fake-seller": String(seller.userId), ...(decision === "deny" && { "x-fake-decision": "deny" }) } });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** The confirmation page's form, as a browser posts it. */
export function confirmForm(state: string, code: string, decision: "confirm" | "cancel" = "confirm") {
  return call("/api/v1/connectors/oauth/callback", {
    method: "POST",
    body: new URLSearchParams({ state, code, decision }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
}

/** Creates a connector and goes through the whole OAuth dance (approve, confirmation page, confirm); returns it active. */
export async function connectedStore(key: string, seller: { userId: number }, settings: Record<string, unknown> = {}) {
  const created = await call("/api/v1/connectors", { method: "POST", key, json: { type: "mercadolivre", name: "Loja de teste", ...settings } });
  expect(created.status, await created.clone().text()).toBe(201);
  const connector = (await created.json()) as any;
  const back = await approveAtMarketplace(connector.authorize_url, seller);
  const page = await call(back.pathname + back.search);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('name="decision" value="confirm"');
  const confirmed = await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!);
  expect(confirmed.status, await confirmed.clone().text()).toBe(303);
  const res = await call(`/api/v1/connectors/${connector.id}`, { key });
  const active = (await res.json()) as any;
  expect(active.status).toBe("active");
  return active;
}

/** Starts a sync and waits for its job to end. */
export async function syncAndWait(key: string, connectorId: string, body: Record<string, unknown> = {}, timeoutMs = 60_000) {
  const res = await call(`/api/v1/connectors/${connectorId}/sync`, { method: "POST", key, json: body });
  expect(res.status, await res.clone().text()).toBe(202);
  const job = (await res.json()) as any;
  return waitForJob(key, job.id, timeoutMs);
}

/** Polls until `check` passes (background work: queues, waitUntil). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every issue of a finished job, as NDJSON lines. */
export async function jobIssues(key: string, jobId: string): Promise<any[]> {
  const res = await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson`, { key });
  expect(res.status).toBe(200);
  return new TextDecoder().decode(await res.arrayBuffer()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
