import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { usageSummary } from "../../src/services/billing/usage";
import { call, env, newAccount, waitForJob } from "../helpers";

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, title: `Produto ${i}`, price: 10 + i }));
}

// These tests run without STRIPE_SECRET_KEY, as self-hosters and `npm start` do.
describe("billing off", () => {
  it("meters a Free account past its allowance but never blocks it, and sends no quota headers", async () => {
    const { key, accountId } = await newAccount();
    for (let i = 0; i < 3; i++) {
      const res = await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records: records(60) } });
      expect(res.status).toBe(200);
      expect(res.headers.get("vitrine-quota-limit")).toBeNull();
      expect(res.headers.get("vitrine-quota-remaining")).toBeNull();
    }
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: records(120) }, rule_pack: "common" } });
    const job = await waitForJob(key, ((await created.json()) as any).id);
    expect(job.status).toBe("completed");
    expect(await usageSummary(env as unknown as Env, accountId)).toMatchObject({ plan: "free", included: 100, used: 300, reserved: 0, remaining: 0, enforced: false });
  });
});
