import { describe, expect, it } from "vitest";
import { generateItems } from "../fakes/mercadolivre";
import { call, newAccount } from "../helpers";
import { connectedStore, jobIssues, newSeller, syncAndWait } from "./helpers";

/** Issues as the delta keys them (these items have no variations, so a row is one item: row = index + 1). */
const keysOf = (issues: any[]) => new Set(issues.map((i) => `${i.row}|${i.rule}|${i.field}`));

describe("what changed since the last sync, for a marketplace connector", () => {
  it("counts exactly the issues a seller fixed and the ones they introduced, keyed by item", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 10 });
    const connector = await connectedStore(key, seller);
    const first = await syncAndWait(key, connector.id);
    expect(first.status).toBe("completed");
    const before = keysOf(await jobIssues(key, first.id));
    // Item 1 lacks LINE (a required MLB1055 attribute); item 2 has it.
    expect(before.has("2|ml.live.mlb1055.line.required|attributes.LINE")).toBe(true);
    expect(before.has("3|ml.live.mlb1055.line.required|attributes.LINE")).toBe(false);

    // The seller adds LINE to item 1 and removes it from item 2.
    const items = generateItems(seller.userId, 10);
    await seller.patchItem("MLB900000001", { attributes: [...items[1].attributes, { id: "LINE", value_name: "Galaxy A" }] });
    await seller.patchItem("MLB900000002", { attributes: items[2].attributes.filter((a) => a.id !== "LINE") });
    const second = await syncAndWait(key, connector.id);
    expect(second.status).toBe("completed");
    const after = keysOf(await jobIssues(key, second.id));
    const fresh = [...after].filter((k) => !before.has(k));
    const gone = [...before].filter((k) => !after.has(k));
    expect(fresh).toEqual(["3|ml.live.mlb1055.line.required|attributes.LINE"]);
    expect(gone).toEqual(["2|ml.live.mlb1055.line.required|attributes.LINE"]);

    const syncs = (await (await call(`/api/v1/connectors/${connector.id}/syncs`, { key })).json()) as any;
    expect(syncs.data.map((s: any) => s.job_id)).toEqual([second.id, first.id]);
    expect(syncs.data[1].delta).toEqual({ previous_job_id: null, issues: { new: before.size, resolved: 0, still_open: 0 }, records: { added: 10, removed: 0 } });
    const expected = { previous_job_id: first.id, issues: { new: 1, resolved: 1, still_open: before.size - 1 }, records: { added: 0, removed: 0 } };
    expect(syncs.data[0].delta).toEqual(expected);
    expect(((await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any).sync.last_delta).toEqual(expected);
  });
});
