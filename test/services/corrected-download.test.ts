import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { getJobRow } from "../../src/services/jobs/jobs";
import { correctedDownload } from "../../src/services/jobs/results";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { buildXlsx } from "../fixtures/tabular/xlsx-builder";
import { call, createPack, env, newAccount, uploadFile, waitForJob } from "../helpers";

/*
 * A corrected catalog is written while it is read. Whatever ends the writing early — the reader
 * going away, R2 failing — has to end it cleanly: the reader (if still there) sees the error,
 * and no promise of the writing is left rejected with nobody to handle it.
 */

const unhandled: unknown[] = [];
const record = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
beforeEach(() => {
  unhandled.length = 0;
  addEventListener("unhandledrejection", record);
});
afterEach(() => removeEventListener("unhandledrejection", record));

const HEADER = ["sku", "title", "description", "price"] as const;

async function correctedJob(upload: (key: string) => Promise<{ id: string }>) {
  const { key, accountId } = await newAccount();
  await createPack(key, PIPELINE_PACK);
  const file = await upload(key);
  const res = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await waitForJob(key, id)).status).toBe("completed");
  return (await getJobRow(env as unknown as Env, accountId, id))!;
}

const csvJob = () => correctedJob((key) => uploadFile(key, catalogCsv(sellerCatalog(120)), "catalogo.csv"));
async function xlsxJob() {
  const rows = sellerCatalog(120);
  const xlsx = await buildXlsx({ sheets: [{ name: "Produtos", rows: [[...HEADER], ...rows.map((r) => HEADER.map((h) => r[h]))] }] });
  return correctedJob((key) => uploadFile(key, xlsx, "catalogo.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
}

/**
 * R2 whose reads of the job's corrected chunks wait for `release()`, each answered from memory
 * once let go, so what follows a release runs without further I/O; `reached` resolves at the first.
 */
function gatedFiles() {
  let reached!: () => void;
  let release!: () => void;
  const state = { reached: new Promise<void>((r) => (reached = r)), released: new Promise<void>((r) => (release = r)) };
  const files = new Proxy(env.FILES, {
    get(target, name) {
      if (name === "get") {
        return async (key: string, options?: R2GetOptions) => {
          const object = await target.get(key, options);
          if (!object || !key.includes("/corrected/")) return object;
          const text = await object.text();
          reached();
          await state.released;
          return { text: async () => text, body: new Response(text).body } as unknown as R2ObjectBody;
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { files, reached: state.reached, release };
}

/** R2 that fails every read of the job's corrected chunks. */
function failingFiles() {
  return new Proxy(env.FILES, {
    get(target, name) {
      if (name === "get") {
        return async (key: string, options?: R2GetOptions) => {
          if (key.includes("/corrected/")) throw new Error("R2 is unavailable");
          return target.get(key, options);
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Microtasks and one turn of the event loop: when a rejection nobody handled is reported. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a corrected catalog download", () => {
  for (const [name, job, format] of [
    ["a CSV job", csvJob, "csv"],
    ["an Excel job, as CSV,", xlsxJob, "csv"],
  ] as const) {
    it(`of ${name} stops writing quietly when the reader goes away`, async () => {
      const row = await job();
      const gate = gatedFiles();
      const { body } = await correctedDownload({ ...(env as unknown as Env), FILES: gate.files }, row, format);
      const reader = body.getReader();
      expect((await reader.read()).done).toBe(false);
      await gate.reached;
      await reader.cancel();
      gate.release();
      await nextTurn();
      expect(unhandled.map(String)).toEqual([]);
    });

    it(`of ${name} fails for the reader when R2 fails`, async () => {
      const row = await job();
      const { body } = await correctedDownload({ ...(env as unknown as Env), FILES: failingFiles() }, row, format);
      await expect(new Response(body).text()).rejects.toThrow("R2 is unavailable");
      await nextTurn();
      expect(unhandled.map(String)).toEqual([]);
    });
  }
});
