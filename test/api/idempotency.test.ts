import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { call, env, expectProblem, newAccount } from "../helpers";

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body, creating one object", async () => {
    const { key } = await newAccount();
    const send = () => call("/api/v1/api-keys", { method: "POST", key, json: { name: "ERP" }, headers: { "idempotency-key": "create-erp-1" } });
    const first = await send();
    expect(first.status).toBe(201);
    const second = await send();
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const list = (await (await call("/api/v1/api-keys", { key })).json()) as any;
    expect(list.data.filter((k: any) => k.name === "ERP")).toHaveLength(1);
  });

  it("answers 422 when the key is reused with a different body", async () => {
    const { key } = await newAccount();
    const headers = { "idempotency-key": "k-2" };
    expect((await call("/api/v1/api-keys", { method: "POST", key, json: { name: "A" }, headers })).status).toBe(201);
    await expectProblem(await call("/api/v1/api-keys", { method: "POST", key, json: { name: "B" }, headers }), 422, "idempotency-mismatch");
  });

  it("does not keep failed validations, so the corrected request can reuse the key", async () => {
    const { key } = await newAccount();
    const headers = { "idempotency-key": "k-3" };
    await expectProblem(await call("/api/v1/api-keys", { method: "POST", key, json: { name: "" }, headers }), 400);
    expect((await call("/api/v1/api-keys", { method: "POST", key, json: { name: "ok" }, headers })).status).toBe(201);
  });

  it("scopes keys per account", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const headers = { "idempotency-key": "shared" };
    const ra = await call("/api/v1/api-keys", { method: "POST", key: a.key, json: { name: "A" }, headers });
    const rb = await call("/api/v1/api-keys", { method: "POST", key: b.key, json: { name: "B" }, headers });
    expect(rb.status).toBe(201);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(((await rb.json()) as any).id).not.toBe(((await ra.json()) as any).id);
  });

  it("rejects an unreasonable key", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/api-keys", { method: "POST", key, json: { name: "x" }, headers: { "idempotency-key": "x".repeat(300) } });
    await expectProblem(res, 400);
  });
});

describe("Idempotency-Key while the first request runs", () => {
  it("answers 409 with Retry-After", async () => {
    const { key, accountId } = await newAccount();
    const body = JSON.stringify({ name: "x" });
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (account_id, key, method, path, request_hash, created_at) VALUES (?, 'busy', 'POST', '/api/v1/api-keys', ?, ?)",
    )
      .bind(accountId, await sha256Hex(`application/json\n${body}`), Date.now())
      .run();
    const res = await call("/api/v1/api-keys", { method: "POST", key, json: JSON.parse(body), headers: { "idempotency-key": "busy" } });
    expect(res.headers.get("retry-after")).toBe("1");
    await expectProblem(res, 409, "idempotency-in-flight");
  });
});

describe("stored idempotent responses", () => {
  it("never keep a shown-once secret in plain text", async () => {
    const { key, accountId } = await newAccount();
    const res = await call("/api/v1/api-keys", { method: "POST", key, json: { name: "sealed" }, headers: { "idempotency-key": "seal-1" } });
    const created = (await res.json()) as any;
    const row = await env.DB.prepare("SELECT response_body FROM idempotency_keys WHERE account_id = ? AND key = 'seal-1'").bind(accountId).first<{ response_body: string }>();
    expect(row!.response_body).not.toContain(created.key);
    const replay = (await (await call("/api/v1/api-keys", { method: "POST", key, json: { name: "sealed" }, headers: { "idempotency-key": "seal-1" } })).json()) as any;
    expect(replay.key).toBe(created.key);
  });
});
