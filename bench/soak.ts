/**
 * Soak: a steady mix of traffic against the Worker under `wrangler dev` for 10 minutes
 * (`--minutes N`), then every webhook event accounted for and the operator's KPIs read back.
 *
 *   npm run bench -- soak [--minutes 10]
 *
 * The mix, all on one account (rate limit raised, billing off, as in the load bench):
 * - validate: POST /validate with 100 records, two clients, each one request every 200 ms;
 * - uploads + small jobs: two clients, each in turn uploading a 200-record Brazilian CSV
 *   (POST /files), starting a job on it, and polling the job every 300 ms until it ends — then a
 *   job of 50 inline records the same way; every job must complete with exact counts;
 * - webhooks: one endpoint subscribed to every event, on a local receiver that verifies each
 *   signature and counts event ids (bench/webhook-receiver.ts).
 * Any non-2xx answer, failed job, wrong count, bad signature, lost or duplicated event is an error.
 *
 * The Worker isolate's V8 heap, through the inspector (bench/inspector.ts): used heap after a full
 * GC before the traffic, then sampled every second (peak), after a full GC at each minute (the live
 * heap: flat if nothing leaks), and after a full GC once the webhooks have drained. A full GC is a
 * heap snapshot under workerd, which pauses the isolate briefly once a minute.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { connectInspector, mb } from "./inspector";
import { argValue, loadAverage, percentiles } from "./load";
import { type LocalWorker, startLocalWorker } from "./local-worker";
import { generateRecords, toCsv } from "./records";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

const PORT = 8813;
const INSPECTOR_PORT = 9313;
const RECEIVER_PORT = 8823;
const ROOT = path.join(import.meta.dirname, "..");

const VALIDATE_CLIENTS = 2;
const VALIDATE_EVERY_MS = 200;
const JOB_CLIENTS = 2;
const FILE_RECORDS = 200;
const INLINE_RECORDS = 50;
const POLL_EVERY_MS = 300;
const HEAP_SAMPLE_EVERY_MS = 1000;
/** A small job that has not ended after this is stuck: counted as an error. */
const JOB_LIMIT_MS = 300_000;
/** How long deliveries may take to arrive after the traffic stops (the queue batches for up to a second, retries back off). */
const DRAIN_LIMIT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const APP_TIMING = /(?:^|,\s*)app;dur=([\d.]+)/;

/** Every request of the soak goes through here: timed by the client and, from Server-Timing, inside the Worker. */
class Soak {
  readonly client = new Map<string, number[]>();
  readonly inWorker = new Map<string, number[]>();
  readonly errorsByKind = new Map<string, number>();
  readonly errors: string[] = [];

  constructor(private readonly worker: LocalWorker) {}

  record(into: Map<string, number[]>, kind: string, ms: number) {
    const list = into.get(kind) ?? [];
    list.push(ms);
    into.set(kind, list);
  }

  fail(kind: string, what: string) {
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
    // The first few in full; the counts say the rest.
    if (this.errors.length < 20) this.errors.push(`${kind}: ${what}`);
  }

  /** One API call: its JSON answer, or undefined after counting the failure (non-2xx or no answer). */
  async call(kind: string, pathname: string, init: RequestInit = {}): Promise<any> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.worker.key}`);
    const started = performance.now();
    try {
      const res = await fetch(this.worker.api + pathname, { ...init, headers });
      const body = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} → ${res.status} ${body.slice(0, 200)}`);
      this.record(this.client, kind, performance.now() - started);
      const timing = APP_TIMING.exec(res.headers.get("server-timing") ?? "");
      if (timing) this.record(this.inWorker, kind, Number(timing[1]));
      return body ? JSON.parse(body) : undefined;
    } catch (error) {
      this.fail(kind, (error as Error).message);
      return undefined;
    }
  }
}

const json = (value: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(value) });

async function validateLoop(soak: Soak, until: number) {
  const body = json({ rule_pack: "mercadolivre", records: generateRecords(100, 7).records });
  while (Date.now() < until) {
    const started = Date.now();
    await soak.call("validate", "/validate", body);
    await sleep(Math.max(0, VALIDATE_EVERY_MS - (Date.now() - started)));
  }
}

/** Starts a job, polls it to its end and checks its counts; the whole run is timed as "job, end to end". */
async function runJob(soak: Soak, source: object, expected: number) {
  const started = performance.now();
  const job = await soak.call("job create", "/jobs", json({ source, rule_pack: "mercadolivre" }));
  if (!job) return;
  for (;;) {
    if (performance.now() - started > JOB_LIMIT_MS) return soak.fail("job", `${job.id} did not end within ${JOB_LIMIT_MS / 1000} s`);
    await sleep(POLL_EVERY_MS);
    const state = await soak.call("job poll", `/jobs/${job.id}`);
    if (!state || !["completed", "failed", "cancelled"].includes(state.status)) continue;
    if (state.status !== "completed") return soak.fail("job", `${job.id} ended ${state.status}: ${JSON.stringify(state.error)}`);
    if (state.counts.records !== expected) return soak.fail("job", `${job.id} counted ${state.counts.records} records, expected ${expected}`);
    soak.record(soak.client, "job, end to end", performance.now() - started);
    return;
  }
}

async function jobLoop(soak: Soak, until: number, clientIndex: number) {
  for (let round = 0; Date.now() < until; round++) {
    const seed = 1000 * clientIndex + round;
    const csv = toCsv(generateRecords(FILE_RECORDS, seed).records);
    const file = await soak.call("upload", `/files?name=catalogo-${seed}.csv`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    if (file) await runJob(soak, { file_id: file.id }, FILE_RECORDS);
    if (Date.now() >= until) break;
    await runJob(soak, { records: generateRecords(INLINE_RECORDS, seed + 500).records }, INLINE_RECORDS);
  }
}

/** Every event the account recorded (GET /events, all pages), but webhook.test, which goes only where asked. */
async function recordedEvents(soak: Soak): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await soak.call("events (drain)", `/events?limit=100${after ? `&starting_after=${after}` : ""}`);
    if (!page) throw new Error("GET /events failed: the webhook events cannot be accounted for");
    for (const event of page.data) if (event.type !== "webhook.test") ids.push(event.id);
    if (!page.has_more) return ids;
    after = page.data[page.data.length - 1].id;
  }
}

async function drainWebhooks(soak: Soak, receiver: WebhookReceiver) {
  const started = Date.now();
  let sent: string[] = [];
  for (;;) {
    sent = await recordedEvents(soak);
    if (sent.every((id) => receiver.seen.has(id)) || Date.now() - started > DRAIN_LIMIT_MS) break;
    await sleep(2000);
  }
  const sentSet = new Set(sent);
  const received = sent.filter((id) => receiver.seen.has(id)).length;
  const duplicated = [...receiver.seen.values()].filter((n) => n > 1).length;
  const extraDeliveries = [...receiver.seen.values()].reduce((sum, n) => sum + n - 1, 0);
  const unknown = [...receiver.seen.keys()].filter((id) => !sentSet.has(id)).length;
  return { sent: sent.length, received, missing: sent.length - received, duplicated, extraDeliveries, unknown, drainSeconds: (Date.now() - started) / 1000 };
}

/** The KPI rollups are flushed a second after a request schedules a flush, 25 rows at a time: a few spaced requests flush what the soak left buffered. */
async function flushKpis(worker: LocalWorker) {
  for (let i = 0; i < 4; i++) {
    await fetch(`${worker.api}/health`);
    await sleep(1500);
  }
}

function readKpis(stateDir: string): string {
  const run = spawnSync("npx", ["tsx", "scripts/kpis.ts", "--persist-to", stateDir], { cwd: ROOT, encoding: "utf8" });
  return (run.stdout + (run.status === 0 ? "" : `\n(npm run kpis exited ${run.status}: ${run.stderr.trim()})`)).trimEnd();
}

export async function runSoakBench() {
  const minutes = Number(argValue("minutes") ?? 10);
  console.log(`\n## Soak: ${minutes} min of validate + uploads + small jobs + webhook deliveries through wrangler dev`);
  console.log(`load average before: ${loadAverage()}`);
  const receiver = await startWebhookReceiver(RECEIVER_PORT);
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "1000000", ALLOW_LOOPBACK_WEBHOOKS: "true" }, ["--inspector-port", String(INSPECTOR_PORT)]);
  try {
    const soak = new Soak(worker);
    const endpoint = await soak.call("webhook setup", "/webhooks", json({ url: `http://127.0.0.1:${RECEIVER_PORT}/vitrine`, events: ["*"] }));
    if (!endpoint) throw new Error(`creating the webhook endpoint failed: ${soak.errors.join("; ")}`);
    receiver.setSecret(endpoint.secret);
    const inspector = await connectInspector(INSPECTOR_PORT);
    await inspector.collectGarbage();
    const heapStart = (await inspector.heapUsage()).usedSize;
    const liveHeap: number[] = [];
    let heapErrors = 0;
    const sampler = inspector.startHeapSampler(HEAP_SAMPLE_EVERY_MS);
    const started = Date.now();
    const until = started + minutes * 60_000;
    const progress = setInterval(() => {
      const done = [...soak.client.values()].reduce((n, l) => n + l.length, 0);
      const failed = [...soak.errorsByKind.values()].reduce((a, b) => a + b, 0);
      inspector
        .collectGarbage()
        .then(() => inspector.heapUsage())
        .then((usage) => {
          liveHeap.push(usage.usedSize);
          console.log(`  ${((Date.now() - started) / 60_000).toFixed(1)} min: ${done} requests, ${failed} errors, ${receiver.seen.size} events received, live heap ${mb(usage.usedSize)} MB — ${loadAverage()}`);
        })
        .catch(() => heapErrors++);
    }, 60_000);
    try {
      await Promise.all([
        ...Array.from({ length: VALIDATE_CLIENTS }, () => validateLoop(soak, until)),
        ...Array.from({ length: JOB_CLIENTS }, (_, i) => jobLoop(soak, until, i)),
      ]);
    } finally {
      clearInterval(progress);
    }
    const trafficSeconds = (Date.now() - started) / 1000;
    console.log(`traffic ran ${trafficSeconds.toFixed(0)} s — ${loadAverage()}`);
    const webhooks = await drainWebhooks(soak, receiver);
    const heap = await sampler.stop();
    await inspector.collectGarbage();
    const heapEnd = (await inspector.heapUsage()).usedSize;
    inspector.close();

    const ms = (n: number) => (Number.isNaN(n) ? "–" : n.toFixed(1)).padStart(7);
    console.log("requests by kind: client wall time | inside the Worker (Server-Timing app)");
    const kinds = new Set([...soak.client.keys(), ...soak.errorsByKind.keys()]);
    for (const kind of kinds) {
      const c = percentiles(soak.client.get(kind) ?? []);
      const w = percentiles(soak.inWorker.get(kind) ?? []);
      console.log(
        `  ${kind.padEnd(16)} ${String(c.n).padStart(6)} ok ${String(soak.errorsByKind.get(kind) ?? 0).padStart(3)} errors   client p50 ${ms(c.p50)} p95 ${ms(c.p95)} p99 ${ms(c.p99)} ms` +
          (w.n ? `   | Worker p50 ${ms(w.p50)} p95 ${ms(w.p95)} p99 ${ms(w.p99)} ms` : ""),
      );
    }
    const errors = [...soak.errorsByKind.values()].reduce((a, b) => a + b, 0);
    console.log(`errors: ${errors}${soak.errors.length ? `\n    ${soak.errors.join("\n    ")}` : ""}`);
    console.log(
      `webhook events: ${webhooks.sent} recorded, ${webhooks.received} received (${webhooks.missing} missing), ${webhooks.duplicated} duplicated (${webhooks.extraDeliveries} extra deliveries), ` +
        `${webhooks.unknown} unknown ids, ${receiver.badSignatures} bad signatures; drained in ${webhooks.drainSeconds.toFixed(0)} s`,
    );
    console.log(
      `Worker isolate V8 heap (used): ${mb(heapStart)} MB at the start after GC, ${mb(heap.peakUsed)} MB peak (${heap.samples.length} samples, one a second), ` +
        `${mb(heapEnd)} MB at the end after GC; after GC each minute: ${liveHeap.map(mb).join(", ")} MB` +
        (heap.errors + heapErrors ? ` (${heap.errors + heapErrors} readings failed)` : ""),
    );

    await flushKpis(worker);
    console.log(`\nnpm run kpis -- --persist-to <the soak's state>:\n${readKpis(worker.stateDir)}`);
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    worker.stop();
    await receiver.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSoakBench();
