import { describe, expect, it } from "vitest";
import { call, createPack, env, expectProblem, newAccount } from "../helpers";

const yaml = (text: string) => ({ body: text, headers: { "content-type": "application/yaml" } });
const put = (key: string, id: string, text: string) => call(`/api/v1/rule-packs/${id}`, { method: "PUT", key, ...yaml(text) });

const PARENT = `
id: loja-base
name: Base
version: "1"
extends: common
rules:
  - id: base.title.required
    field: title
    check: required
`;

const CHILD = `
id: loja-filha
name: Filha
version: "1"
extends: loja-base
rules:
  - id: filha.sku.required
    field: sku
    check: required
`;

describe("editing a pack that others extend", () => {
  it("refuses a parent revision that reuses a child's rule id, naming the child and the line", async () => {
    const { key } = await newAccount();
    await createPack(key, PARENT);
    await createPack(key, CHILD);
    const clash = `${PARENT}
  - id: filha.sku.required
    field: sku
    check: required
`;
    const problem = await expectProblem(await put(key, "loja-base", clash), 422, "invalid-rule-pack");
    const error = problem.errors!.find((e) => e.detail.includes("loja-filha"));
    expect(error?.detail).toContain("would break pack loja-filha");
    expect((error as { line?: number }).line).toEqual(expect.any(Number));
    // Nothing was saved: the child still compiles and the listing is whole.
    expect((await call("/api/v1/rule-packs/loja-filha", { key })).status).toBe(200);
  });

  it("refuses a parent revision whose extends pushes a child past the depth limit", async () => {
    const { key } = await newAccount();
    const chain = ["p1", "p2", "p3", "p4"];
    let parent = "common";
    for (const id of chain) {
      await createPack(key, `id: ${id}\nname: ${id}\nversion: "1"\nextends: ${parent}\nrules: []\n`);
      parent = id;
    }
    await createPack(key, `id: leaf\nname: leaf\nversion: "1"\nextends: p4\nrules: []\n`);
    // p1 now extends one more pack: leaf → p4 → p3 → p2 → p1 → extra → common is deeper than allowed.
    await createPack(key, `id: extra\nname: extra\nversion: "1"\nextends: common\nrules: []\n`);
    const problem = await expectProblem(await put(key, "p1", `id: p1\nname: p1\nversion: "2"\nextends: extra\nrules: []\n`), 422, "invalid-rule-pack");
    expect(problem.errors!.some((e) => e.detail.includes("would break pack leaf"))).toBe(true);
  });

  it("lists every pack even when one no longer compiles, saying why", async () => {
    const { key, accountId } = await newAccount();
    await createPack(key, PARENT);
    await createPack(key, CHILD);
    // A revision saved before dependents were checked: written straight to the database.
    const clash = `${PARENT}\n  - id: filha.sku.required\n    field: sku\n    check: required\n`;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO rule_pack_revisions (account_id, pack_id, revision, source, format, created_at) VALUES (?, 'loja-base', 2, ?, 'yaml', ?)").bind(accountId, clash, Date.now()),
      env.DB.prepare("UPDATE rule_packs SET revision = 2 WHERE account_id = ? AND pack_id = 'loja-base'").bind(accountId),
    ]);
    const res = await call("/api/v1/rule-packs", { key });
    expect(res.status).toBe(200);
    const packs = ((await res.json()) as any).data as any[];
    const child = packs.find((p) => p.id === "loja-filha");
    expect(child).toMatchObject({ rule_count: null, problem: expect.stringContaining("filha.sku.required") });
    expect(packs.find((p) => p.id === "loja-base")).not.toHaveProperty("problem");
  });
});

describe("concurrent saves", () => {
  it("answers 200 or 409 to parallel PUTs of one pack, never 500, and keeps revisions dense", async () => {
    const { key } = await newAccount();
    await createPack(key, PARENT);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put(key, "loja-base", PARENT.replace('version: "1"', `version: "1.${i}"`))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    for (const r of results.filter((r) => r.status === 409)) await expectProblem(r, 409, "conflict");
    const pack = (await (await call("/api/v1/rule-packs/loja-base", { key })).json()) as any;
    expect(pack.revision).toBe(1 + statuses.filter((s) => s === 200).length);
  });
});

describe("rule pack size", () => {
  it("says the limit in the unit that fits (256 KiB), whatever the declared type", async () => {
    const { key } = await newAccount();
    const big = `id: grande\nname: g\nversion: "1"\nrules: []\n# ${"x".repeat(300 * 1024)}\n`;
    const problem = await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, ...yaml(big) }), 413, "payload-too-large");
    expect(problem.detail).toContain("256 KiB");
  });
});
