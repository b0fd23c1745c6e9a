import { describe, expect, it } from "vitest";
import { PIPELINE_PACK } from "../fixtures/catalog";
import { call, createPack, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

describe("jobs and results are invisible to other accounts", () => {
  it("answers 404 for every job route, and never lists or cancels another account's job", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    await createPack(alice.key, PIPELINE_PACK);
    const job = (await (
      await call("/api/v1/jobs", { method: "POST", key: alice.key, json: { source: { records: [{ sku: "1", title: "x", price: "1" }] }, rule_pack: "pipeline-test", options: { apply_fixes: true } } })
    ).json()) as any;
    await waitForJob(alice.key, job.id);

    for (const path of ["", "/result", "/result/issues?format=ndjson", "/result/issues?format=json", "/result/corrected"]) {
      await expectProblem(await call(`/api/v1/jobs/${job.id}${path}`, { key: bob.key }), 404, "not-found");
    }
    await expectProblem(await call(`/api/v1/jobs/${job.id}`, { method: "DELETE", key: bob.key }), 404, "not-found");
    expect(((await (await call("/api/v1/jobs", { key: bob.key })).json()) as any).data).toEqual([]);
    expect(((await (await call(`/api/v1/jobs/${job.id}`, { key: alice.key })).json()) as any).status).toBe("completed");
  });

  it("cannot validate another account's file or use its custom pack", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    await createPack(alice.key, PIPELINE_PACK);
    const file = await uploadFile(alice.key, "sku;title\r\n1;Caneca\r\n", "c.csv");
    await expectProblem(await call("/api/v1/jobs", { method: "POST", key: bob.key, json: { source: { file_id: file.id }, rule_pack: "common" } }), 404);
    await expectProblem(await call("/api/v1/jobs", { method: "POST", key: bob.key, json: { source: { records: [{ sku: "1" }] }, rule_pack: "pipeline-test" } }), 404);
  });

  it("refuses inline batches beyond the limit, pointing to files", async () => {
    const { key } = await newAccount();
    const records = Array.from({ length: 10_001 }, (_, i) => ({ sku: String(i) }));
    const problem = await expectProblem(await call("/api/v1/jobs", { method: "POST", key, json: { source: { records }, rule_pack: "common" } }), 400);
    expect(problem.errors?.some((e) => e.pointer?.startsWith("/source"))).toBe(true);
  });
});
