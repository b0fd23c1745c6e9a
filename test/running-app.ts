/**
 * The app started as `npm start` starts it, for tests that drive it from Node over HTTP: the
 * browser tests (test/browser) and the integration tests (test/integration: SDKs, Postman, guides).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.join(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** What the Worker wrote to its log (development mail, request lines). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the Worker the way `npm start` does — local D1 migrated, `wrangler dev` with the
 * development variables (plus `vars`, such as a local fake's address) — on a free port with fresh
 * local state of its own.
 */
export async function startApp(options: { vars?: Record<string, string> } = {}): Promise<RunningApp> {
  const port = await freePort();
  const state = mkdtempSync(path.join(os.tmpdir(), "vitrine-app-"));
  execFileSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { cwd: ROOT, stdio: "ignore" });
  const dev = spawn(
    "npx",
    ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--var", "ENVIRONMENT:development", "--var", "ALLOW_LOOPBACK_WEBHOOKS:true", ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } },
  );
  let output = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => (output += text));
  dev.stderr!.setEncoding("utf8").on("data", (text: string) => (output += text));
  const exited = new Promise<void>((resolve) => dev.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    rmSync(state, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/api/v1/health`)).ok) break;
    } catch {}
    if (dev.exitCode !== null || i > 240) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { origin, log: () => output, stop };
}

