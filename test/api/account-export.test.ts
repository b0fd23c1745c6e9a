import { beforeAll, describe, expect, it } from "vitest";
import { bytesReader, openZip, readEntry } from "../../src/core/tabular";
import { exportAccountData } from "../../src/services/account-data";
import { accountTables, EXPORT_POLICY } from "../../src/services/account-tables";
import { CATALOG, populatedAccount } from "../fixtures/account-data";
import { call, env, expectProblem } from "../helpers";

type Archive = Map<string, Uint8Array>;

async function unzip(bytes: Uint8Array): Promise<Archive> {
  const zip = await openZip(bytesReader(bytes));
  const out: Archive = new Map();
  for (const entry of zip.entries.values()) {
    const parts: Uint8Array[] = [];
    for await (const piece of readEntry(zip, entry)) parts.push(piece);
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      whole.set(p, at);
      at += p.length;
    }
    out.set(entry.name, whole);
  }
  return out;
}

const utf8 = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const ndjson = (bytes: Uint8Array | undefined) => utf8(bytes).split("\n").filter(Boolean).map((l) => JSON.parse(l));

let account: Awaited<ReturnType<typeof populatedAccount>>;
let archive: Archive;

beforeAll(async () => {
  account = await populatedAccount();
  const res = await call("/api/v1/account/export", { key: account.key });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="vitrine-${account.accountId}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`));
  archive = await unzip(new Uint8Array(await res.arrayBuffer()));
});

describe("GET /api/v1/account/export", () => {
  it("holds the account, its keys (never their hashes), packs with revisions and mappings with versions", () => {
    expect(ndjson(archive.get("data/accounts.ndjson"))).toMatchObject([
      { id: account.accountId, name: "Loja Completa", email: account.email, plan: "free", created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    ]);
    expect(Object.keys(ndjson(archive.get("data/accounts.ndjson"))[0])).not.toContain("password_hash");
    const keys = ndjson(archive.get("data/api_keys.ndjson"));
    expect(keys.map((k) => k.id).sort()).toEqual([account.keyId, account.secondKey.id].sort());
    for (const k of keys) expect(Object.keys(k)).not.toContain("hash");

    expect(ndjson(archive.get("data/rule_packs.ndjson"))).toMatchObject([{ pack_id: "pipeline-test", revision: 2, extends: [] }]);
    const revisions = ndjson(archive.get("data/rule_pack_revisions.ndjson"));
    expect(revisions.map((r) => [r.revision, r.source.includes("max: 40")])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(ndjson(archive.get("data/mappings.ndjson"))).toMatchObject([{ id: account.mappingId, version: 2, name: "Planilha v2" }]);
    const versions = ndjson(archive.get("data/mapping_versions.ndjson"));
    expect(versions.map((v) => [v.version, v.name, v.fields[0].target])).toEqual([
      [1, "Planilha", "sku"],
      [2, "Planilha v2", "sku"],
    ]);
  });

  it("holds every file's metadata and content, and the upload in progress", () => {
    const files = ndjson(archive.get("data/files.ndjson"));
    expect(files).toMatchObject([{ id: account.fileId, name: "catalogo.csv", format: "csv", delimiter: ";" }]);
    expect(files[0]).not.toHaveProperty("r2_key");
    expect(archive.get(`files/${account.fileId}/catalogo.csv`)).toEqual(new TextEncoder().encode(CATALOG));
    expect(ndjson(archive.get("data/uploads.ndjson"))).toMatchObject([{ id: account.uploadId, name: "grande.csv", status: "open" }]);
    expect(ndjson(archive.get("data/upload_parts.ndjson"))).toMatchObject([{ upload_id: account.uploadId, part_number: 1, size: 11 }]);
  });

  it("holds the jobs and their results: issues, the corrected catalog and inline records, as the API serves them", async () => {
    const jobs = ndjson(archive.get("data/jobs.ndjson"));
    expect(jobs.map((j) => j.id).sort()).toEqual([account.fileJobId, account.inlineJobId].sort());
    const fileJob = jobs.find((j) => j.id === account.fileJobId);
    expect(fileJob).toMatchObject({ status: "completed", apply_fixes: true, summary: { records: 60 } });
    expect(fileJob).not.toHaveProperty("input_key");

    const issues = new TextDecoder().decode(await (await call(`/api/v1/jobs/${account.fileJobId}/result/issues?format=ndjson`, { key: account.secondKey.key })).arrayBuffer());
    expect(utf8(archive.get(`jobs/${account.fileJobId}/issues.ndjson`))).toBe(issues);
    expect(issues.length).toBeGreaterThan(0);
    const corrected = new Uint8Array(await (await call(`/api/v1/jobs/${account.fileJobId}/result/corrected`, { key: account.secondKey.key })).arrayBuffer());
    expect(archive.get(`jobs/${account.fileJobId}/corrected.csv`)).toEqual(corrected);
    expect(ndjson(archive.get(`jobs/${account.inlineJobId}/records.ndjson`))).toEqual([{ sku: "INLINE-1", title: "Produto enviado inline", price: "0" }]);
    expect(archive.has(`jobs/${account.inlineJobId}/issues.ndjson`)).toBe(true);
  });

  it("holds webhooks without their secrets, deliveries with attempts, and events", () => {
    const endpoints = ndjson(archive.get("data/webhook_endpoints.ndjson"));
    expect(endpoints).toMatchObject([{ id: account.webhookId, events: ["validation.completed"], enabled: true }]);
    expect(Object.keys(endpoints[0]).filter((k) => k.includes("secret_sealed"))).toEqual([]);
    expect(ndjson(archive.get("data/webhook_deliveries.ndjson"))).toMatchObject([{ id: account.deliveryId, event_id: account.eventId, status: "succeeded" }]);
    expect(ndjson(archive.get("data/webhook_attempts.ndjson"))).toMatchObject([{ delivery_id: account.deliveryId, attempt: 1, succeeded: true, status_code: 200 }]);
    const events = ndjson(archive.get("data/events.ndjson"));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["webhook.test", "job.status_changed", "validation.completed"]));
    expect(events.find((e) => e.id === account.eventId)?.data).toMatchObject({ webhook_id: account.webhookId });
  });

  it("says in README.txt, in both languages, what it withholds and why", () => {
    const readme = utf8(archive.get("README.txt"));
    expect(readme).toContain(`dados da conta ${account.accountId}`);
    expect(readme).toContain("api_keys.hash: a one-way hash of the key");
    expect(readme).toContain("webhook_endpoints.secret_sealed:");
    expect(readme).toContain("idempotency_keys: replays of requests");
    expect(readme).not.toContain("Not in this archive");
    expect(archive.has("data/idempotency_keys.ndjson")).toBe(false);
  });

  it("renders issue messages in the reader's language", async () => {
    const res = await call("/api/v1/account/export", { key: account.key, headers: { "accept-language": "pt-BR" } });
    const pt = await unzip(new Uint8Array(await res.arrayBuffer()));
    const [en] = ndjson(archive.get(`jobs/${account.inlineJobId}/issues.ndjson`));
    const [ptIssue] = ndjson(pt.get(`jobs/${account.inlineJobId}/issues.ndjson`));
    expect(ptIssue.rule).toBe(en.rule);
    expect(ptIssue.message).not.toBe(en.message);
  });

  it("lists, instead of adding, what would take the archive past its size limit", async () => {
    const small = await unzip(new Uint8Array(await new Response(exportAccountData(env, account.accountId, "en", 4000)).arrayBuffer()));
    expect(small.has(`files/${account.fileId}/catalogo.csv`)).toBe(false);
    const readme = utf8(small.get("README.txt"));
    expect(readme).toContain(`files/${account.fileId}/catalogo.csv: the archive would pass 4 GiB; download it with GET /api/v1/files/${account.fileId}/content`);
    expect(readme).toContain(`jobs/${account.fileJobId}/corrected:`);
    // The rows are always there.
    expect(ndjson(small.get("data/files.ndjson"))).toHaveLength(1);
  });

  it("needs an API key", async () => {
    await expectProblem(await call("/api/v1/account/export"), 401);
  });
});

describe("what the export withholds", () => {
  it("is decided for every column of every table an account owns", () => {
    const { account: accounts, owned, children } = accountTables();
    for (const table of [accounts, ...owned, ...children]) {
      const policy = EXPORT_POLICY[table.name];
      expect(policy, `${table.name} has no export decision in src/services/account-tables.ts`).toBeDefined();
      if ("excluded" in policy) continue;
      const decided = [...policy.columns, ...Object.keys(policy.withheld ?? {})].sort();
      expect(decided, `${table.name}: every column is exported or withheld`).toEqual([...table.columns.keys()].sort());
    }
  });
});
