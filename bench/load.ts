/**
 * Load: `POST /api/v1/validate` with 100 realistic records against the Worker under `wrangler dev`,
 * driven by autocannon at 1, 4 and 16 connections for 60 s each (`--duration S` for shorter dev
 * runs), beside `GET /api/v1/health` (no work of ours) as the floor of the local stack.
 *
 *   npm run bench -- load [--duration 60]
 *
 * Per run: p50/p95/p99 and errors as the client saw them (autocannon's own response times; errors =
 * connection errors + timeouts + non-2xx) and inside the Worker (each response's
 * `Server-Timing: app;dur=`, sent outside production; errors = the Worker's request log lines with
 * status ≥ 400). Neither the rate limiter nor the quota throttles the run: the Worker runs with
 * RATE_LIMIT_PER_MINUTE=1000000 and billing off (no Stripe key), so usage is counted and nothing
 * is refused — both still do their D1/Durable Object round trips on every request.
 */
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { startLocalWorker } from "./local-worker";
import { generateRecords } from "./records";

/** `--port P` / `--inspector-port P` move the run off the defaults (concurrent runs by other people). */
const PORT = Number(argValue("port") ?? 8813);
/** Our own inspector port, so wrangler dev never takes the default one another run may hold. */
const INSPECTOR_PORT = Number(argValue("inspector-port") ?? 9313);
const CONCURRENCY = [1, 4, 16];
/** The floor runs are shorter: they only show what wrangler dev's proxy costs. */
const FLOOR_SECONDS = 15;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function percentiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** `uptime`'s line: the load average to record beside every figure. */
export function loadAverage(): string {
  return execFileSync("uptime", { encoding: "utf8" }).trim();
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const APP_TIMING = /(?:^|,\s*)app;dur=([\d.]+)/;

/** autocannon hands headers over as sent (any case; a repeated one as an array). */
function headerValue(headers: Record<string, string | string[]>, name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? "" : headers[key];
  return Array.isArray(value) ? value.join(", ") : value;
}

interface LoadRun {
  seconds: number;
  requests: number;
  client: ReturnType<typeof percentiles>;
  clientErrors: number;
  inWorker: ReturnType<typeof percentiles>;
  /** Responses without an app timing: the header is missing (production settings?) or the request failed before an answer. */
  untimed: number;
}

async function drive(url: string, request: { method: string; path: string; headers?: Record<string, string>; body?: string }, connections: number, duration: number): Promise<LoadRun> {
  const client: number[] = [];
  const inWorker: number[] = [];
  let untimed = 0;
  const instance = autocannon({
    url,
    connections,
    duration,
    timeout: 30,
    requests: [
      {
        ...request,
        onResponse: (_status, _body, _context, headers) => {
          const timing = APP_TIMING.exec(headerValue(headers, "server-timing"));
          if (timing) inWorker.push(Number(timing[1]));
          else untimed++;
        },
      },
    ],
  });
  instance.on("response", (_client, _status, _bytes, responseTime) => client.push(responseTime));
  const result = await instance;
  return {
    seconds: result.duration,
    requests: client.length,
    client: percentiles(client),
    clientErrors: result.errors + result.timeouts + result.non2xx,
    inWorker: percentiles(inWorker),
    untimed,
  };
}

const ms = (n: number) => `${Number.isNaN(n) ? "  –  " : n.toFixed(1).padStart(6)} ms`;

export async function runLoadBench() {
  const duration = Number(argValue("duration") ?? 60);
  console.log(`\n## Load: POST /api/v1/validate with 100 records, autocannon, ${duration} s per concurrency, through wrangler dev`);
  console.log(`load average before: ${loadAverage()}`);
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "1000000" }, ["--inspector-port", String(INSPECTOR_PORT)]);
  try {
    const url = `http://127.0.0.1:${PORT}`;
    const body = JSON.stringify({ rule_pack: "mercadolivre", records: generateRecords(100, 7).records });
    const validate = { method: "POST", path: "/api/v1/validate", headers: { "content-type": "application/json", authorization: `Bearer ${worker.key}` }, body };
    const health = { method: "GET", path: "/api/v1/health" };
    // Warm-up: the compiled pack, prepared statements, the isolate's JIT.
    await drive(url, validate, 4, 5);
    for (const connections of CONCURRENCY) {
      const floor = await drive(url, health, connections, Math.min(FLOOR_SECONDS, duration));
      const logBefore = worker.requestLog().length;
      const run = await drive(url, validate, connections, duration);
      // The request log is written as each response leaves: give the last lines a moment to arrive.
      await new Promise((r) => setTimeout(r, 500));
      const logged = worker.requestLog().slice(logBefore).filter((l) => l.path === "/api/v1/validate");
      const workerErrors = logged.filter((l) => l.status >= 400).length;
      console.log(`concurrency ${connections}: ${run.requests} requests in ${run.seconds} s (${(run.requests / run.seconds).toFixed(0)} req/s) — ${loadAverage()}`);
      console.log(`  GET /health, client (floor)      p50 ${ms(floor.client.p50)}  p95 ${ms(floor.client.p95)}  p99 ${ms(floor.client.p99)}  errors ${floor.clientErrors}`);
      console.log(`  POST /validate, client           p50 ${ms(run.client.p50)}  p95 ${ms(run.client.p95)}  p99 ${ms(run.client.p99)}  errors ${run.clientErrors}`);
      console.log(
        `  POST /validate, inside the Worker p50 ${ms(run.inWorker.p50)}  p95 ${ms(run.inWorker.p95)}  p99 ${ms(run.inWorker.p99)}  errors ${workerErrors}` +
          ` (Server-Timing app on ${run.inWorker.n} responses${run.untimed ? `, ${run.untimed} without it` : ""}; request log: ${logged.length} lines)`,
      );
    }
    console.log("  (in-Worker clocks advance in whole milliseconds, and only across I/O: in-Worker figures are whole milliseconds)");
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    worker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLoadBench();
