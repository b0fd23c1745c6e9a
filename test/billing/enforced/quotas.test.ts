import { describe, expect, it } from "vitest";
import { calendarMonth } from "../../../src/core/billing/period";
import type { JobMessage } from "../../../src/core/jobs/types";
import type { Env } from "../../../src/env";
import { usageSummary } from "../../../src/services/billing/usage";
import { createJob, syncJob } from "../../../src/services/jobs/jobs";
import { planJob, runChunk } from "../../../src/services/jobs/runner";
import { call, env, expectProblem, newAccount, waitForJob } from "../../helpers";

const e = env as unknown as Env;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, title: `Produto ${i}`, price: 10 + i }));
}

const validate = (key: string, n: number, headers: Record<string, string> = {}) =>
  call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(n) }, headers });

/** Usage already counted this hour, as if the account had validated it. */
async function alreadyUsed(accountId: string, n: number) {
  await e.DB.prepare("INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, ?3) ON CONFLICT (account_id, hour) DO UPDATE SET records = records + excluded.records")
    .bind(accountId, Math.floor(Date.now() / 3_600_000) * 3_600_000, n)
    .run();
}

async function setPlan(accountId: string, plan: string) {
  await e.DB.prepare("UPDATE accounts SET plan = ?2 WHERE id = ?1").bind(accountId, plan).run();
}

const used = async (accountId: string) => (await usageSummary(e, accountId)).used;

function recordingEnv() {
  const sent: JobMessage[] = [];
  const queue = { sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: JobMessage) => void sent.push(body) } as unknown as Queue;
  const recording = { ...e, JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue };
  return { env: recording, take: <K extends JobMessage["kind"]>(kind: K) => sent.filter((m): m is Extract<JobMessage, { kind: K }> => m.kind === kind) };
}

describe("the Free quota on POST /validate", () => {
  it("lets exactly 10 of 20 concurrent requests of 10 records through on a fresh account; the others get 402", async () => {
    const { key, accountId } = await newAccount();
    const answers = await Promise.all(Array.from({ length: 20 }, () => validate(key, 10)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(10);
    expect(await used(accountId)).toBe(100);

    const refused = answers.find((r) => r.status === 402)!;
    const problem = (await expectProblem(refused, 402, "quota-exceeded")) as any;
    const month = calendarMonth(Date.now());
    expect(problem).toMatchObject({ plan: "free", remaining: 0, requested: 10, included: 100, limit: 100, reset_at: new Date(month.end).toISOString() });
    expect(problem.detail).toContain("Free");
    expect(refused.headers.get("vitrine-quota-limit")).toBe("100");
    expect(refused.headers.get("vitrine-quota-remaining")).toBe("0");
    expect(Number(refused.headers.get("vitrine-quota-reset"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBe(Number(refused.headers.get("vitrine-quota-reset")));
  });

  it("tells what is left on every response under quota, and refuses a request that does not fit as a whole (pt-BR and English)", async () => {
    const { key, accountId } = await newAccount();
    const first = await validate(key, 30);
    expect(first.status).toBe(200);
    expect(first.headers.get("vitrine-quota-limit")).toBe("100");
    expect(first.headers.get("vitrine-quota-remaining")).toBe("70");
    const reset = Number(first.headers.get("vitrine-quota-reset"));
    const month = calendarMonth(Date.now());
    expect(Math.abs(reset - (month.end - Date.now()) / 1000)).toBeLessThan(60);
    expect(first.headers.get("ratelimit-limit")).not.toBeNull();

    await alreadyUsed(accountId, 65);
    const tooMany = await validate(key, 10, { "accept-language": "pt-BR" });
    const problem = (await expectProblem(tooMany, 402, "quota-exceeded")) as any;
    expect(problem.title).toBe("Cota excedida");
    expect(problem.detail).toContain("o plano Free tem 5 das 100 deste mês");
    expect(problem.remaining).toBe(5);
    const english = (await expectProblem(await validate(key, 6), 402, "quota-exceeded")) as any;
    expect(english.title).toBe("Quota exceeded");
    expect(english.detail).toMatch(/needs 6 validations, but the Free plan has 5 of its 100 left this month/);

    const fits = await validate(key, 5);
    expect(fits.status).toBe(200);
    expect(fits.headers.get("vitrine-quota-remaining")).toBe("0");
    expect(await used(accountId)).toBe(100);
  });

  it("counts API mapping previews against the same quota", async () => {
    const { key, accountId } = await newAccount();
    const created = await call("/api/v1/mappings", { method: "POST", key, json: { name: "P", marketplace: "mercadolivre", fields: [{ target: "sku", source: "Código" }] } });
    const { id } = (await created.json()) as { id: string };
    await alreadyUsed(accountId, 99);
    const preview = (n: number) => call(`/api/v1/mappings/${id}/preview`, { method: "POST", key, json: { records: Array.from({ length: n }, (_, i) => ({ Código: `A${i}` })) } });
    await expectProblem(await preview(2), 402, "quota-exceeded");
    const ok = await preview(1);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("vitrine-quota-remaining")).toBe("0");
  });
});

describe("quotas of jobs", () => {
  it("fails a Free job whose records exceed what remains at plan time, before validating any, with quota_exceeded", async () => {
    const { key, accountId } = await newAccount();
    await alreadyUsed(accountId, 50);
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(60) }, rule_pack: "common" } });
    expect(res.status).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("quota_exceeded");
    expect(job.error.message).toMatch(/needs 60 validations, but the Free plan has 50 of its 100 left/);
    expect(job.counts.records).toBe(0);
    expect(job.progress.chunks_total).toBeNull();
    expect(await used(accountId)).toBe(50);

    const fits = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(50) }, rule_pack: "common" } });
    const done = await waitForJob(key, ((await fits.json()) as any).id);
    expect(done.status).toBe("completed");
    expect(await used(accountId)).toBe(100);
    expect((await usageSummary(e, accountId)).reserved).toBe(0);
  });

  it("reserves a running job's records, so requests and other jobs cannot take them meanwhile", async () => {
    const { accountId, key } = await newAccount();
    const rec = recordingEnv();
    const a = await createJob(rec.env, { accountId }, { source: { records: records(60) }, rulePack: "common", applyFixes: false, locale: "en" });
    await planJob(rec.env, rec.take("plan")[0]);
    expect(await usageSummary(e, accountId)).toMatchObject({ used: 0, reserved: 60, remaining: 40 });

    const refused = (await expectProblem(await validate(key, 41), 402, "quota-exceeded")) as any;
    expect(refused).toMatchObject({ remaining: 40, reserved: 60 });
    expect((await validate(key, 30)).status).toBe(200);

    const b = await createJob(rec.env, { accountId }, { source: { records: records(20) }, rulePack: "common", applyFixes: false, locale: "en" });
    await planJob(rec.env, rec.take("plan").find((m) => m.job_id === b.id)!);
    const failed = await waitForJob(key, b.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "quota_exceeded" } });

    // A's chunks turn its hold into usage; its end releases the hold.
    for (const chunk of rec.take("chunk").filter((m) => m.job_id === a.id)) await runChunk(rec.env, chunk);
    await syncJob(rec.env, a.id);
    expect(await usageSummary(e, accountId)).toMatchObject({ used: 90, reserved: 0, remaining: 10 });

    // A plan step delivered again after the job ended takes no new hold.
    await planJob(rec.env, rec.take("plan").find((m) => m.job_id === a.id)!);
    expect((await usageSummary(e, accountId)).reserved).toBe(0);
  });

  it("runs the sample catalog on a Free account with nothing left: it never counts", async () => {
    const { key, accountId } = await newAccount();
    await alreadyUsed(accountId, 100);
    const file = (await (await call("/api/v1/files/sample", { method: "POST", key })).json()) as { id: string };
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "mercadolivre" } });
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(await used(accountId)).toBe(100);
  });
});

describe("paid plans", () => {
  it("go past the allowance into overage, on requests and jobs", async () => {
    const { key, accountId } = await newAccount();
    await setPlan(accountId, "pro");
    await alreadyUsed(accountId, 9_995);
    const res = await validate(key, 10);
    expect(res.status).toBe(200);
    expect(res.headers.get("vitrine-quota-limit")).toBe("10000");
    expect(res.headers.get("vitrine-quota-remaining")).toBe("0");
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(60) }, rule_pack: "common" } });
    const job = await waitForJob(key, ((await created.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(await usageSummary(e, accountId)).toMatchObject({ plan: "pro", included: 10_000, used: 10_065, remaining: 0, overage: 65, reserved: 0 });
  });

  it("Enterprise is unlimited: no quota headers, nothing refused", async () => {
    const { key, accountId } = await newAccount();
    await setPlan(accountId, "enterprise");
    await alreadyUsed(accountId, 5_000_000);
    const res = await validate(key, 10);
    expect(res.status).toBe(200);
    expect(res.headers.get("vitrine-quota-limit")).toBeNull();
    expect(await usageSummary(e, accountId)).toMatchObject({ plan: "enterprise", included: null, remaining: null, used: 5_000_010, overage: 0 });
  });
});

describe("holds", () => {
  it("stop counting once expired (a job that died without releasing its hold)", async () => {
    const { key, accountId } = await newAccount();
    await e.DB.prepare("INSERT INTO usage_holds (account_id, hold_key, records, created_at, expires_at) VALUES (?1, 'job:dead', 100, ?2, ?2)")
      .bind(accountId, Date.now() - 1)
      .run();
    expect((await validate(key, 10)).status).toBe(200);
  });
});

describe("quota headers beyond /validate", () => {
  it("are sent by GET /billing/usage and POST /jobs, and the plans say billing is on", async () => {
    const { key } = await newAccount();
    await validate(key, 25);
    const usage = await call("/api/v1/billing/usage", { key });
    expect(usage.headers.get("vitrine-quota-limit")).toBe("100");
    expect(usage.headers.get("vitrine-quota-remaining")).toBe("75");
    expect(await usage.json()).toMatchObject({ used: 25, remaining: 75, enforced: true });
    const job = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(5) }, rule_pack: "common" } });
    expect(job.status).toBe(202);
    expect(job.headers.get("vitrine-quota-remaining")).not.toBeNull();
    await waitForJob(key, ((await job.json()) as any).id);
    expect(((await (await call("/api/v1/billing/plans")).json()) as any).billing_enabled).toBe(true);
  });
});
