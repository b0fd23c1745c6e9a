import { describe, expect, it } from "vitest";
import { call, expectProblem, newAccount } from "../helpers";

describe("API keys", () => {
  it("creates, lists and revokes keys; a revoked key fails on its next request", async () => {
    const { key, keyId } = await newAccount();
    const created = await call("/api/v1/api-keys", { method: "POST", key, json: { name: "ERP integration" } });
    expect(created.status).toBe(201);
    const second = (await created.json()) as any;
    expect(second.key).toMatch(/^vt_test_/);

    const list = await call("/api/v1/api-keys", { key });
    const page = (await list.json()) as any;
    expect(page.has_more).toBe(false);
    expect(page.data.map((k: any) => k.id)).toEqual([second.id, keyId]);
    const listed = JSON.stringify(page);
    expect(listed).not.toContain(second.key);
    expect(listed).not.toMatch(/"(key|hash)"/);

    expect((await call("/api/v1/account", { key: second.key })).status).toBe(200);
    const revoked = await call(`/api/v1/api-keys/${second.id}`, { method: "DELETE", key });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as any).revoked_at).toEqual(expect.any(String));
    await expectProblem(await call("/api/v1/account", { key: second.key }), 401, "unauthorized");

    const again = await call(`/api/v1/api-keys/${second.id}`, { method: "DELETE", key });
    expect(again.status).toBe(200);
  });

  it("paginates with limit and starting_after", async () => {
    const { key } = await newAccount();
    for (const name of ["a", "b", "c"]) await call("/api/v1/api-keys", { method: "POST", key, json: { name } });
    const first = (await (await call("/api/v1/api-keys?limit=2", { key })).json()) as any;
    expect(first.data.map((k: any) => k.name)).toEqual(["c", "b"]);
    expect(first.has_more).toBe(true);
    const next = (await (await call(`/api/v1/api-keys?limit=2&starting_after=${first.data[1].id}`, { key })).json()) as any;
    expect(next.data.map((k: any) => k.name)).toEqual(["a", "Default key"]);
    expect(next.has_more).toBe(false);
  });

  it("rejects an out-of-range limit naming the parameter", async () => {
    const { key } = await newAccount();
    const problem = await expectProblem(await call("/api/v1/api-keys?limit=1000", { key }), 400);
    expect(problem.errors?.[0].parameter).toBe("limit");
  });
});
