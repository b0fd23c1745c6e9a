import { describe, expect, it } from "vitest";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { PIPELINE_PACK } from "../fixtures/catalog";
import { call, createPack, newAccount, waitForJob } from "../helpers";

async function subscribe(key: string, url: string, events: string[]) {
  const res = await call("/api/v1/webhooks", { method: "POST", key, json: { url, events } });
  expect(res.status).toBe(201);
  return (await res.json()) as any;
}

describe("a job's events reach the seller's systems", () => {
  it("a completed job with fixes fires job.status_changed, validation.completed and correction.applied to subscribed endpoints only", async () => {
    const { key } = await newAccount();
    const other = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const everything = await fakeReceiver();
    const completions = await fakeReceiver();
    const strangers = await fakeReceiver();
    await subscribe(key, everything.url, ["*"]);
    await subscribe(key, completions.url, ["validation.completed"]);
    await subscribe(other.key, strangers.url, ["*"]);

    const records = [
      { sku: "A", title: "Caneca", price: "29,90" },
      { sku: "B", title: "Camiseta", price: "0" },
    ];
    const job = (await (await call("/api/v1/jobs", { method: "POST", key, json: { source: { records }, rule_pack: "pipeline-test", options: { apply_fixes: true } } })).json()) as any;
    expect((await waitForJob(key, job.id)).status).toBe("completed");

    // queued → running → completed: two status changes, then the completion and the corrections.
    const all = await everything.waitForRequests(4);
    const types = all.map((r: any) => JSON.parse(r.body).type).sort();
    expect(types).toEqual(["correction.applied", "job.status_changed", "job.status_changed", "validation.completed"]);
    const completed = JSON.parse(all.find((r: any) => JSON.parse(r.body).type === "validation.completed")!.body);
    expect(completed.data).toMatchObject({ job_id: job.id, counts: { records: 2, valid: 1, invalid: 1, corrected: 1 } });

    const onlyCompletions = await completions.waitForRequests(1);
    expect(onlyCompletions.map((r: any) => JSON.parse(r.body).type)).toEqual(["validation.completed"]);
    expect(await strangers.requests()).toEqual([]);

    const events = (await (await call(`/api/v1/events?type=validation.completed`, { key })).json()) as any;
    expect(events.data.map((e: any) => e.data.job_id)).toEqual([job.id]);
  });
});
