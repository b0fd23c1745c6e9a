import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { call, env, expectProblem, newAccount } from "../helpers";

describe("every error is problem+json", () => {
  it("unknown route → 404", async () => {
    await expectProblem(await call("/api/v1/nope"), 404, "not-found");
    await expectProblem(await call("/totally/elsewhere"), 404, "not-found");
  });

  it("wrong method → 405 with Allow", async () => {
    const res = await call("/api/v1/health", { method: "POST" });
    await expectProblem(res, 405, "method-not-allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("malformed JSON → 400 that says so", async () => {
    const res = await call("/api/v1/signup", { method: "POST", headers: { "content-type": "application/json" }, body: '{"email": ' });
    const problem = await expectProblem(res, 400, "malformed-json");
    expect(problem.detail).toContain("not valid JSON");
  });

  it("oversized body → 413, declared or streamed", async () => {
    const { key } = await newAccount();
    const big = JSON.stringify({ name: "x".repeat(6 * 1024 * 1024) });
    await expectProblem(await call("/api/v1/api-keys", { method: "POST", key, headers: { "content-type": "application/json" }, body: big }), 413, "payload-too-large");
    const stream = new Blob([big]).stream();
    const res = await call("/api/v1/api-keys", {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: stream,
      // @ts-expect-error workerd needs this for streamed request bodies
      duplex: "half",
    });
    await expectProblem(res, 413, "payload-too-large");
  });

  it("a declared length under the cap does not let a larger body through", async () => {
    const { key } = await newAccount();
    const big = JSON.stringify({ name: "x".repeat(6 * 1024 * 1024) });
    const res = await call("/api/v1/api-keys", {
      method: "POST",
      key,
      headers: { "content-type": "application/json", "content-length": "100" },
      body: new Blob([big]).stream(),
      // @ts-expect-error workerd needs this for streamed request bodies
      duplex: "half",
    });
    await expectProblem(res, 413, "payload-too-large");
  });

  it("schema violation → 400 with errors[] pointers", async () => {
    const { key } = await newAccount();
    const problem = await expectProblem(await call("/api/v1/api-keys", { method: "POST", key, json: { name: 42, extra: true } }), 400);
    expect(problem.errors?.some((e) => e.pointer === "/name")).toBe(true);
  });

  it("internal error → 500 without the stack or message", async () => {
    const app = buildApp();
    app.get("/boom", () => {
      throw new Error("database password is hunter2");
    });
    const res = await app.request("/boom", {}, env);
    const problem = await expectProblem(res, 500, "internal");
    expect(JSON.stringify(problem)).not.toContain("hunter2");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});
