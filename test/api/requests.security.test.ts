import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { call, env, expectProblem, newAccount } from "../helpers";

const SIX_MIB = "x".repeat(6 * 1024 * 1024);

describe("request bodies are capped whatever their declared type", () => {
  it.each([
    ["application/json", undefined],
    ["text/plain", undefined],
    ["no Content-Type", null],
    ["application/octet-stream", undefined],
  ])("a 6 MiB body to /validate as %s answers 413", async (label, absent) => {
    const { key } = await newAccount();
    // A string body would get text/plain from the Request constructor; bytes go without a type.
    const body = absent === null ? new TextEncoder().encode(SIX_MIB) : SIX_MIB;
    const headers: Record<string, string> = absent === null ? {} : { "content-type": label };
    const res = await call("/api/v1/validate", { method: "POST", key, body, headers });
    const problem = await expectProblem(res, 413, "payload-too-large");
    expect(problem.detail).toContain("5 MiB");
  });

  it("reads no further than the cap when Idempotency-Key asks for a body hash", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/jobs", { method: "POST", key, body: SIX_MIB, headers: { "content-type": "text/plain", "idempotency-key": "big-1" } });
    await expectProblem(res, 413, "payload-too-large");
  });

  it("refuses a body of a type the route does not take (415), and still accepts JSON", async () => {
    const { key } = await newAccount();
    const records = JSON.stringify({ rule_pack: "common", records: [{ sku: "A1" }] });
    await expectProblem(await call("/api/v1/validate", { method: "POST", key, body: records, headers: { "content-type": "text/plain" } }), 415, "unsupported-media-type");
    await expectProblem(await call("/api/v1/validate", { method: "POST", key, body: records }), 415, "unsupported-media-type");
    expect((await call("/api/v1/validate", { method: "POST", key, body: records, headers: { "content-type": "application/json; charset=utf-8" } })).status).toBe(200);
  });

  it("refuses a rule pack sent as plain text (415)", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/rule-packs", { method: "POST", key, body: "id: x\n", headers: { "content-type": "text/plain" } });
    await expectProblem(res, 415, "unsupported-media-type");
  });
});

describe("Idempotency-Key whose response cannot be stored", () => {
  it("ends in a defined state when the response is too large to keep: the retry says so, it is not stuck in flight", async () => {
    const { key } = await newAccount();
    // ~1,700 rules: a source under the 256 KiB limit whose answer (source + effective rules) passes 512 KiB.
    const rules = Array.from({ length: 1700 }, (_, i) => `  - id: big.r${i}\n    field: title\n    check: max_length\n    max: ${100 + (i % 50)}\n    description: "regra ${i} ${"d".repeat(40)}"\n`).join("");
    const pack = `id: enorme\nname: Enorme\nversion: "1"\nrules:\n${rules}`;
    expect(pack.length).toBeLessThan(256 * 1024);
    const send = () => call("/api/v1/rule-packs", { method: "POST", key, body: pack, headers: { "content-type": "application/yaml", "idempotency-key": "big-pack" } });
    const first = await send();
    expect(first.status).toBe(201);
    expect((await first.text()).length).toBeGreaterThan(512 * 1024);
    const retry = await send();
    const problem = (await expectProblem(retry, 409, "conflict")) as unknown as { original_status: number; location: string };
    expect(problem).toMatchObject({ original_status: 201, location: "/api/v1/rule-packs/enorme" });
  });

  it("never answers 500 for an object it created when storing the response fails; the key is freed", async () => {
    const { key } = await newAccount();
    const failing = new Proxy(env.DB, {
      get(target, prop) {
        if (prop !== "prepare") return Reflect.get(target, prop).bind?.(target) ?? Reflect.get(target, prop);
        return (query: string) => {
          if (/^update "idempotency_keys"/i.test(query)) throw new Error("D1 is unavailable");
          return target.prepare(query);
        };
      },
    });
    const app = buildApp();
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const send = () =>
      app.request(
        "/api/v1/api-keys",
        { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": "db-down" }, body: JSON.stringify({ name: "ERP" }) },
        { ...env, DB: failing },
        ctx,
      );
    const first = await send();
    expect(first.status).toBe(201);
    const second = await call("/api/v1/api-keys", { method: "POST", key, json: { name: "ERP" }, headers: { "idempotency-key": "db-down" } });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("limits on how many objects an account keeps", () => {
  it("holds the live API key limit under parallel creates", async () => {
    const { key } = await newAccount();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => call("/api/v1/api-keys", { method: "POST", key, json: { name: `k${i}` } })));
    const created = results.filter((r) => r.status === 201).length;
    expect(created).toBe(19);
    for (const r of results.filter((r) => r.status !== 201)) await expectProblem(r, 409, "conflict");
    const live = ((await (await call("/api/v1/api-keys?limit=100", { key })).json()) as any).data.filter((k: any) => !k.revoked_at);
    expect(live).toHaveLength(20);
  });
});

describe("values a client controls are bounded before any work", () => {
  it("refuses records nested thousands of levels deep (400 with a pointer), instead of failing while fixing them", async () => {
    const { key } = await newAccount();
    let deep: unknown = "fundo";
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const body = `{"rule_pack":"common","apply_fixes":true,"records":[{"sku":"A1","attributes":${JSON.stringify(deep)}}]}`;
    const res = await call("/api/v1/validate", { method: "POST", key, body, headers: { "content-type": "application/json" } });
    const problem = await expectProblem(res, 400, "invalid-request");
    expect(problem.errors?.[0].pointer).toMatch(/^\/records\/0\/attributes(\/a)+$/);
  });

  it.each(["1e3", "0x10", "10.0", "+5", " 7"])("reads part number %j as no number at all (canonical integers only)", async (n) => {
    const { key } = await newAccount();
    const upload = (await (await call("/api/v1/files/uploads", { method: "POST", key, json: { name: "a.csv" } })).json()) as { upload_id: string };
    const res = await call(`/api/v1/files/uploads/${upload.upload_id}/parts/${encodeURIComponent(n)}`, { method: "PUT", key, body: new Uint8Array(10) });
    const problem = await expectProblem(res, 400, "invalid-request");
    expect(problem.errors?.[0].parameter).toBe("n");
  });

  it("reads page sizes the same way", async () => {
    const { key } = await newAccount();
    expect((await expectProblem(await call("/api/v1/api-keys?limit=1e1", { key }), 400)).errors?.[0].parameter).toBe("limit");
    expect((await call("/api/v1/api-keys?limit=10", { key })).status).toBe(200);
  });
});
