import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { KpiWindow } from "../../src/core/kpis/report";
import { recordEvent } from "../../src/services/events";
import { runScheduled } from "../../src/cron";
import { readKpis } from "../../src/services/kpis";
import { recordDeadLetter } from "../../src/services/webhook-deliveries";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { BASE, call, env, newAccount, waitForJob } from "../helpers";
import { clockedQueue, createEndpoint, deliveriesOf, jobPayloads } from "../webhook-harness";

/** Reads the KPIs until `ready` holds (request rollups are flushed in the background), then returns them. */
async function kpisWhen(ready: (day: KpiWindow) => boolean, timeoutMs = 15_000): Promise<KpiWindow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const windows = await readKpis(env);
    if (ready(windows[0])) return windows;
    if (Date.now() > deadline) throw new Error(`KPIs not ready: ${JSON.stringify(windows[0])}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const routeOf = (w: KpiWindow, route: string) => w.routes.find((r) => r.route === route);

describe("request KPIs", () => {
  it("counts every request once under its route pattern, with a p95 from the histogram, in both windows", async () => {
    const { key } = await newAccount();
    for (let i = 0; i < 7; i++) expect((await call("/api/v1/health")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call(`/api/v1/jobs/job_missing${i}`, { key })).status).toBe(404);

    const [day, week] = await kpisWhen((w) => (routeOf(w, "GET /api/v1/health")?.requests ?? 0) >= 7 && (routeOf(w, "GET /api/v1/jobs/:id")?.requests ?? 0) >= 3);
    expect(day.hours).toBe(24);
    expect(week.hours).toBe(168);
    for (const w of [day, week]) {
      expect(routeOf(w, "GET /api/v1/health")).toMatchObject({ requests: 7, errors: 0 });
      // The job ids stay out of the dimension: three different paths, one route.
      expect(routeOf(w, "GET /api/v1/jobs/:id")).toMatchObject({ requests: 3, errors: 0 });
      expect(w.routes.some((r) => r.route.includes("job_missing"))).toBe(false);
    }
    // A 5xx is counted as a request and as an error of its route (here: a configuration the Worker refuses).
    const ctx = createExecutionContext();
    const broken = await worker.fetch(new Request(`${BASE}/api/v1/health`), { ...env, OPERATOR_TOKEN: "too-short" }, ctx);
    expect(broken.status).toBe(500);
    await waitOnExecutionContext(ctx);
    expect(routeOf((await readKpis(env))[0], "GET /api/v1/health")).toMatchObject({ requests: 8, errors: 1 });
    // A p95 is one of the histogram's bounds (or Infinity past the last).
    const p95 = routeOf(day, "GET /api/v1/health")!.p95Ms;
    expect([1, 2, 5, 10, 15, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 2500, 5000, 10000, 30000, Infinity]).toContain(p95);
  });
});

describe("job KPIs", () => {
  it("counts a finished job once, by its final status", async () => {
    const { key } = await newAccount();
    const records = [{ sku: "1", title: "Camiseta azul", price: "10,00" }];
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records }, rule_pack: "mercadolivre" } });
    expect(res.status, await res.clone().text()).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as { id: string }).id);
    expect(job.status).toBe("completed");
    // Reading the job again syncs nothing new; the count stays 1.
    await call(`/api/v1/jobs/${job.id}`, { key });
    const [day, week] = await readKpis(env);
    expect(day.jobs).toEqual({ completed: 1, failed: 0, cancelled: 0, successRate: 1 });
    expect(week.jobs.completed).toBe(1);
  });
});

describe("webhook KPIs", () => {
  it("counts first attempts and final outcomes exactly, a duplicate message counting nothing", async () => {
    const { key, accountId } = await newAccount();
    // The test's clock starts just before an hour ends, so the retries land in the next hour:
    // KPIs read at that clock count attempts of both hours.
    let now = Math.ceil(Date.now() / 3_600_000) * 3_600_000 - 2_000;
    const before = (await readKpis(env, now))[0].webhooks;
    // One receiver fails twice then accepts; the other accepts at once.
    const flaky = await fakeReceiver({ responses: [{ status: 500 }, { status: 503 }], otherwise: { status: 200 } });
    const steady = await fakeReceiver({ otherwise: { status: 204 } });
    await createEndpoint(key, { url: flaky.url, events: ["validation.completed"] });
    await createEndpoint(key, { url: steady.url, events: ["validation.completed"] });
    const q = clockedQueue();
    await recordEvent(q.env, accountId, "validation.completed", jobPayloads.validationCompleted("job_kpi"), { now });
    expect(q.sent).toHaveLength(2);
    const duplicate = q.sent[0];
    await q.deliver(now, { random: () => 0.5 });
    // The queue delivers at least once: the same first-attempt message again.
    q.sent.push(duplicate);
    for (let i = 0; i < 3; i++) {
      const delay = Math.max(0, ...q.sent.map((m) => m.delaySeconds ?? 0));
      now += delay * 1000;
      await q.deliver(now, { random: () => 0.5 });
    }
    const after = (await readKpis(env, now))[0].webhooks;
    expect(after.firstAttempts - before.firstAttempts).toBe(2);
    expect(after.firstAttemptSucceeded - before.firstAttemptSucceeded).toBe(1);
    expect(after.outcomes - before.outcomes).toBe(2);
    expect(after.delivered - before.delivered).toBe(2);
    expect(await flaky.requests()).toHaveLength(3);
  });

  it("counts a dead-lettered delivery as given up once, however often the dead letter arrives", async () => {
    const { key, accountId } = await newAccount();
    const receiver = await fakeReceiver({ otherwise: { status: 503 } });
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["validation.completed"] });
    const q = clockedQueue();
    await recordEvent(q.env, accountId, "validation.completed", jobPayloads.validationCompleted("job_dlq"), { now: Date.now() });
    await q.deliver(Date.now(), { random: () => 0.5 });
    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery.status).toBe("pending");
    const before = (await readKpis(env))[0].webhooks;
    const deadLetter = { kind: "webhook.delivery", delivery_id: delivery.id, attempts: 1 };
    await recordDeadLetter(env, deadLetter);
    await recordDeadLetter(env, deadLetter);
    const after = (await readKpis(env))[0].webhooks;
    expect(after.outcomes - before.outcomes).toBe(1);
    expect(after.delivered - before.delivered).toBe(0);
    expect((await deliveriesOf(key, endpoint.id))[0].status).toBe("failed");
  });
});

describe("rollup retention", () => {
  it("the hourly cron deletes rollup hours older than 8 days and keeps the rest", async () => {
    const HOUR = 3_600_000;
    const at = Date.UTC(2030, 0, 10, 12, 17);
    const hour = Math.floor(at / HOUR) * HOUR;
    const insert = env.DB.prepare("INSERT INTO kpi_rollups (hour, metric, dimension, bucket, count) VALUES (?, 'job', 'retention-test', 0, 1)");
    await env.DB.batch([insert.bind(hour - 192 * HOUR - HOUR), insert.bind(hour - 192 * HOUR), insert.bind(hour - 167 * HOUR)]);
    const hoursKept = async () => (await env.DB.prepare("SELECT hour FROM kpi_rollups WHERE dimension = 'retention-test' ORDER BY hour").all()).results.map((r) => r.hour);
    // Other minutes leave them alone.
    await runScheduled(createScheduledController({ scheduledTime: at - 60_000, cron: "* * * * *" }), env);
    expect(await hoursKept()).toHaveLength(3);
    await runScheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env);
    expect(await hoursKept()).toEqual([hour - 192 * HOUR, hour - 167 * HOUR]);
  });
});
