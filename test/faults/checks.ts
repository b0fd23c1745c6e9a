import { expect } from "vitest";
import { createEndpoint } from "../webhook-harness";
import { fakeReceiver, type Scripted } from "../fakes/webhook-receiver-client";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { call, createPack, env, newAccount, uploadFile } from "../helpers";
import { type LogLine, logs, Rig } from "./rig";

/**
 * What every fault test checks after its fault: the job ended as it must, with exactly the
 * counts, issues and corrected file of the same job run without faults; each of its events was
 * recorded once and delivered once (one webhook-id per event across every attempt); usage and the
 * operator's KPIs counted it once; and the fault left its structured log line.
 */

/** 230 rows: five chunks at the tests' JOB_CHUNK_ROWS of 50, with duplicate SKUs across chunks (a finalize step). */
export const ROWS = 230;
export const CHUNKS = 5;

export interface Seller {
  key: string;
  accountId: string;
  fileId: string;
  rig: Rig;
  receiver: Awaited<ReturnType<typeof fakeReceiver>>;
  /** Re-scripts the receiver (it keeps what it received). */
  script: (script: { responses?: Scripted[]; otherwise?: Scripted }) => Promise<void>;
}

export async function seller(script: { responses?: Scripted[]; otherwise?: Scripted } = {}): Promise<Seller> {
  const { key, accountId } = await newAccount();
  await createPack(key, PIPELINE_PACK);
  const file = await uploadFile(key, catalogCsv(sellerCatalog(ROWS)), "catalogo.csv");
  const receiver = await fakeReceiver(script);
  await createEndpoint(key, { url: receiver.url, events: ["*"] });
  const control = receiver.url.replace("https://hooks.receiver.test/", "https://control.receiver.test/bins/");
  return {
    key,
    accountId,
    fileId: file.id,
    rig: new Rig(),
    receiver,
    script: async (next) => {
      const res = await fetch(control, { method: "PUT", body: JSON.stringify(next) });
      expect(res.status).toBe(204);
    },
  };
}

export function jobRequest(fileId: string) {
  return { source: { file_id: fileId }, rule_pack: "pipeline-test", options: { apply_fixes: true } };
}

export interface JobOutcome {
  status: string;
  error: { code: string } | null;
  counts: unknown;
  progress: unknown;
  summary?: unknown;
  issues?: string[];
  corrected?: string;
}

/** The job as its owner sees it through the API, with its results when it completed. */
export async function outcomeOf(key: string, jobId: string): Promise<JobOutcome> {
  const job = (await (await call(`/api/v1/jobs/${jobId}`, { key })).json()) as any;
  const outcome: JobOutcome = { status: job.status, error: job.error, counts: job.counts, progress: job.progress };
  if (job.status !== "completed") return outcome;
  outcome.summary = ((await (await call(`/api/v1/jobs/${jobId}/result`, { key })).json()) as any).summary;
  const issues = await (await call(`/api/v1/jobs/${jobId}/result/issues?format=ndjson`, { key })).text();
  outcome.issues = issues.split("\n").filter(Boolean).sort();
  outcome.corrected = await (await call(`/api/v1/jobs/${jobId}/result/corrected`, { key })).text();
  return outcome;
}

/** Operator KPI totals (all hours) of one metric and outcome, to compare before and after a job. */
export async function kpiTotal(metric: string, dimension: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM kpi_rollups WHERE metric = ? AND dimension = ?").bind(metric, dimension).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function kpiSnapshot() {
  return {
    completed: await kpiTotal("job", "completed"),
    failed: await kpiTotal("job", "failed"),
    delivered: await kpiTotal("webhook_outcome", "succeeded"),
    firstFailed: await kpiTotal("webhook_first_attempt", "failed"),
    firstSucceeded: await kpiTotal("webhook_first_attempt", "succeeded"),
  };
}

/** The job's events as recorded (one row per fact: the dedupe key makes a repeated sync record nothing). */
export async function jobEvents(accountId: string, jobId: string) {
  const { results } = await env.DB.prepare("SELECT id, type, dedupe_key, data FROM events WHERE account_id = ? ORDER BY id").bind(accountId).all<{
    id: string;
    type: string;
    dedupe_key: string;
    data: string;
  }>();
  return results.filter((e) => (JSON.parse(e.data) as { job_id?: string }).job_id === jobId);
}

/** Each event the job must have produced, once: its status changes, then its completion and corrections. */
export function expectedEvents(jobId: string, end: "completed" | "failed") {
  const keys = [`${jobId}:1:status`, `${jobId}:2:status`];
  if (end === "completed") keys.push(`${jobId}:completed`, `${jobId}:corrected`);
  return keys.sort();
}

export async function expectEventsOnce(accountId: string, jobId: string, end: "completed" | "failed") {
  const events = await jobEvents(accountId, jobId);
  expect(events.map((e) => e.dedupe_key).sort()).toEqual(expectedEvents(jobId, end));
  return events;
}

async function outstanding(accountId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE account_id = ? AND status IN ('pending', 'sending')")
    .bind(accountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export interface DeliveryReport {
  deliveries: number;
  succeeded: number;
  attempts: number;
  /** Simulated minutes from the first attempt to the last delivery. */
  spanMinutes: number;
}

/**
 * Runs the account's webhook deliveries to the end on a simulated clock, then checks each event
 * reached the receiver exactly once with a 2xx, under its own id on every attempt.
 */
export async function deliverAndCheck(s: Seller, events: { id: string }[], at: { time: number; run: () => Promise<void> }[] = []): Promise<DeliveryReport> {
  const run = await s.rig.runWebhooks({ outstanding: () => outstanding(s.accountId), at });
  const { results: deliveries } = await env.DB.prepare("SELECT id, event_id, status, attempts FROM webhook_deliveries WHERE account_id = ?")
    .bind(s.accountId)
    .all<{ id: string; event_id: string; status: string; attempts: number }>();
  const { results: attempts } = await env.DB.prepare(
    "SELECT a.delivery_id, a.attempt, a.succeeded FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.account_id = ?",
  )
    .bind(s.accountId)
    .all<{ delivery_id: string; attempt: number; succeeded: number }>();
  const eventIds = events.map((e) => e.id).sort();
  // One delivery per event (one endpoint), every one of them delivered, each with one successful attempt.
  expect(deliveries.map((d) => d.event_id).sort()).toEqual(eventIds);
  expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => "succeeded"));
  for (const d of deliveries) expect(attempts.filter((a) => a.delivery_id === d.id && a.succeeded === 1)).toHaveLength(1);
  // The receiver saw exactly the recorded attempts, each under its event's id (stable across retries).
  const requests = await s.receiver.requests();
  expect(requests).toHaveLength(attempts.length);
  expect([...new Set(requests.map((r) => r.headers["webhook-id"]))].sort()).toEqual(eventIds);
  for (const r of requests) expect((JSON.parse(r.body) as { id: string }).id).toBe(r.headers["webhook-id"]);
  return {
    deliveries: deliveries.length,
    succeeded: deliveries.filter((d) => d.status === "succeeded").length,
    attempts: attempts.length,
    spanMinutes: Math.round((run.end - run.start) / 60_000),
  };
}

/** Validations recorded as the account's usage for the job: one receipt per counted chunk. */
export async function usageOf(accountId: string, jobId: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS receipts, COALESCE(SUM(records), 0) AS records FROM usage_receipts WHERE account_id = ? AND dedupe_key LIKE ?")
    .bind(accountId, `${jobId}:chunk:%`)
    .first<{ receipts: number; records: number }>();
  const hours = await env.DB.prepare("SELECT COALESCE(SUM(records), 0) AS records FROM usage_hours WHERE account_id = ?").bind(accountId).first<{ records: number }>();
  return { receipts: row!.receipts, records: row!.records, hours: hours!.records };
}

/** The Worker's structured log lines that carry these fields. */
export function logged(fields: Partial<LogLine>): LogLine[] {
  return logs.filter((line) => Object.entries(fields).every(([k, v]) => line[k] === v));
}
