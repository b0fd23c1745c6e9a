import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { deleteAccount, deletionMarkerKey, FINAL_SWEEP_AFTER_MS, finishAccountDeletions } from "../../src/services/account-deletion";
import { coordinator, createJob } from "../../src/services/jobs/jobs";
import { everyObject, everyRow, populatedAccount } from "../fixtures/account-data";
import { call, env, expectProblem, newAccount } from "../helpers";

/** Everything that names the account: its id and the ids of every row it owns (jobs, deliveries, uploads…). */
async function identifiersOf(accountId: string): Promise<Set<string>> {
  const ids = new Set([accountId]);
  for (const [, row] of await everyRow()) {
    if (row.account_id !== accountId) continue;
    for (const column of ["id", "mapping_id", "pack_id"]) if (typeof row[column] === "string") ids.add(row[column] as string);
  }
  // Pack ids are the account's own words ("pipeline-test") and may be shared by other accounts: not identifying.
  ids.delete("pipeline-test");
  return ids;
}

/** Rows anywhere in D1 that still mention one of `ids`. */
async function rowsMentioning(ids: Set<string>): Promise<string[]> {
  const found: string[] = [];
  for (const [table, row] of await everyRow()) {
    const text = JSON.stringify(row);
    for (const id of ids) if (text.includes(id)) found.push(`${table}: ${id}`);
  }
  return found;
}

async function deleteByApi(key: string, confirm: string) {
  return call("/api/v1/account", { method: "DELETE", key, json: { confirm } });
}

describe("DELETE /api/v1/account", () => {
  it("deletes every object and row of the account, and nothing of another account", async () => {
    const doomed = await populatedAccount("Loja que sai");
    const kept = await populatedAccount("Loja que fica");
    const doomedIds = await identifiersOf(doomed.accountId);
    expect(doomedIds.size).toBeGreaterThan(10);
    expect(await rowsMentioning(doomedIds)).not.toEqual([]);
    const keptRows = (await everyRow()).filter(([, row]) => JSON.stringify(row).includes(kept.accountId)).length;
    const keptObjects = (await everyObject()).filter((k) => k.includes(kept.accountId));
    expect(keptObjects.length).toBeGreaterThan(3);

    const res = await deleteByApi(doomed.key, `  ${doomed.email.toUpperCase()} `);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ account_id: doomed.accountId, status: "deleted", requested_at: expect.any(String) });

    expect(await rowsMentioning(doomedIds)).toEqual([]);
    expect((await everyObject()).filter((k) => k.includes(doomed.accountId) && k !== deletionMarkerKey(doomed.accountId))).toEqual([]);
    await expectProblem(await call("/api/v1/account", { key: doomed.key }), 401);
    await expectProblem(await call("/api/v1/account", { key: doomed.secondKey.key }), 401);

    expect((await everyRow()).filter(([, row]) => JSON.stringify(row).includes(kept.accountId)).length).toBe(keptRows);
    expect((await everyObject()).filter((k) => k.includes(kept.accountId))).toEqual(keptObjects);
    expect((await call(`/api/v1/jobs/${kept.fileJobId}/result/corrected`, { key: kept.key })).status).toBe(200);
    expect((await call(`/api/v1/files/${kept.fileId}/content`, { key: kept.key })).status).toBe(200);
  });

  it("asks for the account's email as confirmation, and changes nothing without it", async () => {
    const { key, accountId } = await newAccount();
    const other = await newAccount();
    const wrong = await expectProblem(await deleteByApi(key, other.email), 400, "invalid-request");
    expect(wrong.errors).toEqual([{ detail: "confirm must be the account's email address", pointer: "/confirm" }]);
    await expectProblem(await call("/api/v1/account", { method: "DELETE", key }), 400, "invalid-request");
    expect((await call("/api/v1/account", { key })).status).toBe(200);
    expect(await env.FILES.head(deletionMarkerKey(accountId))).toBeNull();
    expect((await call("/api/v1/account", { key: other.key })).status).toBe(200);
  });

  it("cancels the account's unfinished jobs first", async () => {
    const { key, accountId, email } = await newAccount();
    // A queue nobody consumes keeps the job queued, as a busy pipeline would.
    const idle = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
    const queued = await createJob({ ...(env as unknown as Env), JOBS_QUEUE: idle, JOBS_PRIORITY_QUEUE: idle }, { accountId }, {
      source: { records: [{ sku: "A", title: "Produto", price: 10 }] },
      rulePack: "common",
      applyFixes: false,
      locale: "en",
    });
    expect((await deleteByApi(key, email)).status).toBe(202);
    expect((await coordinator(env, queued.id).snapshot()).status).toBe("cancelled");
  });
});

describe("an interrupted deletion", () => {
  it("is finished by the cron, and the keys stop working from the first attempt", async () => {
    const doomed = await populatedAccount("Loja interrompida");
    const ids = await identifiersOf(doomed.accountId);
    let failures = 1;
    const flaky = new Proxy(env.FILES, {
      get(target, name) {
        if (name === "delete" && failures > 0) {
          return async () => {
            failures--;
            throw new Error("R2 is unavailable");
          };
        }
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await expect(deleteAccount({ ...(env as unknown as Env), FILES: flaky }, doomed.accountId)).rejects.toThrow("R2 is unavailable");
    await expectProblem(await call("/api/v1/account", { key: doomed.key }), 401);
    expect(await rowsMentioning(ids)).not.toEqual([]);

    await finishAccountDeletions(env);
    expect(await rowsMentioning(ids)).toEqual([]);
    expect((await everyObject()).filter((k) => k.includes(doomed.accountId) && k !== deletionMarkerKey(doomed.accountId))).toEqual([]);
  });

  it("sweeps objects a job step wrote late, then forgets the deletion", async () => {
    const { key, accountId, email } = await newAccount();
    expect((await deleteByApi(key, email)).status).toBe(202);
    const marker = deletionMarkerKey(accountId);
    expect(await env.FILES.head(marker)).not.toBeNull();

    // A chunk that was already running writes its issues after the deletion.
    const late = `jobs/${accountId}/job_late/issues/000000.ndjson`;
    await env.FILES.put(late, "{}\n");
    await finishAccountDeletions(env, Date.now() + 60_000);
    expect(await env.FILES.head(late)).toBeNull();
    expect(await env.FILES.head(marker)).not.toBeNull();

    await finishAccountDeletions(env, Date.now() + FINAL_SWEEP_AFTER_MS + 60_000);
    expect(await env.FILES.head(marker)).toBeNull();
  });
});
