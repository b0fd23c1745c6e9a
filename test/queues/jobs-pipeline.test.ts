import { createMessageBatch, createExecutionContext, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { coordinator, createJob, syncJob } from "../../src/services/jobs/jobs";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { call, createPack, env, newAccount, uploadFile } from "../helpers";

/**
 * These tests drive the pipeline step by step: the queues are replaced by recorders, so
 * each test decides which message runs when, twice, or fails half-way.
 */
function recordingEnv(overrides: Partial<Env> = {}) {
  const sent: JobMessage[] = [];
  const queue = { sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: JobMessage) => void sent.push(body) } as unknown as Queue;
  const recording = { ...(env as unknown as Env), JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue, ...overrides };
  return { env: recording, sent, take: (kind: JobMessage["kind"]) => sent.filter((m) => m.kind === kind) };
}

async function plannedJob(rows = 230) {
  const account = await newAccount();
  await createPack(account.key, PIPELINE_PACK);
  const file = await uploadFile(account.key, catalogCsv(sellerCatalog(rows)), "c.csv");
  const rec = recordingEnv();
  const job = await createJob(
    rec.env,
    { accountId: account.accountId },
    { source: { file_id: file.id }, rulePack: "pipeline-test", applyFixes: false, locale: "en" },
  );
  await planJob(rec.env, rec.take("plan")[0] as Extract<JobMessage, { kind: "plan" }>);
  return { ...account, job, rec, chunks: rec.take("chunk") as Extract<JobMessage, { kind: "chunk" }>[] };
}

async function jobState(key: string, id: string) {
  return (await (await call(`/api/v1/jobs/${id}`, { key })).json()) as any;
}

describe("the jobs pipeline under redelivery and failure", () => {
  it("counts each chunk once however often the queue delivers it", async () => {
    const { key, job, rec, chunks } = await plannedJob();
    expect(chunks.map((c) => c.chunk)).toEqual([0, 1, 2, 3, 4]);
    for (const message of [...chunks, chunks[1], chunks[3]]) await runChunk(rec.env, message);
    const finalize = rec.take("finalize");
    expect(finalize).toHaveLength(1);
    await finalizeJob(rec.env, finalize[0] as Extract<JobMessage, { kind: "finalize" }>);
    await finalizeJob(rec.env, finalize[0] as Extract<JobMessage, { kind: "finalize" }>);
    await runChunk(rec.env, chunks[2]);
    const state = await jobState(key, job.id);
    expect(state.status).toBe("completed");
    expect(state.counts.records).toBe(230);
    expect(state.progress.chunks_done).toBe(5);

    const oracle = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "pipeline-test", records: sellerCatalog(230) } })).json()) as any;
    expect(state.counts.issues).toEqual(oracle.summary.issues);
    expect(state.counts.invalid).toBe(oracle.summary.invalid);
  });

  it("keeps counts exact when a consumer dies half-way through a chunk, and completes on retry", async () => {
    const { key, job, rec, chunks } = await plannedJob(120);
    let failures = 0;
    const flaky = {
      ...(env.FILES as unknown as R2Bucket),
      get: (...args: Parameters<R2Bucket["get"]>) => env.FILES.get(...args),
      list: (...args: Parameters<R2Bucket["list"]>) => env.FILES.list(...args),
      put: async (...args: Parameters<R2Bucket["put"]>) => {
        // Fail the first write of chunk 1's issues: the rows were read and validated, nothing was reported.
        if (String(args[0]).endsWith("issues/000001.ndjson") && failures++ === 0) throw new Error("isolate evicted");
        return env.FILES.put(...args);
      },
    } as unknown as R2Bucket;
    const broken = { ...rec.env, FILES: flaky };
    await runChunk(broken, chunks[0]);
    await expect(runChunk(broken, chunks[1])).rejects.toThrow("isolate evicted");
    expect((await jobState(key, job.id)).progress.chunks_done).toBe(1);
    await runChunk(broken, chunks[1]);
    await runChunk(broken, chunks[2]);
    for (const f of rec.take("finalize")) await finalizeJob(rec.env, f as Extract<JobMessage, { kind: "finalize" }>);
    const state = await jobState(key, job.id);
    expect(state.status).toBe("completed");
    expect(state.counts.records).toBe(120);
    const oracle = (await (await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "pipeline-test", records: sellerCatalog(120) } })).json()) as any;
    expect(state.counts.issues).toEqual(oracle.summary.issues);
  });

  it("skips chunks not yet processed once the job is cancelled", async () => {
    const { key, job, rec, chunks } = await plannedJob();
    await runChunk(rec.env, chunks[0]);
    const cancelled = await call(`/api/v1/jobs/${job.id}`, { method: "DELETE", key });
    expect(((await cancelled.json()) as any).status).toBe("cancelled");
    for (const message of chunks.slice(1)) await runChunk(rec.env, message);
    const state = await jobState(key, job.id);
    expect(state.status).toBe("cancelled");
    expect(state.progress.chunks_done).toBe(1);
    expect(state.counts.records).toBe(50);
    const again = await call(`/api/v1/jobs/${job.id}`, { method: "DELETE", key });
    expect(((await again.json()) as any).status).toBe("cancelled");
  });

  it("re-enqueues a chunk whose lease expired (the consumer vanished) and fails after repeated failures", async () => {
    const { key, job, rec, chunks } = await plannedJob(60);
    const stub = coordinator(rec.env, job.id);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const lease = await stub.lease(0);
      expect(lease.ok).toBe(true);
      await stub.chunkFailed(0, `boom ${attempt}`);
      // As runChunk does after every failure: the row follows the coordinator.
      await syncJob(rec.env, job.id);
    }
    await runChunk(rec.env, chunks[0]);
    const state = await jobState(key, job.id);
    expect(state.status).toBe("failed");
    expect(state.error).toMatchObject({ code: "chunk_failed" });
    expect(state.error.message).toContain("boom 5");
  });

  it("records dead-lettered messages and fails their job", async () => {
    const { key, job } = await plannedJob(60);
    const batch = createMessageBatch("vitrine-dlq", [
      { id: "msg-1", timestamp: new Date(), attempts: 1, body: { kind: "chunk", job_id: job.id, account_id: "x", chunk: 0 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as unknown as Env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["msg-1"]);
    const state = await jobState(key, job.id);
    expect(state.status).toBe("failed");
    expect(state.error.code).toBe("dead_lettered");
    const row = await env.DB.prepare("SELECT queue, job_id FROM dead_letters WHERE id = 'msg-1'").first();
    expect(row).toEqual({ queue: "vitrine-dlq", job_id: job.id });
  });
});
