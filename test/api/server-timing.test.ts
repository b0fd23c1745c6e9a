import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { call, env, newAccount } from "../helpers";

const DUR = String.raw`dur=\d+\.\d{3}`;

describe("Server-Timing", () => {
  it("times the whole request as app outside production", async () => {
    const res = await call("/api/v1/health");
    expect(res.headers.get("server-timing")).toMatch(new RegExp(`^app;${DUR}$`));
  });

  it("keeps app first and adds the steps of an authenticated, metered request, in one header", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "mercadolivre", records: [{ sku: "A-1", title: "Camiseta" }] } });
    expect(res.status).toBe(200);
    const header = res.headers.get("server-timing")!;
    expect(header).toMatch(new RegExp(`^app;${DUR}, auth;${DUR}, (ratelimit;${DUR}, body;${DUR}|body;${DUR}, ratelimit;${DUR}), quota;${DUR}$`));
  });

  it("times authentication and the rate limit on a request without a body", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/account", { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toMatch(new RegExp(`^app;${DUR}, auth;${DUR}, ratelimit;${DUR}$`));
  });

  it("times error answers too", async () => {
    const res = await call("/api/v1/validate", { method: "POST", json: { rule_pack: "mercadolivre", records: [] } });
    expect(res.status).toBe(401);
    expect(res.headers.get("server-timing")).toMatch(new RegExp(`^app;${DUR}$`));
  });

  it("sends nothing in production", async () => {
    const res = await buildApp().request("/api/v1/health", {}, { ...env, ENVIRONMENT: "production" });
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toBeNull();
  });
});
