import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linearSteps, STEP_BUDGET } from "../../src/core/regex";
import { CATASTROPHIC_PATTERNS, type CatastrophicPattern } from "../fixtures/catastrophic-patterns";
import { call, expectProblem, newAccount } from "../helpers";

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
