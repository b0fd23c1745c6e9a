import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../running-app";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SDK = path.join(ROOT, "sdks/python");
// PYTHON=python3.9 runs the SDK under another interpreter (it supports 3.9 and later).
const PYTHON = process.env.PYTHON ?? "python3";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

async function signUp(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `sdk-python-${crypto.randomUUID().slice(0, 8)}@example.com`, name: "Loja do SDK Python" }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { api_key: { key: string } }).api_key.key;
}

function python(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: SDK, env: { ...process.env, PYTHONPATH: SDK, PYTHONDONTWRITEBYTECODE: "1", ...env } });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("the Python SDK against a running Vitrine", () => {
  it("uploads 50,000 rows in parts, waits, pages every issue, downloads the corrected file and verifies a real webhook", async () => {
    const key = await signUp(app.origin);
    const run = await python(["-m", "unittest", "-v", "e2e_client"], { VITRINE_BASE_URL: app.origin, VITRINE_API_KEY: key, PYTHONPATH: `${SDK}:${path.join(SDK, "tests")}` });
    expect(run.output, `${run.output}\n--- app log ---\n${app.log().slice(-4000)}`).toMatch(/Ran 1 test in [\d.]+s\s+OK\s*$/);
    expect(run.output).not.toMatch(/skipped/);
    expect(run.code).toBe(0);
    // The e2e test's own timings (upload, job, paging, download), for the log.
    console.log(`sdk-python: ${run.output.match(/^[\d.]+ MiB uploaded.*$/m)?.[0]}`);
  });
});
