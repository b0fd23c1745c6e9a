/**
 * POST /api/v1/validate with 100 realistic records under concurrent load against the local Worker
 * (`wrangler dev`), beside GET /api/v1/account (auth + rate limit, no validation) under the same load
 * as the baseline. A fixed number of requests per run; loopback only.
 *
 *   npm run bench -- latency
 */
import { generateRecords } from "./records";
import { startLocalWorker } from "./local-worker";

const PORT = 8798;
const REQUESTS = 1000;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(send: () => Promise<Response>, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < REQUESTS) {
        const t = performance.now();
        const res = await send();
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rps: REQUESTS / seconds };
}

export async function runLatencyBench() {
  console.log(`\n## POST /api/v1/validate with 100 records, ${REQUESTS} requests per run, through wrangler dev`);
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "1000000" });
  try {
    const body = JSON.stringify({ rule_pack: "mercadolivre", records: generateRecords(100, 7).records });
    const validate = () => worker.call("/validate", { method: "POST", headers: { "content-type": "application/json" }, body });
    const health = () => fetch(`${worker.api}/health`);
    for (let i = 0; i < 100; i++) await (await validate()).arrayBuffer();
    const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
      console.log(`${name.padEnd(34)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${r.rps.toFixed(0).padStart(5)} req/s`);
    for (const concurrency of [1, 2, 4]) {
      const before = worker.requestLog().length;
      const base = await load(health, concurrency);
      const v = await load(validate, concurrency);
      const inWorker = worker
        .requestLog()
        .slice(before)
        .filter((l) => l.path === "/api/v1/validate")
        .map((l) => l.duration_ms)
        .sort((a, b) => a - b);
      console.log(`concurrency ${concurrency}:`);
      row("  GET /health (wrangler dev floor)", base);
      row("  POST /validate, seen by clients", v);
      console.log(`  POST /validate inside the Worker   p50 ${percentile(inWorker, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(inWorker, 95).toFixed(1).padStart(6)} ms   (its own request log)`);
    }
  } finally {
    worker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLatencyBench();
