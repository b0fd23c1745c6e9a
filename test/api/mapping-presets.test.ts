import { describe, expect, it } from "vitest";
import { LAYOUT_SAMPLES, sampleFile } from "../fixtures/mapping/layout-samples";
import { PRESETS } from "../core/mapping/layouts";
import { call, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

const MARKETPLACE_OF: Record<string, string> = { mercadolivre: "mercadolivre", shopee: "shopee", "google-merchant": "google-merchant", "google-merchant-pt-br": "google-merchant" };

describe("layout presets through the API", () => {
  it("lists every preset with its sources and whether it was confirmed, in the reader's language", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/mappings/presets", { key, headers: { "accept-language": "pt-BR" } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: any[] };
    expect(data.map((p) => p.id).sort()).toEqual(PRESETS.map((p) => p.id).sort());
    for (const p of data) {
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      expect(typeof p.verified).toBe("boolean");
      expect(typeof p.description, p.id).toBe("string");
    }
    const bling = PRESETS.find((p) => p.id === "bling")!;
    expect(data.find((p) => p.id === "bling").description).toBe(bling.description["pt-BR"]);
  });

  it.each(PRESETS.map((p) => [p.id]))("recognises the %s layout from an uploaded file (file_id), in the file's own format and encoding", async (id) => {
    const { key } = await newAccount();
    const preset = PRESETS.find((p) => p.id === id)!;
    const sample = LAYOUT_SAMPLES[id];
    const name = sample.format === "xlsx" ? `${id}.xlsx` : `${id}.csv`;
    const file = await uploadFile(key, await sampleFile(sample, preset.header), name, sample.format === "xlsx" ? "application/octet-stream" : "text/csv");
    const res = await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: MARKETPLACE_OF[id] ?? "mercadolivre", file_id: file.id } });
    expect(res.status).toBe(200);
    const suggestion = (await res.json()) as any;
    expect(suggestion.preset).toMatchObject({ id, version: preset.version, verified: preset.verified, explicit: false });
    expect(suggestion.mapping.fields.length).toBeGreaterThan(3);
    for (const f of suggestion.fields) for (const e of f.evidence) expect(typeof e.detail).toBe("string");
  });

  it("takes a preset by name, and refuses an unknown one with a pointer", async () => {
    const { key } = await newAccount();
    const header = ["Código", "Descrição", "Preço"];
    const asked = await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: "mercadolivre", headers: header, preset: "bling" } });
    expect(((await asked.json()) as any).preset).toMatchObject({ id: "bling", explicit: true });
    const unknown = await call("/api/v1/mappings/suggest", { method: "POST", key, json: { marketplace: "mercadolivre", headers: header, preset: "erp-x" } });
    expect((await expectProblem(unknown, 400, "invalid-request")).errors?.[0].pointer).toBe("/preset");
  });

  it("needs headers or a file, not both, and never reads another account's file", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const file = await uploadFile(a.key, new TextEncoder().encode("sku,title\nA1,Caneca\n"), "a.csv");
    await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", key: a.key, json: { marketplace: "shopee" } }), 400, "invalid-request");
    await expectProblem(
      await call("/api/v1/mappings/suggest", { method: "POST", key: a.key, json: { marketplace: "shopee", headers: ["sku"], file_id: file.id } }),
      400,
      "invalid-request",
    );
    await expectProblem(await call("/api/v1/mappings/suggest", { method: "POST", key: b.key, json: { marketplace: "shopee", file_id: file.id } }), 404, "not-found");
  });
});

describe("jobs without a mapping", () => {
  it("use a recognised, confirmed layout and say so; a layout not confirmed is only named", async () => {
    const { key } = await newAccount();
    for (const [id, pack, applied] of [
      ["google-merchant", "google-merchant", true],
      ["shopify", "common", true],
      ["bling", "common", false],
    ] as const) {
      const preset = PRESETS.find((p) => p.id === id)!;
      const sample = LAYOUT_SAMPLES[id];
      const file = await uploadFile(key, await sampleFile(sample, preset.header), `${id}.csv`);
      const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: pack } });
      expect(created.status).toBe(202);
      const done = await waitForJob(key, ((await created.json()) as any).id);
      expect(done.status, id).toBe("completed");
      const ref = { id, name: preset.name, version: preset.version, verified: preset.verified };
      expect(done.layout, id).toMatchObject(applied ? { applied: ref, unverified: null } : { applied: null, unverified: ref });
      if (applied) expect(done.counts.invalid, id).toBe(0);
      // A layout that is only resembled is not half-applied by usual names: Bling's "Descrição" is the product's name, not its description.
      else expect(done.layout.columns.map((c: { column: string }) => c.column), id).not.toContain("Descrição");
    }
  });
});
