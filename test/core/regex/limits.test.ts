import { afterEach, describe, expect, it } from "vitest";
import { compilePattern, linearSteps, MAX_INPUT_LENGTH, STEP_BUDGET } from "../../../src/core/regex";
import { checkRegex } from "../../../src/core/rules/safe-regex";
import { CATASTROPHIC_PATTERNS } from "../../fixtures/catastrophic-patterns";

const linear = (source: string, flags = "") => compilePattern(source, flags, { trusted: false });

/** Engine steps one call takes. */
function stepsOf(run: () => unknown): number {
  const before = linearSteps();
  run();
  return linearSteps() - before;
}

describe("input limits", () => {
  it("small patterns look at values up to MAX_INPUT_LENGTH characters", () => {
    expect(linear("\\d").maxInputLength).toBe(MAX_INPUT_LENGTH);
  });

  it("larger patterns look at shorter values, so the work on one value stays within the step budget", () => {
    const p = linear("^[a-z]{1,140}$");
    expect(p.maxInputLength).toBeLessThan(MAX_INPUT_LENGTH);
    expect(p.maxInputLength).toBeGreaterThan(500);
    const worst = "a".repeat(p.maxInputLength);
    expect(stepsOf(() => p.test(worst))).toBeLessThanOrEqual(STEP_BUDGET + 2 * MAX_INPUT_LENGTH);
  });

  it("a longer value does not match and is not replaced, without running the engine", () => {
    const p = linear("x");
    const long = "x".repeat(p.maxInputLength + 1);
    expect(stepsOf(() => expect(p.test(long)).toBe(false))).toBe(0);
    expect(stepsOf(() => expect(p.replaceAll(long, "y")).toBe(long))).toBe(0);
    expect(p.test(long.slice(1))).toBe(true);
  });
});

describe("linear work on the catastrophic corpus", () => {
  const saved = CATASTROPHIC_PATTERNS.filter((c) => !checkRegex(c.pattern, c.flags, 256));

  it("the corpus holds shapes the save-time check lets through", () => {
    expect(saved.map((c) => c.shape)).toEqual(expect.arrayContaining(["polynomial chains", "case-folding alternations", "lookahead"]));
  });

  it.each(saved.map((c) => [c.pattern, c] as const))("%s: doubling the value at most doubles the work", (_name, c) => {
    const p = linear(c.pattern, c.flags);
    const half = Math.floor(p.maxInputLength / 2);
    const runs = [
      { run: (s: string) => p.test(s), bound: STEP_BUDGET + 2 * MAX_INPUT_LENGTH },
      { run: (s: string) => p.replaceAll(s, "<$&>"), bound: 3 * STEP_BUDGET },
    ];
    for (const { run, bound } of runs) {
      const small = stepsOf(() => run(c.input(half)));
      const large = stepsOf(() => run(c.input(2 * half)));
      expect(large).toBeLessThanOrEqual(2.2 * small + 100);
      // and the work on the longest value the pattern looks at stays within the step budget
      expect(large).toBeLessThanOrEqual(bound);
    }
  });
});

describe("characters above U+00FF", () => {
  it("are classified once per value and atom, so distinct characters do not multiply the work", () => {
    const p = linear("(?:\\p{L}|\\p{N}|\\p{P}|\\p{S}|[\\u4e00-\\u9fff]|\\S)+X", "u");
    const distinct = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x4e00 + i)).join("");
    const half = Math.floor(p.maxInputLength / 2);
    const small = stepsOf(() => p.test(distinct(half)));
    const large = stepsOf(() => p.test(distinct(2 * half)));
    expect(large).toBeLessThanOrEqual(2.2 * small);
    expect(large).toBeLessThanOrEqual(STEP_BUDGET + 2 * MAX_INPUT_LENGTH);
    expect(p.test(distinct(10) + "X")).toBe(true);
  });
});

describe("no code generation", () => {
  const g = globalThis as Record<string, unknown>;
  const originals = { Function: g.Function, eval: g.eval };
  afterEach(() => {
    g.Function = originals.Function;
    g.eval = originals.eval;
  });

  it("compiles and runs with Function and eval replaced by throwing stubs", () => {
    const stub = () => {
      throw new Error("code generation is not allowed");
    };
    g.Function = stub;
    g.eval = stub;
    const p = linear("^(?=.*\\d)(?<sku>[A-Z]{2,4})-(\\d+)$", "i");
    expect(p.test("kit-12")).toBe(true);
    expect(p.replaceAll("KIT-12", "$<sku>/$2")).toBe("KIT/12");
  });
});
