import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { BASE, newAccount } from "../helpers";
import { type Counts, countingEnv, emptyCounts } from "./counting-env";

/**
 * What one POST /api/v1/validate costs the shared resources, counted rather than timed: the one D1
 * database every request shares is the first thing to give as traffic grows (docs/scaling.md), so
 * a request that quietly gains a query is a scaling regression even when it is not slower locally.
 */

/** 100 records, as the latency benchmark sends: most valid, some with the usual mistakes. */
function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${i}`,
    title: i % 7 === 0 ? "Smartphone ".repeat(10) : `Smartphone Galaxy A15 128GB Azul ${i}`,
    price: i % 11 === 0 ? "1.299,90" : 1299.9,
    stock: 15,
    condition: "new",
    brand: "Samsung",
    images: ["https://cdn.lojadagabi.com.br/cel-a15-azul-1.jpg"],
  }));
}

async function validateCounted(key: string): Promise<{ status: number; counts: Counts }> {
  const counts: Counts = emptyCounts();
  const request = new Request(`${BASE}/api/v1/validate`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ rule_pack: "mercadolivre", records: records(100) }),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, countingEnv(counts), ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { status: res.status, counts };
}

describe("what one POST /validate of 100 records costs the shared resources", () => {
  it("one D1 read (the key and its account), one D1 write (usage), one rate-limiter call, at most the isolate's KPI flush; no R2, no queue", async () => {
    const { key } = await newAccount();
    // The first call may also note the key's last use (at most once per interval); the second shows the steady state.
    const first = await validateCounted(key);
    expect(first.status).toBe(200);
    const { status, counts } = await validateCounted(key);
    expect(status).toBe(200);
    console.log(`validate ×100 records: D1 ${JSON.stringify(counts.d1)} (KPI flush: ${counts.d1Sql.filter((sql) => sql.includes('"kpi_rollups"')).length}), DO ${JSON.stringify(counts.durableObjects)}; first call D1 ${JSON.stringify(first.counts.d1)}`);
    // The isolate's KPI request rollups are flushed at most once a second by whichever request is
    // running then (src/services/kpis.ts): this request may carry that one batched write, or not.
    const rollup = counts.d1Sql.map((sql) => sql.includes('"kpi_rollups"'));
    expect(rollup.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(counts.d1.filter((_verb, i) => !rollup[i])).toEqual(["select", "insert"]);
    expect(counts.durableObjects).toEqual(["RATE_LIMITER.hit"]);
    expect(counts.r2).toEqual([]);
    expect(counts.queues).toEqual([]);
  });
});
