import { describe, expect, it } from "vitest";
import { calendarMonth } from "../../../src/core/billing/period";
import type { Env } from "../../../src/env";
import { eventually } from "../../connectors/helpers";
import { call, env, newAccount, waitForJob } from "../../helpers";

const e = env as unknown as Env;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, title: `Produto ${i}`, price: 10 + i }));
}

const validate = (key: string, n: number) => call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(n) } });

async function warnings(key: string) {
  const res = await call("/api/v1/events?type=billing.quota_warning", { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).data.reverse() as any[];
}

/** A request's warnings are recorded after its response: wait for `count` of them. */
const warningsOnceThere = (key: string, count: number) => eventually(() => warnings(key), (list) => list.length >= count);

describe("billing.quota_warning", () => {
  it("is sent once at 80 % and once at 100 % of a Free month, however many requests race across them", async () => {
    const { key } = await newAccount();
    expect((await validate(key, 79)).status).toBe(200);
    expect(await warnings(key)).toEqual([]);
    expect((await validate(key, 1)).status).toBe(200);
    const month = calendarMonth(Date.now());
    const [at80] = await warningsOnceThere(key, 1);
    expect(at80).toMatchObject({
      type: "billing.quota_warning",
      data: {
        percent: 80,
        plan: "free",
        included: 100,
        used: 80,
        stops: false,
        period: { start: new Date(month.start).toISOString(), end: new Date(month.end).toISOString() },
        links: { usage: "/api/v1/billing/usage", plans: "/api/v1/billing/plans" },
      },
    });

    const answers = await Promise.all(Array.from({ length: 8 }, () => validate(key, 5)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(4);
    await warningsOnceThere(key, 2);
    // Time for a duplicate to show up, were there one.
    await new Promise((r) => setTimeout(r, 300));
    const sent = await warnings(key);
    expect(sent.map((w) => [w.data.percent, w.data.used, w.data.stops])).toEqual([
      [80, 80, false],
      [100, 100, true],
    ]);
  });

  it("is sent for usage recorded by jobs, and tells a paid plan that it is going into overage", async () => {
    const { key, accountId } = await newAccount();
    await e.DB.prepare("UPDATE accounts SET plan = 'pro' WHERE id = ?1").bind(accountId).run();
    await e.DB.prepare("INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, 7990)").bind(accountId, Math.floor(Date.now() / 3_600_000) * 3_600_000).run();
    const first = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(20) }, rule_pack: "common" } });
    expect((await waitForJob(key, ((await first.json()) as any).id)).status).toBe("completed");
    expect((await warnings(key)).map((w) => [w.data.percent, w.data.used])).toEqual([[80, 8010]]);

    await e.DB.prepare("UPDATE usage_hours SET records = records + 1980 WHERE account_id = ?1").bind(accountId).run();
    const second = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(30) }, rule_pack: "common" } });
    expect((await waitForJob(key, ((await second.json()) as any).id)).status).toBe("completed");
    const sent = await warnings(key);
    expect(sent.map((w) => [w.data.percent, w.data.plan, w.data.stops])).toEqual([
      [80, "pro", false],
      [100, "pro", false],
    ]);
  });

  it("is delivered to endpoints subscribed to it", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/webhooks", { method: "POST", key, json: { url: "https://hooks.example.test/quota", events: ["billing.quota_warning"] } });
    expect(res.status, await res.clone().text()).toBe(201);
    await validate(key, 80);
    const [warning] = await warningsOnceThere(key, 1);
    const deliveries = await call(`/api/v1/events/${warning.id}`, { key });
    expect(deliveries.status).toBe(200);
    const rows = await e.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ?1").bind(warning.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });
});
