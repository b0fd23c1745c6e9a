import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import { recordJobUsage } from "../../src/services/billing/job-usage";
import worker from "../../src/index";
import { RECEIPT_RETENTION_MS, recordUsage, usageSummary } from "../../src/services/billing/usage";
import { coordinator, createJob, syncJob } from "../../src/services/jobs/jobs";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { call, createPack, env, newAccount, uploadFile, waitForJob } from "../helpers";
import { connectedStore, newSeller, syncAndWait } from "../connectors/helpers";

const used = async (accountId: string) => (await usageSummary(env as unknown as Env, accountId)).used;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, title: `Produto ${i}`, price: 10 + i }));
}

/** The pipeline driven step by step: queue messages are recorded, and each test decides what runs when (and twice). */
function recordingEnv() {
  const sent: JobMessage[] = [];
  const queue = { sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: JobMessage) => void sent.push(body) } as unknown as Queue;
  const recording = { ...(env as unknown as Env), JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue };
  return { env: recording, take: <K extends JobMessage["kind"]>(kind: K) => sent.filter((m): m is Extract<JobMessage, { kind: K }> => m.kind === kind) };
}

describe("usage metering: POST /validate", () => {
  it("counts each record of a request once, and nothing for a request refused before its work", async () => {
    const { key, accountId } = await newAccount();
    const ok = await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "mercadolivre", records: records(7) } });
    expect(ok.status).toBe(200);
    expect(await used(accountId)).toBe(7);
    const again = await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(3) } });
    expect(again.status).toBe(200);
    expect(await used(accountId)).toBe(10);

    // An unknown pack (404), too many records (413), a bad body (400): nothing was validated.
    expect((await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "nope", records: records(2) } })).status).toBe(404);
    expect((await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(1001) } })).status).toBe(413);
    expect((await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: [] } })).status).toBe(400);
    expect(await used(accountId)).toBe(10);
  });

  it("gives back what a request was charged when a record cannot be read by its mapping (422)", async () => {
    const { key, accountId } = await newAccount();
    const mapping = { marketplace: "mercadolivre", fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome" }] };
    const res = await call("/api/v1/validate", { method: "POST", key, json: { mapping, records: [{ Código: "A1", Nome: "Camiseta" }, { Código: "A2", NOME: "Boné", nome: "boné" }] } });
    expect(res.status).toBe(422);
    expect(await used(accountId)).toBe(0);
  });

  it("counts the records of a mapping preview through the API (it validates them like /validate)", async () => {
    const { key, accountId } = await newAccount();
    const created = await call("/api/v1/mappings", {
      method: "POST",
      key,
      json: { name: "Planilha", marketplace: "mercadolivre", fields: [{ target: "sku", source: "Código" }, { target: "title", source: "Nome" }] },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const preview = await call(`/api/v1/mappings/${id}/preview`, { method: "POST", key, json: { records: [{ Código: "A1", Nome: "Camiseta" }, { Código: "A2", Nome: "Boné" }] } });
    expect(preview.status).toBe(200);
    expect(await used(accountId)).toBe(2);
  });

  it("keeps each account's usage to itself", async () => {
    const a = await newAccount();
    const b = await newAccount();
    await call("/api/v1/validate", { method: "POST", key: a.key, json: { rule_pack: "common", records: records(4) } });
    expect(await used(a.accountId)).toBe(4);
    expect(await used(b.accountId)).toBe(0);
  });
});

describe("usage metering: jobs", () => {
  it("counts a multi-chunk file job's records exactly, as the job coordinator counted them", async () => {
    const { key, accountId } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const file = await uploadFile(key, catalogCsv(sellerCatalog(230)), "c.csv");
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "pipeline-test" } });
    expect(res.status).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(job.progress.chunks_total).toBe(5);
    expect(await used(accountId)).toBe(230);
  });

  it("counts every chunk once however often the queue re-delivers it, or the usage outbox is drained again", async () => {
    const { key, accountId } = await newAccount();
    await createPack(key, PIPELINE_PACK);
    const file = await uploadFile(key, catalogCsv(sellerCatalog(230)), "c.csv");
    const rec = recordingEnv();
    const job = await createJob(rec.env, { accountId }, { source: { file_id: file.id }, rulePack: "pipeline-test", applyFixes: false, locale: "en" });
    await planJob(rec.env, rec.take("plan")[0]);
    await planJob(rec.env, rec.take("plan")[0]);
    const chunks = rec.take("chunk");
    for (const message of [...chunks, chunks[0], chunks[3], chunks[3]]) await runChunk(rec.env, message);
    for (const message of rec.take("finalize")) await finalizeJob(rec.env, message);
    await syncJob(rec.env, job.id);
    expect(await used(accountId)).toBe(230);

    // A drain that recorded usage but died before acknowledging it runs again: the chunk keys stop a second count.
    await recordJobUsage(rec.env, job, [{ chunk: 0, records: 50 }, { chunk: 4, records: 30 }]);
    expect(await used(accountId)).toBe(230);
    expect(await coordinator(rec.env, job.id).pendingUsage()).toEqual([]);
  });

  it("counts nothing for the dashboard's sample catalog", async () => {
    const { key, accountId } = await newAccount();
    const sample = await call("/api/v1/files/sample", { method: "POST", key });
    expect(sample.status).toBe(201);
    const file = (await sample.json()) as { id: string };
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "mercadolivre", options: { apply_fixes: true } } });
    expect(res.status).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(40);
    expect(await used(accountId)).toBe(0);
  });

  it("counts inline-record jobs like files", async () => {
    const { key, accountId } = await newAccount();
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(120) }, rule_pack: "common" } });
    expect(res.status).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(await used(accountId)).toBe(120);
  });
});

describe("usage metering: connector syncs", () => {
  it("counts a feed sync's records, and nothing for a sync that finds the feed unchanged", async () => {
    const { key, accountId } = await newAccount();
    const name = `feed-${crypto.randomUUID().slice(0, 8)}.csv`;
    const published = await fetch(`https://control.feeds.test/feeds/${name}`, {
      method: "PUT",
      body: JSON.stringify({ body: "sku,title,price\nA1,Camiseta,10.00\nA2,,20.00\nA3,Caneca,\n", etag: '"v1"' }),
    });
    expect(published.status).toBe(204);
    const created = await call("/api/v1/connectors", { method: "POST", key, json: { type: "url", name: "Feed", config: { url: `https://shop.feeds.test/${name}` } } });
    expect(created.status).toBe(201);
    const connector = (await created.json()) as any;
    expect((await syncAndWait(key, connector.id)).counts.records).toBe(3);
    expect(await used(accountId)).toBe(3);
    const unchanged = await syncAndWait(key, connector.id);
    expect(unchanged.status).toBe("completed");
    expect(await used(accountId)).toBe(3);
  });

  it("counts the marketplace items a sync validated, not the ones the marketplace would not return", async () => {
    const { key, accountId } = await newAccount();
    const seller = await newSeller({ generate: 30 });
    await seller.script({ unavailable: { MLB900000005: 500, MLB900000017: 404 } });
    const connector = await connectedStore(key, seller);
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBeGreaterThanOrEqual(30);
    expect(await used(accountId)).toBe(job.counts.records - 2);
  });
});

describe("recordUsage", () => {
  it("is idempotent by dedupe key, and keeps usage per hour", async () => {
    const { accountId } = await newAccount();
    const e = env as unknown as Env;
    const at = Date.UTC(2026, 4, 10, 13, 15);
    expect(await recordUsage(e, accountId, 12, { source: "job", dedupeKey: "job_x:chunk:0", now: at })).toEqual({ counted: true, used: 12 });
    expect(await recordUsage(e, accountId, 12, { source: "job", dedupeKey: "job_x:chunk:0", now: at })).toEqual({ counted: false, used: 12 });
    await recordUsage(e, accountId, 5, { source: "connector", dedupeKey: "job_y:chunk:0", now: at + 3_600_000 });
    const hours = await e.DB.prepare("SELECT hour, records FROM usage_hours WHERE account_id = ? ORDER BY hour").bind(accountId).all();
    expect(hours.results).toEqual([
      { hour: Date.UTC(2026, 4, 10, 13), records: 12 },
      { hour: Date.UTC(2026, 4, 10, 14), records: 5 },
    ]);
  });
});

describe("the minute cron", () => {
  it("purges usage receipts past retention and expired holds, and keeps the hourly counts", async () => {
    const { accountId } = await newAccount();
    const e = env as unknown as Env;
    const now = Date.now();
    await recordUsage(e, accountId, 3, { source: "job", dedupeKey: "old", now: now - RECEIPT_RETENTION_MS - 60_000 });
    await recordUsage(e, accountId, 4, { source: "job", dedupeKey: "recent", now });
    await e.DB.batch([
      e.DB.prepare("INSERT INTO usage_holds (account_id, hold_key, records, created_at, expires_at) VALUES (?1, 'job:dead', 9, ?2, ?2)").bind(accountId, now - 1),
      e.DB.prepare("INSERT INTO usage_holds (account_id, hold_key, records, created_at, expires_at) VALUES (?1, 'job:alive', 9, ?2, ?3)").bind(accountId, now, now + 60_000),
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: now }), e);
    const receipts = await e.DB.prepare("SELECT dedupe_key FROM usage_receipts WHERE account_id = ?").bind(accountId).all();
    expect(receipts.results.map((r) => r.dedupe_key)).toEqual(["recent"]);
    const holds = await e.DB.prepare("SELECT hold_key FROM usage_holds WHERE account_id = ?").bind(accountId).all();
    expect(holds.results.map((r) => r.hold_key)).toEqual(["job:alive"]);
    const hours = await e.DB.prepare("SELECT sum(records) AS total FROM usage_hours WHERE account_id = ?").bind(accountId).first<{ total: number }>();
    expect(hours?.total).toBe(7);
  });
});
