import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../running-app";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

describe("the app as the integration tests reach it", () => {
  it("answers over HTTP with the OpenAPI document the generators read", async () => {
    const res = await fetch(`${app.origin}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { paths: Record<string, unknown> };
    const { readOpenApiDocument } = await import("../../scripts/generate/document");
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys((await readOpenApiDocument()).paths).sort());
  });
});
