import { describe, expect, it } from "vitest";
import { call } from "../helpers";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

async function document() {
  const res = await call("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

describe("GET /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1 where every operation is named, summarized, tagged and fully documented", async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      expect(path.startsWith("/api/v1/")).toBe(true);
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId), `${where} duplicates ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        expect(op.summary, where).toBeTruthy();
        expect(op.tags?.length, where).toBeGreaterThan(0);
        expect(Object.keys(op.responses), where).toContain("500");
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (Number(status) >= 400) expect(Object.keys(response.content ?? {}), `${where} ${status}`).toEqual(["application/problem+json"]);
        }
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        if (!isPublic) expect(Object.keys(op.responses), where).toContain("401");
      }
    }
  });

  it("changes only deliberately (update with `npx vitest run -u` and review the diff)", async () => {
    const doc = await document();
    await expect(JSON.stringify(doc, null, 2) + "\n").toMatchFileSnapshot("./__snapshots__/openapi.json");
  });
});
