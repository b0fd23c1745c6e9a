import { createScheduledController } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { connectors } from "../../src/db/schema";
import worker from "../../src/index";
import { gateOf } from "../../src/services/connectors/session";
import { shopeeResponse, ShopeeApiError } from "../../src/connectors/shopee/api";
import { FAKE_PARTNER_ID, FAKE_PARTNER_KEY } from "../fakes/shopee";
import { call, env, newAccount, waitForJob } from "../helpers";
import { eventually, jobIssues, syncAndWait } from "./helpers";
import { approveAtShopee, confirmShopeeForm, connectedShop, newShop } from "./shopee-helpers";

const BASE = 3_000_000_000;

/** Hex HMAC-SHA256 with the fake's partner key, written here rather than taken from the Worker's signer. */
async function hmacHex(base: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(FAKE_PARTNER_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(base)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("Shopee: authorization", () => {
  it("signs authorize_url, carries the single-use state inside the redirect, and links the shop Shopee names", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 3 });
    const created = (await (await call("/api/v1/connectors", { method: "POST", key, json: { type: "shopee" } })).json()) as any;
    expect(created).toMatchObject({ type: "shopee", name: "Shopee", status: "pending_authorization" });
    const url = new URL(created.authorize_url);
    expect(url.origin + url.pathname).toBe("https://partner.shopee.test/api/v2/shop/auth_partner");
    expect(url.searchParams.get("partner_id")).toBe(FAKE_PARTNER_ID);
    // The documented public signature: partner_id + path + timestamp.
    const expected = await hmacHex(`${FAKE_PARTNER_ID}/api/v2/shop/auth_partner${url.searchParams.get("timestamp")}`);
    expect(url.searchParams.get("sign")).toBe(expected);
    const redirect = new URL(url.searchParams.get("redirect")!);
    expect(redirect.origin + redirect.pathname).toBe("https://vitrine.test/api/v1/connectors/oauth/callback");
    expect(redirect.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const back = await approveAtShopee(created.authorize_url, shop);
    expect(back.searchParams.get("shop_id")).toBe(String(shop.shopId));
    const state = back.searchParams.get("state")!;
    const code = back.searchParams.get("code")!;

    // A tampered state links nothing.
    const tampered = await confirmShopeeForm(`${state.slice(0, -2)}xx`, code, String(shop.shopId));
    expect(tampered.status).toBe(200);
    expect(await tampered.text()).toContain("was not linked");

    const confirmed = await confirmShopeeForm(state, code, String(shop.shopId));
    expect(confirmed.status).toBe(303);
    const active = (await (await call(`/api/v1/connectors/${created.id}`, { key })).json()) as any;
    expect(active.status).toBe("active");

    // Replayed: the state was used.
    const replay = await confirmShopeeForm(state, code, String(shop.shopId));
    expect(await replay.text()).toContain("already used");
  });

  it("keeps the partner key, tokens and signatures out of every answer", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 1 });
    const connector = await connectedShop(key, shop);
    const body = await (await call(`/api/v1/connectors/${connector.id}`, { key })).text();
    expect(body).not.toContain(FAKE_PARTNER_KEY);
    expect(body).not.toMatch(/shp-(access|refresh)-/);
    expect(body).not.toContain("access_token");
  });
});

describe("Shopee: the fake checks requests like Shopee", () => {
  const sign = hmacHex;

  it("refuses a stale timestamp and a wrong signature, with an error body", async () => {
    const path = "/api/v2/auth/token/get";
    const stale = Math.floor(Date.now() / 1000) - 301;
    const old = await fetch(`https://partner.shopee.test${path}?partner_id=${FAKE_PARTNER_ID}&timestamp=${stale}&sign=${await sign(`${FAKE_PARTNER_ID}${path}${stale}`)}`, {
      method: "POST",
      body: "{}",
    });
    expect(old.status).toBe(403);
    expect(await old.json()).toMatchObject({ error: "error_auth" });
    const now = Math.floor(Date.now() / 1000);
    const wrong = await fetch(`https://partner.shopee.test${path}?partner_id=${FAKE_PARTNER_ID}&timestamp=${now}&sign=${await sign(`${FAKE_PARTNER_ID}${path}${now - 1}`)}`, {
      method: "POST",
      body: "{}",
    });
    expect(await wrong.json()).toMatchObject({ error: "error_sign" });
  });

  it("answers errors with HTTP 200, which the client treats as failures keeping error, message and request_id", async () => {
    const res = new Response(JSON.stringify({ error: "error_busy", message: "Shopee is busy", request_id: "abc123", response: {} }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
    const failure = (await shopeeResponse(res, "get_item_list").catch((e: unknown) => e)) as ShopeeApiError;
    expect(failure).toBeInstanceOf(ShopeeApiError);
    expect(failure.detail).toEqual({ error: "error_busy", message: "Shopee is busy", requestId: "abc123" });
    expect(failure.message).toContain("request_id abc123");
  });
});

describe("Shopee: syncing a shop", () => {
  it("reads 2 pages of 100 items and their models, signed, with the shop's live limits as rules", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 200 });
    const connector = await connectedShop(key, shop);
    // One HTTP-200 error on the listing: a failure the plan step retries, not an empty shop.
    await shop.script({ listErrorOnce: "error_busy" });
    const job = await syncAndWait(key, connector.id, { apply_fixes: true }, 120_000);
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    // 180 items without models + 20 items × 2 models.
    expect(job.counts.records).toBe(220);
    expect(job.progress).toMatchObject({ rows_total: 200, rows_processed: 200 });

    const { counters } = await shop.state();
    expect(counters.signatureFailures).toBe(0);
    expect(counters.staleTimestamps).toBe(0);
    // The failed page, then 2 pages of 100.
    expect(counters.byPath["/api/v2/product/get_item_list"]).toBe(3);
    expect(counters.byPath["/api/v2/product/get_model_list"]).toBe(20);
    expect(counters.byPath["/api/v2/product/get_item_base_info"]).toBeGreaterThanOrEqual(4);
    expect(counters.byPath["/api/v2/product/get_item_limit"]).toBe(1);

    const issues = await jobIssues(key, job.id);
    // Every 20th name is shorter than the 20 characters Shopee's limit asks.
    const short = issues.filter((i) => i.rule === "shopee.name.min_length");
    expect(short).toHaveLength(10);
    expect(short[0].column).toBe("item_name");

    // The corrected records keep Shopee's names; a model carries its own SKU and its item's id.
    const corrected = new TextDecoder()
      .decode(await (await call(`/api/v1/jobs/${job.id}/result/corrected`, { key })).arrayBuffer())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(corrected).toHaveLength(220);
    const model = corrected.find((r) => r.variation_id === String((BASE + 3) * 10 + 1));
    expect(model).toMatchObject({ id: String(BASE + 3), model_sku: "SKU-3-B", item_name: expect.any(String), stock: 11, price: 119.9 });
  });

  it("compiles get_item_limit into the pack's limit rules, caches them, and falls back to rules/shopee.yaml", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 40 });
    // This shop asks for names of 50 characters at least: every generated name is shorter.
    await shop.script({ limits: { item_name_length_limit: { min_limit: 50, max_limit: 100 }, price_limit: { min_limit: 100, max_limit: 5000 } } });
    const connector = await connectedShop(key, shop);
    const first = await syncAndWait(key, connector.id);
    expect(first.status).toBe("completed");
    const issues = await jobIssues(key, first.id);
    expect(issues.filter((i) => i.rule === "shopee.name.min_length")).toHaveLength(44);
    // Price below the shop's minimum (99.90 < 100) on items without models; models cost 119.90.
    expect(issues.filter((i) => i.rule === "shopee.price.range")).toHaveLength(36);

    // Cached: a second sync does not ask again.
    const second = await syncAndWait(key, connector.id);
    expect(second.status).toBe("completed");
    expect((await shop.state()).counters.byPath["/api/v2/product/get_item_limit"]).toBe(1);

    // Another shop whose get_item_limit answers an error: the sync goes on with rules/shopee.yaml's numbers (20 characters, no price range).
    const other = await newShop({ generate: 40 });
    await other.script({ limitError: "error_server", limits: { item_name_length_limit: { min_limit: 50, max_limit: 100 }, price_limit: { min_limit: 100, max_limit: 5000 } } });
    const connector2 = await connectedShop(key, other);
    const third = await syncAndWait(key, connector2.id);
    expect(third.status).toBe("completed");
    expect((await other.state()).counters.byPath["/api/v2/product/get_item_limit"]).toBeGreaterThanOrEqual(1);
    const fallback = await jobIssues(key, third.id);
    expect(fallback.filter((i) => i.rule === "shopee.name.min_length")).toHaveLength(2);
    expect(fallback.filter((i) => i.rule === "shopee.price.range")).toHaveLength(0);
  });
});

describe("Shopee: tokens", () => {
  it("refreshes an access token that dies mid-sync once, and the sync completes", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 600 });
    const connector = await connectedShop(key, shop);
    // The token dies after the listing (6 pages) and the first item reads: the chunks find it.
    await shop.script({ expireAfter: 9 });
    const job = await syncAndWait(key, connector.id, {}, 120_000);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(660);
    const { counters } = await shop.state();
    expect(counters.refreshes).toBe(1);
    expect(counters.refreshRefused).toBe(0);
    expect(counters.byPath["/api/v2/product/get_item_base_info"]).toBeGreaterThan(10);
  });

  it("serializes the refresh in the gate: twenty concurrent permits after a rejected token cause one refresh", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 1 });
    const connector = await connectedShop(key, shop);
    const gate = gateOf(env, connector.id);
    const first = await gate.permit(1);
    expect(first.kind).toBe("go");
    await gate.rejected((first as { accessToken: string }).accessToken);
    const permits = await Promise.all(Array.from({ length: 20 }, () => gate.permit(1)));
    const tokens = new Set(permits.map((p) => (p.kind === "go" ? p.accessToken : p.kind)));
    expect(tokens.size).toBe(1);
    expect(tokens.has((first as { accessToken: string }).accessToken)).toBe(false);
    const { counters, refreshTokens } = await shop.state();
    expect(counters.refreshes).toBe(1);
    expect(counters.refreshRefused).toBe(0);
    // The new refresh token replaced the old one, which Shopee (the fake) no longer accepts.
    expect(refreshTokens).toBe(1);
  });

  it("puts a shop that withdrew the authorization in reauthorization_required", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 10 });
    const connector = await connectedShop(key, shop);
    await shop.script({ expireAccess: true, revoked: true });
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("connector.reauthorization_required");
    const after = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any,
      (c) => c.status === "reauthorization_required",
    );
    expect(after.problem.code).toBe("connector.reauthorization_required");
  });
});

describe("Shopee: pushing corrections back", () => {
  it("dry-runs, then sends only changed fields with update_item, recording a refusal per item", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 10 });
    const long = "Fone de ouvido Bluetooth sem fio com cancelamento de ruído ativo, estojo de carga rápida, microfone duplo e bateria de longa duração 40h";
    await shop.patchItem(BASE + 1, { item_name: long });
    await shop.patchItem(BASE + 2, { item_name: long });
    await shop.script({ refuseUpdate: [BASE + 2] });
    const connector = await connectedShop(key, shop, { push_fields: ["item_name"] });
    const job = await syncAndWait(key, connector.id, { push: "dry_run" });
    expect(job.status).toBe("completed");
    const list = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}/pushes`, { key })).json()) as any,
      (l) => l.data.length === 1 && l.data[0].status === "completed",
    );
    const dry = (await (await call(`/api/v1/connectors/${connector.id}/pushes/${list.data[0].id}?items_limit=100`, { key })).json()) as any;
    const planned = Object.fromEntries(dry.items.data.map((i: any) => [i.item_id, i]));
    const sentName = planned[String(BASE + 1)].sent.body.item_name as string;
    expect(planned[String(BASE + 1)]).toMatchObject({ status: "would_send", sent: { body: { item_id: BASE + 1 } }, before: { item_name: long } });
    expect(sentName.length).toBeLessThanOrEqual(120);
    expect(Object.keys(planned[String(BASE + 1)].sent.body).sort()).toEqual(["item_id", "item_name"]);
    expect((await shop.state()).counters.updates).toEqual([]);

    const res = await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } });
    expect(res.status).toBe(202);
    const pushId = ((await res.json()) as any).id;
    const applied = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}/pushes/${pushId}?items_limit=100`, { key })).json()) as any,
      (p) => p.status === "completed" || p.status === "failed",
      30_000,
    );
    expect(applied.counts).toMatchObject({ accepted: 1, refused: 1 });
    const outcome = Object.fromEntries(applied.items.data.map((i: any) => [i.item_id, i]));
    expect(outcome[String(BASE + 1)]).toMatchObject({ status: "accepted" });
    expect(outcome[String(BASE + 2)]).toMatchObject({ status: "refused", cause: [{ code: "error_param", message: "item_name contains a prohibited word." }] });
    expect(outcome[String(BASE + 2)].cause[0].type).toMatch(/^request_id:[0-9a-f]{32}$/);
    expect((await shop.item(BASE + 1)).item_name).toBe(sentName);

    // Reverted: the stored previous name goes back with update_item.
    const revertRes = await call(`/api/v1/connectors/${connector.id}/pushes/${pushId}/revert`, { method: "POST", key, json: {} });
    expect(revertRes.status).toBe(202);
    const revertId = ((await revertRes.json()) as any).id;
    const revert = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}/pushes/${revertId}?items_limit=100`, { key })).json()) as any,
      (p) => p.status === "completed" || p.status === "failed",
      30_000,
    );
    expect(revert).toMatchObject({ kind: "revert", counts: { accepted: 1 } });
    expect((await shop.item(BASE + 1)).item_name).toBe(long);
  });
});

describe("Shopee: schedules, events and deletion", () => {
  it("syncs from the cron, sends connector.synced, and forgets the tokens on delete", async () => {
    const { key } = await newAccount();
    const shop = await newShop({ generate: 30 });
    const connector = await connectedShop(key, shop, { schedule: "daily" });
    await database(env.DB).update(connectors).set({ nextSyncAt: Date.now() - 60_000 }).where(eq(connectors.id, connector.id));
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), env);
    const after = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(after.sync.running_job_id).toMatch(/^job_/);
    const job = await waitForJob(key, after.sync.running_job_id);
    expect(job.status).toBe("completed");
    const events = await eventually(
      async () => (await (await call("/api/v1/events?type=connector.synced", { key })).json()) as any,
      (e) => e.data.some((x: any) => x.data.job_id === job.id),
    );
    expect(events.data.find((x: any) => x.data.job_id === job.id).data).toMatchObject({ connector_id: connector.id, provider: "shopee" });

    expect((await gateOf(env, connector.id).inspect()).authorized).toBe(true);
    expect((await call(`/api/v1/connectors/${connector.id}`, { method: "DELETE", key })).status).toBe(204);
    expect((await gateOf(env, connector.id).inspect()).authorized).toBe(false);
    expect((await call(`/api/v1/jobs/${job.id}`, { key })).status).toBe(200);
  });
});
