import { describe, expect, it } from "vitest";
import { config } from "../../src/config";
import { runScheduled } from "../../src/cron";
import { JOBS_CURSOR_KEY, sweepRetention } from "../../src/services/retention";
import { call, env, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

const DAY = 24 * 60 * 60 * 1000;
/** RETENTION_DAYS is not set in tests: the default. */
const RETENTION = 90 * DAY;

const RECORDS = [
  { sku: "TEN-1", title: "  Tênis  de corrida ", price: "199,90" },
  { sku: "TEN-2", title: "Tênis infantil", price: "0" },
];

async function runJob(key: string, source: { file_id: string } | { records: unknown[] }) {
  const res = await call("/api/v1/jobs", { method: "POST", key, json: { source, rule_pack: "common", options: { apply_fixes: true } } });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as any).id as string;
  const done = await waitForJob(key, id);
  expect(done.status).toBe("completed");
  return id;
}

async function sql(query: string, ...params: unknown[]) {
  return env.DB.prepare(query).bind(...params).run();
}

async function objectsUnder(prefix: string) {
  return (await env.FILES.list({ prefix })).objects.map((o) => o.key);
}

/** A multipart upload of a small CSV, completed into a file or left open. */
async function multipartUpload(key: string, complete: boolean): Promise<string> {
  const upload = (await (await call("/api/v1/files/uploads", { method: "POST", key, json: { name: "partes.csv" } })).json()) as any;
  expect((await call(`/api/v1/files/uploads/${upload.upload_id}/parts/1`, { method: "PUT", key, body: "sku;title\r\nA;B\r\n" })).status).toBe(200);
  if (complete) expect((await call(`/api/v1/files/uploads/${upload.upload_id}/complete`, { method: "POST", key })).status).toBe(201);
  return upload.upload_id;
}

/** Starts the results sweep after every job that exists now, so a test sees only its own jobs. */
async function sweepOnlyNewJobs() {
  const last = await env.DB.prepare("select max(id) as id from jobs").first<{ id: string | null }>();
  if (last?.id) await env.FILES.put(JOBS_CURSOR_KEY, last.id);
  else await env.FILES.delete(JOBS_CURSOR_KEY);
}

async function fileRow(id: string) {
  return env.DB.prepare("select id from files where id = ?").bind(id).first();
}

describe("RETENTION_DAYS", () => {
  it("defaults to 90 and must be a whole number of days above 0", () => {
    expect(config({ ENVIRONMENT: "development" }).retentionDays).toBe(90);
    expect(config({ ENVIRONMENT: "development", RETENTION_DAYS: "30" }).retentionDays).toBe(30);
    expect(() => config({ ENVIRONMENT: "development", RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS must be greater than 0/);
    expect(() => config({ ENVIRONMENT: "development", RETENTION_DAYS: "90d" })).toThrow(/RETENTION_DAYS must be a whole number/);
  });
});

describe("job results past the retention period", () => {
  it("answer 410 Gone on every result endpoint, in the reader's language, while the job and its counts stay", async () => {
    const { key } = await newAccount();
    const jobId = await runJob(key, { records: RECORDS });
    const before = (await (await call(`/api/v1/jobs/${jobId}`, { key })).json()) as any;

    await sql("update jobs set finished_at = ? where id = ?", Date.now() - RETENTION + 60_000, jobId);
    expect((await call(`/api/v1/jobs/${jobId}/result`, { key })).status).toBe(200);

    await sql("update jobs set finished_at = ? where id = ?", Date.now() - RETENTION - 60_000, jobId);
    for (const path of ["result", "result/issues?format=json", "result/issues?format=csv", "result/corrected"]) {
      await expectProblem(await call(`/api/v1/jobs/${jobId}/${path}`, { key }), 410, "gone");
    }
    const en = (await (await call(`/api/v1/jobs/${jobId}/result`, { key })).json()) as any;
    expect(en.detail).toContain("results are kept 90 days after a job finishes");
    expect(en).toMatchObject({ title: "Gone", retention_days: 90, expired_at: expect.any(String) });
    const pt = await expectProblem(await call(`/api/v1/jobs/${jobId}/result`, { key, headers: { "accept-language": "pt-BR" } }), 410, "gone");
    expect(pt.detail).toContain("os resultados ficam guardados por 90 dias depois que o job termina");

    const after = (await (await call(`/api/v1/jobs/${jobId}`, { key })).json()) as any;
    expect(after.status).toBe("completed");
    expect(after.counts).toEqual(before.counts);
  });
});

describe("the retention sweep", () => {
  it("deletes files unused for the period, bytes and row, and keeps files a job read recently or still reads", async () => {
    const { key, accountId } = await newAccount();
    const other = await newAccount();
    const csv = "sku;title;price\r\nA-1;Tênis;10,00\r\n";
    const old = await uploadFile(key, csv, "old.csv");
    const recent = await uploadFile(key, csv, "recent.csv");
    const readLongAgo = await uploadFile(key, csv, "read-long-ago.csv");
    const readRecently = await uploadFile(key, csv, "read-recently.csv");
    const inUse = await uploadFile(key, csv, "in-use.csv");
    const othersOld = await uploadFile(other.key, csv, "others.csv");
    const finishedUpload = await multipartUpload(key, true);
    const openUpload = await multipartUpload(key, false);
    await runJob(key, { file_id: readLongAgo.id });
    const recentJob = await runJob(key, { file_id: readRecently.id });
    const busyJob = await runJob(key, { file_id: inUse.id });

    // Seen from 91 days ahead, every upload and finished job of this test is older than the period…
    const now = Date.now() + RETENTION + DAY;
    // …except what is moved closer to that moment.
    await sql("update files set created_at = ? where id = ?", now - DAY, recent.id);
    await sql("update jobs set finished_at = ? where id = ?", now - DAY, recentJob);
    await sql("update jobs set status = 'running', finished_at = null where id = ?", busyJob);

    await sweepRetention(env, now, { jobs: 0 });

    for (const gone of [old, readLongAgo, othersOld]) {
      expect(await fileRow(gone.id)).toBeNull();
      expect(await objectsUnder(`uploads/`)).not.toContainEqual(expect.stringContaining(gone.id));
    }
    // The multipart upload that became a file goes with it; one still open is left to its own expiry.
    expect(await env.DB.prepare("select status from uploads where id = ?").bind(finishedUpload).first()).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from upload_parts where upload_id = ?").bind(finishedUpload).first()).toEqual({ n: 0 });
    expect(await env.DB.prepare("select status from uploads where id = ?").bind(openUpload).first()).toEqual({ status: "open" });
    for (const kept of [recent, readRecently, inUse]) {
      expect(await fileRow(kept.id)).not.toBeNull();
      expect(await env.FILES.head(`uploads/${accountId}/${kept.id}`)).not.toBeNull();
    }
    await expectProblem(await call(`/api/v1/files/${old.id}`, { key }), 404);
  });

  it("deletes finished jobs' results a bounded batch per run, in job order, keeping the rows and counts", async () => {
    const { key, accountId } = await newAccount();
    await sweepOnlyNewJobs();
    const ids = [await runJob(key, { records: RECORDS }), await runJob(key, { records: RECORDS }), await runJob(key, { records: RECORDS })];
    for (const id of ids) expect((await objectsUnder(`jobs/${accountId}/${id}/`)).length).toBeGreaterThan(1);
    const counts = await Promise.all(ids.map(async (id) => ((await (await call(`/api/v1/jobs/${id}`, { key })).json()) as any).counts));
    const now = Date.now() + RETENTION + DAY;

    expect(await sweepRetention(env, now, { files: 0, jobs: 2 })).toEqual({ files: 0, jobs: 2 });
    expect(await objectsUnder(`jobs/${accountId}/${ids[0]}/`)).toEqual([]);
    expect(await objectsUnder(`jobs/${accountId}/${ids[1]}/`)).toEqual([]);
    expect((await objectsUnder(`jobs/${accountId}/${ids[2]}/`)).length).toBeGreaterThan(0);

    // The next minute goes on where this one stopped.
    expect(await sweepRetention(env, now, { files: 0, jobs: 2 })).toEqual({ files: 0, jobs: 1 });
    expect(await objectsUnder(`jobs/${accountId}/`)).toEqual([]);
    expect(await sweepRetention(env, now, { files: 0, jobs: 2 })).toEqual({ files: 0, jobs: 0 });

    const after = await Promise.all(ids.map(async (id) => ((await (await call(`/api/v1/jobs/${id}`, { key })).json()) as any).counts));
    expect(after).toEqual(counts);
  });

  it("waits for a job that finished after the cutoff before going past it", async () => {
    const { key, accountId } = await newAccount();
    await sweepOnlyNewJobs();
    const first = await runJob(key, { records: RECORDS });
    const second = await runJob(key, { records: RECORDS });
    const now = Date.now() + RETENTION + DAY;
    await sql("update jobs set finished_at = ? where id = ?", now - DAY, first);

    expect(await sweepRetention(env, now, { files: 0 })).toEqual({ files: 0, jobs: 0 });
    expect((await objectsUnder(`jobs/${accountId}/${second}/`)).length).toBeGreaterThan(0);

    // Once the period has passed for the first job too, both go.
    expect(await sweepRetention(env, now + RETENTION, { files: 0 })).toEqual({ files: 0, jobs: 2 });
    expect(await objectsUnder(`jobs/${accountId}/`)).toEqual([]);
  });

  it("cancels a job that never finished within the period, and deletes its objects", async () => {
    const { key, accountId } = await newAccount();
    await sweepOnlyNewJobs();
    const stuck = await runJob(key, { records: RECORDS });
    await sql("update jobs set status = 'running', finished_at = null where id = ?", stuck);
    const now = Date.now() + RETENTION + DAY;

    expect(await sweepRetention(env, now, { files: 0 })).toEqual({ files: 0, jobs: 1 });
    expect(await env.DB.prepare("select status, finished_at from jobs where id = ?").bind(stuck).first()).toEqual({ status: "cancelled", finished_at: now });
    expect(await objectsUnder(`jobs/${accountId}/${stuck}/`)).toEqual([]);
  });

  it("runs from the minute cron", async () => {
    const { key } = await newAccount();
    const file = await uploadFile(key, "sku;title\r\nA;B\r\n", "cron.csv");
    await runScheduled({ scheduledTime: Date.now() + RETENTION + DAY, cron: "* * * * *", noRetry() {} }, env);
    expect(await fileRow(file.id)).toBeNull();
  });
});
