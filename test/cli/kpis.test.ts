import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.join(import.meta.dirname, "../..");
const state = mkdtempSync(path.join(os.tmpdir(), "vitrine-kpis-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const HOUR = 3_600_000;
const thisHour = Math.floor(Date.now() / HOUR) * HOUR;

function wrangler(...args: string[]) {
  const r = spawnSync("npx", ["wrangler", ...args, "--local", "--persist-to", state], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Runs `npm run kpis -- …` as the operator would, against the test's own local database. */
function kpis(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync("npm", ["run", "--silent", "kpis", "--", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, LANG: "C", LC_ALL: "", LC_MESSAGES: "", NO_COLOR: "1", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  wrangler("d1", "migrations", "apply", "DB");
  const rows = [
    [thisHour, "job", "completed", 0, 98],
    [thisHour - 2 * HOUR, "job", "failed", 0, 2],
    [thisHour - 48 * HOUR, "job", "failed", 0, 100],
    [thisHour, "request", "POST /api/v1/validate", 3, 95],
    [thisHour, "request", "POST /api/v1/validate", 11, 5],
    [thisHour, "request_5xx", "POST /api/v1/validate", 0, 1],
    [thisHour, "webhook_first_attempt", "succeeded", 0, 3],
    [thisHour, "webhook_first_attempt", "failed", 0, 1],
    [thisHour, "webhook_outcome", "succeeded", 0, 4],
  ];
  const values = rows.map((r) => `(${r[0]}, '${r[1]}', '${r[2]}', ${r[3]}, ${r[4]})`).join(", ");
  wrangler("d1", "execute", "DB", "--command", `INSERT INTO kpi_rollups (hour, metric, dimension, bucket, count) VALUES ${values}`);
}, 60_000);

describe("npm run kpis", () => {
  it("reads the local rollups into both windows", () => {
    const json = kpis(["--persist-to", state, "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const [day, week] = JSON.parse(json.stdout);
    expect(day.jobs).toEqual({ completed: 98, failed: 2, cancelled: 0, successRate: 0.98 });
    expect(week.jobs).toMatchObject({ completed: 98, failed: 102 });
    // 95 of 100 requests in bucket 3 (≤ 10 ms): the 95th is there.
    expect(day.routes).toEqual([{ route: "POST /api/v1/validate", requests: 100, errors: 1, p95Ms: 10 }]);
    expect(day.webhooks).toMatchObject({ firstAttemptRate: 0.75, eventualRate: 1 });

    const table = kpis(["--persist-to", state]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("== Last 24 hours ==");
    expect(table.stdout).toContain("Job success rate: 98.0 % (98 / 100; cancelled 0)");
    expect(table.stdout).toMatch(/POST \/api\/v1\/validate\s+100\s+5xx\s+1\s+p95 ≤ 10 ms/);
    expect(table.stdout).toContain("Webhooks at first attempt: 75.0 % (3 / 4)");
  });

  it("asks for the Cloudflare credentials before reading the deployment", () => {
    const remote = kpis(["--remote"], { CLOUDFLARE_ACCOUNT_ID: "", CLOUDFLARE_API_TOKEN: "" });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain("--remote needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN");
  });
});
