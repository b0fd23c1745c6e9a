import { createScheduledController } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { connectors } from "../../src/db/schema";
import worker from "../../src/index";
import { FAKE_SERVICE_ACCOUNT_EMAIL } from "../fakes/google-sheets";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { createEndpoint } from "../webhook-harness";
import { call, env, expectProblem, newAccount, waitForJob } from "../helpers";
import { eventually, jobIssues, syncAndWait } from "./helpers";
import { connectedSheet, newSpreadsheet } from "./google-sheets-helpers";

const user = () => `seller-${crypto.randomUUID().slice(0, 8)}@example.com`;

async function pushesOf(key: string, connectorId: string, check: (data: any[]) => boolean) {
  return eventually(async () => ((await (await call(`/api/v1/connectors/${connectorId}/pushes`, { key })).json()) as any).data, check, 60_000);
}

describe("Google Sheets by OAuth", () => {
  it("asks for offline access to spreadsheets only, with PKCE", async () => {
    const { key } = await newAccount();
    const book = await newSpreadsheet({ owner: user(), sheets: [{ title: "Produtos", generate: 3 }] });
    const res = await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: book.url } } });
    expect(res.status).toBe(201);
    const connector = (await res.json()) as any;
    expect(connector).toMatchObject({ type: "google_sheets", name: "Google Sheets", status: "pending_authorization", rule_pack: "common" });
    const url = new URL(connector.authorize_url);
    expect(url.origin + url.pathname).toBe("https://accounts.google.test/o/oauth2/v2/auth");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      scope: "https://www.googleapis.com/auth/spreadsheets",
      access_type: "offline",
      code_challenge_method: "S256",
      redirect_uri: "https://vitrine.test/api/v1/connectors/oauth/callback",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a config without a spreadsheet, or with unknown options", async () => {
    const { key } = await newAccount();
    await expectProblem(await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets" } }), 400, "invalid-request");
    await expectProblem(await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: "not a sheet!" } } }), 400, "invalid-request");
    await expectProblem(
      await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: "1AbcdefghijKLMNOP", color: "red" } } }),
      400,
      "invalid-request",
    );
  });

  it("reads a 12,000-row sheet in row ranges, validates every row once with the sheet's row numbers, then writes back only the changed cells", async () => {
    const { key } = await newAccount();
    const owner = user();
    const book = await newSpreadsheet({ owner, sheets: [{ title: "Produtos", generate: 12_000 }] });
    const connector = await connectedSheet(key, book, owner, { push_fields: ["title", "price"] });
    const job = await syncAndWait(key, connector.id, { apply_fixes: true }, 180_000);
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    expect(job.counts.records).toBe(12_000);
    expect(job.progress.chunks_total).toBe(6);

    const { counters } = await book.state();
    // The header (with a few sample rows) once, then 12 ranges of 1,000 rows; never the whole sheet at once.
    expect(counters.byKind["values.get"]).toBe(13);
    expect(counters.byKind.metadata).toBe(1);
    expect(counters.rowsRead).toBe(12_001 + 50);
    expect(new Set(counters.valueRenderOptions)).toEqual(new Set(["UNFORMATTED_VALUE"]));

    // Issues carry the sheet's row: data row 10 (title with doubled spaces) is sheet row 11.
    const issues = await jobIssues(key, job.id);
    const titleIssue = issues.find((i) => i.rule === "common.title.spaces" && i.row === 11);
    expect(titleIssue).toMatchObject({ row: 11, sku: "SKU-000010", column: "title" });
    expect(issues.some((i) => i.row === 1)).toBe(false);

    const corrected = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    const lines = new TextDecoder().decode(await corrected.arrayBuffer()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12_000);
    expect(lines[9]).toMatchObject({ sku: "SKU-000010", title: "Camiseta básica 10" });

    // A dry run describes the cells and writes none.
    const dry = await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id, dry_run: true } });
    expect(dry.status, await dry.clone().text()).toBe(202);
    const dryPush = (await dry.json()) as any;
    // Rows with a changed title (every 10th) or price (every 25th): 1,200 + 480 − 240.
    expect(dryPush.counts.items).toBe(1440);
    await pushesOf(key, connector.id, (data) => data.find((p: any) => p.id === dryPush.id)?.status === "completed");
    expect((await book.state()).counters.writes).toHaveLength(0);

    const applied = await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } });
    expect(applied.status).toBe(202);
    const push = (await applied.json()) as any;
    const done = (await pushesOf(key, connector.id, (data) => data.find((p: any) => p.id === push.id)?.status === "completed")).find((p: any) => p.id === push.id);
    expect(done.counts).toMatchObject({ items: 1440, accepted: 1440, refused: 0 });

    const after = await book.state("all");
    const writes: [string, unknown][] = after.counters.writes;
    // Only the changed cells: 1,200 titles and 480 prices, each once, in columns B and C only.
    expect(writes).toHaveLength(1680);
    expect(new Set(writes.map(([range]) => range)).size).toBe(1680);
    expect(writes.every(([range]) => /^'Produtos'!(B|C)\d+$/.test(range))).toBe(true);
    expect(new Set(after.counters.valueInputOptions)).toEqual(new Set(["RAW"]));
    // Three parts of up to 500 rows: one batchUpdate each.
    expect(after.counters.byKind["values.batchUpdate"]).toBe(3);
    const rows = after.sheets[0].rows;
    expect(rows[10]).toEqual(["SKU-000010", "Camiseta básica 10", 20.9, 3, "", "Vitrine"]);
    expect(String(rows[25][2])).toMatch(/^35\.9/);
    expect(rows[12]).toEqual(["SKU-000012", "Camiseta básica 12", 22.9, 5, "", "Vitrine"]);
  }, 240_000);

  it("skips a cell the seller changed after the sync, writes the issues sheet when asked, and reverts the cells it wrote", async () => {
    const { key } = await newAccount();
    const owner = user();
    const book = await newSpreadsheet({ owner, sheets: [{ title: "Produtos", generate: 60 }] });
    const connector = await connectedSheet(key, book, owner, { push_fields: ["title"] }, { issues_sheet: true });
    const job = await syncAndWait(key, connector.id, { apply_fixes: true });
    expect(job.status).toBe("completed");
    // The seller fixes row 21's title by hand before the push.
    await book.setCells([["Produtos", 21, 2, "Camiseta feita à mão 20"]]);
    const res = await call(`/api/v1/connectors/${connector.id}/push`, { method: "POST", key, json: { job_id: job.id } });
    const push = (await res.json()) as any;
    await pushesOf(key, connector.id, (data) => data.find((p: any) => p.id === push.id)?.status === "completed");
    const detail = (await (await call(`/api/v1/connectors/${connector.id}/pushes/${push.id}?items_limit=100`, { key })).json()) as any;
    const row21 = detail.items.data.find((i: any) => i.item_id === "21");
    expect(row21.status).toBe("skipped");
    expect(row21.skipped).toEqual([{ field: "title", reason: "changed_in_sheet" }]);
    const state = await book.state("all");
    expect(state.counters.writes.map(([r]: [string]) => r).filter((r: string) => r.startsWith("'Produtos'")).sort()).toEqual(["'Produtos'!B11", "'Produtos'!B31", "'Produtos'!B41", "'Produtos'!B51", "'Produtos'!B61"].sort());
    expect(state.sheets[0].rows[20][1]).toBe("Camiseta feita à mão 20");
    const issuesSheet = state.sheets.find((s: any) => s.title === "Vitrine – problemas");
    expect(issuesSheet.rows[0]).toEqual(["Row", "SKU", "Column", "Issue"]);
    expect(issuesSheet.rows.length).toBe(1 + (await jobIssues(key, job.id)).length);
    expect(issuesSheet.rows[1]).toEqual([11, "SKU-000010", "title", expect.any(String)]);

    // A revert writes back the values the push replaced, in the same cells.
    const revert = (await (await call(`/api/v1/connectors/${connector.id}/pushes/${push.id}/revert`, { method: "POST", key, json: {} })).json()) as any;
    await pushesOf(key, connector.id, (data) => data.find((p: any) => p.id === revert.id)?.status === "completed");
    const reverted = await book.state("all");
    expect(reverted.sheets[0].rows[10][1]).toBe("Camiseta  básica  10");
    expect(reverted.sheets[0].rows[20][1]).toBe("Camiseta feita à mão 20");
  }, 120_000);

  it("says what changed since the last sync: nothing for an unchanged sheet, a new issue for a title the seller erased", async () => {
    const { key } = await newAccount();
    const owner = user();
    const book = await newSpreadsheet({ owner, sheets: [{ title: "Produtos", generate: 30 }] });
    const connector = await connectedSheet(key, book, owner);
    const lastDelta = async () => ((await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any).sync.last_delta;
    const first = await syncAndWait(key, connector.id);
    expect(await lastDelta()).toMatchObject({ previous_job_id: null });

    const second = await syncAndWait(key, connector.id);
    const unchanged = await lastDelta();
    expect(unchanged).toMatchObject({ previous_job_id: first.id, issues: { new: 0, resolved: 0 }, records: { added: 0, removed: 0 } });
    expect(unchanged.issues.still_open).toBeGreaterThan(0);

    await book.setCells([["Produtos", 5, 2, ""]]);
    await syncAndWait(key, connector.id);
    const erased = await lastDelta();
    expect(erased).toMatchObject({ previous_job_id: second.id, issues: { resolved: 0 }, records: { added: 0, removed: 0 } });
    expect(erased.issues.new).toBeGreaterThan(0);
  }, 120_000);

  it("backs off after a 429 and still reads every row once", async () => {
    const { key } = await newAccount();
    const owner = user();
    const book = await newSpreadsheet({ owner, sheets: [{ title: "Produtos", generate: 3000 }] });
    const connector = await connectedSheet(key, book, owner);
    await book.script({ throttle: 2 });
    const job = await syncAndWait(key, connector.id, {}, 120_000);
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    expect(job.counts.records).toBe(3000);
    const { counters } = await book.state();
    expect(counters.throttled).toBe(2);
    // Every range answered once with values (429s carry none): header + 3 ranges.
    expect(counters.rowsRead).toBe(3001 + 50);
  }, 120_000);
});

describe("Google Sheets by service account", () => {
  it("stays pending_verification until the sheet holds the connector's code, and checks it before every sync and push", async () => {
    const { key } = await newAccount();
    const book = await newSpreadsheet({ owner: user(), sheets: [{ title: "Produtos", generate: 30 }] });
    const res = await call("/api/v1/connectors", {
      method: "POST",
      key,
      json: { type: "google_sheets", config: { spreadsheet: book.id, auth: "service_account" }, push_fields: ["title"] },
    });
    expect(res.status).toBe(201);
    const connector = (await res.json()) as any;
    expect(connector.status).toBe("pending_verification");
    expect(connector.authorize_url).toBeUndefined();
    expect(connector.verification).toEqual({ code: `vitrine-verify:${connector.id}`, sheet: "Vitrine", cell: "A1", service_account_email: FAKE_SERVICE_ACCOUNT_EMAIL });
    await expectProblem(await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {} }), 409, "conflict");

    // Not shared yet: still pending.
    const verify = async () => (await (await call(`/api/v1/connectors/${connector.id}/authorize`, { method: "POST", key })).json()) as any;
    expect((await verify()).status).toBe("pending_verification");
    // Shared, but holding another connector's code (another tenant who knows the sheet's id): still pending.
    const shared = await newSpreadsheet({
      owner: user(),
      shared: [FAKE_SERVICE_ACCOUNT_EMAIL],
      sheets: [{ title: "Produtos", generate: 30 }, { title: "Vitrine", rows: [["vitrine-verify:con_someone_else"]] }],
    });
    const second = (await (
      await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", config: { spreadsheet: shared.url, auth: "service_account" }, push_fields: ["title"] } })
    ).json()) as any;
    const checkSecond = async () => (await (await call(`/api/v1/connectors/${second.id}/authorize`, { method: "POST", key })).json()) as any;
    const pending = await checkSecond();
    expect(pending.status).toBe("pending_verification");
    expect(pending.problem.code).toBe("connector.verification_required");

    // The seller puts this connector's code in Vitrine!A1: active, and it syncs.
    await shared.setCells([["Vitrine", 1, 1, second.verification.code]]);
    expect((await checkSecond()).status).toBe("active");
    const job = await syncAndWait(key, second.id, { apply_fixes: true });
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(30);

    // The code removed: the next push and the next sync are refused, and the connector waits for it again.
    await shared.setCells([["Vitrine", 1, 1, ""]]);
    const push = (await (await call(`/api/v1/connectors/${second.id}/push`, { method: "POST", key, json: { job_id: job.id } })).json()) as any;
    const failed = (await pushesOf(key, second.id, (data) => data.find((p: any) => p.id === push.id)?.status === "failed")).find((p: any) => p.id === push.id);
    expect(failed.error.code).toBe("connector.verification_required");
    expect((await shared.state()).counters.writes).toHaveLength(0);
    const after = (await (await call(`/api/v1/connectors/${second.id}`, { key })).json()) as any;
    expect(after.status).toBe("pending_verification");
  }, 120_000);

  it("syncs on its schedule from the cron (connector.synced sent), and fails a sync whose code was removed since", async () => {
    const { key } = await newAccount();
    const book = await newSpreadsheet({ owner: user(), shared: [FAKE_SERVICE_ACCOUNT_EMAIL], sheets: [{ title: "Produtos", generate: 10 }] });
    const created = await call("/api/v1/connectors", { method: "POST", key, json: { type: "google_sheets", schedule: "daily", config: { spreadsheet: book.url, auth: "service_account" } } });
    const connector = (await created.json()) as any;
    expect(connector.next_sync_at).toBeNull();
    await book.setCells([["Vitrine", 1, 1, connector.verification.code]]);
    const active = (await (await call(`/api/v1/connectors/${connector.id}/authorize`, { method: "POST", key })).json()) as any;
    expect(active.status).toBe("active");
    expect(Date.parse(active.next_sync_at)).toBeGreaterThan(Date.now());

    const bin = await fakeReceiver();
    await createEndpoint(key, { url: bin.url, events: ["connector.synced"] });
    await database(env.DB).update(connectors).set({ nextSyncAt: Date.now() - 60_000 }).where(eq(connectors.id, connector.id));
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), env);
    const running = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(running.sync.running_job_id).toMatch(/^job_/);
    const scheduled = await waitForJob(key, running.sync.running_job_id);
    expect(scheduled).toMatchObject({ status: "completed", counts: { records: 10 } });
    const [delivery] = await bin.waitForRequests(1);
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: "connector.synced",
      data: { connector_id: connector.id, provider: "google_sheets", direction: "import", status: "succeeded", job_id: scheduled.id, counts: { fetched: 10 } },
    });

    await book.setCells([["Vitrine", 1, 1, "gone"]]);
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("connector.verification_required");
    const after = (await (await call(`/api/v1/connectors/${connector.id}`, { key })).json()) as any;
    expect(after.status).toBe("pending_verification");
  }, 60_000);
});
