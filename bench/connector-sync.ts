/**
 * A Mercado Livre connector sync end to end through the local Worker (`wrangler dev`, local
 * R2/D1/Queues/DOs) against the test fake of Mercado Livre (test/fakes/mercadolivre.ts) served
 * over plain HTTP from this process, without artificial latency. The seller has 10,000 generated
 * listings (a tenth with long titles, headphones without a required attribute, every 25th with
 * two variations). The connector is created and authorized through the public API (authorize_url,
 * the fake's consent, the confirmation page, confirm), then synced with fixes; the run reports
 * items/s and the provider requests per item, counted by the fake's HTTP server, and does the same
 * for a second sync of the unchanged catalog.
 *
 *   npm run bench -- connector [--items 10000]
 */
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, fakeParts } from "../test/fakes/mercadolivre";
import { serveFakeParts } from "./fake-http";
import { startLocalWorker, type LocalWorker } from "./local-worker";

const PORT = 8798;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Requests the fake answered, by kind; the bench reads the difference around each sync. */
type Tally = Record<string, number>;

/** The fake on one local port: /auth/* is the authorization server, /api/* the API. */
function serveFake(tally: Tally) {
  return serveFakeParts(async (part, request, body) => {
    const url = new URL(request.url);
    const kind = `${request.method} ${url.pathname.replace(/MLB\d+/g, "{id}").replace(/\/\d+\//g, "/{n}/")}${url.pathname === "/oauth/token" ? ` ${new URLSearchParams(body.toString()).get("grant_type")}` : ""}`;
    tally[kind] = (tally[kind] ?? 0) + 1;
    return part === "auth" ? fakeParts.authorize(request) : part === "api" ? fakeParts.api(request) : new Response("unknown part", { status: 404 });
  });
}

const control = (path: string, init?: RequestInit) => fakeParts.control(new Request(`http://control.test${path}`, init));

async function connect(worker: LocalWorker, sellerId: number): Promise<string> {
  const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const connector = (await (await worker.call("/connectors", json({ type: "mercadolivre", name: "Bench store", push_fields: [] }))).json()) as any;
  // The seller approves at the marketplace; the browser comes back to the confirmation page.
  const consent = await fetch(connector.authorize_url, { redirect: "manual", headers: { "x-fake-seller": String(sellerId) } });
  const back = new URL(consent.headers.get("location")!);
  await worker.call(`/connectors/oauth/callback${back.search}`);
  const confirm = await fetch(`${worker.api}/connectors/oauth/callback`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ state: back.searchParams.get("state")!, code: back.searchParams.get("code")!, decision: "confirm" }).toString(),
  });
  if (confirm.status !== 303) throw new Error(`confirmation answered ${confirm.status}: ${await confirm.text()}`);
  const active = (await (await worker.call(`/connectors/${connector.id}`)).json()) as any;
  if (active.status !== "active") throw new Error(`connector is ${active.status} after the OAuth dance`);
  return connector.id;
}

async function sync(worker: LocalWorker, connectorId: string, items: number, tally: Tally, label: string) {
  const before = { ...tally };
  const started = performance.now();
  const res = await worker.call(`/connectors/${connectorId}/sync`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apply_fixes: true }) });
  const job = (await res.json()) as any;
  let state: any;
  for (;;) {
    state = await (await worker.call(`/jobs/${job.id}`)).json();
    if (["completed", "failed", "cancelled"].includes(state.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  if (state.status !== "completed") throw new Error(`sync job ended ${state.status}: ${JSON.stringify(state.error)}`);
  const requests = Object.entries(tally)
    .map(([kind, n]) => [kind, n - (before[kind] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const total = requests.reduce((sum, [, n]) => sum + n, 0);
  console.log(`\n### ${label}`);
  console.log(
    `job: ${state.counts.records.toLocaleString("en")} records from ${items.toLocaleString("en")} items, ${state.counts.invalid.toLocaleString("en")} invalid, ${state.counts.corrected.toLocaleString("en")} corrected, ${state.counts.issues.total.toLocaleString("en")} issues, ${state.progress.chunks_total} chunks`,
  );
  console.log(`end to end (sync request → job completed): ${seconds.toFixed(1)} s → ${Math.round(items / seconds).toLocaleString("en")} items/s`);
  console.log(`provider requests: ${total.toLocaleString("en")} → ${(total / items).toFixed(3)} per item`);
  for (const [kind, n] of requests.sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${kind}`);
}

export async function runConnectorBench() {
  const items = arg("items", 10_000);
  const sellerId = 424_242_424;
  const tally: Tally = {};
  const fake = await serveFake(tally);
  let worker: LocalWorker | undefined;
  try {
    const seeded = await control(`/sellers/${sellerId}`, { method: "PUT", body: JSON.stringify({ generate: items }) });
    if (seeded.status !== 204) throw new Error(`the fake refused the catalog: ${seeded.status}`);
    console.log(`\n## Connector sync: ${items.toLocaleString("en")} Mercado Livre items from a local fake through the local Worker`);
    worker = await startLocalWorker(PORT, {
      RATE_LIMIT_PER_MINUTE: "100000",
      MERCADOLIVRE_CLIENT_ID: FAKE_CLIENT_ID,
      MERCADOLIVRE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      MERCADOLIVRE_AUTH_URL: `${fake.base}/auth`,
      MERCADOLIVRE_API_URL: `${fake.base}/api`,
      // The fake adds no latency and no limit; lift the connector's own token bucket too, so the
      // figure is the pipeline's (with the default 1,500 requests/minute the bucket is the bound).
      MERCADOLIVRE_REQUESTS_PER_MINUTE: "1000000",
    });
    const connectorId = await connect(worker, sellerId);
    await sync(worker, connectorId, items, tally, "First sync (every item new), apply_fixes");
    await sync(worker, connectorId, items, tally, "Second sync, catalog unchanged");
  } finally {
    worker?.stop();
    fake.server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConnectorBench();
