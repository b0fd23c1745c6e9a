/**
 * What the quota check costs POST /api/v1/validate, measured inside the Worker (`wrangler dev`, local
 * D1): two deployments side by side, billing off (usage only counted: one upsert) and on
 * (STRIPE_SECRET_KEY set: one conditional insert checks used + held + requested against the limit,
 * counts it and returns the totals). Every request validates 10 records on a Free account, seven
 * requests per account, so the check always runs against a finite limit and no request is refused.
 *
 *   npm run bench -- quota
 *
 * Figures: the quota step's own wall time (the Worker's Server-Timing `quota`, sent outside
 * production), the whole request inside the Worker (its request log) and as the client saw it.
 */
import { generateRecords } from "./records";
import { type LocalWorker, startLocalWorker } from "./local-worker";

const REQUESTS = 2100;
// 70 of each account's 100: below the 80 % warning (sent at most twice a month per account, after the response).
const PER_ACCOUNT = 7;
const RECORDS = 10;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function freeAccounts(worker: LocalWorker, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${worker.api}/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `quota-${Date.now()}-${i}@example.com`, name: "Bench" }),
    });
    if (res.status !== 201) throw new Error(`signup → ${res.status} ${await res.text()}`);
    keys.push(((await res.json()) as any).api_key.key);
  }
  return keys;
}

interface Run {
  client: number[];
  quota: number[];
  inWorker: number[];
}

async function load(worker: LocalWorker, keys: string[], body: string, concurrency: number): Promise<Run> {
  const run: Run = { client: [], quota: [], inWorker: [] };
  const before = worker.requestLog().length;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < keys.length * PER_ACCOUNT; n = next++) {
        const started = performance.now();
        const res = await fetch(`${worker.api}/validate`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${keys[Math.floor(n / PER_ACCOUNT)]}` },
          body,
        });
        await res.arrayBuffer();
        run.client.push(performance.now() - started);
        if (res.status !== 200) throw new Error(`POST /validate → ${res.status}`);
        const timing = /quota;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "");
        if (!timing) throw new Error("no Server-Timing quota entry: is ENVIRONMENT development?");
        run.quota.push(Number(timing[1]));
      }
    }),
  );
  // The request log is written as the response leaves: give the last lines a moment to arrive.
  await new Promise((r) => setTimeout(r, 300));
  run.inWorker = worker
    .requestLog()
    .slice(before)
    .filter((l) => l.path === "/api/v1/validate")
    .map((l) => l.duration_ms);
  return run;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
};

const ROUNDS = 4;

async function startWorker(billing: boolean, port: number) {
  const vars: Record<string, string> = { RATE_LIMIT_PER_MINUTE: "1000000", SIGNUP_LIMIT_PER_HOUR: "1000000" };
  // Stripe configured turns billing (quota enforcement) on. Nothing here is ever sent: /validate does
  // not call Stripe, and the address is a closed local port.
  if (billing) {
    Object.assign(vars, {
      STRIPE_SECRET_KEY: "sk_test_bench_quota",
      STRIPE_WEBHOOK_SECRET: "whsec_bench_quota",
      STRIPE_PRICE_PRO: "price_bench_pro",
      STRIPE_PRICE_BUSINESS: "price_bench_business",
      STRIPE_PRICE_PRO_OVERAGE: "price_bench_pro_overage",
      STRIPE_PRICE_BUSINESS_OVERAGE: "price_bench_business_overage",
      STRIPE_API_URL: "http://127.0.0.1:9",
    });
  }
  return startLocalWorker(port, vars);
}

export async function runQuotaBench() {
  console.log(`\n## The quota check on POST /api/v1/validate (${RECORDS} records per request, Free accounts, wrangler dev)`);
  const off = await startWorker(false, 8799);
  const on = await startWorker(true, 8800);
  try {
    const body = JSON.stringify({ rule_pack: "mercadolivre", records: generateRecords(RECORDS, 11).records });
    // Warm-up on accounts of their own: compiled packs, prepared statements, the isolates.
    for (const worker of [off, on]) await load(worker, await freeAccounts(worker, 10), body, 2);
    const ms = (n: number) => `${n.toFixed(2).padStart(6)} ms`;
    const row = (name: string, values: number[]) => {
      if (values.length === 0) return console.log(`  ${name.padEnd(50)} (no figures: the Worker's request log was not captured)`);
      const s = stats(values);
      console.log(`  ${name.padEnd(50)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  mean ${ms(s.mean)}`);
    };
    for (const concurrency of [1, 4]) {
      // The two deployments take turns, so a change in the machine's load falls on both alike.
      const runs = { off: [] as Run[], on: [] as Run[] };
      const perRound = REQUESTS / ROUNDS / PER_ACCOUNT;
      for (let round = 0; round < ROUNDS; round++) {
        runs.off.push(await load(off, await freeAccounts(off, perRound), body, concurrency));
        runs.on.push(await load(on, await freeAccounts(on, perRound), body, concurrency));
      }
      const all = (list: Run[], key: keyof Run) => list.flatMap((r) => r[key]);
      console.log(`concurrency ${concurrency} (${REQUESTS} requests each way, in ${ROUNDS} alternating rounds):`);
      row("billing off: counting (Server-Timing quota)", all(runs.off, "quota"));
      row("billing on:  quota check + counting (Server-Timing)", all(runs.on, "quota"));
      row("billing off: POST /validate inside the Worker", all(runs.off, "inWorker"));
      row("billing on:  POST /validate inside the Worker", all(runs.on, "inWorker"));
      row("billing off: POST /validate, seen by the client", all(runs.off, "client"));
      row("billing on:  POST /validate, seen by the client", all(runs.on, "client"));
      const step = { off: stats(all(runs.off, "quota")), on: stats(all(runs.on, "quota")) };
      const request = { off: stats(all(runs.off, "inWorker")), on: stats(all(runs.on, "inWorker")) };
      console.log(
        `  the check adds ${(step.on.p95 - step.off.p95).toFixed(2)} ms at p95 (${(step.on.mean - step.off.mean).toFixed(2)} ms on average) to counting; ` +
          `POST /validate inside the Worker: ${(request.on.p95 - request.off.p95).toFixed(2)} ms at p95`,
      );
    }
    console.log("  (in-Worker clocks advance in whole milliseconds, and only across I/O: per-request figures are rounded to 1 ms)");
  } finally {
    off.stop();
    on.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runQuotaBench();
