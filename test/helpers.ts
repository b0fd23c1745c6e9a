import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

export const BASE = "https://vitrine.test";

/** Calls the Worker through its real fetch handler. */
export function call(path: string, init: RequestInit & { key?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(BASE + path, { ...init, headers, body }));
}

let signups = 0;

/** Signs up a fresh account (distinct client IP each time, so the signup limit stays out of the way). */
export async function newAccount(name = "Loja Teste") {
  signups++;
  const email = `seller${signups}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const res = await call("/api/v1/signup", {
    method: "POST",
    json: { email, name },
    headers: { "cf-connecting-ip": `198.51.100.${signups % 250}` },
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { account: { id: string; email: string }; api_key: { id: string; key: string } };
  return { accountId: body.account.id, email, key: body.api_key.key, keyId: body.api_key.id };
}

export async function expectProblem(res: Response, status: number, type?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  expect(String(body.type)).toMatch(/^\/docs#error-/);
  if (type) expect(body.type).toBe(`/docs#error-${type}`);
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(body).not.toHaveProperty("success");
  return body as { type: string; title: string; detail: string; errors?: { detail: string; pointer?: string; parameter?: string }[] };
}

export { env };

/** Polls a job until it ends (the local queues run the pipeline in the background). */
export async function waitForJob(key: string, jobId: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(`/api/v1/jobs/${jobId}`, { key });
    expect(res.status).toBe(200);
    const job = (await res.json()) as any;
    if (["completed", "failed", "cancelled"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function uploadFile(key: string, body: string | Uint8Array, name: string, type = "text/csv") {
  const res = await call(`/api/v1/files?name=${encodeURIComponent(name)}`, { method: "POST", key, body, headers: { "content-type": type } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; format: string };
}

export async function createPack(key: string, yaml: string) {
  const res = await call("/api/v1/rule-packs", { method: "POST", key, body: yaml, headers: { "content-type": "application/yaml" } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}
