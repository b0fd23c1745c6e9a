import { createScheduledController } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { database } from "../../src/db/client";
import { connectors } from "../../src/db/schema";
import { gateOf } from "../../src/services/connectors/session";
import { call, env, expectProblem, newAccount, waitForJob } from "../helpers";
import { connectedStore, newSeller, syncAndWait } from "./helpers";

describe("connectors: list, read, change, delete", () => {
  it("lists an account's connectors newest first, a page at a time", async () => {
    const { key } = await newAccount();
    for (const name of ["A", "B", "C"]) await call("/api/v1/connectors", { method: "POST", key, json: { type: "mercadolivre", name } });
    const page = (await (await call("/api/v1/connectors?limit=2", { key })).json()) as any;
    expect(page.data.map((c: any) => c.name)).toEqual(["C", "B"]);
    expect(page.has_more).toBe(true);
    const next = (await (await call(`/api/v1/connectors?limit=2&starting_after=${page.data[1].id}`, { key })).json()) as any;
    expect(next.data.map((c: any) => c.name)).toEqual(["A"]);
  });

  it("checks what it is given: types, schedules, push fields, config, packs and mappings", async () => {
    const { key } = await newAccount();
    const create = (json: unknown) => call("/api/v1/connectors", { method: "POST", key, json });
    // Every name in CONNECTOR_TYPES is implemented now: an unknown type is a schema error.
    await expectProblem(await create({ type: "amazon" }), 400, "invalid-request");
    const badSchedule = await expectProblem(await create({ type: "mercadolivre", schedule: "every day" }), 400, "invalid-request");
    expect(badSchedule.errors![0]).toMatchObject({ pointer: "/schedule" });
    const badField = await expectProblem(await create({ type: "mercadolivre", push_fields: ["title", "category_id"] }), 400, "invalid-request");
    expect(badField.errors![0]).toMatchObject({ pointer: "/push_fields/1" });
    await expectProblem(await create({ type: "mercadolivre", config: { token: "x" } }), 400, "invalid-request");
    await expectProblem(await create({ type: "mercadolivre", rule_pack: "no-such-pack" }), 404, "not-found");
    await expectProblem(await create({ type: "mercadolivre", mapping_id: "map_nope" }), 404, "not-found");
    const ok = await create({ type: "mercadolivre", schedule: "0 6 * * 1-5", push_fields: ["title", "attributes.BRAND"], config: { item_status: "active" } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ schedule: "0 6 * * 1-5", next_sync_at: null, push_fields: ["title", "attributes.BRAND"], config: { item_status: "active" } });
  });

  it("changes name, schedule and defaults with PATCH; a schedule runs once authorized", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await connectedStore(key, seller);
    const res = await call(`/api/v1/connectors/${connector.id}`, { method: "PATCH", key, json: { name: "Loja nova", schedule: "hourly", push_fields: ["description"] } });
    expect(res.status).toBe(200);
    const patched = (await res.json()) as any;
    expect(patched).toMatchObject({ name: "Loja nova", schedule: "hourly", push_fields: ["description"], rule_pack: "mercadolivre" });
    const next = Date.parse(patched.next_sync_at);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(3600_000);
    const cleared = (await (await call(`/api/v1/connectors/${connector.id}`, { method: "PATCH", key, json: { schedule: null } })).json()) as any;
    expect(cleared).toMatchObject({ schedule: null, next_sync_at: null });
  });

  it("starts scheduled syncs from the cron, once, and never piles up missed runs", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 5 });
    const connector = await connectedStore(key, seller, { schedule: "daily" });
    const db = database(env.DB);
    // The Worker was down for three days: the run is long overdue.
    await db.update(connectors).set({ nextSyncAt: Date.now() - 3 * 24 * 3600_000 }).where(eq(connectors.id, connector.id));
    const now = Date.now();
    await worker.scheduled(createScheduledController({ scheduledTime: now }), env);
    await worker.scheduled(createScheduledController({ scheduledTime: now + 60_000 }), env);
    const after = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(after.sync.running_job_id).toMatch(/^job_/);
    expect(Date.parse(after.next_sync_at)).toBeGreaterThan(now);
    await waitForJob(key, after.sync.running_job_id);
    const jobs = (await (await call("/api/v1/jobs", { key })).json()) as any;
    expect(jobs.data.filter((j: any) => j.source.connector_id === connector.id)).toHaveLength(1);
  });

  it("deletes a connector: the grant is withdrawn at the marketplace, tokens forgotten, past jobs kept", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 3 });
    const connector = await connectedStore(key, seller);
    const job = await syncAndWait(key, connector.id);
    expect((await gateOf(env, connector.id).inspect()).authorized).toBe(true);
    expect((await call(`/api/v1/connectors/${connector.id}`, { method: "DELETE", key })).status).toBe(204);
    expect((await seller.state()).counters.revoked).toBe(1);
    expect((await gateOf(env, connector.id).inspect()).authorized).toBe(false);
    await expectProblem(await call(`/api/v1/connectors/${connector.id}`, { key }), 404, "not-found");
    expect((await call(`/api/v1/jobs/${job.id}`, { key })).status).toBe(200);
    expect((await call(`/api/v1/jobs/${job.id}/result`, { key })).status).toBe(200);
  });

  it("deletes the account's connectors with the account: grants withdrawn, tokens forgotten, no row left", async () => {
    const { key, email } = await newAccount();
    const seller = await newSeller({ generate: 3 });
    const connector = await connectedStore(key, seller);
    await syncAndWait(key, connector.id);
    const deleted = await call("/api/v1/account", { method: "DELETE", key, json: { confirm: email } });
    expect([202, 204]).toContain(deleted.status);
    expect((await seller.state()).counters.revoked).toBe(1);
    expect((await gateOf(env, connector.id).inspect()).authorized).toBe(false);
    expect(await database(env.DB).select().from(connectors).where(eq(connectors.id, connector.id))).toHaveLength(0);
  });
});
