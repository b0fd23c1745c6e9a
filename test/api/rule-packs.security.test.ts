import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linearSteps, STEP_BUDGET } from "../../src/core/regex";
import { CATASTROPHIC_PATTERNS, type CatastrophicPattern } from "../fixtures/catastrophic-patterns";
import { call, createPack, env, expectProblem, newAccount } from "../helpers";

// Issue #10: patterns that accounts save in rule packs must never stall the isolate. Every shape
// that makes a backtracking engine explode is saved as a `pattern` check, a `matches` condition
// and a `replace` fix; each is refused at save (422 pointing at the pattern) or answers for a
// 10,000-character adversarial value with work bounded by the step budget. Wall time is printed,
// never asserted.

const VALUE_LENGTH = 10_000;
/** A validation runs each pattern a few times (test, replace-all, the check after the fix). */
const MAX_STEPS_PER_RECORD = 8 * STEP_BUDGET;

type Use = "pattern check" | "matches condition" | "replace fix";

const yamlString = (s: string) => JSON.stringify(s);

function ruleFor(use: Use, c: CatastrophicPattern): { yaml: string; pointer: string } {
  const pattern = yamlString(c.pattern);
  const flags = yamlString(c.flags);
  switch (use) {
    case "pattern check":
      return { yaml: `check: pattern\n    pattern: ${pattern}\n    flags: ${flags}`, pointer: "/rules/0/pattern" };
    case "matches condition":
      return {
        yaml: `check: max_length\n    max: 10\n    when: { field: title, matches: ${pattern}, flags: ${flags} }`,
        pointer: "/rules/0/when/matches",
      };
    case "replace fix":
      return {
        yaml: `check: max_length\n    max: 10\n    fix: { replace: { pattern: ${pattern}, with: "-", flags: ${flags} } }`,
        pointer: "/rules/0/fix/replace/pattern",
      };
  }
}

let key = "";
let packs = 0;
const costs: string[] = [];

beforeAll(async () => {
  key = (await newAccount("Loja Regex")).key;
});

afterAll(() => {
  console.log(`per-record wall time of /validate with one 10,000-character value (informative):\n${costs.join("\n")}`);
});

const shapes = [...new Set(CATASTROPHIC_PATTERNS.map((c) => c.shape))];

for (const shape of shapes) {
  describe(`rule packs: ${shape}`, () => {
    for (const c of CATASTROPHIC_PATTERNS.filter((x) => x.shape === shape)) {
      for (const use of ["pattern check", "matches condition", "replace fix"] as const) {
        it(`${c.pattern} (${c.flags || "no flags"}) as a ${use}: ${c.refused ? "refused at save" : "bounded at run time"}`, async () => {
          const id = `regex-probe-${++packs}`;
          const rule = ruleFor(use, c);
          const yaml = `id: ${id}\nname: Regex probe\nversion: 1.0.0\nrules:\n  - id: probe.title\n    field: title\n    ${rule.yaml}\n`;
          const saved = await call("/api/v1/rule-packs", { method: "POST", key, body: yaml, headers: { "content-type": "application/yaml" } });
          if (c.refused) {
            const problem = await expectProblem(saved, 422, "invalid-rule-pack");
            expect(problem.errors?.[0]).toMatchObject({ rule: "probe.title", pointer: rule.pointer, line: expect.any(Number) });
            return;
          }
          expect(saved.status).toBe(201);
          const before = linearSteps();
          const started = performance.now();
          const res = await call("/api/v1/validate", {
            method: "POST",
            key,
            json: { rule_pack: id, apply_fixes: true, records: [{ sku: "X-1", title: c.input(VALUE_LENGTH) }] },
          });
          const ms = performance.now() - started;
          expect(res.status).toBe(200);
          const body = (await res.json()) as { results: unknown[] };
          expect(body.results).toHaveLength(1);
          const steps = linearSteps() - before;
          expect(steps).toBeLessThanOrEqual(MAX_STEPS_PER_RECORD);
          costs.push(`  ${ms.toFixed(1).padStart(7)} ms  ${String(steps).padStart(9)} steps  ${use.padEnd(17)} ${c.pattern} ${c.flags}`);
        });
      }
    }
  });
}

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

describe("names every object inherits are never fields", () => {
  it.each(["attributes.constructor", "attributes.__proto__", "attributes.toString", "attributes.hasOwnProperty"])(
    "refuses a rule on %s at save, pointing at it",
    async (field) => {
      const { key } = await newAccount();
      const pack = `id: heranca\nname: h\nversion: "1"\nrules:\n  - id: h.r\n    field: ${field}\n    check: required\n`;
      const problem = await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, body: pack, headers: { "content-type": "application/yaml" } }), 422, "invalid-rule-pack");
      expect(problem.errors?.[0]).toMatchObject({ pointer: "/rules/0/field", line: 6 });
    },
  );

  it("refuses them in conditions and mapping targets too", async () => {
    const { key } = await newAccount();
    const pack = `id: heranca2\nname: h\nversion: "1"\nrules:\n  - id: h.r\n    field: title\n    check: required\n    when: { field: attributes.constructor, exists: true }\n`;
    await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, body: pack, headers: { "content-type": "application/yaml" } }), 422, "invalid-rule-pack");
    const mapping = { name: "m", marketplace: "common", fields: [{ target: "attributes.__proto__", source: "X" }] };
    const problem = await expectProblem(await call("/api/v1/mappings", { method: "POST", key, json: mapping }), 422, "invalid-mapping");
    expect(problem.errors?.[0].pointer).toBe("/fields/0/target");
  });

  it("sees only a record's own attributes: a record without BRAND is missing it whatever its prototype holds", async () => {
    const { key } = await newAccount();
    await createPack(key, `id: marca\nname: m\nversion: "1"\nrules:\n  - id: m.brand\n    field: attributes.BRAND\n    check: required\n`);
    const body = '{"rule_pack":"marca","records":[{"sku":"A1","attributes":{"__proto__":{"BRAND":"Herdada"}}},{"sku":"A2","attributes":{"BRAND":"Própria"}}]}';
    const res = await call("/api/v1/validate", { method: "POST", key, body, headers: { "content-type": "application/json" } });
    const result = (await res.json()) as any;
    expect(result.results.map((r: any) => r.valid)).toEqual([false, true]);
    expect(result.results[0].issues[0]).toMatchObject({ rule: "m.brand", field: "attributes.BRAND" });
  });
});
