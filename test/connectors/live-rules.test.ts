import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { liveCategoryCurrent, liveCategoryRules } from "../../src/db/schema";
import { accountFetcher, LIVE_RULES_TTL_MS, liveRules } from "../../src/services/connectors/live-rules";
import { call, env, newAccount, waitForJob } from "../helpers";
import { connectedStore, jobIssues, newSeller, syncAndWait } from "./helpers";

const headphones = { sku: "FONE-1", title: "Fone de Ouvido JBL Tune 510", price: 199, currency: "BRL", stock: 3, condition: "new", images: ["https://img.test/1.jpg"], gtin: "7891000315507", attributes: { BRAND: "JBL", MODEL: "Tune 510" } };

async function validate(key: string, category: string) {
  return call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "mercadolivre", category, records: [headphones] } });
}

describe("live category rules for /validate and file jobs", () => {
  it("a category only Mercado Livre knows is fetched with the account's connector, then served from the cache to everyone", async () => {
    const stranger = await newAccount();
    // No hand-written section, no connector, nothing cached: the category is unknown.
    expect((await validate(stranger.key, "MLB271107")).status).toBe(422);

    const { key } = await newAccount();
    const seller = await newSeller();
    await connectedStore(key, seller);
    const res = await validate(key, "MLB271107");
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as any;
    expect(body.results[0].issues.map((i: any) => i.rule)).toContain("ml.live.mlb271107.headphone_format.required");
    expect((await seller.state()).counters.categoryReads).toBe(1);

    // Cached for a day: the next request (any account) reads no attributes.
    const again = (await (await validate(stranger.key, "MLB271107")).json()) as any;
    expect(again.results[0].issues.map((i: any) => i.rule)).toContain("ml.live.mlb271107.headphone_format.required");
    expect(again.rule_pack.hash).toBe(body.rule_pack.hash);
    expect((await seller.state()).counters.categoryReads).toBe(1);
  });

  it("a category with a hand-written section uses it until live rules exist, then the live ones", async () => {
    const { key } = await newAccount();
    const before = (await (await validate(key, "MLB1055")).json()) as any;
    const rulesBefore = before.results[0].issues.map((i: any) => i.rule);
    expect(rulesBefore).toContain("ml.mlb1055.line.required");
    expect(rulesBefore.some((r: string) => r.startsWith("ml.live."))).toBe(false);

    const seller = await newSeller({ generate: 3 });
    const connector = await connectedStore(key, seller);
    await syncAndWait(key, connector.id);
    const after = (await (await validate(key, "MLB1055")).json()) as any;
    const rulesAfter = after.results[0].issues.map((i: any) => i.rule);
    expect(rulesAfter).toContain("ml.live.mlb1055.line.required");
    expect(rulesAfter).not.toContain("ml.mlb1055.line.required");
    expect(after.rule_pack.hash).not.toBe(before.rule_pack.hash);
  });

  it("file jobs with a category use the cached live rules", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    await connectedStore(key, seller);
    const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { records: [headphones, { ...headphones, sku: "FONE-2" }] }, rule_pack: "mercadolivre", category: "MLB271107" } });
    expect(res.status, await res.clone().text()).toBe(202);
    const job = await waitForJob(key, ((await res.json()) as any).id);
    expect(job.status).toBe("completed");
    const rules = (await jobIssues(key, job.id)).map((i) => i.rule);
    expect(rules.filter((r) => r === "ml.live.mlb271107.headphone_format.required")).toHaveLength(2);
  });

  it("pins one version per category to a job, whatever a refresh does meanwhile, and refreshes after the TTL", async () => {
    const { key, accountId } = await newAccount();
    const seller = await newSeller();
    await connectedStore(key, seller);
    await validate(key, "MLB271107");
    const pinned = await liveRules(env, { categories: ["MLB271107"], jobId: "job_pin_test" });
    const [tag] = pinned!.sections.tag.split(",");

    // A newer version becomes current (as a refresh after the TTL would make it).
    const db = database(env.DB);
    const [row] = await db.select().from(liveCategoryRules);
    const newer = { ...row.live, category: { ...row.live.category, rules: row.live.category.rules.slice(1) } };
    await db.insert(liveCategoryRules).values({ ...row, hash: "newer0000000000", live: newer });
    await db.update(liveCategoryCurrent).set({ hash: "newer0000000000" });
    expect((await liveRules(env, { categories: ["MLB271107"], jobId: "job_pin_test" }))!.sections.tag).toBe(tag);
    expect((await liveRules(env, { categories: ["MLB271107"] }))!.sections.tag).toBe("MLB271107@newer0000000000");

    // Past the TTL with nobody able to fetch, the last copy stays in use; with a connector, it is fetched again.
    const later = Date.now() + LIVE_RULES_TTL_MS + 60_000;
    const reads = (await seller.state()).counters.categoryReads;
    expect((await liveRules(env, { categories: ["MLB271107"], now: later }))!.sections.tag).toBe("MLB271107@newer0000000000");
    expect((await seller.state()).counters.categoryReads).toBe(reads);
    const refreshed = await liveRules(env, { categories: ["MLB271107"], now: later, fetcher: await accountFetcher(env, accountId) });
    expect(refreshed!.sections.tag).toBe(tag);
    expect((await seller.state()).counters.categoryReads).toBe(reads + 1);
  });

  it("stays with the hand-written pack when no Mercado Livre application is configured", async () => {
    expect(await liveRules({ ...env, MERCADOLIVRE_CLIENT_ID: "" }, { categories: ["MLB1055"] })).toBeUndefined();
  });
});
