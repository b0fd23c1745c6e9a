import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import { addResult, emptySummary } from "../../src/core/report/summary";
import { compilePack, parsePack } from "../../src/core/rules";
import type { Env } from "../../src/env";
import { coordinator, createJob } from "../../src/services/jobs/jobs";
import { finalizeJob, planJob, runChunk } from "../../src/services/jobs/runner";
import { jobObjects } from "../../src/storage/job-objects";
import { PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { largeXlsx, type SheetValue } from "../fixtures/tabular/catalog-xlsx";
import { call, createPack, env, newAccount, uploadFile } from "../helpers";
import { recordingQueue } from "./recording-queue";

/**
 * Inputs at the sizes sellers bring, through the public upload and results API. The queue is
 * replaced by a recorder and its messages are run here, so the chunk size can be realistic
 * (JOB_CHUNK_ROWS is 50 for the other worker tests) and every failure surfaces in the test.
 * Each conversion writes more than two multipart parts, which is what used to fail.
 */
const MIB = 1024 * 1024;
const ROWS_PER_CHUNK = "20000";

function recordingEnv() {
  const { queue, sent } = recordingQueue();
  const recording = { ...(env as unknown as Env), JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue, JOB_CHUNK_ROWS: ROWS_PER_CHUNK };
  return { env: recording, take: (kind: JobMessage["kind"]) => sent.filter((m) => m.kind === kind) as any[] };
}

/** Runs a job over an uploaded file step by step, as the queue consumers would. */
async function runJob(account: { accountId: string; key: string }, fileId: string) {
  const rec = recordingEnv();
  const job = await createJob(rec.env, { accountId: account.accountId }, { source: { file_id: fileId }, rulePack: "pipeline-test", applyFixes: false, locale: "en" });
  await planJob(rec.env, rec.take("plan")[0]);
  const planned = await coordinator(rec.env, job.id).snapshot();
  expect(planned.error).toBeNull();
  const chunks = rec.take("chunk");
  for (const chunk of chunks) await runChunk(rec.env, chunk);
  // Past 100,000 rows the finalize message fans out one message per uniqueness partition: run them as they come.
  let ran = 0;
  for (let finalize = rec.take("finalize"); ran < finalize.length; finalize = rec.take("finalize")) await finalizeJob(rec.env, finalize[ran++]);
  const state = (await (await call(`/api/v1/jobs/${job.id}`, { key: account.key })).json()) as any;
  const result = (await (await call(`/api/v1/jobs/${job.id}/result`, { key: account.key })).json()) as any;
  return { job, state, result, chunks: chunks.length };
}

/** What one pass over the same records gives, uniqueness across the whole file included. */
/** The core's own summary of the records, numbered from `firstRow` (a sheet's first data row is 2; a JSON array's first record is 1). */
function oracle(records: Record<string, unknown>[], firstRow: number) {
  const pack = compilePack(parsePack(PIPELINE_PACK), () => undefined);
  const validator = pack.createValidator({ locale: "en" });
  const summary = emptySummary();
  records.forEach((record, i) => addResult(summary, validator.validate(record, i + firstRow)));
  return summary;
}

const BRANDS = ["Samsung", "Motorola", "Xiaomi", "Apple", "Lenovo", "Dell", "Nike", "Adidas", "Mondial", "Philco"];
const COLORS = ["Azul-escuro", "Preto", "Verde-claro", "Grafite", "Lilás", "Branco"];

/** Columns a real export carries beside the ones the pack reads; none is named after a canonical field. */
function extras(i: number): SheetValue[] {
  const numbers = Array.from({ length: 8 }, (_v, k) => Math.round(((i * (k + 3) * 7.31) % 100_000) * 100) / 100);
  return [...numbers, `Marca ${BRANDS[i % BRANDS.length]}`, `Cor ${COLORS[i % COLORS.length]}`, `Lote de importação ${i % 97}`, `Depósito ${i % 5}`];
}
const EXTRA_HEADER = Array.from({ length: 12 }, (_v, k) => `extra_${String(k + 1).padStart(2, "0")}`);

describe("large inputs through the job pipeline", () => {
  it(
    "completes a 100,000-row XLSX (openpyxl layout, tens of MB of sheet XML) with exact counts",
    async () => {
      const account = await newAccount();
      await createPack(account.key, PIPELINE_PACK);
      const catalog = sellerCatalog(100_000);
      const workbook = await largeXlsx(["sku", "title", "description", "price", ...EXTRA_HEADER], function* () {
        for (let i = 0; i < catalog.length; i++) {
          const r = catalog[i];
          yield [r.sku, r.title, r.description, r.price, ...extras(i)];
        }
      });
      expect(workbook.sheetXmlBytes).toBeGreaterThan(50 * MIB);
      const file = await uploadFile(account.key, workbook.bytes, "catalogo.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      expect(file.format).toBe("xlsx");

      const { job, state, result, chunks } = await runJob(account, file.id);
      expect(state.status).toBe("completed");
      expect(chunks).toBe(5);
      expect(state.progress).toMatchObject({ rows_processed: 100_000, rows_total: 100_000, chunks_done: 5, chunks_total: 5 });
      const converted = await env.FILES.head(jobObjects.sheetInput(account.accountId, job.id));
      expect(converted!.size).toBeGreaterThan(16 * MIB);
      expect(result.summary).toEqual(oracle(catalog, 2));
    },
    600_000,
  );

  it(
    "completes a 120,000-record JSON array of more than 50 MB with exact counts",
    async () => {
      const account = await newAccount();
      await createPack(account.key, PIPELINE_PACK);
      const records: Record<string, unknown>[] = sellerCatalog(120_000).map((r, i) => {
        const more: Record<string, unknown> = {};
        extras(i).forEach((v, k) => (more[EXTRA_HEADER[k]] = typeof v === "number" ? v : `${v} — observação do fornecedor ${i}`));
        return { ...r, ...more };
      });
      const body = new TextEncoder().encode(JSON.stringify(records, null, 1));
      expect(body.length).toBeGreaterThan(50 * MIB);
      const file = await uploadFile(account.key, body, "catalogo.json", "application/json");
      expect(file.format).toBe("json");

      const { job, state, result, chunks } = await runJob(account, file.id);
      expect(state.status).toBe("completed");
      expect(chunks).toBe(6);
      expect(state.progress).toMatchObject({ rows_processed: 120_000, rows_total: 120_000, chunks_done: 6, chunks_total: 6 });
      const converted = await env.FILES.head(jobObjects.ndjsonInput(account.accountId, job.id));
      expect(converted!.size).toBeGreaterThan(16 * MIB);
      expect(result.summary).toEqual(oracle(records, 1));
    },
    600_000,
  );
});
