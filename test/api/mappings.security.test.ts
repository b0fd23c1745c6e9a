import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linearSteps, STEP_BUDGET } from "../../src/core/regex";
import { MappingNotFoundError, resolveMapping } from "../../src/services/mappings";
import { CATASTROPHIC_PATTERNS } from "../fixtures/catastrophic-patterns";
import { call, env, expectProblem, newAccount } from "../helpers";

const MAPPING = {
  name: "Loja A",
  marketplace: "mercadolivre",
  fields: [
    { target: "title", source: "Nome" },
    { target: "price", source: "Preço", transforms: [{ op: "number", locale: "pt-BR" }] },
  ],
};

async function twoAccounts() {
  const a = await newAccount("Loja A");
  const b = await newAccount("Loja B");
  const res = await call("/api/v1/mappings", { method: "POST", key: a.key, json: MAPPING });
  expect(res.status).toBe(201);
  const mapping = (await res.json()) as { id: string };
  return { a, b, mapping };
}

describe("mappings: tenant isolation", () => {
  it("another account's mapping answers 404 everywhere, exactly like a missing one", async () => {
    const { b, mapping } = await twoAccounts();
    const id = mapping.id;
    for (const [path, init] of [
      [`/api/v1/mappings/${id}`, {}],
      [`/api/v1/mappings/${id}?version=1`, {}],
      [`/api/v1/mappings/${id}/versions`, {}],
      [`/api/v1/mappings/${id}`, { method: "PUT", json: MAPPING }],
      [`/api/v1/mappings/${id}`, { method: "DELETE" }],
      [`/api/v1/mappings/${id}/preview`, { method: "POST", json: { records: [{ Nome: "x", Preço: "1" }] } }],
      ["/api/v1/validate", { method: "POST", json: { mapping_id: id, records: [{ Nome: "x" }] } }],
      ["/api/v1/validate", { method: "POST", json: { mapping_id: id, mapping_version: 1, records: [{ Nome: "x" }] } }],
    ] as const) {
      const problem = await expectProblem(await call(path, { key: b.key, ...init }), 404, "not-found");
      expect(problem.detail, path).not.toContain("Loja A");
    }
  });

  it("lists show only the account's own mappings", async () => {
    const { a, b, mapping } = await twoAccounts();
    expect(((await (await call("/api/v1/mappings", { key: b.key })).json()) as any).data).toEqual([]);
    expect(((await (await call("/api/v1/mappings/mercadolivre", { key: b.key })).json()) as any).data).toEqual([]);
    expect(((await (await call("/api/v1/mappings/mercadolivre", { key: a.key })).json()) as any).data.map((m: any) => m.id)).toEqual([mapping.id]);
    // paging with another account's id as the cursor reveals nothing either
    expect(((await (await call(`/api/v1/mappings?starting_after=${mapping.id}`, { key: b.key })).json()) as any).data).toEqual([]);
  });

  it("B's failed edit and delete leave A's mapping untouched", async () => {
    const { a, b, mapping } = await twoAccounts();
    await call(`/api/v1/mappings/${mapping.id}`, { method: "PUT", key: b.key, json: { ...MAPPING, name: "hijacked" } });
    await call(`/api/v1/mappings/${mapping.id}`, { method: "DELETE", key: b.key });
    const mine = (await (await call(`/api/v1/mappings/${mapping.id}`, { key: a.key })).json()) as any;
    expect(mine).toMatchObject({ name: "Loja A", version: 1 });
  });

  it("resolveMapping (the jobs' entry point) is scoped by account, even once A's version is cached", async () => {
    const { a, b, mapping } = await twoAccounts();
    await expect(resolveMapping(env, a.accountId, mapping.id, 1)).resolves.toMatchObject({ id: mapping.id, version: 1 });
    await expect(resolveMapping(env, b.accountId, mapping.id, 1)).rejects.toBeInstanceOf(MappingNotFoundError);
    await expect(resolveMapping(env, b.accountId, mapping.id)).rejects.toBeInstanceOf(MappingNotFoundError);
  });

  it("a mapping cannot target another account's custom rule pack", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const pack = "id: pack-da-loja-a\nname: A\nversion: 1.0.0\nextends: mercadolivre\n";
    expect((await call("/api/v1/rule-packs", { method: "POST", key: a.key, body: pack, headers: { "content-type": "application/yaml" } })).status).toBe(201);
    expect((await call("/api/v1/mappings", { method: "POST", key: a.key, json: { ...MAPPING, marketplace: "pack-da-loja-a" } })).status).toBe(201);
    const problem = await expectProblem(await call("/api/v1/mappings", { method: "POST", key: b.key, json: { ...MAPPING, marketplace: "pack-da-loja-a" } }), 422);
    expect(problem.errors![0].pointer).toBe("/marketplace");
    await expectProblem(await call("/api/v1/mappings/pack-da-loja-a", { key: b.key }), 404);
    await expectProblem(await call("/api/v1/mappings/templates?marketplace=pack-da-loja-a", { key: b.key }), 400);
  });

  it("requires an API key", async () => {
    await expectProblem(await call("/api/v1/mappings"), 401, "unauthorized");
    await expectProblem(await call("/api/v1/mappings/templates"), 401, "unauthorized");
    await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", json: { marketplace: "shopee", headers: ["a"] } }), 401);
  });
});

describe("mappings: limits on what clients send", () => {
  it("refuses oversized mappings and suggest requests before doing work", async () => {
    const { key } = await newAccount();
    const many = { ...MAPPING, fields: Array.from({ length: 301 }, (_, i) => ({ target: `attributes.A${i}`, source: `c${i}` })) };
    expect((await expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: many }), 400)).errors![0].pointer).toBe("/fields");
    const transforms = { ...MAPPING, fields: [{ target: "title", source: "Nome", transforms: new Array(21).fill("trim") }] };
    expect((await expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: transforms }), 400)).errors![0].pointer).toBe("/fields/0/transforms");
    const headers = Array.from({ length: 501 }, (_, i) => `c${i}`);
    await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: "shopee", headers } }), 400);
    const rows = Array.from({ length: 51 }, () => ["x"]);
    await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: "shopee", headers: ["a"], sample_rows: rows } }), 400);
  });

  it("refuses regular expressions that could hang the worker, and long ones", async () => {
    const { key } = await newAccount();
    for (const pattern of ["(a|aa)+$", "(\\w+\\s?)*$", "(?<=a)b", "a".repeat(257)]) {
      const body = { ...MAPPING, fields: [{ target: "title", source: "Nome", transforms: [{ op: "replace", pattern, with: "" }] }] };
      const problem = await expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: body }), 422, "invalid-mapping");
      expect(problem.errors![0].pointer, pattern).toMatch(/^\/fields\/0\/transforms\/0/);
    }
  });

  it("preview takes at most 1,000 records, like /validate", async () => {
    const { key } = await newAccount();
    const { id } = (await (await call("/api/v1/mappings", { method: "POST", key, json: MAPPING })).json()) as any;
    const records = Array.from({ length: 1001 }, () => ({ Nome: "x" }));
    await expectProblem(await call(`/api/v1/mappings/${id}/preview`, { method: "POST", key, json: { records } }), 413, "payload-too-large");
  });
});

// Issue #10: a mapping's `replace` transform is an account's pattern too. Each catastrophic shape
// is refused at save (422 pointing at the pattern) or maps a 10,000-character adversarial value
// through /validate and preview with work bounded by the step budget. Wall time is printed, never
// asserted.
describe("mappings: replace patterns run in bounded time", () => {
  const VALUE_LENGTH = 10_000;
  // The transform, then the marketplace pack's own checks on the mapped value.
  const MAX_STEPS_PER_RECORD = 8 * STEP_BUDGET;
  let key = "";
  const costs: string[] = [];

  beforeAll(async () => {
    key = (await newAccount("Loja Regex")).key;
  });

  afterAll(() => {
    console.log(`mapping a 10,000-character value through a replace transform, wall time (informative):\n${costs.join("\n")}`);
  });

  for (const c of CATASTROPHIC_PATTERNS) {
    it(`${c.shape}: ${c.pattern} (${c.flags || "no flags"}) is ${c.refused ? "refused at save" : "bounded at run time"}`, async () => {
      const transform = { op: "replace", pattern: c.pattern, with: "-", ...(c.flags ? { flags: c.flags } : {}) };
      const body = { ...MAPPING, fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome", transforms: [transform] }] };
      const saved = await call("/api/v1/mappings", { method: "POST", key, json: body });
      if (c.refused) {
        const problem = await expectProblem(saved, 422, "invalid-mapping");
        expect(problem.errors![0].pointer).toBe("/fields/1/transforms/0/pattern");
        return;
      }
      expect(saved.status).toBe(201);
      const { id } = (await saved.json()) as { id: string };
      const records = [{ Código: "X-1", Nome: c.input(VALUE_LENGTH) }];
      for (const [path, json] of [
        ["/api/v1/validate", { mapping_id: id, records }],
        [`/api/v1/mappings/${id}/preview`, { records }],
      ] as const) {
        const before = linearSteps();
        const started = performance.now();
        const res = await call(path, { method: "POST", key, json });
        const ms = performance.now() - started;
        expect(res.status, path).toBe(200);
        expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(1);
        const steps = linearSteps() - before;
        expect(steps, path).toBeLessThanOrEqual(MAX_STEPS_PER_RECORD);
        costs.push(`  ${ms.toFixed(1).padStart(7)} ms  ${String(steps).padStart(9)} steps  ${path.startsWith("/api/v1/validate") ? "validate" : "preview "}  ${c.pattern} ${c.flags}`);
      }
    });
  }
});
