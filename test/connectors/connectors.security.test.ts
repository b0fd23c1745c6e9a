import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import type { ConnectorGate } from "../../src/durable/connector-gate";
import { FAKE_GOOGLE_CLIENT_SECRET, FAKE_SERVICE_ACCOUNT_EMAIL, FAKE_SERVICE_ACCOUNT_JSON } from "../fakes/google-sheets";
import { FAKE_CLIENT_SECRET } from "../fakes/mercadolivre";
import { FAKE_PARTNER_KEY } from "../fakes/shopee";
import { call, env, expectProblem, newAccount } from "../helpers";
import { connectedSheet, issuedTokens, newSpreadsheet } from "./google-sheets-helpers";
import { connectedStore, eventually, newSeller, syncAndWait } from "./helpers";
import { connectedShop, newShop } from "./shopee-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("connectors: one account's connectors are invisible to every other", () => {
  it("answers 404 on every connector route for another account's connector, sync job and push", async () => {
    const owner = await newAccount();
    const seller = await newSeller({ generate: 12 });
    const connector = await connectedStore(owner.key, seller, { push_fields: ["title"] });
    const job = await syncAndWait(owner.key, connector.id, { push: "dry_run" });
    const pushes = await eventually(
      async () => ((await (await call(`/api/v1/connectors/${connector.id}/pushes`, { key: owner.key })).json()) as any).data,
      (data) => data.length === 1,
    );
    const push = pushes[0];

    const intruder = await newAccount();
    const key = intruder.key;
    const base = `/api/v1/connectors/${connector.id}`;
    const attempts: [string, RequestInit & { json?: unknown }][] = [
      [base, {}],
      [base, { method: "PATCH", json: { name: "mine" } }],
      [base, { method: "DELETE" }],
      [`${base}/authorize`, { method: "POST" }],
      [`${base}/sync`, { method: "POST", json: {} }],
      [`${base}/push`, { method: "POST", json: { job_id: job.id } }],
      [`${base}/pushes`, {}],
      [`${base}/syncs`, {}],
      [`${base}/pushes/${push.id}`, {}],
      [`${base}/pushes/${push.id}/revert`, { method: "POST", json: {} }],
      [`/api/v1/jobs/${job.id}`, {}],
    ];
    for (const [path, init] of attempts) await expectProblem(await call(path, { ...init, key }), 404, "not-found");
    // Its own connector cannot push another account's sync job either.
    const own = (await (await call("/api/v1/connectors", { method: "POST", key, json: { type: "mercadolivre", push_fields: ["title"] } })).json()) as any;
    await expectProblem(await call(`/api/v1/connectors/${own.id}/push`, { method: "POST", key, json: { job_id: job.id } }), 404, "not-found");
    await expectProblem(await call(`/api/v1/connectors/${own.id}/pushes/${push.id}`, { key }), 404, "not-found");
    expect(((await (await call("/api/v1/connectors", { key })).json()) as any).data.map((c: any) => c.id)).toEqual([own.id]);
    // Nothing changed for the owner.
    const still = (await (await call(base, { key: owner.key })).json()) as any;
    expect(still).toMatchObject({ name: connector.name, status: "active" });
  });
});

describe("connector credentials never leave the server", () => {
  it("keeps tokens out of every response, log line, D1 row and R2 object, and sealed in the gate", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const responses: string[] = [];
    const record = async (res: Response) => {
      responses.push([...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n" + new TextDecoder().decode(await res.clone().arrayBuffer()));
      return res;
    };

    const { key, accountId } = await newAccount();
    const seller = await newSeller({ generate: 200 });
    const connector = await connectedStore(key, seller, { push_fields: ["title", "pictures"] });
    // A token that dies mid-sync and a 429, so refreshes and back-offs happen too.
    await seller.script({ expireTokensAfter: 10, throttle: { afterRequests: 25, retryAfterSeconds: 1 } });
    const job = await syncAndWait(key, connector.id, { push: "apply" });
    expect(job.status).toBe("completed");
    const pushes = await eventually(
      async () => ((await (await call(`/api/v1/connectors/${connector.id}/pushes`, { key })).json()) as any).data,
      (data) => data[0]?.status === "completed",
    );
    for (const path of [
      `/api/v1/connectors/${connector.id}`,
      "/api/v1/connectors",
      `/api/v1/connectors/${connector.id}/pushes`,
      `/api/v1/connectors/${connector.id}/pushes/${pushes[0].id}?items_limit=100`,
      `/api/v1/jobs/${job.id}`,
      `/api/v1/jobs/${job.id}/result`,
      `/api/v1/jobs/${job.id}/result/issues?format=ndjson`,
      `/api/v1/jobs/${job.id}/result/corrected`,
      "/api/v1/events",
    ]) {
      expect((await record(await call(path, { key }))).status).toBe(200);
    }
    await record(await call(`/api/v1/connectors/${connector.id}/authorize`, { method: "POST", key }));

    const { counters, issued } = await seller.state();
    expect(counters.refreshGrants).toBeGreaterThanOrEqual(1);
    const secrets: string[] = [...issued.access, ...issued.refresh, FAKE_CLIENT_SECRET];
    expect(secrets.length).toBeGreaterThanOrEqual(5);

    const db = database(env.DB);
    const rows = JSON.stringify(
      await Promise.all(
        [schema.connectors, schema.connectorOauthStates, schema.connectorSyncs, schema.connectorItems, schema.connectorPushes, schema.connectorPushItems, schema.events, schema.jobs].map((t) => db.select().from(t)),
      ),
    );
    const objects: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await env.FILES.list({ prefix: `jobs/${accountId}/`, cursor });
      for (const o of page.objects) objects.push(`${o.key}\n${await (await env.FILES.get(o.key))!.text()}`);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    const stored = await runInDurableObject(env.CONNECTOR_GATE.get(env.CONNECTOR_GATE.idFromName(connector.id)), async (_gate: ConnectorGate, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(stored).toContain('"refresh"');

    for (const secret of secrets) {
      for (const [where, texts] of [
        ["a response", responses],
        ["a log line", logged],
        ["D1", [rows]],
        ["R2", objects],
        ["the gate's storage", [stored]],
      ] as const) {
        expect(texts.some((t) => t.includes(secret)), `${secret.slice(0, 12)}… found in ${where}`).toBe(false);
      }
    }
    expect(logged.length).toBeGreaterThan(0);
  });

  it("keeps a feed's header out of every response, log line, D1 row and R2 object", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const { key, accountId } = await newAccount();
    const secret = `Bearer feed-${crypto.randomUUID()}`;
    const name = `secure-${crypto.randomUUID().slice(0, 8)}.csv`;
    const feed = { body: "sku,title,price\nA1,,1.00\n", requireHeader: { name: "x-feed-token", value: secret } };
    expect((await fetch(`https://control.feeds.test/feeds/${name}`, { method: "PUT", body: JSON.stringify(feed) })).status).toBe(204);
    const url = `https://shop.feeds.test/${name}`;
    const responses: string[] = [];
    const record = async (res: Response) => {
      responses.push(new TextDecoder().decode(await res.clone().arrayBuffer()));
      return res;
    };
    const created = (await (await record(await call("/api/v1/connectors", { method: "POST", key, json: { type: "url", config: { url, header: { name: "X-Feed-Token", value: secret } } } }))).json()) as any;
    await record(await call(`/api/v1/connectors/${created.id}`, { method: "PATCH", key, json: { name: "Feed", config: { url } } }));
    const job = await syncAndWait(key, created.id);
    expect(job.status).toBe("completed");
    for (const path of [`/api/v1/connectors/${created.id}`, "/api/v1/connectors", `/api/v1/connectors/${created.id}/syncs`, `/api/v1/jobs/${job.id}`, "/api/v1/events"]) {
      expect((await record(await call(path, { key }))).status).toBe(200);
    }
    const db = database(env.DB);
    const rows = JSON.stringify(await Promise.all([schema.connectors, schema.connectorSyncs, schema.events, schema.jobs].map((t) => db.select().from(t))));
    const objects: string[] = [];
    const page = await env.FILES.list({ prefix: `jobs/${accountId}/` });
    for (const o of page.objects) objects.push(await (await env.FILES.get(o.key))!.text());
    expect(objects.length).toBeGreaterThan(0);
    for (const [where, texts] of [["a response", responses], ["a log line", logged], ["D1", [rows]], ["R2", objects]] as const) {
      expect(texts.some((t) => t.includes(secret)), `the header found in ${where}`).toBe(false);
    }
  });
});

describe("Google Sheets credentials never leave the server", () => {
  it("keeps OAuth tokens, the client secret and the service account's key out of responses, logs, D1, R2, and sealed in the gate", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const responses: string[] = [];
    const record = async (res: Response) => {
      responses.push([...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n" + new TextDecoder().decode(await res.clone().arrayBuffer()));
      return res;
    };
    const { key, accountId } = await newAccount();
    const owner = `seller-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const book = await newSpreadsheet({ owner, shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 120 }] });
    const oauth = await connectedSheet(key, book, owner, { push_fields: ["title"] }, { issues_sheet: true });
    // Every token issued so far dies, and a 429 comes: refreshes and back-offs happen too.
    await book.script({ expireTokens: true, throttle: 1 });
    const job = await syncAndWait(key, oauth.id, { push: "apply" });
    expect(job.status).toBe("completed");
    await eventually(
      async () => ((await (await call(`/api/v1/connectors/${oauth.id}/pushes`, { key })).json()) as any).data,
      (data) => data[0]?.status === "completed",
    );
    const sa = (await (await record(await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: book.id, auth: "service_account" } } }))).json()) as any;
    await book.setCells([["Vitrine", 1, 1, sa.verification.code]]);
    expect(((await (await record(await call(`/api/v1/connectors/${sa.id}/authorize`, { method: "POST", key }))).json()) as any).status).toBe("active");
    expect((await syncAndWait(key, sa.id)).status).toBe("completed");
    for (const path of [`/api/v1/connectors/${oauth.id}`, `/api/v1/connectors/${sa.id}`, "/api/v1/connectors", `/api/v1/connectors/${oauth.id}/pushes`, `/api/v1/jobs/${job.id}`, "/api/v1/events"]) {
      expect((await record(await call(path, { key }))).status).toBe(200);
    }

    const user = await issuedTokens(owner);
    const service = await issuedTokens(FAKE_SERVICE_ACCOUNT_EMAIL);
    expect(user.counters.refresh).toBeGreaterThanOrEqual(1);
    const privateKey = JSON.parse(FAKE_SERVICE_ACCOUNT_JSON).private_key.split("\n")[5];
    const secrets = [...user.issued.access, ...user.issued.refresh, ...service.issued.access.slice(-3), FAKE_GOOGLE_CLIENT_SECRET, privateKey];
    expect(user.issued.access.length).toBeGreaterThanOrEqual(2);

    const db = database(env.DB);
    const rows = JSON.stringify(
      await Promise.all([schema.connectors, schema.connectorOauthStates, schema.connectorSyncs, schema.connectorPushes, schema.connectorPushItems, schema.events, schema.jobs].map((t) => db.select().from(t))),
    );
    const objects: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await env.FILES.list({ prefix: `jobs/${accountId}/`, cursor });
      for (const o of page.objects) objects.push(`${o.key}\n${await (await env.FILES.get(o.key))!.text()}`);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    const stored = await Promise.all(
      [oauth.id, sa.id].map((id) =>
        runInDurableObject(env.CONNECTOR_GATE.get(env.CONNECTOR_GATE.idFromName(id)), async (_gate: ConnectorGate, state) => JSON.stringify([...(await state.storage.list()).entries()])),
      ),
    );
    expect(stored[0]).toContain('"refresh"');
    expect(stored[1]).toContain('"service_account"');
    for (const secret of secrets) {
      for (const [where, texts] of [
        ["a response", responses],
        ["a log line", logged],
        ["D1", [rows]],
        ["R2", objects],
        ["the gate's storage", stored],
      ] as const) {
        expect(texts.some((t) => t.includes(secret)), `${secret.slice(0, 12)}… found in ${where}`).toBe(false);
      }
    }
  }, 120_000);
});

describe("Shopee credentials never leave the server", () => {
  it("keeps the partner key and the shop's tokens out of every response, log line, D1 row and R2 object, and sealed in the gate", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const responses: string[] = [];
    const record = async (res: Response) => {
      responses.push([...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n" + new TextDecoder().decode(await res.clone().arrayBuffer()));
      return res;
    };
    const { key, accountId } = await newAccount();
    const shop = await newShop({ generate: 120 });
    const connector = await connectedShop(key, shop, { push_fields: ["item_name"] });
    // A token that dies mid-sync (a refresh happens) and an HTTP-200 error that is logged.
    await shop.script({ expireAfter: 4, listErrorOnce: "error_busy" });
    const job = await syncAndWait(key, connector.id, { push: "apply" });
    expect(job.status).toBe("completed");
    for (const path of [
      `/api/v1/connectors/${connector.id}`,
      "/api/v1/connectors",
      `/api/v1/connectors/${connector.id}/pushes`,
      `/api/v1/jobs/${job.id}`,
      `/api/v1/jobs/${job.id}/result/issues?format=ndjson`,
      `/api/v1/jobs/${job.id}/result/corrected`,
      "/api/v1/events",
    ]) {
      expect((await record(await call(path, { key }))).status).toBe(200);
    }
    await record(await call(`/api/v1/connectors/${connector.id}/authorize`, { method: "POST", key }));

    const { counters, issued } = await shop.state();
    expect(counters.refreshes).toBeGreaterThanOrEqual(1);
    const secrets: string[] = [...issued.access, ...issued.refresh, FAKE_PARTNER_KEY];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const db = database(env.DB);
    const rows = JSON.stringify(
      await Promise.all([schema.connectors, schema.connectorOauthStates, schema.connectorSyncs, schema.connectorItems, schema.connectorPushes, schema.connectorPushItems, schema.events, schema.jobs].map((t) => db.select().from(t))),
    );
    const objects: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await env.FILES.list({ prefix: `jobs/${accountId}/`, cursor });
      for (const o of page.objects) objects.push(`${o.key}\n${await (await env.FILES.get(o.key))!.text()}`);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    const stored = await runInDurableObject(env.CONNECTOR_GATE.get(env.CONNECTOR_GATE.idFromName(connector.id)), async (_gate: ConnectorGate, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(stored).toContain('"refresh"');
    for (const secret of secrets) {
      for (const [where, texts] of [
        ["a response", responses],
        ["a log line", logged],
        ["D1", [rows]],
        ["R2", objects],
        ["the gate's storage", [stored]],
      ] as const) {
        expect(texts.some((t) => t.includes(secret)), `${secret.slice(0, 12)}… found in ${where}`).toBe(false);
      }
    }
    expect(logged.some((l) => l.includes("error_busy"))).toBe(true);
  });
});
