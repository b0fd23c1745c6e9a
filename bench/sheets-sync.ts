/**
 * A Google Sheets connector end to end through the local Worker (`wrangler dev`, local
 * R2/D1/Queues/DOs) against the test fake of Google's OAuth and Sheets API
 * (test/fakes/google-sheets.ts) served over plain HTTP from this process, without artificial
 * latency. The spreadsheet holds 100,000 generated catalog rows (a tenth with doubled spaces in the
 * title, every 25th price written as text with a decimal comma). The connector is created and
 * authorized through the public API (authorize_url, the fake's consent, the confirmation page,
 * confirm), synced with fixes, and its corrections pushed back; the run reports rows/s and the
 * Sheets requests per 1,000 rows, counted by the fake, for the sync and for the push.
 *
 *   npm run bench -- sheets [--rows 100000]
 */
import { FAKE_GOOGLE_CLIENT_ID, FAKE_GOOGLE_CLIENT_SECRET, googleParts } from "../test/fakes/google-sheets";
import { serveFakeParts } from "./fake-http";
import { startLocalWorker, type LocalWorker } from "./local-worker";

const PORT = 8799;
const OWNER = "bench-seller@example.com";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The fake on one local port: /auth/* consent, /token/* the token endpoint, /sheets/* the Sheets API. */
function serveFake() {
  return serveFakeParts(async (part, request) =>
    part === "auth" ? googleParts.authorize(request) : part === "token" ? googleParts.token(request) : part === "sheets" ? googleParts.sheets(request) : new Response("unknown part", { status: 404 }),
  );
}

const control = (path: string, init?: RequestInit) => googleParts.control(new Request(`http://control.test${path}`, init));

async function counters(id: string): Promise<{ requests: number; byKind: Record<string, number>; rowsRead: number; writes: unknown[] }> {
  return ((await (await control(`/spreadsheets/${id}`)).json()) as any).counters;
}

async function connect(worker: LocalWorker, spreadsheetId: string): Promise<string> {
  const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const connector = (await (await worker.call("/connectors", json({ type: "google_sheets", name: "Bench sheet", push_fields: ["title", "price"], config: { spreadsheet: spreadsheetId } }))).json()) as any;
  const consent = await fetch(connector.authorize_url, { redirect: "manual", headers: { "x-fake-user": OWNER } });
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

function report(label: string, rows: number, seconds: number, before: Awaited<ReturnType<typeof counters>>, after: Awaited<ReturnType<typeof counters>>) {
  const requests = after.requests - before.requests;
  console.log(`\n### ${label}`);
  console.log(`end to end: ${seconds.toFixed(1)} s → ${Math.round(rows / seconds).toLocaleString("en")} rows/s`);
  console.log(`Sheets requests: ${requests.toLocaleString("en")} → ${((requests / rows) * 1000).toFixed(2)} per 1,000 rows`);
  for (const [kind, n] of Object.entries(after.byKind)) {
    const d = n - (before.byKind[kind] ?? 0);
    if (d > 0) console.log(`  ${String(d).padStart(6)}  ${kind}`);
  }
  // At Sheets' own quota (60 requests a minute per user) the requests alone take this long.
  console.log(`at Sheets' quota of 60 requests/minute per user: ≥ ${(requests / 60).toFixed(1)} min`);
}

export async function runSheetsBench() {
  const rows = arg("rows", 100_000);
  const spreadsheetId = `1BenchSheet${Date.now()}`;
  const fake = await serveFake();
  let worker: LocalWorker | undefined;
  try {
    const created = await control(`/spreadsheets/${spreadsheetId}`, { method: "PUT", body: JSON.stringify({ owner: OWNER, sheets: [{ title: "Produtos", generate: rows }] }) });
    if (created.status !== 204) throw new Error(`the fake refused the spreadsheet: ${created.status}`);
    console.log(`\n## Google Sheets: a ${rows.toLocaleString("en")}-row sheet from a local fake through the local Worker`);
    worker = await startLocalWorker(PORT, {
      RATE_LIMIT_PER_MINUTE: "100000",
      GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT_SECRET,
      GOOGLE_AUTH_URL: `${fake.base}/auth/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${fake.base}/token/token`,
      GOOGLE_SHEETS_API_URL: `${fake.base}/sheets`,
      // The fake adds no latency and no quota; lift the connector's own bucket (60/minute by default) too,
      // so the figure is the pipeline's. The quota's floor is printed beside it.
      GOOGLE_SHEETS_REQUESTS_PER_MINUTE: "1000000",
    });
    const connectorId = await connect(worker, spreadsheetId);

    let before = await counters(spreadsheetId);
    let started = performance.now();
    const res = await worker.call(`/connectors/${connectorId}/sync`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apply_fixes: true }) });
    const job = (await res.json()) as any;
    let state: any;
    for (;;) {
      state = await (await worker.call(`/jobs/${job.id}`)).json();
      if (["completed", "failed", "cancelled"].includes(state.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (state.status !== "completed") throw new Error(`sync job ended ${state.status}: ${JSON.stringify(state.error)}`);
    report(
      `Sync with fixes: ${state.counts.records.toLocaleString("en")} records, ${state.counts.invalid.toLocaleString("en")} invalid, ${state.counts.corrected.toLocaleString("en")} corrected, ${state.progress.chunks_total} chunks`,
      rows,
      (performance.now() - started) / 1000,
      before,
      await counters(spreadsheetId),
    );

    before = await counters(spreadsheetId);
    started = performance.now();
    const push = (await (await worker.call(`/connectors/${connectorId}/push`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ job_id: job.id }) })).json()) as any;
    let pushed: any;
    for (;;) {
      pushed = await (await worker.call(`/connectors/${connectorId}/pushes/${push.id}?items_limit=1`)).json();
      if (["completed", "failed"].includes(pushed.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (pushed.status !== "completed") throw new Error(`push ended ${pushed.status}: ${JSON.stringify(pushed.error)}`);
    const after = await counters(spreadsheetId);
    report(
      `Push of the changed cells: ${pushed.counts.accepted.toLocaleString("en")} rows, ${(after.writes.length - before.writes.length).toLocaleString("en")} cells written (rows/s over the sheet's ${rows.toLocaleString("en")} rows)`,
      rows,
      (performance.now() - started) / 1000,
      before,
      after,
    );
  } finally {
    worker?.stop();
    fake.server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSheetsBench();
