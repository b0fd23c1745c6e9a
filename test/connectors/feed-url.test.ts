import { createScheduledController } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../../src/db/client";
import { connectors } from "../../src/db/schema";
import worker from "../../src/index";
import type { FakeFeed } from "../fakes/feed";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, env, expectProblem, newAccount, waitForJob } from "../helpers";
import { createEndpoint } from "../webhook-harness";
import { syncAndWait } from "./helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The test side of test/fakes/feed.ts: feeds published at https://shop.feeds.test/{name}. */
async function publish(feed: FakeFeed, name = `feed-${crypto.randomUUID().slice(0, 8)}.csv`) {
  const res = await fetch(`https://control.feeds.test/feeds/${name}`, { method: "PUT", body: JSON.stringify(feed) });
  expect(res.status).toBe(204);
  return {
    name,
    url: `https://shop.feeds.test/${name}`,
    republish: (next: FakeFeed) => publish(next, name),
    async requests(): Promise<{ host: string; status: number; headers: Record<string, string> }[]> {
      return ((await (await fetch(`https://control.feeds.test/feeds/${name}`)).json()) as any).requests;
    },
  };
}

async function feedConnector(key: string, config: Record<string, unknown>) {
  const res = await call("/api/v1/connectors", { method: "POST", key, json: { type: "url", name: "Catálogo", config } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as any;
}

const connectorOf = async (key: string, id: string) => (await (await call(`/api/v1/connectors/${id}`, { key })).json()) as any;

// Sync 1: A2 and A4 lack a title, A3 and A4 a price (4 issues, 5 records).
const V1 = "sku,title,price\nA1,Camiseta,10.00\nA2,,20.00\nA3,Caneca,\nA4,,\nA5,Boné,15.00\n";
// Sync 2: A1 loses its title (new), A2 gets one (resolved), A3's price still missing, A4 gets a price (resolved)
// but still has no title, A5 is gone, A6 (no price: new) and A7 arrive.
const V2 = "sku,title,price\nA1,,10.00\nA2,Chaveiro,20.00\nA3,Caneca,\nA4,,30.00\nA6,Mochila,\nA7,Garrafa,12.00\n";

describe("feed URL connectors", () => {
  it("validates a feed like a file, skips an unchanged one (ETag) without validating, and tells what changed between syncs", async () => {
    const { key } = await newAccount();
    const feed = await publish({ body: V1, etag: '"v1"', lastModified: "Tue, 01 Dec 2026 10:00:00 GMT" });
    const created = await feedConnector(key, { url: feed.url });
    expect(created).toMatchObject({ type: "url", status: "active", rule_pack: "common", config: { url: feed.url } });
    expect(created).not.toHaveProperty("authorize_url");
    const bin = await fakeReceiver();
    await createEndpoint(key, { url: bin.url, events: ["connector.synced"] });

    const first = await syncAndWait(key, created.id);
    expect(first.status).toBe("completed");
    expect(first.counts.records).toBe(5);
    let connector = await connectorOf(key, created.id);
    expect(connector.sync).toMatchObject({ last_job_id: first.id, last_status: "succeeded" });
    expect(connector.sync.last_delta).toEqual({ previous_job_id: null, issues: { new: 4, resolved: 0, still_open: 0 }, records: { added: 5, removed: 0 } });

    // Unchanged: the fake answers 304 to If-None-Match; the job ends at once with nothing validated.
    const second = await syncAndWait(key, created.id);
    expect(second.status).toBe("completed");
    expect(second.counts.records).toBe(0);
    expect(second.progress).toMatchObject({ chunks_total: 0, rows_total: 0 });
    const requests = await feed.requests();
    expect(requests.map((r) => r.status)).toEqual([200, 304]);
    expect(requests[1].headers["if-none-match"]).toBe('"v1"');
    connector = await connectorOf(key, created.id);
    expect(connector.sync).toMatchObject({ last_job_id: second.id, last_status: "unchanged" });
    expect(connector.sync.last_delta).toEqual({ previous_job_id: first.id, issues: { new: 0, resolved: 0, still_open: 4 }, records: { added: 0, removed: 0 } });

    await feed.republish({ body: V2, etag: '"v2"' });
    const third = await syncAndWait(key, created.id);
    expect(third.status).toBe("completed");
    expect(third.counts.records).toBe(6);
    const expected = { previous_job_id: first.id, issues: { new: 2, resolved: 2, still_open: 2 }, records: { added: 2, removed: 1 } };
    expect((await connectorOf(key, created.id)).sync.last_delta).toEqual(expected);

    const syncs = (await (await call(`/api/v1/connectors/${created.id}/syncs`, { key })).json()) as any;
    expect(syncs.data.map((s: any) => [s.job_id, s.outcome])).toEqual([
      [third.id, "succeeded"],
      [second.id, "unchanged"],
      [first.id, "succeeded"],
    ]);
    expect(syncs.data[0]).toMatchObject({ trigger: "api", delta: expected, feed: { unchanged: false }, links: { job: `/api/v1/jobs/${third.id}` } });
    expect(syncs.data[1].feed).toEqual({ unchanged: true, bytes: 0 });

    const events = (await bin.waitForRequests(3)).map((d) => JSON.parse(d.body).data);
    const byJob = new Map(events.map((e: any) => [e.job_id, e]));
    expect(byJob.get(second.id)).toMatchObject({ provider: "url", status: "unchanged", counts: { fetched: 0, unchanged: 5 }, changes: { issues: { new: 0, resolved: 0, still_open: 4 } } });
    expect(byJob.get(third.id)).toMatchObject({ status: "succeeded", counts: { fetched: 6 }, changes: expected });
    // Only the latest full sync's keys are kept to compare the next one with.
    const kept = await env.DB.prepare("SELECT DISTINCT job_id FROM connector_sync_keys WHERE job_id IN (?1, ?2, ?3)").bind(first.id, second.id, third.id).all();
    expect(kept.results.map((r: any) => r.job_id)).toEqual([third.id]);
  });

  it("refuses a redirect to a private address, and private or credentialed URLs at creation", async () => {
    const { key } = await newAccount();
    const feed = await publish({ body: V1, redirect: "https://10.0.0.7/catalog.csv" });
    const created = await feedConnector(key, { url: feed.url });
    const job = await syncAndWait(key, created.id);
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("feed.url_refused");
    expect(job.error.message).toContain("private");
    // The private address was never requested: only the first hop reached a server.
    expect((await feed.requests()).map((r) => r.status)).toEqual([302]);
    // In development plain http is allowed, but never to a link-local address (cloud metadata).
    await feed.republish({ body: V1, redirect: "http://169.254.169.254/latest/meta-data" });
    expect((await syncAndWait(key, created.id)).error.code).toBe("feed.url_refused");
    expect((await connectorOf(key, created.id)).status).toBe("active");

    for (const url of ["https://192.168.0.10/feed.csv", "https://seller:secret@shop.feeds.test/f.csv", "https://intranet/feed.csv"]) {
      const res = await call("/api/v1/connectors", { method: "POST", key, json: { type: "url", config: { url } } });
      const problem = await expectProblem(res, 400);
      expect(problem.errors?.[0].pointer).toBe("/config/url");
    }
  });

  it("sends the sealed header only to the feed's own origin, and never shows it", async () => {
    const { key } = await newAccount();
    const secret = `Basic ${btoa("loja:" + crypto.randomUUID())}`;
    const feed = await publish({ body: V1, requireHeader: { name: "authorization", value: secret } });
    const created = await feedConnector(key, { url: feed.url, header: { name: "Authorization", value: secret } });
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(created.config).toEqual({ url: feed.url, header_name: "Authorization" });
    const job = await syncAndWait(key, created.id);
    expect(job.status).toBe("completed");
    const [row] = (await env.DB.prepare("SELECT config, secret_sealed FROM connectors WHERE id = ?1").bind(created.id).all()).results as any[];
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secret_sealed).toBeTruthy();

    // Moved to another origin: followed, but without the header.
    const moved = await publish({ body: V1 });
    await feed.republish({ body: "", redirect: `https://mirror.feeds.test/${moved.name}` });
    expect((await syncAndWait(key, created.id)).status).toBe("completed");
    const atMirror = (await moved.requests()).filter((r) => r.host === "mirror.feeds.test");
    expect(atMirror).toHaveLength(1);
    expect(atMirror[0].headers.authorization).toBeUndefined();

    // A wrong header: a clear 401 error. PATCH without header keeps it; header: null removes it.
    const patched = await call(`/api/v1/connectors/${created.id}`, { method: "PATCH", key, json: { config: { url: feed.url, header: null } } });
    expect(((await patched.json()) as any).config).toEqual({ url: feed.url });
    await feed.republish({ body: V1, requireHeader: { name: "authorization", value: secret } });
    const refused = await syncAndWait(key, created.id);
    expect(refused.error.code).toBe("feed.http_error");
    expect(refused.error.message).toContain("401");
  });

  it("fails clearly on a missing feed, a web page instead of a catalog and a feed over the size limit, and cannot push", async () => {
    const { key } = await newAccount();
    const missing = await feedConnector(key, { url: "https://shop.feeds.test/never-published.csv" });
    const job = await syncAndWait(key, missing.id);
    expect(job.error.code).toBe("feed.http_error");
    expect(job.error.message).toContain("404");
    const page = await publish({ body: "<html><body>Entre na sua conta</body></html>", contentType: "text/html; charset=utf-8" });
    const login = await feedConnector(key, { url: page.url });
    expect((await syncAndWait(key, login.id)).error.code).toBe("feed.not_a_catalog");
    // FEED_MAX_BYTES is 1 MiB in the tests.
    const big = await publish({ body: "sku,title,price\n" + "B1,Produto com um título bem comprido para ocupar espaço,10.00\n".repeat(20_000) });
    const large = await feedConnector(key, { url: big.url });
    const tooLarge = await syncAndWait(key, large.id);
    expect(tooLarge.error.code).toBe("feed.too_large");
    expect(tooLarge.error.message).toContain("1048576");
    await expectProblem(await call(`/api/v1/connectors/${login.id}/sync`, { method: "POST", key, json: { push: "dry_run" } }), 422);
    await expectProblem(await call(`/api/v1/connectors/${login.id}/authorize`, { method: "POST", key }), 422);
  });

  it("syncs on its schedule from the cron, and deleting it keeps its jobs and drops its keys", async () => {
    const { key } = await newAccount();
    const feed = await publish({ body: V1, etag: '"s1"' });
    const created = await feedConnector(key, { url: feed.url });
    const patched = (await (await call(`/api/v1/connectors/${created.id}`, { method: "PATCH", key, json: { schedule: "hourly" } })).json()) as any;
    expect(Date.parse(patched.next_sync_at)).toBeGreaterThan(Date.now());
    await database(env.DB).update(connectors).set({ nextSyncAt: Date.now() - 60_000 }).where(eq(connectors.id, created.id));
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), env);
    const running = ((await (await call(`/api/v1/connectors/${created.id}`, { key })).json()) as any).sync.running_job_id;
    expect(running).toMatch(/^job_/);
    const job = await waitForJob(key, running);
    expect(job).toMatchObject({ status: "completed", counts: { records: 5 } });
    const syncs = (await (await call(`/api/v1/connectors/${created.id}/syncs`, { key })).json()) as any;
    expect(syncs.data[0]).toMatchObject({ job_id: job.id, trigger: "schedule", outcome: "succeeded" });

    expect((await call(`/api/v1/connectors/${created.id}`, { method: "DELETE", key })).status).toBe(204);
    expect((await call(`/api/v1/jobs/${job.id}`, { key })).status).toBe(200);
    const keys = await env.DB.prepare("SELECT count(*) AS n FROM connector_sync_keys WHERE job_id = ?1").bind(job.id).first<{ n: number }>();
    expect(keys?.n).toBe(0);
  });

  it("counts a duplicate SKU found across chunks (JOB_CHUNK_ROWS is 50 in the tests) like any other issue", async () => {
    const { key } = await newAccount();
    const rows = (last: string) => "sku,title,price\n" + Array.from({ length: 60 }, (_, i) => `${i === 59 ? last : `D${i + 1}`},Produto ${i + 1},10.00`).join("\n") + "\n";
    const feed = await publish({ body: rows("D1"), etag: '"d1"' });
    const created = await feedConnector(key, { url: feed.url });
    const first = await syncAndWait(key, created.id);
    expect(first.progress.chunks_total).toBe(2);
    expect(first.counts.records).toBe(60);
    // Row 61 repeats row 2's SKU, in the other chunk: found by the finalize step.
    expect((await connectorOf(key, created.id)).sync.last_delta).toEqual({ previous_job_id: null, issues: { new: 1, resolved: 0, still_open: 0 }, records: { added: 59, removed: 0 } });
    await feed.republish({ body: rows("D60"), etag: '"d2"' });
    await syncAndWait(key, created.id);
    expect((await connectorOf(key, created.id)).sync.last_delta).toEqual({ previous_job_id: first.id, issues: { new: 0, resolved: 1, still_open: 0 }, records: { added: 1, removed: 0 } });
  });

  it("keys a JSON feed's records by SKU, so reordering them changes nothing", async () => {
    const { key } = await newAccount();
    const records = [
      { sku: "J1", title: "Caneca", price: 10 },
      { sku: "J2", title: "", price: 20 },
      { sku: "J3", title: "Boné" },
    ];
    const feed = await publish({ body: JSON.stringify(records), contentType: "application/json", etag: '"j1"' });
    const created = await feedConnector(key, { url: feed.url });
    const first = await syncAndWait(key, created.id);
    expect(first.counts.records).toBe(3);
    expect((await connectorOf(key, created.id)).sync.last_delta).toEqual({ previous_job_id: null, issues: { new: 2, resolved: 0, still_open: 0 }, records: { added: 3, removed: 0 } });
    await feed.republish({ body: JSON.stringify([...records].reverse()), contentType: "application/json", etag: '"j2"' });
    await syncAndWait(key, created.id);
    expect((await connectorOf(key, created.id)).sync.last_delta).toEqual({ previous_job_id: first.id, issues: { new: 0, resolved: 0, still_open: 2 }, records: { added: 0, removed: 0 } });
  });
});
