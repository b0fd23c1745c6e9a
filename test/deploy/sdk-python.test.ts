import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SDK = path.join(ROOT, "sdks/python");
// PYTHON=python3.9 runs the SDK under another interpreter (it supports 3.9 and later).
const PYTHON = process.env.PYTHON ?? "python3";

describe("the Python SDK (sdks/python)", () => {
  it("passes its offline unit tests (python3 -m unittest)", () => {
    const run = spawnSync(PYTHON, ["-m", "unittest", "discover", "-s", "tests", "-t", "tests"], {
      cwd: SDK,
      encoding: "utf8",
      // The package from the working tree, not one pip may have installed elsewhere.
      env: { ...process.env, PYTHONPATH: SDK, PYTHONDONTWRITEBYTECODE: "1" },
      timeout: 120_000,
    });
    if (run.error) throw run.error;
    expect(run.stderr, run.stderr).toMatch(/\nOK\n?$/);
    expect(run.stderr).not.toMatch(/skipped/);
    expect(run.status).toBe(0);
  }, 150_000);
});
