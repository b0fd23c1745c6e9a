import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import { startSync } from "../../src/services/connectors/sync";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { call, env, newAccount } from "../helpers";
import { connectedStore, newSeller, syncAndWait } from "./helpers";
import { partitioned } from "../queues/partitioned";
import { generateItems } from "../fakes/mercadolivre";

/** The job queues replaced by a recorder, so the test decides which step runs when, and how often. */
function recordingEnv(partitions?: number) {
  const sent: JobMessage[] = [];
  const queue = { sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: JobMessage) => void sent.push(body) } as unknown as Queue;
  const base = env as unknown as Env;
  const recording = { ...base, JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue, ...(partitions ? { JOB_COORDINATOR: partitioned(base.JOB_COORDINATOR, partitions) } : {}) };
  const take = <K extends JobMessage["kind"]>(kind: K) => {
    const taken = sent.filter((m): m is Extract<JobMessage, { kind: K }> => m.kind === kind);
    sent.splice(0, sent.length, ...sent.filter((m) => m.kind !== kind));
    return taken;
  };
  return { env: recording, take };
}

describe("a sync under redelivery", () => {
  it.each([
    ["one uniqueness partition", undefined],
    ["three uniqueness partitions (one finalize message each)", 3],
  ])("counts every record once when the queue delivers plan, chunk and finalize steps twice: %s", async (_name, partitions) => {
    const items = 700;
    // 150 more listings reusing the first SKUs: duplicates the finalize step finds across chunks.
    const sellerWithDuplicates = async () => {
      const seller = await newSeller();
      const catalog = { generate: items, items: generateItems(seller.userId, 150, 800_000_000) };
      const res = await fetch(`https://control.mercadolibre.test/sellers/${seller.userId}`, { method: "PUT", body: JSON.stringify(catalog) });
      expect(res.status).toBe(204);
      return seller;
    };
    // The oracle: the same catalog synced normally by another account.
    const reference = await newAccount();
    const referenceJob = await syncAndWait(reference.key, (await connectedStore(reference.key, await sellerWithDuplicates())).id, { apply_fixes: true });
    expect(referenceJob.status).toBe("completed");

    const { key, accountId } = await newAccount();
    const seller = await sellerWithDuplicates();
    const connector = await connectedStore(key, seller);
    const rec = recordingEnv(partitions);
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
    // Every finalize message twice, the fan-out's partition messages included.
    for (let batch = finalize; batch.length; batch = rec.take("finalize")) {
      for (const message of batch) {
        await finalizeJob(rec.env, message);
        await finalizeJob(rec.env, message);
      }
    }

    const state = (await (await call(`/api/v1/jobs/${job.id}`, { key })).json()) as any;
    expect(state.status).toBe("completed");
    expect(state.counts).toEqual(referenceJob.counts);
    expect(state.progress).toMatchObject({ rows_total: items + 150, rows_processed: items + 150, chunks_done: chunks.length });
    // The keys "what changed since the last sync" is counted from: the duplicates' keys stored by each partition.
    const keys = (id: string) =>
      env.DB.prepare("SELECT count(*) AS n, coalesce(sum(key LIKE '%unique%'), 0) AS dup FROM connector_sync_keys WHERE job_id = ?1").bind(id).first<{ n: number; dup: number }>();
    const [mine, theirs] = await Promise.all([keys(job.id), keys(referenceJob.id)]);
    expect(mine).toEqual(theirs);
    expect(mine!.dup).toBeGreaterThan(0);

    // One connector.synced for the job, however often its end was reported.
    const events = (await (await call(`/api/v1/events?type=connector.synced`, { key })).json()) as any;
    expect(events.data.filter((e: any) => e.data.job_id === job.id)).toHaveLength(1);
    const connectorNow = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(connectorNow.sync).toMatchObject({ running_job_id: null, last_job_id: job.id, last_status: "succeeded" });
  });
});
