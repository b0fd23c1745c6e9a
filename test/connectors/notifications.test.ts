import { createScheduledController } from "cloudflare:test";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { database } from "../../src/db/client";
import { connectorPendingItems } from "../../src/db/schema";
import { handleNotification, notificationTarget } from "../../src/services/connectors/notifications";
import { FAKE_CLIENT_ID } from "../fakes/mercadolivre";
import { call, env, newAccount, waitForJob } from "../helpers";
import { connectedStore, eventually, jobIssues, newSeller, syncAndWait } from "./helpers";

const notification = (userId: number, itemId: string, extra: Record<string, unknown> = {}) => ({
  resource: `/items/${itemId}`,
  user_id: userId,
  topic: "items",
  application_id: Number(FAKE_CLIENT_ID),
  attempts: 1,
  sent: "2026-10-30T12:00:00.000Z",
  received: "2026-10-30T12:00:00.000Z",
  ...extra,
});

async function queued(connectorId: string, itemId?: string) {
  const [{ n }] = await database(env.DB)
    .select({ n: count() })
    .from(connectorPendingItems)
    .where(and(eq(connectorPendingItems.connectorId, connectorId), itemId ? eq(connectorPendingItems.itemId, itemId) : undefined));
  return n;
}

describe("Mercado Livre notifications", () => {
  it("acts only on notifications for our application, on the items topic, about an item — never on a URL from the body", () => {
    const ok = notification(123, "MLB900000001");
    expect(notificationTarget(env, ok)).toEqual({ sellerId: "123", itemId: "MLB900000001" });
    expect(notificationTarget(env, { ...ok, application_id: 999 })).toBeNull();
    expect(notificationTarget(env, { ...ok, topic: "orders_v2" })).toBeNull();
    expect(notificationTarget(env, { ...ok, resource: "/items/MLB1/description" })).toBeNull();
    expect(notificationTarget(env, { ...ok, resource: "https://evil.test/items/MLB1" })).toBeNull();
    expect(notificationTarget(env, { ...ok, user_id: "1 OR 1=1" })).toBeNull();
  });

  it("answers 200 at once, even for what it ignores", async () => {
    for (const body of [notification(1, "MLB1"), { resource: "/items/MLB1", topic: "items", application_id: 1 }, {}]) {
      const res = await call("/api/v1/connectors/notifications/mercadolivre", { method: "POST", json: body });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true });
    }
  });

  it("re-validates an item whose content changed, once per burst, in one sync started by the cron", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 20 });
    const connector = await connectedStore(key, seller);
    await syncAndWait(key, connector.id);

    // Unchanged since the sync: costs no validation.
    await handleNotification(env, { sellerId: String(seller.userId), itemId: "MLB900000004" });
    expect(await queued(connector.id)).toBe(0);

    await seller.patchItem("MLB900000004", { title: "SMARTPHONE SAMSUNG GALAXY A15 PROMOÇÃO" });
    const body = notification(seller.userId, "MLB900000004");
    for (let i = 0; i < 3; i++) expect((await call("/api/v1/connectors/notifications/mercadolivre", { method: "POST", json: body })).status).toBe(200);
    await eventually(() => queued(connector.id, "MLB900000004"), (n) => n === 1);
    const multigetsBefore = (await seller.state()).counters.multigets;
    await handleNotification(env, { sellerId: String(seller.userId), itemId: "MLB900000004" });
    // Already queued: not even read again.
    expect((await seller.state()).counters.multigets).toBe(multigetsBefore);

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), env);
    expect(await queued(connector.id)).toBe(0);
    const jobId = ((await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any).sync.running_job_id;
    const job = await waitForJob(key, jobId);
    expect(job).toMatchObject({ status: "completed", progress: { rows_total: 1 } });
    const rules = (await jobIssues(key, job.id)).map((i) => i.rule);
    expect(rules).toEqual(expect.arrayContaining(["ml.title.all_caps", "ml.title.promotional_words"]));
  });

  it("ignores unknown sellers, and items the seller's own token cannot read", async () => {
    const { key } = await newAccount();
    const victim = await newSeller({ generate: 3, base: 910_000_000 });
    const claimed = await newSeller({ generate: 3, base: 920_000_000 });
    const connector = await connectedStore(key, claimed);
    await handleNotification(env, { sellerId: "42", itemId: "MLB910000000" });
    // Someone posts the victim's item as if it were this seller's: it is read with this seller's token, which is refused (403).
    const before = (await claimed.state()).counters.itemsRead;
    await handleNotification(env, { sellerId: String(claimed.userId), itemId: "MLB910000000" });
    expect((await claimed.state()).counters.itemsRead).toBe(before + 1);
    expect(await queued(connector.id)).toBe(0);
    expect((await victim.state()).counters.apiRequests).toBe(0);
  });
});
