import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("GET /api/v1/health", () => {
  it("answers ok without a key and carries a request id", async () => {
    const res = await call("/api/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-z]{26}$/);
  });

  it("echoes a sane X-Request-Id and replaces an unsafe one", async () => {
    const echoed = await call("/api/v1/health", { headers: { "x-request-id": "client-abc.123" } });
    expect(echoed.headers.get("x-request-id")).toBe("client-abc.123");
    const replaced = await call("/api/v1/health", { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
