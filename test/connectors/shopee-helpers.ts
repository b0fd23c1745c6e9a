import { expect } from "vitest";
import { call } from "../helpers";
import { confirmForm } from "./helpers";

/** The test side (in workerd) of the Shopee fake (test/fakes/shopee.ts), reached through miniflare's outboundService. */
const CONTROL = "https://control.shopee.test";

let shops = 0;

/** A fresh shop at the fake (random shop_id, so parallel test files never share one), with a catalog. */
export async function newShop(catalog: { generate?: number; base?: number; items?: unknown[] } = {}) {
  const shopId = 10_000_000 + Math.floor(Math.random() * 80_000_000) + ++shops;
  const res = await fetch(`${CONTROL}/shops/${shopId}`, { method: "PUT", body: JSON.stringify(catalog) });
  expect(res.status).toBe(204);
  return {
    shopId,
    async state(): Promise<any> {
      return (await fetch(`${CONTROL}/shops/${shopId}`)).json();
    },
    async script(script: Record<string, unknown>) {
      expect((await fetch(`${CONTROL}/shops/${shopId}/script`, { method: "POST", body: JSON.stringify(script) })).status).toBe(204);
    },
    async patchItem(itemId: number, patch: Record<string, unknown>) {
      expect((await fetch(`${CONTROL}/shops/${shopId}/items/${itemId}`, { method: "PATCH", body: JSON.stringify(patch) })).status).toBe(204);
    },
    async item(itemId: number): Promise<any> {
      return (await fetch(`${CONTROL}/shops/${shopId}/items/${itemId}`)).json();
    },
  };
}

export type Shop = Awaited<ReturnType<typeof newShop>>;

/** The seller opens authorize_url at (fake) Shopee and approves; returns where Shopee sends the browser. */
export async function approveAtShopee(authorizeUrl: string, shop: { shopId: number }) {
  const res = await fetch(authorizeUrl, { redirect: "manual", headers: { "x-fake-shop": String(shop.shopId) } });
  expect(res.status, await res.clone().text()).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** The confirmation page's form for Shopee: the shop_id travels with the code. */
export function confirmShopeeForm(state: string, code: string, shopId: string, decision: "confirm" | "cancel" = "confirm") {
  return call("/api/v1/connectors/oauth/callback", {
    method: "POST",
    body: new URLSearchParams({ state, code, shop_id: shopId, decision }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
}

/** Creates a Shopee connector and goes through the whole authorization (approve, confirmation page, confirm); returns it active. */
export async function connectedShop(key: string, shop: { shopId: number }, settings: Record<string, unknown> = {}) {
  const created = await call("/api/v1/connectors", { method: "POST", key, json: { type: "shopee", ...settings } });
  expect(created.status, await created.clone().text()).toBe(201);
  const connector = (await created.json()) as any;
  const back = await approveAtShopee(connector.authorize_url, shop);
  const page = await call(back.pathname + back.search);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('name="decision" value="confirm"');
  expect(html).toContain(`name="shop_id" value="${shop.shopId}"`);
  const confirmed = await confirmShopeeForm(back.searchParams.get("state")!, back.searchParams.get("code")!, back.searchParams.get("shop_id")!);
  expect(confirmed.status, await confirmed.clone().text()).toBe(303);
  const active = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
  expect(active.status).toBe("active");
  return active;
}

export { confirmForm };
