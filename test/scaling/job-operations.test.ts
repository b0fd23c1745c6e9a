import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { BASE, call, newAccount } from "../helpers";
import { type Counts, countingEnv, emptyCounts } from "./counting-env";

/**
 * What each step of a file job costs the shared resources, counted: the job-queue messages are
 * kept instead of delivered, and each one is then run by the Worker's own queue handler with
 * counting bindings, one message per batch so every count belongs to one step. docs/scaling.md
 * multiplies these counts by traffic; the bounds below keep a step from quietly growing.
 */

interface Step {
  kind: string;
  counts: Counts;
}

/** Runs every kept message (and the ones they lead to) to the end, one per batch. */
async function drain(messages: unknown[]): Promise<Step[]> {
  const steps: Step[] = [];
  let n = 0;
  while (messages.length > 0) {
    const body = messages.shift() as { kind: string };
    const counts = emptyCounts();
    const env = countingEnv(counts, { jobMessages: messages });
    const batch = createMessageBatch("vitrine-jobs", [{ id: `m${n++}`, timestamp: new Date(), attempts: 1, body }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages, `${body.kind} asked to be retried`).toEqual([]);
    steps.push({ kind: body.kind, counts });
  }
  return steps;
}

/** 120 rows in three chunks (the tests run with JOB_CHUNK_ROWS 50). */
const RECORDS = Array.from({ length: 120 }, (_, i) => ({
  sku: i === 7 ? "SKU-3" : `SKU-${i}`,
  title: `Tênis Olympikus Corre 3 número ${36 + (i % 8)}`,
  price: 299.9,
  stock: 4,
  condition: "new",
  brand: "Olympikus",
  images: ["https://cdn.lojadagabi.com.br/corre3.jpg"],
}));

const tally = (list: string[]) => list.reduce<Record<string, number>>((t, x) => ({ ...t, [x]: (t[x] ?? 0) + 1 }), {});

describe("what each step of a three-chunk job costs the shared resources", () => {
  it("plan, chunk and finalize stay within their counted D1, Durable Object and R2 operations", async () => {
    const { key } = await newAccount();
    const messages: unknown[] = [];
    const created = emptyCounts();
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ source: { records: RECORDS }, rule_pack: "common", options: { apply_fixes: true } }),
      }),
      countingEnv(created, { jobMessages: messages }),
      ctx,
    );
    expect(res.status, await res.clone().text()).toBe(202);
    const job = (await res.json()) as { id: string };
    await waitOnExecutionContext(ctx);

    const steps = await drain(messages);
    const finished = (await (await call(`/api/v1/jobs/${job.id}`, { key })).json()) as { status: string; counts: { records: number } };
    expect(finished.status).toBe("completed");
    expect(finished.counts.records).toBe(120);

    const report = [{ kind: "create", counts: created }, ...steps].map(
      (s) => `${s.kind}: D1 ${JSON.stringify(tally(s.counts.d1))}, DO ${JSON.stringify(tally(s.counts.durableObjects))}, R2 ${JSON.stringify(tally(s.counts.r2))}, queues ${JSON.stringify(tally(s.counts.queues))}`,
    );
    console.log(report.join("\n"));
    expect(steps.map((s) => s.kind)).toEqual(["plan", "chunk", "chunk", "chunk", "finalize"]);

    // Today's counts are the bounds: raising one is a decision to write down in docs/scaling.md.
    expect(created.d1.length).toBeLessThanOrEqual(6);
    const [plan, ...rest] = steps;
    const chunks = rest.filter((s) => s.kind === "chunk");
    const finalize = rest[rest.length - 1];
    expect(plan.counts.d1.length).toBeLessThanOrEqual(6);
    expect(plan.counts.durableObjects.length).toBeLessThanOrEqual(7);
    for (const chunk of chunks) {
      // Per chunk, whatever its size: a few statements, a few coordinator calls, one ranged read,
      // and one write each for issues, corrected rows and the uniqueness keys (one partition here).
      expect(chunk.counts.d1.length).toBeLessThanOrEqual(7);
      expect(chunk.counts.d1.filter((v) => v !== "select").length).toBeLessThanOrEqual(3);
      expect(chunk.counts.durableObjects.length).toBeLessThanOrEqual(5);
      expect(tally(chunk.counts.r2)).toEqual({ "FILES.get": 1, "FILES.put": 3 });
    }
    // 11: the job's end is counted for the operator's KPIs in the same batch as its status (src/services/kpis.ts).
    expect(finalize.counts.d1.length).toBeLessThanOrEqual(11);
    expect(finalize.counts.durableObjects.length).toBeLessThanOrEqual(6);
    // One partition here, so finalize compares it in place: one GET per chunk, its duplicates written once
    // (with more partitions each gets its own message, with the same GETs per chunk: docs/scaling.md).
    expect(tally(finalize.counts.r2)).toMatchObject({ "FILES.get": chunks.length * 1, "FILES.put": 1 });
  });
});
