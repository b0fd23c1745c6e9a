import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, newAccount, waitForJob } from "../helpers";

describe("a job's status and its results agree", () => {
  it("reads as running, not completed, until its row is written, so results never answer 409 after completed", async () => {
    const { key } = await newAccount();
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: [{ sku: "A1", title: "Camiseta básica", price: 10 }] }, rule_pack: "common" } });
    const { id } = (await created.json()) as { id: string };
    expect((await waitForJob(key, id)).status).toBe("completed");
    expect((await call(`/api/v1/jobs/${id}/result/issues`, { key })).status).toBe(200);

    // The moment between the coordinator ending the job and syncJob writing its row.
    await env.DB.prepare("UPDATE jobs SET status = 'running' WHERE id = ?1").bind(id).run();
    expect(((await (await call(`/api/v1/jobs/${id}`, { key })).json()) as any).status).toBe("running");
    expect((await call(`/api/v1/jobs/${id}/result/issues`, { key })).status).toBe(409);
  });
});
