import { describe, expect, it } from "vitest";
import { call, expectProblem, newAccount } from "../helpers";
import { connectedStore, eventually, newSeller, syncAndWait } from "./helpers";

async function pushOf(key: string, connectorId: string, pushId: string) {
  return (await (await call(`/api/v1/connectors/${connectorId}/pushes/${pushId}?items_limit=100`, { key })).json()) as any;
}

async function finished(key: string, connectorId: string, pushId: string) {
  return eventually(() => pushOf(key, connectorId, pushId), (p) => p.status === "completed" || p.status === "failed", 30_000);
}

const byItem = (push: any) => Object.fromEntries(push.items.data.map((i: any) => [i.item_id, i]));

describe("pushing corrections back to Mercado Livre", () => {
  // 40 generated items: long titles on items 0, 10, 20, 30 (0 and 20 have sales); plain-http pictures on items 2, 11, 20, 29, 38.
  it("dry-runs exactly what would be sent, applies it with a refusal on one item, records each item, and reverts", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 40 });
    const connector = await connectedStore(key, seller, { push_fields: ["title", "pictures"] });
    await seller.script({ refuse: { MLB900000030: [{ code: "item.title.length_invalid", message: "Title is not valid for this category" }] } });

    // A sync that ends in a dry run: nothing is written, every planned item says what it would send.
    const job = await syncAndWait(key, connector.id, { push: "dry_run" });
    expect(job.status).toBe("completed");
    expect(job.options.apply_fixes).toBe(true);
    const list = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}/pushes`, { key })).json()) as any,
      (l) => l.data.length === 1 && l.data[0].status === "completed",
    );
    const dry = await pushOf(key, connector.id, list.data[0].id);
    expect(dry).toMatchObject({ kind: "push", dry_run: true, job_id: job.id, fields: ["title", "pictures"] });
    const planned = byItem(dry);
    expect(planned.MLB900000010).toMatchObject({
      status: "would_send",
      sent: { body: { title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera" }, description: null },
      before: { title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro 10" },
    });
    expect(planned.MLB900000002.sent.body.pictures[0]).toEqual({ source: "https://http2.mlstatic.test/D_4-O.jpg" });
    // Items with sales keep their title; item 20's pictures still go.
    expect(planned.MLB900000000).toMatchObject({ status: "skipped", skipped: [{ field: "title", reason: "has_sales" }] });
    expect(planned.MLB900000020.skipped).toEqual([{ field: "title", reason: "has_sales" }]);
    expect(Object.keys(planned.MLB900000020.sent.body)).toEqual(["pictures"]);
    expect((await seller.state()).counters.puts).toEqual([]);

    // A push may only narrow push_fields.
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id, fields: ["price"] } }), 422, "unprocessable");

    // Applied for real: only changed fields, one request per item, the refusal recorded with Mercado Livre's cause.
    const res = await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } });
    expect(res.status).toBe(202);
    const applied = await finished(key, connector.id, ((await res.json()) as any).id);
    expect(applied.counts).toMatchObject({ accepted: 6, refused: 1, skipped: 1 });
    const outcome = byItem(applied);
    expect(outcome.MLB900000010).toMatchObject({ status: "accepted", cause: null });
    expect(outcome.MLB900000030).toMatchObject({ status: "refused", cause: [{ code: "item.title.length_invalid", message: "Title is not valid for this category", type: "error" }] });
    const puts = (await seller.state()).counters.puts as { item: string; body: any }[];
    expect(puts.find((p) => p.item === "MLB900000010")!.body).toEqual({ title: "Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera" });
    expect((await seller.item("MLB900000010")).item.title).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera");
    expect((await seller.item("MLB900000002")).item.pictures[0].secure_url).toBe("https://http2.mlstatic.test/D_4-O.jpg");

    // The seller edits one listing afterwards; the revert leaves that one alone and restores the rest.
    await seller.patchItem("MLB900000011", { pictures: [{ id: "x", url: "https://seller.test/new.jpg", secure_url: "https://seller.test/new.jpg" }] });
    const revertRes = await call(`/api/v1/connectors/${connector.id}/pushes/${applied.id}/revert`, { method: "POST", key, json: {} });
    expect(revertRes.status).toBe(202);
    const revert = await finished(key, connector.id, ((await revertRes.json()) as any).id);
    expect(revert).toMatchObject({ kind: "revert", reverts: applied.id, counts: { accepted: 5, skipped: 1 } });
    expect(byItem(revert).MLB900000011).toMatchObject({ status: "skipped", skipped: [{ field: "pictures", reason: "changed_on_marketplace" }] });
    expect((await seller.item("MLB900000010")).item.title).toBe("Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro 10");
    expect((await seller.item("MLB900000002")).item.pictures[0].url).toBe("http://http2.mlstatic.test/D_4-O.jpg");
    expect((await seller.item("MLB900000011")).item.pictures[0].url).toBe("https://seller.test/new.jpg");

    // The apply (and the revert) told the seller's systems, as exports.
    const events = (await (await call("/api/v1/events?type=connector.synced", { key })).json()) as any;
    const exports = events.data.filter((e: any) => e.data.direction === "export");
    expect(exports.map((e: any) => e.data.counts)).toContainEqual({ fetched: 8, created: 0, updated: 6, unchanged: 1, failed: 1 });
  });

  it("writes nothing back for a connector whose push_fields is empty", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 12 });
    const connector = await connectedStore(key, seller);
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: { push: "apply" } }), 422, "unprocessable");
    const job = await syncAndWait(key, connector.id, { apply_fixes: true });
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } }), 422, "unprocessable");
    expect((await seller.state()).counters.puts).toEqual([]);
  });

  it("pushes only the corrections of a completed sync that applied fixes", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 12 });
    const connector = await connectedStore(key, seller, { push_fields: ["title"] });
    const job = await syncAndWait(key, connector.id, { apply_fixes: false });
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } }), 422, "unprocessable");
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: "job_unknown" } }), 404, "not-found");
  });
});
