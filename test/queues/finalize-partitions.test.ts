import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import { addResult, emptySummary, type ValidationSummary } from "../../src/core/report/summary";
import { compilePack, parsePack } from "../../src/core/rules";
import { LEASE_MS } from "../../src/durable/job-coordinator";
import type { Env } from "../../src/env";
import { coordinator, createJob } from "../../src/services/jobs/jobs";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { jobObjects } from "../../src/storage/job-objects";
import { listKeys } from "../../src/storage/r2-reads";
import { call, createPack, env, newAccount } from "../helpers";
import { partitioned } from "./partitioned";
import { runCoordinatorAlarm } from "../coordinator-alarm";
import { recordingQueue } from "./recording-queue";

/**
 * The finalize step split by uniqueness partition: one message per partition, and a merge that
 * counts each row once across them. The queue is a recorder (each test decides what runs when),
 * and the coordinator is told to cut these small jobs into PARTITIONS partitions.
 */
const PARTITIONS = 4;

const PACK = `
id: finalize-partitions
name: Finalize partitions
version: 1.0.0
rules:
  - { id: p.sku.unique, field: sku, check: unique }
  - { id: p.gtin.unique, field: gtin, check: unique }
  - { id: p.images.unique, field: images, check: unique, each: true, severity: warning }
  - { id: p.title.required, field: title, check: required }
`;

/**
 * 240 records, 5 chunks of 50: SKUs and GTINs repeat across chunks (so one row holds error
 * duplicates of two rules, which may fall in different partitions), and every record's three
 * images repeat an earlier record's (so one row holds several duplicates of the `each` rule).
 */
function records(): Record<string, unknown>[] {
  return Array.from({ length: 240 }, (_v, i) => ({
    sku: `SKU-${i % 70}`,
    gtin: `789${String(i % 90).padStart(10, "0")}`,
    title: i % 17 === 0 ? "" : `Produto ${i}`,
    images: [0, 1, 2].map((k) => `https://cdn.loja.test/${(i + k * 7) % 60}-${k}.jpg`),
  }));
}

/** The core's one-pass summary of the records: what the job must report. */
function oracle(list: Record<string, unknown>[]): ValidationSummary {
  const validator = compilePack(parsePack(PACK), () => undefined).createValidator({ locale: "en" });
  const summary = emptySummary();
  list.forEach((record, i) => addResult(summary, validator.validate(record, i + 1)));
  return summary;
}

type Finalize = Extract<JobMessage, { kind: "finalize" }>;

function recordingEnv() {
  const { queue, sent } = recordingQueue();
  const base = env as unknown as Env;
  const recording: Env = { ...base, JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue, JOB_COORDINATOR: partitioned(base.JOB_COORDINATOR, PARTITIONS) };
  /** The messages sent since the last call. */
  const take = () => sent.splice(0, sent.length);
  return { env: recording, queue, take };
}

/** A job through its chunks; returns the finalize message the last chunk sent. */
async function chunkedJob() {
  const account = await newAccount();
  await createPack(account.key, PACK);
  const rec = recordingEnv();
  const list = records();
  const job = await createJob(rec.env, { accountId: account.accountId }, { source: { records: list }, rulePack: "finalize-partitions", applyFixes: false, locale: "en" });
  await planJob(rec.env, rec.take()[0] as Extract<JobMessage, { kind: "plan" }>);
  for (const chunk of rec.take()) await runChunk(rec.env, chunk as Extract<JobMessage, { kind: "chunk" }>);
  const [fanOut, ...rest] = rec.take();
  expect(rest).toEqual([]);
  expect(fanOut).toEqual({ kind: "finalize", job_id: job.id, account_id: account.accountId });
  return { ...account, job, rec, list, fanOut: fanOut as Finalize };
}

/** Runs the fan-out message and returns the partition messages it sent. */
async function fanOut(rec: ReturnType<typeof recordingEnv>, message: Finalize): Promise<Finalize[]> {
  await finalizeJob(rec.env, message);
  return rec.take() as Finalize[];
}

/** The bucket, but the consumer dies at the merge's first write (the old single object's delete), before completing the job. */
function deleteDies(): R2Bucket {
  return new Proxy(env.FILES, {
    get(target, property) {
      if (property === "delete") return async () => Promise.reject(new Error("isolate evicted"));
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function resultOf(key: string, jobId: string) {
  const state = (await (await call(`/api/v1/jobs/${jobId}`, { key })).json()) as any;
  const result = (await (await call(`/api/v1/jobs/${jobId}/result`, { key })).json()) as any;
  const issues = (await (await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson`, { key })).text()).split("\n").filter(Boolean);
  return { state, summary: result.summary as ValidationSummary, issues };
}

async function facts(accountId: string, jobId: string, partition: number) {
  const object = await env.FILES.get(jobObjects.uniqueFacts(accountId, jobId, partition));
  return object ? ((await object.json()) as { flipped: number[]; perItem: Record<string, { rows: number[] }> }) : null;
}

describe("finalize, one message per uniqueness partition", () => {
  it("counts a row flipped by duplicates in several partitions once, and an `each` rule's row once per rule", async () => {
    const { accountId, key, job, rec, list, fanOut: message } = await chunkedJob();
    const partitions = await fanOut(rec, message);
    expect(partitions.map((m) => m.partition)).toEqual([0, 1, 2, 3]);
    for (const m of partitions) await finalizeJob(rec.env, m);
    expect(rec.take()).toEqual([]);

    const { state, summary, issues } = await resultOf(key, job.id);
    expect(state.status).toBe("completed");
    const expected = oracle(list);
    expect(summary).toEqual(expected);
    expect(issues).toHaveLength(expected.issues.total);

    // The case is real: some row was flipped, and some row's images counted, in more than one partition
    // (the last partition merged from memory and wrote no facts; the three before it did).
    const written = await Promise.all([0, 1, 2].map((p) => facts(accountId, job.id, p)));
    const seen = (rows: number[][]) => {
      const times = new Map<number, number>();
      for (const r of rows.flat()) times.set(r, (times.get(r) ?? 0) + 1);
      return Math.max(...times.values());
    };
    expect(seen(written.map((f) => f!.flipped))).toBeGreaterThan(1);
    expect(seen(written.map((f) => f!.perItem["p.images.unique"]?.rows ?? []))).toBeGreaterThan(1);
    expect(await facts(accountId, job.id, 3)).toBeNull();
    const objects = await listKeys(env.FILES, jobObjects.issuesPrefix(accountId, job.id));
    expect(objects.filter((k) => k.includes("zz-unique")).map((k) => k.slice(k.lastIndexOf("/") + 1))).toEqual([0, 1, 2, 3].map((p) => `zz-unique-00000${p}.ndjson`));
  });

  it("stays exact when the fan-out and partition messages arrive twice, out of order, and after the merge", async () => {
    const { key, job, rec, list, fanOut: message } = await chunkedJob();
    const first = await fanOut(rec, message);
    const second = await fanOut(rec, message);
    expect(second).toEqual(first);
    // Partition 2 twice before the others, then the rest backwards.
    await finalizeJob(rec.env, first[2]);
    await finalizeJob(rec.env, second[2]);
    // A fan-out now re-sends only the partitions not compared.
    expect((await fanOut(rec, message)).map((m) => m.partition)).toEqual([0, 1, 3]);
    for (const m of [first[3], first[1], second[1], first[0]]) await finalizeJob(rec.env, m);
    const done = await resultOf(key, job.id);
    expect(done.state.status).toBe("completed");
    expect(done.summary).toEqual(oracle(list));

    // After the merge: late partitions and fan-outs change nothing and send nothing.
    for (const m of [second[0], second[3], message]) await finalizeJob(rec.env, m);
    expect(rec.take()).toEqual([]);
    const after = await resultOf(key, job.id);
    expect(after.summary).toEqual(done.summary);
    expect(after.issues).toEqual(done.issues);
  });

  /**
   * Partitions 2 and 3 run at once: both read the coordinator before either is counted, so both
   * record their facts and the one counted last merges; its consumer dies before completing the job.
   */
  async function lastPartitionDies() {
    const job = await chunkedJob();
    const { rec } = job;
    const partitions = await fanOut(rec, job.fanOut);
    for (const m of partitions.slice(0, 2)) await finalizeJob(rec.env, m);
    const coord = coordinator(rec.env, job.job.id);
    const stale = await coord.finalizeInput();
    expect(stale.pending).toEqual([2, 3]);
    await finalizeJob(rec.env, partitions[2]);
    const concurrent = {
      ...rec.env,
      JOB_COORDINATOR: {
        idFromName: (name: string) => rec.env.JOB_COORDINATOR.idFromName(name),
        get: (id: DurableObjectId) => {
          const stub = rec.env.JOB_COORDINATOR.get(id);
          return new Proxy(stub, { get: (s, name) => (name === "finalizeInput" ? async () => stale : Reflect.get(s, name)) });
        },
      },
      FILES: deleteDies(),
    } as unknown as Env;
    await expect(finalizeJob(concurrent, partitions[3])).rejects.toThrow("isolate evicted");
    expect((await coord.finalizeInput()).pending).toEqual([]);
    expect((await resultOf(job.key, job.job.id)).state.status).toBe("running");
    return { ...job, partitions };
  }

  it("merges when the message that completed the set died before merging: its redelivery does it", async () => {
    const { key, job, rec, list, partitions } = await lastPartitionDies();
    await finalizeJob(rec.env, partitions[3]);
    const { state, summary } = await resultOf(key, job.id);
    expect(state.status).toBe("completed");
    expect(summary).toEqual(oracle(list));
  });

  it("merges when the message that completed the set died before merging: the alarm's fan-out does it", async () => {
    const { key, job, rec, list, fanOut: message } = await lastPartitionDies();
    // The watchdog finds finalize stalled and re-sends the partition-less message.
    await runCoordinatorAlarm(env as unknown as Env, job.id, LEASE_MS + 60_000, rec.queue);
    const resent = rec.take().filter((m) => m.kind === "finalize");
    expect(resent).toEqual([message]);
    await finalizeJob(rec.env, resent[0] as Finalize);
    expect(rec.take().filter((m) => m.kind === "finalize")).toEqual([]);
    const { state, summary } = await resultOf(key, job.id);
    expect(state.status).toBe("completed");
    expect(summary).toEqual(oracle(list));
  });

  it("finishes a job whose last partition died before merging from memory: the fan-out (as the alarm re-sends it) compares it", async () => {
    const { key, job, rec, list, fanOut: message } = await chunkedJob();
    const partitions = await fanOut(rec, message);
    for (const m of partitions.slice(0, 3)) await finalizeJob(rec.env, m);
    const dying = {
      ...rec.env,
      FILES: deleteDies(),
    } as Env;
    await expect(finalizeJob(dying, partitions[3])).rejects.toThrow("isolate evicted");
    // The last partition merges without being counted: it is still pending, and the fan-out compares it in place.
    expect((await coordinator(rec.env, job.id).finalizeInput()).pending).toEqual([3]);
    await finalizeJob(rec.env, message);
    expect(rec.take()).toEqual([]);
    const { state, summary } = await resultOf(key, job.id);
    expect(state.status).toBe("completed");
    expect(summary).toEqual(oracle(list));
  });

  it("compares a lost partition's objects again when its facts are missing at the merge", async () => {
    const { accountId, key, job, rec, list, fanOut: message } = await chunkedJob();
    const partitions = await fanOut(rec, message);
    for (const m of partitions.slice(0, 3)) await finalizeJob(rec.env, m);
    await env.FILES.delete(jobObjects.uniqueFacts(accountId, job.id, 1));
    await finalizeJob(rec.env, partitions[3]);
    const { state, summary } = await resultOf(key, job.id);
    expect(state.status).toBe("completed");
    expect(summary).toEqual(oracle(list));
  });

  it("reads a job finalized before the split (issues/zz-unique.ndjson), and drops that object when a job half-finalized then is merged", async () => {
    const { accountId, key, job, rec, fanOut: message } = await chunkedJob();
    for (const m of await fanOut(rec, message)) await finalizeJob(rec.env, m);
    const split = await resultOf(key, job.id);
    // As the old finalize step stored them: every partition's duplicates in one object.
    const prefix = jobObjects.issuesPrefix(accountId, job.id);
    const parts = (await listKeys(env.FILES, prefix)).filter((k) => k.includes("zz-unique-"));
    const texts = await Promise.all(parts.map(async (k) => (await env.FILES.get(k))!.text()));
    await env.FILES.put(jobObjects.legacyUniqueIssues(accountId, job.id), texts.join(""));
    await Promise.all(parts.map((k) => env.FILES.delete(k)));
    const old = await resultOf(key, job.id);
    expect(old.issues).toEqual(split.issues);
    expect(old.issues.filter((l) => JSON.parse(l).rule === "p.sku.unique").length).toBeGreaterThan(0);

    // An old delivery wrote the single object and died before completing the job; the new merge must not list both.
    const other = await chunkedJob();
    await other.rec.env.FILES.put(jobObjects.legacyUniqueIssues(other.accountId, other.job.id), texts.join(""));
    for (const m of await fanOut(other.rec, other.fanOut)) await finalizeJob(other.rec.env, m);
    const merged = await resultOf(other.key, other.job.id);
    expect(merged.issues).toHaveLength(oracle(other.list).issues.total);
    expect(await env.FILES.head(jobObjects.legacyUniqueIssues(other.accountId, other.job.id))).toBeNull();
  });
});
