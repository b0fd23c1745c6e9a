import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { config } from "../../src/config";

const ROOT = path.join(import.meta.dirname, "../..");

/** The variables `wrangler deploy` would ship, as its dry run lists them: env.NAME ("value"). */
function deployedVars(): Record<string, string> {
  const out = mkdtempSync(path.join(os.tmpdir(), "vitrine-dry-run-"));
  try {
    const printed = execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(printed).toContain("--dry-run: exiting now.");
    return Object.fromEntries([...printed.matchAll(/env\.([A-Z0-9_]+) \("([^"]*)"\)\s+Environment Variable/g)].map((m) => [m[1], m[2]]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe("what `wrangler deploy` ships as the repository stands", () => {
  it("is production: live keys, no loopback webhooks, an encryption key and the dashboard's address required", () => {
    const vars = deployedVars();
    expect(Object.keys(vars)).toContain("RATE_LIMIT_PER_MINUTE");
    expect(vars.ENVIRONMENT ?? "production").toBe("production");
    expect(vars.ALLOW_LOOPBACK_WEBHOOKS ?? "false").toBe("false");
    const secrets = { ENCRYPTION_KEY: btoa("k".repeat(32)) };
    const deployed = config({ ...vars, ...secrets, PUBLIC_URL: "https://vitrine.example.com.br" });
    expect(deployed).toMatchObject({ production: true, allowLoopbackWebhooks: false, publicUrl: "https://vitrine.example.com.br" });
    expect(() => config({ ...vars })).toThrow(/ENCRYPTION_KEY is required in production/);
    // The deployer names the dashboard's address (emailed links start with it); http is refused.
    expect(() => config({ ...vars, ...secrets })).toThrow(/PUBLIC_URL is required in production/);
    expect(() => config({ ...vars, ...secrets, PUBLIC_URL: "http://vitrine.example.com.br" })).toThrow(/PUBLIC_URL/);
  }, 60_000);
});
