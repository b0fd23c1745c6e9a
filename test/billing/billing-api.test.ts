import { describe, expect, it } from "vitest";
import { calendarMonth, dayOf } from "../../src/core/billing/period";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import { createJob } from "../../src/services/jobs/jobs";
import { call, env, expectProblem, newAccount } from "../helpers";

const e = env as unknown as Env;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, title: `Produto ${i}`, price: 10 + i }));
}

async function setPlan(accountId: string, plan: string) {
  await e.DB.prepare("UPDATE accounts SET plan = ?2 WHERE id = ?1").bind(accountId, plan).run();
}

describe("GET /api/v1/billing/plans", () => {
  it("lists the plans with allowances, prices, currency and overage prices, without a key", async () => {
    const res = await call("/api/v1/billing/plans");
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.billing_enabled).toBe(false);
    expect(body.data).toEqual([
      { id: "free", name: "Free", included_validations: 100, price: { amount: 0, currency: "usd", interval: "month" }, overage: null, hard_limit: true, priority_queue: false },
      {
        id: "pro",
        name: "Pro",
        included_validations: 10_000,
        price: { amount: 4900, currency: "usd", interval: "month" },
        overage: { amount: 500, currency: "usd", per: 1000 },
        hard_limit: false,
        priority_queue: true,
      },
      {
        id: "business",
        name: "Business",
        included_validations: 100_000,
        price: { amount: 29900, currency: "usd", interval: "month" },
        overage: { amount: 300, currency: "usd", per: 1000 },
        hard_limit: false,
        priority_queue: true,
      },
      { id: "enterprise", name: "Enterprise", included_validations: null, price: null, overage: null, hard_limit: false, priority_queue: true },
    ]);
  });
});

describe("GET /api/v1/billing/usage", () => {
  it("shows the current period's usage day by day (São Paulo days), with nothing enforced while billing is off", async () => {
    const { key } = await newAccount();
    await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(12) } });
    const res = await call("/api/v1/billing/usage", { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("vitrine-quota-limit")).toBeNull();
    const usage = (await res.json()) as any;
    const month = calendarMonth(Date.now());
    expect(usage).toMatchObject({
      period: { start: new Date(month.start).toISOString(), end: new Date(month.end).toISOString() },
      plan: "free",
      included: 100,
      used: 12,
      reserved: 0,
      remaining: 88,
      overage: 0,
      spend_cap: null,
      enforced: false,
    });
    expect(usage.by_day[0].date).toBe(dayOf(month.start));
    expect(usage.by_day.at(-1)).toEqual({ date: dayOf(Date.now()), records: 12 });
    expect(usage.by_day.reduce((n: number, d: any) => n + d.records, 0)).toBe(12);
  });

  it("needs a key, and shows each account only its own usage", async () => {
    await expectProblem(await call("/api/v1/billing/usage"), 401, "unauthorized");
    const a = await newAccount();
    const b = await newAccount();
    await call("/api/v1/validate", { method: "POST", key: a.key, json: { rule_pack: "common", records: records(5) } });
    expect(((await (await call("/api/v1/billing/usage", { key: b.key })).json()) as any).used).toBe(0);
    expect(((await (await call("/api/v1/billing/usage", { key: a.key })).json()) as any).used).toBe(5);
  });
});

describe("GET /api/v1/account", () => {
  it("tells the plan, its status and the current period", async () => {
    const { key, accountId } = await newAccount();
    const month = calendarMonth(Date.now());
    const free = (await (await call("/api/v1/account", { key })).json()) as any;
    expect(free).toMatchObject({
      id: accountId,
      plan: "free",
      plan_status: "none",
      current_period: { start: new Date(month.start).toISOString(), end: new Date(month.end).toISOString() },
      grace_until: null,
    });
    await setPlan(accountId, "enterprise");
    expect(await (await call("/api/v1/account", { key })).json()).toMatchObject({ plan: "enterprise", plan_status: "active" });
  });
});

describe("job priority by plan", () => {
  it("puts Free jobs on the normal queue and paid plans' jobs on the priority queue", async () => {
    const { accountId } = await newAccount();
    const sent: Record<string, JobMessage[]> = { normal: [], priority: [] };
    const recorder = (into: JobMessage[]) => ({ sendBatch: async (batch: { body: JobMessage }[]) => void into.push(...batch.map((m) => m.body)) }) as unknown as Queue;
    const queues = { ...e, JOBS_QUEUE: recorder(sent.normal), JOBS_PRIORITY_QUEUE: recorder(sent.priority) };
    const input = { source: { records: records(3) }, rulePack: "common", applyFixes: false, locale: "en" as const };

    const free = await createJob(queues, { accountId }, input);
    expect(free.priority).toBe("normal");
    for (const plan of ["pro", "business", "enterprise"]) {
      await setPlan(accountId, plan);
      expect((await createJob(queues, { accountId }, input)).priority).toBe("high");
    }
    expect(sent.normal.map((m) => m.job_id)).toEqual([free.id]);
    expect(sent.priority).toHaveLength(3);
    expect(sent.priority.every((m) => m.kind === "plan")).toBe(true);
  });
});
