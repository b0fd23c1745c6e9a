import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { RateLimiter } from "../../src/durable/rate-limiter";
import { call, env, expectProblem, newAccount } from "../helpers";

describe("authentication", () => {
  it("requires a key", async () => {
    const res = await call("/api/v1/account");
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it.each([
    ["a malformed header", "Token abc"],
    ["a key of the wrong shape", "Bearer vt_test_short"],
    ["a well-formed but unknown key", `Bearer vt_test_${"A".repeat(32)}`],
  ])("refuses %s", async (_, authorization) => {
    await expectProblem(await call("/api/v1/account", { headers: { authorization } }), 401, "unauthorized");
  });
});

describe("tenant isolation", () => {
  it("hides one account's keys from another: 404, never 403", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    const res = await call(`/api/v1/api-keys/${alice.keyId}`, { method: "DELETE", key: bob.key });
    await expectProblem(res, 404, "not-found");
    const bobs = (await (await call("/api/v1/api-keys", { key: bob.key })).json()) as any;
    expect(bobs.data.map((k: any) => k.id)).toEqual([bob.keyId]);
    expect((await call("/api/v1/account", { key: alice.key })).status).toBe(200);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a key spends its per-minute budget", async () => {
    const { key } = await newAccount();
    const app = buildApp();
    const limited = { ...env, RATE_LIMIT_PER_MINUTE: "3" };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await app.request("/api/v1/account", { headers: { authorization: `Bearer ${key}` } }, limited, ctx);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectProblem(last!, 429, "rate-limited");
  });

  it("limits signups per client IP", async () => {
    const app = buildApp();
    // Production: the only place where CF-Connecting-IP comes from the platform and is trusted.
    const limited = { ...env, ENVIRONMENT: "production", SIGNUP_LIMIT_PER_HOUR: "2" };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request(
        "/api/v1/signup",
        {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.77" },
          body: JSON.stringify({ email: `burst${i}@example.com`, name: "Burst" }),
        },
        limited,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it("reads a body beside the rate limit, yet answers 429 before the body's own errors, and the body's errors within the limit", async () => {
    const { key } = await newAccount();
    const app = buildApp();
    const limited = { ...env, RATE_LIMIT_PER_MINUTE: "2" };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const post = (body: string) =>
      app.request("/api/v1/validate", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body }, limited, ctx);
    const ok = await post(JSON.stringify({ rule_pack: "mercadolivre", records: [{ sku: "A-1", title: "Camiseta" }] }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-remaining")).toBe("1");
    await expectProblem(await post("{not json"), 400, "malformed-json");
    const over = await post("{not json");
    await expectProblem(over, 429, "rate-limited");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps a spent window when the limiter is evicted and comes back (storage, not memory)", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`evict-${crypto.randomUUID()}`));
    const now = Date.now();
    const decisions = await runInDurableObject(stub, async (limiter: RateLimiter) => [
      await limiter.hit(2, 60_000, now),
      await limiter.hit(2, 60_000, now + 1),
      await limiter.hit(2, 60_000, now + 2),
    ]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    // A new instance over the same storage is what an eviction leaves: memory gone, storage kept.
    const revived = await runInDurableObject(stub, async (_limiter: RateLimiter, state) => {
      const fresh = new RateLimiter(state, env);
      await state.blockConcurrencyWhile(async () => {});
      return fresh.hit(2, 60_000, now + 15_000);
    });
    expect(revived).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("does not trust CF-Connecting-IP outside production: made-up addresses share one signup budget", async () => {
    const app = buildApp();
    const limited = { ...env, SIGNUP_LIMIT_PER_HOUR: "2" };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request(
        "/api/v1/signup",
        {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": `198.18.0.${i + 1}` },
          body: JSON.stringify({ email: `spoof${i}-${crypto.randomUUID().slice(0, 6)}@example.com`, name: "Spoof" }),
        },
        limited,
      );
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
