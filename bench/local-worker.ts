/** Starts the Worker under `wrangler dev` with a fresh local state, for benchmarks that go through HTTP. */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.join(import.meta.dirname, "..");

export interface LocalWorker {
  api: string;
  key: string;
  /** Where this Worker's local state (D1, R2, queues) lives; stop() removes it. */
  stateDir: string;
  /** The Worker's own request log lines (one JSON object per request) seen so far. */
  requestLog(): { path: string; method: string; status: number; duration_ms: number }[];
  /** Every other JSON log line of the Worker seen so far (e.g. the jobs pipeline's step timings). */
  workerLog(): Record<string, unknown>[];
  call(pathname: string, init?: RequestInit): Promise<Response>;
  stop(): void;
}

export async function startLocalWorker(port: number, vars: Record<string, string> = {}, extraArgs: string[] = []): Promise<LocalWorker> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-worker-"));
  execFileSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], { cwd: ROOT, stdio: "ignore" });
  // Development settings, as `npm start` uses (wrangler.toml itself ships production's).
  const all = { ENVIRONMENT: "development", ...vars };
  const args = ["wrangler", "dev", "--port", String(port), "--persist-to", dir, ...Object.entries(all).flatMap(([k, v]) => ["--var", `${k}:${v}`]), ...extraArgs];
  const dev = spawn("npx", args, { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"], detached: true });
  const log: ReturnType<LocalWorker["requestLog"]> = [];
  const other: Record<string, unknown>[] = [];
  let pending = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const at = line.indexOf('{"level"');
      if (at < 0) continue;
      try {
        const entry = JSON.parse(line.slice(at));
        if (entry.msg === "request") log.push(entry);
        else other.push(entry);
      } catch {}
    }
  });
  const api = `http://127.0.0.1:${port}/api/v1`;
  const stop = () => {
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${api}/health`)).ok) break;
      } catch {}
      if (i > 120) throw new Error("wrangler dev did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    const signup = await fetch(`${api}/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, name: "Bench" }),
    });
    const key = ((await signup.json()) as any).api_key.key as string;
    const call = async (pathname: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${key}`);
      const res = await fetch(api + pathname, { ...init, headers });
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} → ${res.status} ${await res.text()}`);
      return res;
    };
    return { api, key, stateDir: dir, call, stop, requestLog: () => log, workerLog: () => other };
  } catch (error) {
    stop();
    throw error;
  }
}
