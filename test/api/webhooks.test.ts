import { createScheduledController } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { recordEvent } from "../../src/services/events";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, env, expectProblem, newAccount } from "../helpers";
import { clockedQueue, createEndpoint, deliveriesOf, endpointOf, jobPayloads } from "../webhook-harness";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

afterEach(() => {
  vi.useRealTimers();
});

/** Verifies a received request with the standardwebhooks library, as of the time it was signed. */
function verify(secret: string, request: { headers: Record<string, string>; body: string }) {
  const signedAt = Number(request.headers["webhook-timestamp"]) * 1000;
  vi.useFakeTimers({ toFake: ["Date"], now: signedAt });
  try {
    return new Webhook(secret).verify(request.body, request.headers);
  } finally {
    vi.useRealTimers();
  }
}

describe("webhook endpoints", () => {
  it("creates an endpoint and shows its whsec_ secret only at creation", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/webhooks", {
      method: "POST",
      key,
      json: { url: "https://erp.example.com/hooks/vitrine", events: ["validation.completed", "job.status_changed"], description: "ERP" },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as any;
    expect(created).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: "https://erp.example.com/hooks/vitrine",
      events: ["validation.completed", "job.status_changed"],
      description: "ERP",
      enabled: true,
      disabled_reason: null,
      failing_since: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const got = await call(`/api/v1/webhooks/${created.id}`, { key });
    const list = await call("/api/v1/webhooks", { key });
    for (const text of [await got.text(), await list.text()]) {
      expect(text).toContain(created.id);
      expect(text).not.toContain(created.secret);
      expect(text).not.toMatch(/"secret"/);
    }
  });

  it("collapses a subscription to everything into ['*'] and rejects unknown types", async () => {
    const { key } = await newAccount();
    const all = await createEndpoint(key, { url: "https://a.example.com/", events: ["job.status_changed", "*"] });
    expect(all.events).toEqual(["*"]);
    const problem = await expectProblem(
      await call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://a.example.com/", events: ["job.exploded"] } }),
      400,
    );
    expect(problem.errors?.[0].pointer).toBe("/events/0");
    await expectProblem(await call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://a.example.com/", events: [] } }), 400);
    // webhook.test is sent on request only, never subscribed to.
    await expectProblem(await call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://a.example.com/", events: ["webhook.test"] } }), 400);
  });

  it("updates url, events, description; deletes; and caps endpoints per account", async () => {
    const { key } = await newAccount();
    const endpoint = await createEndpoint(key, { url: "https://a.example.com/", events: ["*"] });
    const patched = await call(`/api/v1/webhooks/${endpoint.id}`, {
      method: "PATCH",
      key,
      json: { url: "https://b.example.com/in", events: ["connector.synced"], description: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ url: "https://b.example.com/in", events: ["connector.synced"], description: null });
    await expectProblem(await call(`/api/v1/webhooks/${endpoint.id}`, { method: "PATCH", key, json: {} }), 400);

    expect((await call(`/api/v1/webhooks/${endpoint.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectProblem(await call(`/api/v1/webhooks/${endpoint.id}`, { key }), 404, "not-found");

    for (let i = 0; i < 20; i++) await createEndpoint(key, { url: `https://h${i}.example.com/`, events: ["*"] });
    await expectProblem(await call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://x.example.com/", events: ["*"] } }), 409, "conflict");
  });

  it("replays creation for the same Idempotency-Key instead of making a second endpoint", async () => {
    const { key } = await newAccount();
    const send = () =>
      call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://a.example.com/", events: ["*"] }, headers: { "idempotency-key": "wh-1" } });
    const first = (await (await send()).json()) as any;
    const again = await send();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as any).id).toBe(first.id);
    const list = (await (await call("/api/v1/webhooks", { key })).json()) as any;
    expect(list.data).toHaveLength(1);
  });
});

describe("POST /webhooks/{id}/test", () => {
  it("sends a signed webhook.test now and reports status, latency and an excerpt", async () => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 202, body: '{"received":true}' }] });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["validation.completed"] });

    const res = await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key });
    expect(res.status).toBe(200);
    const result = (await res.json()) as any;
    expect(result).toMatchObject({ succeeded: true, status_code: 202, response_excerpt: '{"received":true}', error: null });
    expect(result.latency_ms).toEqual(expect.any(Number));

    const [request] = await receiver.requests();
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-id"]).toBe(result.event_id);
    const payload = verify(endpoint.secret, request) as any;
    expect(payload).toMatchObject({ id: result.event_id, type: "webhook.test", version: 1, data: { webhook_id: endpoint.id } });

    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ id: result.delivery_id, event_type: "webhook.test", status: "succeeded", attempt_count: 1 });
  });

  it.each([
    ["body", (r: any) => ({ ...r, body: r.body.replace("webhook.test", "webhook.tesT") })],
    ["webhook-id", (r: any) => ({ ...r, headers: { ...r.headers, "webhook-id": "evt_forged" } })],
    ["webhook-timestamp", (r: any) => ({ ...r, headers: { ...r.headers, "webhook-timestamp": String(Number(r.headers["webhook-timestamp"]) + 1) } })],
  ])("produces a signature that fails once the %s is tampered with", async (_, tamper) => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver();
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key });
    const [request] = await receiver.requests();
    expect(() => verify(endpoint.secret, request)).not.toThrow();
    expect(() => verify(endpoint.secret, tamper(request))).toThrow(/signature/i);
  });

  it("reports a failing receiver without scheduling retries, keeping only 1 KiB of its answer", async () => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver({ otherwise: { status: 500, body: "E".repeat(5000) } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const result = (await (await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key })).json()) as any;
    expect(result).toMatchObject({ succeeded: false, status_code: 500, error: "HTTP 500" });
    expect(result.response_excerpt).toBe("E".repeat(1024));
    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", next_attempt_at: null, last_status_code: 500 });
  });
});

describe("delivery and retries", () => {
  it("delivers exactly once to a receiver that fails 3 times, with 4 attempts logged under one webhook-id", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 500 }, { status: 503 }, { status: 429 }], otherwise: { status: 200, body: "thanks" } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["validation.completed"] });
    const q = clockedQueue();
    let now = Date.now();
    const event = await recordEvent(q.env, accountId, "validation.completed", jobPayloads.validationCompleted("job_1"), { now });
    expect(q.sent).toHaveLength(1);
    expect(q.sent[0].delaySeconds).toBeUndefined();

    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const { messages, result } = await q.deliver(now, { random: () => 0.5 });
      expect(messages).toHaveLength(1);
      expect(result.explicitAcks).toHaveLength(1);
      delays.push(q.sent[0]?.delaySeconds);
      now += (q.sent[0]?.delaySeconds ?? 0) * 1000;
    }
    // The schedule's first three steps (5 s, 5 min, 30 min), then nothing more to send.
    expect(delays).toEqual([5, 300, 1800, undefined]);

    // A duplicate of the last message (queues deliver at least once) sends nothing.
    q.sent.push({ body: { kind: "webhook.delivery", delivery_id: (await deliveriesOf(key, endpoint.id))[0].id, attempts: 3 } });
    await q.deliver(now);

    const requests = await receiver.requests();
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([event.id]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);

    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ event_id: event.id, status: "succeeded", attempt_count: 4, last_status_code: 200, last_error: null, next_attempt_at: null });
    expect(delivery.attempts.map((a: any) => [a.attempt, a.status_code, a.succeeded])).toEqual([
      [4, 200, true],
      [3, 429, false],
      [2, 503, false],
      [1, 500, false],
    ]);
    expect(delivery.attempts[3]).toMatchObject({ error: "HTTP 500", next_retry_at: expect.any(String) });
    expect(delivery.attempts[0]).toMatchObject({ response_excerpt: "thanks", next_retry_at: null });
    expect((await endpointOf(key, endpoint.id)).failing_since).toBeNull();
  });

  it("still delivers to a receiver down past the queue's delay window: the cron sweep sends the late retries", async () => {
    const { key, accountId } = await newAccount();
    const down = Array.from({ length: 7 }, () => ({ status: 503 }));
    const receiver = await fakeReceiver({ responses: down, otherwise: { status: 204 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["job.status_changed"] });
    const q = clockedQueue();
    const start = Date.now();
    let now = start;
    await recordEvent(q.env, accountId, "job.status_changed", jobPayloads.statusChanged("job_9", "running", "completed"), { now });

    // Attempts 1–7 fail; the six retries up to 10 h ride on queue delays.
    for (let i = 0; i < 7; i++) {
      await q.deliver(now);
      if (q.sent.length === 0) break;
      now += q.sent[0].delaySeconds! * 1000;
    }
    expect(await receiver.requests()).toHaveLength(7);
    // The 8th attempt is ~14 h away: too far for a queue delay, so nothing was enqueued.
    expect(q.sent).toHaveLength(0);
    const [waiting] = await deliveriesOf(key, endpoint.id);
    expect(waiting).toMatchObject({ status: "pending", attempt_count: 7 });
    const dueAt = Date.parse(waiting.next_attempt_at);
    expect(dueAt - now).toBeGreaterThan(12 * HOUR);

    const sweep = (at: number) => worker.scheduled(createScheduledController({ scheduledTime: at }), q.env);
    await sweep(dueAt - MINUTE);
    expect(q.sent).toHaveLength(0);
    await sweep(dueAt);
    expect(q.sent).toHaveLength(1);
    await sweep(dueAt + MINUTE); // already enqueued: not sent twice
    expect(q.sent).toHaveLength(1);
    await q.deliver(dueAt);

    const requests = await receiver.requests();
    expect(requests).toHaveLength(8);
    const [delivered] = await deliveriesOf(key, endpoint.id);
    expect(delivered).toMatchObject({ status: "succeeded", attempt_count: 8, last_status_code: 204 });
    expect((dueAt - start) / DAY).toBeGreaterThan(1);
  });

  it("gives up after ten attempts over about three days", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ otherwise: { status: 500 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const start = Date.now();
    let now = start;
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    for (let i = 0; i < 12; i++) {
      if (q.sent.length === 0) {
        const [d] = await deliveriesOf(key, endpoint.id);
        if (!d.next_attempt_at) break;
        now = Date.parse(d.next_attempt_at);
        await worker.scheduled(createScheduledController({ scheduledTime: now }), q.env);
      } else {
        now += (q.sent[0].delaySeconds ?? 0) * 1000;
      }
      await q.deliver(now);
    }
    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", attempt_count: 10, next_attempt_at: null });
    expect(await receiver.requests()).toHaveLength(10);
    const span = (Date.parse(delivery.last_attempt_at) - start) / DAY;
    expect(span).toBeGreaterThan(2.5);
    expect(span).toBeLessThan(3.6);
  });

  it("waits at least as long as the receiver's Retry-After", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 429, headers: { "retry-after": "120" } }] });
    await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await q.deliver(now);
    expect(q.sent[0].delaySeconds).toBe(120);
  });

  it("times out a receiver that does not answer and retries it", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 200, delay_ms: 1500 }] });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await q.deliver(now, { timeoutMs: 200 });
    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", last_status_code: null, last_error: "timed out after 0.2 s" });
    expect(q.sent).toHaveLength(1);
  });

  it("disables an endpoint at once on 410 Gone, fails what was pending, and resumes when re-enabled", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 410 }] });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    const first = q.sent.splice(1); // deliver one; the other stays queued
    await q.deliver(now);

    const disabled = await endpointOf(key, endpoint.id);
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: "gone", disabled_at: expect.any(String) });
    expect(disabled.disabled_detail).toContain("410");
    const deliveries = await deliveriesOf(key, endpoint.id);
    expect(deliveries.map((d) => d.status).sort()).toEqual(["failed", "failed"]);
    expect(q.sent).toHaveLength(0);

    // The queued message of the other delivery finds it failed and sends nothing.
    q.sent.push(...first);
    await q.deliver(now);
    expect(await receiver.requests()).toHaveLength(1);
    // New events skip it entirely.
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    expect(q.sent).toHaveLength(0);

    const enabled = await call(`/api/v1/webhooks/${endpoint.id}`, { method: "PATCH", key, json: { enabled: true } });
    expect(await enabled.json()).toMatchObject({ enabled: true, disabled_reason: null, disabled_detail: null, disabled_at: null });
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    expect(q.sent).toHaveLength(1);
  });

  it("disables an endpoint whose every attempt failed for 5 days, saying why", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ otherwise: { status: 502 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const start = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now: start });
    await q.deliver(start);
    expect((await endpointOf(key, endpoint.id)).failing_since).toBe(new Date(start).toISOString());
    q.sent.length = 0;

    const later = start + 4 * DAY;
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now: later });
    await q.deliver(later);
    expect((await endpointOf(key, endpoint.id)).enabled).toBe(true);
    q.sent.length = 0;

    const fiveDays = start + 5 * DAY + MINUTE;
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now: fiveDays });
    await q.deliver(fiveDays);
    const disabled = await endpointOf(key, endpoint.id);
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: "failing" });
    expect(disabled.disabled_detail).toContain(new Date(start).toISOString());
    expect(disabled.disabled_detail).toContain("HTTP 502");
    expect((await deliveriesOf(key, endpoint.id, "?status=pending")).length).toBe(0);
  });

  it("resets the failure clock on a success", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 500 }], otherwise: { status: 200 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await q.deliver(now);
    expect((await endpointOf(key, endpoint.id)).failing_since).not.toBeNull();
    await q.deliver(now + 10_000);
    expect((await endpointOf(key, endpoint.id)).failing_since).toBeNull();
  });

  it("retries a failed delivery on request, through the real queue, with the same webhook-id", async () => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver({ responses: [{ status: 500 }], otherwise: { status: 200 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    const test = (await (await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key })).json()) as any;
    expect(test.succeeded).toBe(false);

    const res = await call(`/api/v1/webhooks/${endpoint.id}/deliveries/${test.delivery_id}/retry`, { method: "POST", key });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: test.delivery_id, status: "pending" });
    const requests = await receiver.waitForRequests(2);
    expect(requests).toHaveLength(2);
    expect(requests[1].headers["webhook-id"]).toBe(requests[0].headers["webhook-id"]);
    await expect.poll(async () => (await deliveriesOf(key, endpoint.id))[0].status, { timeout: 5000 }).toBe("succeeded");

    await expectProblem(await call(`/api/v1/webhooks/${endpoint.id}/deliveries/dlv_nope/retry`, { method: "POST", key }), 404);
    await call(`/api/v1/webhooks/${endpoint.id}`, { method: "PATCH", key, json: { enabled: false } });
    await expectProblem(await call(`/api/v1/webhooks/${endpoint.id}/deliveries/${test.delivery_id}/retry`, { method: "POST", key }), 409, "conflict");
  });
});

describe("secret rotation", () => {
  it("signs with old and new secrets for 24 h, then with the new one only", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver();
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });

    const res = await call(`/api/v1/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", key });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as any;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    const overlapEnds = Date.parse(rotated.previous_secret_expires_at);
    expect(overlapEnds - Date.now()).toBeGreaterThan(23.9 * HOUR);
    expect(overlapEnds - Date.now()).toBeLessThanOrEqual(24 * HOUR);

    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await q.deliver(now);
    const after = overlapEnds + MINUTE;
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now: after });
    await q.deliver(after);

    const [during, later] = await receiver.requests();
    expect(during.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => verify(rotated.secret, during)).not.toThrow();
    expect(() => verify(endpoint.secret, during)).not.toThrow();
    expect(later.headers["webhook-signature"].split(" ")).toHaveLength(1);
    expect(() => verify(rotated.secret, later)).not.toThrow();
    expect(() => verify(endpoint.secret, later)).toThrow(/signature/i);
  });
});

describe("fan-out", () => {
  it("sends a completed job's validation.completed and job.status_changed to subscribed endpoints only", async () => {
    const seller = await newAccount();
    const other = await newAccount();
    const [jobs, connectors, everything, disabled, foreign] = await Promise.all([1, 2, 3, 4, 5].map(() => fakeReceiver()));
    const jobsEndpoint = await createEndpoint(seller.key, { url: jobs.url, events: ["validation.completed", "job.status_changed"] });
    await createEndpoint(seller.key, { url: connectors.url, events: ["connector.synced"] });
    const all = await createEndpoint(seller.key, { url: everything.url, events: ["*"] });
    const off = await createEndpoint(seller.key, { url: disabled.url, events: ["*"] });
    await call(`/api/v1/webhooks/${off.id}`, { method: "PATCH", key: seller.key, json: { enabled: false } });
    await createEndpoint(other.key, { url: foreign.url, events: ["*"] });

    // What the job pipeline records when a job completes (through the real queue and consumer).
    const status = await recordEvent(env, seller.accountId, "job.status_changed", jobPayloads.statusChanged("job_42", "running", "completed"));
    const completed = await recordEvent(env, seller.accountId, "validation.completed", jobPayloads.validationCompleted("job_42"));

    const got = await jobs.waitForRequests(2);
    await everything.waitForRequests(2);
    const bodies = got.map((r) => verify(jobsEndpoint.secret, r) as any).sort((a, b) => a.type.localeCompare(b.type));
    expect(bodies).toMatchObject([
      { id: status.id, type: "job.status_changed", version: 1, data: { job_id: "job_42", previous_status: "running", status: "completed" } },
      { id: completed.id, type: "validation.completed", version: 1, data: { job_id: "job_42", counts: { records: 1200, invalid: 100 } } },
    ]);
    const allBodies = (await everything.requests()).map((r) => verify(all.secret, r) as any);
    expect(allBodies.map((b) => b.id).sort()).toEqual([status.id, completed.id].sort());

    // Give stray deliveries a moment to show up, then make sure none did.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await connectors.requests()).toHaveLength(0);
    expect(await disabled.requests()).toHaveLength(0);
    expect(await foreign.requests()).toHaveLength(0);
    expect(await jobs.requests()).toHaveLength(2);
  });

  it("records an event once per dedupe key, and refuses data that breaks its schema", async () => {
    const { key, accountId } = await newAccount();
    await createEndpoint(key, { url: "https://a.example.com/", events: ["*"] });
    const q = clockedQueue();
    const a = await recordEvent(q.env, accountId, "job.status_changed", jobPayloads.statusChanged("job_1", "queued", "running"), { dedupeKey: "job_1:1" });
    const b = await recordEvent(q.env, accountId, "job.status_changed", jobPayloads.statusChanged("job_1", "queued", "running"), { dedupeKey: "job_1:1" });
    expect(b.id).toBe(a.id);
    expect(q.sent).toHaveLength(1);
    await expect(
      recordEvent(q.env, accountId, "validation.completed", { job_id: "job_1", counts: { records: "many" } } as any),
    ).rejects.toThrow(/validation.completed data does not match/);
  });
});

function connectorPayload() {
  const now = new Date().toISOString();
  return {
    connector_id: "con_1",
    provider: "mercadolivre",
    direction: "import" as const,
    status: "succeeded" as const,
    job_id: null,
    counts: { fetched: 10, created: 2, updated: 3, unchanged: 5, failed: 0 },
    started_at: now,
    completed_at: now,
    error: null,
    links: { connector: "/api/v1/connectors/con_1" },
  };
}
