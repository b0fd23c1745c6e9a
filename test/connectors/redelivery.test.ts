import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import { startSync } from "../../src/services/connectors/sync";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { call, env, newAccount } from "../helpers";
import { connectedStore, newSeller, syncAndWait } from "./helpers";

/** The job queues replaced by a recorder, so the test decides which step runs when, and how often. */
function recordingEnv() {
  const sent: JobMessage[] = [];
  const queue = { sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: JobMessage) => void sent.push(body) } as unknown as Queue;
  const recording = { ...(env as unknown as Env), JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue };
  const take = <K extends JobMessage["kind"]>(kind: K) => {
    const taken = sent.filter((m): m is Extract<JobMessage, { kind: K }> => m.kind === kind);
    sent.splice(0, sent.length, ...sent.filter((m) => m.kind !== kind));
    return taken;
  };
  return { env: recording, take };
}

describe("a sync under redelivery", () => {
  it("counts every record once when the queue delivers plan, chunk and finalize steps twice", async () => {
    const items = 700;
    // The oracle: the same catalog synced normally by another account.
    const reference = await newAccount();
    const referenceJob = await syncAndWait(reference.key, (await connectedStore(reference.key, await newSeller({ generate: items }))).id, { apply_fixes: true });
    expect(referenceJob.status).toBe("completed");

    const { key, accountId } = await newAccount();
    const seller = await newSeller({ generate: items });
    const connector = await connectedStore(key, seller);
    const rec = recordingEnv();
    const job = await startSync(rec.env, accountId, connector.id, { applyFixes: true, push: "none", trigger: "api", locale: "en" });

    // Plan steps (the listing may take several), each delivered twice.
    for (let plans = rec.take("plan"); plans.length; plans = rec.take("plan")) {
      for (const message of plans) {
        await planJob(rec.env, message);
        await planJob(rec.env, message);
      }
    }
    const chunks = rec.take("chunk");
    expect(chunks.length).toBeGreaterThan(1);
    // Every chunk twice, the first one a third time after the others.
    for (const message of [...chunks, ...chunks, chunks[0]]) await runChunk(rec.env, message);
    const finalize = rec.take("finalize");
    expect(finalize.length).toBeGreaterThanOrEqual(1);
    await finalizeJob(rec.env, finalize[0]);
    await finalizeJob(rec.env, finalize[0]);

    const state = (await (await call(`/api/v1/jobs/${job.id}`, { key })).json()) as any;
    expect(state.status).toBe("completed");
    expect(state.counts).toEqual(referenceJob.counts);
    expect(state.progress).toMatchObject({ rows_total: items, rows_processed: items, chunks_done: chunks.length });

    // One connector.synced for the job, however often its end was reported.
    const events = (await (await call(`/api/v1/events?type=connector.synced`, { key })).json()) as any;
    expect(events.data.filter((e: any) => e.data.job_id === job.id)).toHaveLength(1);
    const connectorNow = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(connectorNow.sync).toMatchObject({ running_job_id: null, last_job_id: job.id, last_status: "succeeded" });
  });
});
