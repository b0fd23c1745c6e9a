import { describe, expect, it } from "vitest";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { generateItems } from "../fakes/mercadolivre";
import { call, newAccount, waitForJob } from "../helpers";
import { createEndpoint } from "../webhook-harness";
import { connectedStore, eventually, jobIssues, newSeller, syncAndWait } from "./helpers";

const recordsOf = (items: { variations?: unknown[] }[]) => items.reduce((n, i) => n + (i.variations?.length ?? 1), 0);

describe("syncing a Mercado Livre store", () => {
  it("lists 2,500 items with scan and scroll, and validates every record exactly once", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 2500 });
    const connector = await connectedStore(key, seller);
    const job = await syncAndWait(key, connector.id, { apply_fixes: true }, 120_000);
    expect(job.status).toBe("completed");
    expect(job.source).toMatchObject({ type: "connector", connector_id: connector.id });
    const expected = recordsOf(generateItems(seller.userId, 2500));
    expect(job.progress).toMatchObject({ rows_total: 2500, rows_processed: 2500, percent: 100 });
    expect(job.counts.records).toBe(expected);
    expect(job.counts.valid + job.counts.invalid).toBe(expected);
    expect(job.progress.chunks_total).toBeGreaterThan(10);

    const { counters } = await seller.state();
    // 25 pages of 100, then the empty page that ends the scroll.
    expect(counters.searchPages).toBe(26);
    // Every item read once, in batches of at most 20 (a chunk's last batch may be short).
    expect(counters.itemsRead).toBe(2500);
    expect(counters.multigets).toBeGreaterThanOrEqual(125);
    expect(counters.multigets).toBeLessThanOrEqual(125 + job.progress.chunks_total);

    // The corrected records come out as NDJSON, under Mercado Livre's names, one per record.
    const corrected = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    expect(corrected.status).toBe(200);
    const lines = new TextDecoder().decode(await corrected.arrayBuffer()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(expected);
    const first = lines.find((l) => l.id === "MLB900000010");
    expect(first.title.length).toBeLessThanOrEqual(60);
    expect(lines.find((l) => l.id === "MLB900000002").pictures[0]).toMatch(/^https:/);

    const connectorNow = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(connectorNow.sync).toMatchObject({ running_job_id: null, last_job_id: job.id, last_status: "succeeded" });
  });

  it("reports issues from the live category attributes, on the rows of their items", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 40 });
    const connector = await connectedStore(key, seller);
    const job = await syncAndWait(key, connector.id);
    const issues = await jobIssues(key, job.id);
    // Item 3 (row 4) is a pair of headphones in MLB271107, a category with no hand-written section.
    const format = issues.filter((i) => i.rule === "ml.live.mlb271107.headphone_format.required");
    expect(format.map((i) => i.row)).toEqual([4, 11, 18, 25, 32, 39]);
    expect(format[0]).toMatchObject({ field: "attributes.HEADPHONE_FORMAT", column: "attributes.HEADPHONE_FORMAT", sku: "SKU-3", severity: "error" });
    // Phones without LINE (every 5th from item 1) miss a required MLB1055 attribute.
    expect(issues.filter((i) => i.rule === "ml.live.mlb1055.line.required").map((i) => i.row)).toEqual([2, 7, 12, 17, 22, 27, 32, 37].filter((r) => (r - 1) % 7 !== 3));
    // Hand-written "required" rules of MLB1055 gave way to the marketplace's own list.
    expect(issues.some((i) => i.rule === "ml.mlb1055.ram.required")).toBe(false);
    const result = (await (await call(`/api/v1/jobs/${job.id}/result`, { key })).json()) as any;
    expect(result.summary.by_rule["ml.live.mlb271107.headphone_format.required"].count).toBe(6);
  });

  it("treats an item the multiget answers with another code as that item's problem, not the sync's", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 30 });
    await seller.script({ unavailable: { MLB900000005: 500, MLB900000017: 404 } });
    const connector = await connectedStore(key, seller);
    const bin = await fakeReceiver();
    await createEndpoint(key, { url: bin.url, events: ["connector.synced"] });
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("completed");
    const unavailable = (await jobIssues(key, job.id)).filter((i) => i.rule === "connector.item_unavailable");
    expect(unavailable.map((i) => [i.row, i.value])).toEqual([
      [6, "MLB900000005"],
      [18, "MLB900000017"],
    ]);
    const [delivery] = await bin.waitForRequests(1);
    const event = JSON.parse(delivery.body);
    expect(event).toMatchObject({
      type: "connector.synced",
      data: { connector_id: connector.id, provider: "mercadolivre", direction: "import", status: "partial", job_id: job.id, counts: { failed: 2 } },
    });
    expect(event.data.counts.fetched).toBe(job.counts.records - 2);
  });

  it("runs one sync at a time per connector, and replays a sync started with the same Idempotency-Key", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 300 });
    const connector = await connectedStore(key, seller);
    const headers = { "idempotency-key": `sync-${connector.id}` };
    const first = await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {}, headers });
    expect(first.status).toBe(202);
    const job = (await first.json()) as any;
    const replay = await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {}, headers });
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as any).id).toBe(job.id);
    const second = await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {} });
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).running_job).toMatchObject({ id: job.id });
    await waitForJob(key, job.id, 60_000);
    await eventually(
      async () => ((await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any).sync.running_job_id,
      (running) => running === null,
    );
    expect((await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {} })).status).toBe(202);
  });

  it("refuses to sync a connector that is not authorized yet", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/connectors", { method: "POST", key, json: { type: "mercadolivre" } });
    const connector = (await res.json()) as any;
    const sync = await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {} });
    expect(sync.status).toBe(409);
  });
});
