import { evictDurableObject } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { LEASE_MS } from "../../src/durable/job-coordinator";
import { coordinator } from "../../src/services/jobs/jobs";
import { Fault, failingPuts, failingStatements, Kill, killedAfterCall, resettingObjects, dyingAfterPuts } from "./bindings";
import {
  CHUNKS,
  type DeliveryReport,
  deliverAndCheck,
  expectEventsOnce,
  jobRequest,
  type JobOutcome,
  kpiSnapshot,
  logged,
  outcomeOf,
  ROWS,
  type Seller,
  seller,
  usageOf,
} from "./checks";
import { captureLogs, type QueuedJob } from "./rig";

/**
 * Faults injected into a running job and its webhooks (issue 18), each through a wrapper around a
 * binding or by driving the queues by hand — never through switches in production code. Every
 * test ends on the same checks (./checks.ts): the job completes with exactly the results of the
 * same job run without faults (or fails with a clear code when no retry can succeed), its events
 * are recorded and delivered once, usage and KPIs count it once, and the fault is in the logs
 * with the job's (or the event's) id. The file prints a one-line tally at the end.
 */

const MINUTE = 60_000;

interface Tally {
  fault: string;
  status: string;
  expected: "completed" | "failed";
  deliveries: number;
  delivered: number;
}
const tally: Tally[] = [];
let control: JobOutcome;

beforeAll(async () => {
  captureLogs();
  // The same job without faults: what every faulted run must reproduce exactly.
  const s = await seller();
  const jobId = await s.rig.createJob(s.key, jobRequest(s.fileId));
  await s.rig.drain();
  control = await outcomeOf(s.key, jobId);
  // Its webhooks too, so the KPI totals every test compares are not moved by them later (the sweep serves every account).
  await deliverAndCheck(s, await expectEventsOnce(s.accountId, jobId, "completed"));
  expect(control.status).toBe("completed");
  expect(control.counts).toMatchObject({ records: ROWS });
  expect(control.progress).toMatchObject({ chunks_done: CHUNKS, chunks_total: CHUNKS, rows_processed: ROWS });
  // Duplicates across chunks exist, so the finalize step runs and finds them.
  expect(control.issues!.some((line) => line.includes("t.sku.unique"))).toBe(true);
});

afterAll(() => {
  vi.restoreAllMocks();
  const completed = tally.filter((t) => t.expected === "completed");
  const done = completed.filter((t) => t.status === "completed").length;
  const failedClearly = tally.filter((t) => t.expected === "failed" && t.status === "failed").length;
  const deliveries = tally.reduce((n, t) => n + t.deliveries, 0);
  const delivered = tally.reduce((n, t) => n + t.delivered, 0);
  const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(0)} %`);
  console.log(
    `faults: ${tally.length} jobs attempted under faults; ${done}/${completed.length} that a retry can finish completed (${pct(done, completed.length)}), ` +
      `${failedClearly}/${tally.length - completed.length} that no retry can finish failed with a clear code; ` +
      `webhook deliveries ${delivered}/${deliveries} eventually succeeded (${pct(delivered, deliveries)}), none twice`,
  );
});

/** Creates the job and counts it as attempted under its fault (its outcome is filled in by the checks). */
async function startJob(s: Seller, fault: string, expected: Tally["expected"] = "completed") {
  const jobId = await s.rig.createJob(s.key, jobRequest(s.fileId));
  const entry: Tally = { fault, status: "attempted", expected, deliveries: 0, delivered: 0 };
  tally.push(entry);
  return { jobId, entry };
}

/** The checks every completed job ends on; returns its delivery report. */
async function expectCompletedExactly(s: Seller, jobId: string, entry: Tally, before: Awaited<ReturnType<typeof kpiSnapshot>>, at: Parameters<typeof deliverAndCheck>[2] = []) {
  const outcome = await outcomeOf(s.key, jobId);
  entry.status = outcome.status;
  expect(outcome).toEqual(control);
  const events = await expectEventsOnce(s.accountId, jobId, "completed");
  expect(await usageOf(s.accountId, jobId)).toEqual({ receipts: CHUNKS, records: ROWS, hours: ROWS });
  const report = await deliverAndCheck(s, events, at);
  Object.assign(entry, { deliveries: report.deliveries, delivered: report.succeeded });
  const after = await kpiSnapshot();
  expect(after.completed - before.completed).toBe(1);
  expect(after.delivered - before.delivered).toBe(events.length);
  return report;
}

/** The consumer's log line for a failed step of this job, naming the injected cause. */
function expectStepFailureLogged(jobId: string, kind: string, cause: RegExp, times = 1) {
  const lines = logged({ msg: "job step failed", job_id: jobId, kind }).filter((l) => cause.test(String(l.error)));
  expect(lines).toHaveLength(times);
  expect(lines[0]).toMatchObject({ level: "error", queue: "vitrine-jobs", attempts: expect.any(Number) });
}

const chunkOf = (m: QueuedJob) => (m.body.kind === "chunk" ? m.body.chunk : null);
const withFiles = (rig: Seller["rig"], files: R2Bucket): Env => ({ ...rig.env, FILES: files });

describe("1. an R2 put of a chunk's output fails", () => {
  it.each([
    [1, "issues/000002.ndjson"],
    [2, "corrected/000003"],
  ])("fails %i time(s) (%s): the chunk's message is retried and the job completes exactly", async (times, suffix) => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, `R2 put fails ${times}×`);
    const fault = new Fault(times);
    const files = failingPuts(s.rig.env.FILES, (key) => key.endsWith(suffix), fault);
    await s.rig.drain(() => withFiles(s.rig, files));

    expect(fault.fired).toBe(times);
    const retried = s.rig.delivered.filter((d) => d.outcome === "retry").map((d) => [d.message.body.kind, chunkOf(d.message), d.message.attempts]);
    expect(retried).toEqual(Array.from({ length: times }, (_, i) => ["chunk", Number(suffix.match(/\d+/)![0]), i + 1]));
    expectStepFailureLogged(jobId, "chunk", /R2 put failed/, times);
    await expectCompletedExactly(s, jobId, entry, before);
  });

  it("fails on every attempt: the job fails with chunk_failed after five, and says so once", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "R2 put always fails", "failed");
    const fault = new Fault(Infinity);
    const files = failingPuts(s.rig.env.FILES, (key) => key.includes("/unique/") && key.endsWith("/000001.ndjson"), fault);
    await s.rig.drain(() => withFiles(s.rig, files));

    // Five attempts, as many as the coordinator allows a chunk; the sixth delivery finds the job failed and is acknowledged.
    expect(fault.fired).toBe(5);
    const chunk1 = s.rig.delivered.filter((d) => chunkOf(d.message) === 1).map((d) => d.outcome);
    expect(chunk1).toEqual(["retry", "retry", "retry", "retry", "retry", "ack"]);
    const outcome = await outcomeOf(s.key, jobId);
    entry.status = outcome.status;
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatchObject({ code: "chunk_failed", message: expect.stringContaining("R2 put failed") });
    expectStepFailureLogged(jobId, "chunk", /R2 put failed/, 5);
    // The four chunks that ran are counted, once; the failed one is not.
    expect(await usageOf(s.accountId, jobId)).toEqual({ receipts: CHUNKS - 1, records: ROWS - 50, hours: ROWS - 50 });
    const events = await expectEventsOnce(s.accountId, jobId, "failed");
    const report = await deliverAndCheck(s, events);
    const after = await kpiSnapshot();
    expect(after.failed - before.failed).toBe(1);
    expect(after.completed - before.completed).toBe(0);
    Object.assign(entry, { deliveries: report.deliveries, delivered: report.succeeded });
  });
});

describe("2. a D1 write fails once", () => {
  it.each([
    ["the job row's update to completed", "finalize", (sql: string) => /^update "jobs"/i.test(sql), 1],
    ["the usage outbox's write", "chunk", (sql: string) => sql.startsWith("INSERT INTO usage_hours"), 1],
    ["the insert of the job's validation.completed event", "finalize", (sql: string) => /^insert into "events"/i.test(sql), 2],
  ] as const)("%s: the step is retried, and its redelivery finishes the job exactly", async (what, kind, match, nth) => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, `D1 write fails once (${what})`);
    const fault = new Fault(1, nth);
    // The fault is armed for one step: the finalize step, or the third chunk.
    const armed = (m: QueuedJob) => m.body.kind === kind && (kind !== "chunk" || chunkOf(m) === 2);
    const db = failingStatements(s.rig.env.DB, match, fault);
    await s.rig.drain((m) => (armed(m) ? { ...s.rig.env, DB: db } : s.rig.env));

    expect(fault.fired, what).toBe(1);
    expect(s.rig.delivered.filter((d) => d.outcome === "retry").map((d) => d.message.body.kind)).toEqual([kind]);
    expectStepFailureLogged(jobId, kind, /D1_ERROR/);
    await expectCompletedExactly(s, jobId, entry, before);
  });
});

describe("3. the job's Durable Object is reset mid-job", () => {
  it("between every step (in-memory state dropped, storage kept): the job completes exactly", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "DO reset between every step");
    const stub = coordinator(s.rig.env, jobId);
    let resets = 0;
    while (s.rig.jobQueue.length > 0) {
      await s.rig.deliver([s.rig.jobQueue.shift()!]);
      await evictDurableObject(stub);
      resets++;
    }
    expect(resets).toBe(1 + CHUNKS + 1);
    expect(s.rig.delivered.every((d) => d.outcome === "ack")).toBe(true);
    // A reset between calls loses nothing and is no failure: no step failed.
    expect(logged({ job_id: jobId, level: "error" })).toEqual([]);
    await expectCompletedExactly(s, jobId, entry, before);
  });

  it("before a lease reaches it: the chunk's message is retried and counted once", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "DO reset before a call applies");
    const fault = new Fault(1);
    const objects = resettingObjects(s.rig.env.JOB_COORDINATOR, "lease", "before", fault, (args) => args[0] === 1);
    await s.rig.drain(() => ({ ...s.rig.env, JOB_COORDINATOR: objects }));
    expect(fault.fired).toBe(1);
    expectStepFailureLogged(jobId, "chunk", /Durable Object reset/);
    await expectCompletedExactly(s, jobId, entry, before);
  });

  it("after the last chunk is counted but before it answers: the finalize step is lost, and the watchdog alarm re-enqueues it", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "DO reset with a reply lost");
    const fault = new Fault(1);
    const objects = resettingObjects(s.rig.env.JOB_COORDINATOR, "chunkDone", "after", fault, (args) => args[0] === CHUNKS - 1);
    await s.rig.drain(() => ({ ...s.rig.env, JOB_COORDINATOR: objects }));
    expect(fault.fired).toBe(1);
    expectStepFailureLogged(jobId, "chunk", /Durable Object reset/);
    // Every chunk is counted, once; the reply that asked for the finalize step was lost with the object.
    const stalled = await outcomeOf(s.key, jobId);
    expect(stalled).toMatchObject({ status: "running", progress: { chunks_done: CHUNKS } });
    expect(s.rig.delivered.map((d) => d.message.body.kind)).not.toContain("finalize");

    await s.rig.runAlarm(jobId, LEASE_MS + MINUTE);
    expect(s.rig.jobQueue.map((m) => m.body.kind)).toContain("finalize");
    expect(logged({ msg: "job work re-enqueued", job_id: jobId })).toEqual([expect.objectContaining({ level: "warn", finalize: true })]);
    await s.rig.drain();
    await expectCompletedExactly(s, jobId, entry, before);
  });
});

describe("4. queue messages delivered 3× and out of order", () => {
  it("a chunk before its plan, the plan twice, chunk k+1 before k, chunk k three times (in one batch and concurrently), finalize three times", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "messages 3× and out of order");
    const { rig } = s;
    const [plan] = rig.take((m) => m.body.kind === "plan");
    const early: QueuedJob = { id: "early-chunk-0", body: { kind: "chunk", job_id: jobId, account_id: s.accountId, chunk: 0 }, attempts: 1 };

    // A chunk message ahead of its plan (e.g. the watchdog's) is retried, not lost or run unplanned.
    expect((await rig.deliver([early]))[0].outcome).toBe("retry");
    expect(logged({ msg: "job step failed", job_id: jobId, kind: "chunk" })).toEqual([expect.objectContaining({ error: expect.stringContaining("chunk arrived before its plan") })]);
    await rig.deliver([plan]);
    await rig.deliver([{ ...plan, attempts: 2 }]);
    const chunks = rig.take((m) => m.body.kind === "chunk");
    // The early message (retried), then every chunk twice: once from each plan delivery.
    expect(chunks.map(chunkOf)).toEqual([0, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    const [retriedEarly, ...planned] = chunks;
    const first = planned.slice(0, CHUNKS);
    const second = planned.slice(CHUNKS);

    // Chunk 1 before chunk 0, and chunk 0 three times (three messages for it), in one batch.
    await rig.deliver([first[1], first[0], second[0], retriedEarly]);
    // Chunk 3 three times at once, on three consumers: one leases it, the others find it busy.
    await Promise.all([first[3], second[3], { ...first[3], attempts: 2 }].map((m) => rig.deliver([m])));
    // Then chunk 4 before chunk 2, each of their messages delivered again after it was done.
    for (const m of [first[4], second[4], first[2], second[2], { ...first[4], attempts: 2 }, { ...first[2], attempts: 2 }]) await rig.deliver([m]);
    const [finalize, ...more] = rig.take((m) => m.body.kind === "finalize");
    expect(more).toEqual([]);
    await rig.deliver([finalize, { ...finalize, id: `${finalize.id}-b` }, { ...finalize, id: `${finalize.id}-c` }]);
    // Late duplicates of everything, after the job completed.
    await rig.deliver([{ ...plan, attempts: 3 }, ...second.map((m) => ({ ...m, attempts: 2 }))]);
    await rig.drain();

    expect(rig.delivered.filter((d) => d.outcome === "retry").map((d) => d.message.id)).toEqual(["early-chunk-0"]);
    await expectCompletedExactly(s, jobId, entry, before);
  });
});

describe("5. a webhook receiver down for 30 minutes, then back", () => {
  it("retries on the schedule (5 s, 5 min, 30 min) and delivers every event once, under its own id", async () => {
    const s = await seller({ otherwise: { status: 503, body: "down for maintenance" } });
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "webhook receiver down 30 min");
    await s.rig.drain();
    const back = Date.now() + 30 * MINUTE;
    const report: DeliveryReport = await expectCompletedExactly(s, jobId, entry, before, [
      { time: back, run: () => s.script({ otherwise: { status: 200, body: "ok" } }) },
    ]);
    // Four attempts each: at once, +5 s, +5 min (still down), +30 min (back).
    expect(report.attempts).toBe(4 * report.deliveries);
    expect(report.spanMinutes).toBeGreaterThanOrEqual(35);
    expect(report.spanMinutes).toBeLessThan(40);
    const after = await kpiSnapshot();
    expect(after.firstFailed - before.firstFailed).toBe(report.deliveries);
    expect(after.firstSucceeded - before.firstSucceeded).toBe(0);
    // Each failed attempt is in the logs with its event (the webhook-id) and delivery.
    const failures = logged({ msg: "webhook attempt failed", account_id: s.accountId });
    expect(failures).toHaveLength(3 * report.deliveries);
    expect(failures[0]).toMatchObject({ level: "warn", status_code: 503, reason: "http_status", attempt: 1, event_id: expect.stringMatching(/^evt_/), delivery_id: expect.stringMatching(/^dlv_/) });
  });
});

describe("6. a consumer killed mid-chunk", () => {
  it("abandoned after one of its writes, never acknowledged: the redelivery finds the chunk leased, and the lease's expiry brings it back", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "consumer abandoned mid-chunk");
    const { rig } = s;
    await rig.deliver(rig.take((m) => m.body.kind === "plan"));
    const [victim] = rig.take((m) => chunkOf(m) === 2);
    let kill!: () => void;
    const killed = new Promise<void>((resolve) => (kill = resolve));
    const dying = withFiles(rig, dyingAfterPuts(rig.env.FILES, (key) => key.includes("/000002"), 1, kill));
    await rig.abandon(victim, dying, killed);
    await rig.drain();

    // The redelivered message found the chunk still leased to the dead consumer and was acknowledged.
    const stalled = await outcomeOf(s.key, jobId);
    expect(stalled).toMatchObject({ status: "running", progress: { chunks_done: CHUNKS - 1 } });
    await rig.runAlarm(jobId, LEASE_MS + MINUTE);
    expect(rig.jobQueue.map(chunkOf)).toEqual([2]);
    expect(logged({ msg: "job work re-enqueued", job_id: jobId })).toEqual([expect.objectContaining({ level: "warn", chunks: [2] })]);
    await rig.drain();
    await expectCompletedExactly(s, jobId, entry, before);
  });

  it("killed right after its chunk was counted, before its sync and ack: the redelivery records what it left", async () => {
    const s = await seller();
    const before = await kpiSnapshot();
    const { jobId, entry } = await startJob(s, "consumer killed after counting a chunk");
    const kill = new Kill();
    const dying = killedAfterCall(s.rig.env, "chunkDone", kill);
    await s.rig.drain((m) => (chunkOf(m) === 1 && !kill.dead ? dying : s.rig.env));
    expect(kill.dead).toBe(true);
    expectStepFailureLogged(jobId, "chunk", /killed mid-chunk/);
    await expectCompletedExactly(s, jobId, entry, before);
  });
});
