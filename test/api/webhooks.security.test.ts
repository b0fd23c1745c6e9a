import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { open } from "../../src/core/crypto/aes-gcm";
import { recordEvent } from "../../src/services/events";
import { encryptionKey } from "../../src/services/encryption";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, env, expectProblem, newAccount } from "../helpers";
import { clockedQueue, createEndpoint, deliveriesOf } from "../webhook-harness";

const REFUSED = [
  "http://hooks.example.com/",
  "https://localhost/hook",
  "https://shop.localhost/hook",
  "https://127.0.0.1/hook",
  "https://2130706433/hook",
  "https://[::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://10.0.0.8/hook",
  "https://172.20.1.1/hook",
  "https://192.168.0.10/hook",
  "https://100.64.1.1/hook",
  "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "https://[fd00:ec2::254]/latest/meta-data/",
  "https://[fe80::1]/hook",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://metadata/computeMetadata/v1/",
  // IPv6 forms that carry an IPv4 address, and special-purpose ranges (IANA registries).
  "https://[::ffff:0:a9fe:a9fe]/latest/meta-data/", // IPv4-translated (RFC 6145) 169.254.169.254
  "https://[::ffff:a9fe:a9fe]/latest/meta-data/", // IPv4-mapped, in hex
  "https://[64:ff9b:1::a9fe:a9fe]/", // NAT64 local-use (RFC 8215)
  "https://[64:ff9b::a9fe:a9fe]/", // NAT64 well-known
  "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", // Teredo
  "https://[2002:a9fe:a9fe::1]/", // 6to4
  "https://[::a9fe:a9fe]/", // IPv4-compatible (deprecated)
  "https://[2001:db8::1]/", // documentation
  "https://[100::1]/", // discard-only
  "https://[3fff::1]/", // documentation (RFC 9637)
  "https://192.0.0.9/", // IETF protocol assignments
  "https://198.18.0.1/", // benchmarking
  "https://admin:hunter2@hooks.example.com/",
  "ftp://hooks.example.com/",
];

function ctx() {
  return { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
}

describe("webhook URLs (SSRF)", () => {
  it.each(REFUSED)("refuses %s when creating or changing an endpoint", async (url) => {
    const { key } = await newAccount();
    const problem = await expectProblem(await call("/api/v1/webhooks", { method: "POST", key, json: { url, events: ["*"] } }), 400, "invalid-request");
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/url" })]);
    const endpoint = await createEndpoint(key, { url: "https://ok.example.com/", events: ["*"] });
    await expectProblem(await call(`/api/v1/webhooks/${endpoint.id}`, { method: "PATCH", key, json: { url } }), 400, "invalid-request");
    expect(((await (await call(`/api/v1/webhooks/${endpoint.id}`, { key })).json()) as any).url).toBe("https://ok.example.com/");
  });

  it("explains the refusal in Portuguese on request", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/webhooks", {
      method: "POST",
      key,
      json: { url: "https://10.0.0.1/", events: ["*"] },
      headers: { "accept-language": "pt-BR" },
    });
    const problem = await expectProblem(res, 400);
    expect(problem.detail).toContain("endereço privado");
  });

  it("allows loopback (http too) only with ALLOW_LOOPBACK_WEBHOOKS outside production", async () => {
    const { key } = await newAccount();
    const app = buildApp();
    const create = (overrides: Record<string, string>) =>
      app.request(
        "/api/v1/webhooks",
        {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ url: "http://localhost:3000/webhooks", events: ["*"] }),
        },
        { ...env, ...overrides },
        ctx(),
      );
    expect((await create({ ALLOW_LOOPBACK_WEBHOOKS: "true" })).status).toBe(201);
    await expectProblem(await create({ ALLOW_LOOPBACK_WEBHOOKS: "false" }), 400);
    await expectProblem(await create({ ALLOW_LOOPBACK_WEBHOOKS: "true", ENVIRONMENT: "production" }), 400);
  });

  it("re-checks the URL before every attempt and sends nothing to a refused one", async () => {
    const { key, accountId } = await newAccount();
    const endpoint = await createEndpoint(key, { url: "https://ok.example.com/", events: ["*"] });
    // As if the row predates a rule, or was saved under the local-dev loopback setting.
    await env.DB.prepare("UPDATE webhook_endpoints SET url = 'https://169.254.169.254/latest/meta-data/' WHERE id = ?").bind(endpoint.id).run();
    const q = clockedQueue();
    const now = Date.now();
    await recordEvent(q.env, accountId, "connector.synced", connectorPayload(), { now });
    await q.deliver(now);
    const [delivery] = await deliveriesOf(key, endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", last_status_code: null });
    expect(delivery.last_error).toMatch(/^URL refused: it points at a private/);
    expect(delivery.attempts[0].latency_ms).toBeLessThan(1000);
  });

  it("does not follow redirects: a 3xx is a failed attempt, and the redirect target receives nothing", async () => {
    const { key } = await newAccount();
    const target = await fakeReceiver();
    const redirecting = await fakeReceiver({ otherwise: { status: 307, headers: { location: target.url } } });
    const endpoint = await createEndpoint(key, { url: redirecting.url, events: ["*"] });
    const result = (await (await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key })).json()) as any;
    expect(result).toMatchObject({ succeeded: false, status_code: 307 });
    expect(result.error).toContain("not followed");
    expect(await redirecting.requests()).toHaveLength(1);
    expect(await target.requests()).toHaveLength(0);
  });
});

describe("webhook secrets at rest", () => {
  it("stores only an AES-GCM sealed secret, bound to its endpoint", async () => {
    const { key } = await newAccount();
    const endpoint = await createEndpoint(key, { url: "https://ok.example.com/", events: ["*"] });
    const row = await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?").bind(endpoint.id).first<Record<string, unknown>>();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(endpoint.secret);
    expect(raw).not.toContain(endpoint.secret.slice("whsec_".length));
    const sealed = String(row!.secret_sealed);
    expect(sealed).toMatch(/^v1\./);
    expect(await open(await encryptionKey(env), sealed, endpoint.id)).toBe(endpoint.secret);
    await expect(open(await encryptionKey(env), sealed, "whk_other")).rejects.toThrow();
  });

  it("refuses to store secrets without ENCRYPTION_KEY outside development", async () => {
    const { key } = await newAccount();
    const app = buildApp();
    const res = await app.request(
      "/api/v1/webhooks",
      {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ url: "https://ok.example.com/", events: ["*"] }),
      },
      { ...env, ENVIRONMENT: "production", ENCRYPTION_KEY: undefined },
      ctx(),
    );
    await expectProblem(res, 500, "internal");
    expect(((await (await call("/api/v1/webhooks", { key })).json()) as any).data).toHaveLength(0);
    await expect(encryptionKey({ ENVIRONMENT: "development" })).resolves.toBeDefined();
  });

  it("rotation answers with the new secret once and never again", async () => {
    const { key } = await newAccount();
    const endpoint = await createEndpoint(key, { url: "https://ok.example.com/", events: ["*"] });
    const rotated = (await (await call(`/api/v1/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", key })).json()) as any;
    const after = await (await call(`/api/v1/webhooks/${endpoint.id}`, { key })).text();
    expect(after).not.toContain(rotated.secret);
    expect(after).not.toContain(endpoint.secret);
  });
});

describe("tenant isolation", () => {
  it("hides one account's endpoints, deliveries and events from another: 404, never 403", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    const receiver = await fakeReceiver();
    const endpoint = await createEndpoint(alice.key, { url: receiver.url, events: ["*"] });
    const test = (await (await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key: alice.key })).json()) as any;

    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/v1/webhooks/${endpoint.id}`],
      ["PATCH", `/api/v1/webhooks/${endpoint.id}`, { url: "https://bob.example.com/" }],
      ["DELETE", `/api/v1/webhooks/${endpoint.id}`],
      ["POST", `/api/v1/webhooks/${endpoint.id}/test`],
      ["POST", `/api/v1/webhooks/${endpoint.id}/rotate-secret`],
      ["GET", `/api/v1/webhooks/${endpoint.id}/deliveries`],
      ["POST", `/api/v1/webhooks/${endpoint.id}/deliveries/${test.delivery_id}/retry`],
      ["GET", `/api/v1/events/${test.event_id}`],
    ];
    for (const [method, path, json] of attempts) {
      await expectProblem(await call(path, { method, key: bob.key, json }), 404, "not-found");
    }
    expect(((await (await call("/api/v1/webhooks", { key: bob.key })).json()) as any).data).toEqual([]);
    expect(((await (await call("/api/v1/events", { key: bob.key })).json()) as any).data).toEqual([]);
    // Bob's own endpoint cannot reach Alice's delivery either.
    const bobs = await createEndpoint(bob.key, { url: "https://bob.example.com/", events: ["*"] });
    await expectProblem(await call(`/api/v1/webhooks/${bobs.id}/deliveries/${test.delivery_id}/retry`, { method: "POST", key: bob.key }), 404);

    // Nothing Bob tried changed Alice's endpoint.
    expect(await (await call(`/api/v1/webhooks/${endpoint.id}`, { key: alice.key })).json()).toMatchObject({ url: receiver.url, enabled: true });
    expect(await receiver.requests()).toHaveLength(1);
  });

  it("fans an account's events out to its own endpoints only", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    await createEndpoint(alice.key, { url: "https://alice.example.com/", events: ["*"] });
    const bobs = await createEndpoint(bob.key, { url: "https://bob.example.com/", events: ["*"] });
    const q = clockedQueue();
    await recordEvent(q.env, alice.accountId, "connector.synced", connectorPayload());
    expect(q.sent).toHaveLength(1);
    expect(await deliveriesOf(bob.key, bobs.id)).toHaveLength(0);
  });
});

function connectorPayload() {
  const now = new Date().toISOString();
  return {
    connector_id: "con_1",
    provider: "mercadolivre",
    direction: "import" as const,
    status: "succeeded" as const,
    job_id: null,
    counts: { fetched: 1, created: 1, updated: 0, unchanged: 0, failed: 0 },
    started_at: now,
    completed_at: now,
    error: null,
    links: { connector: "/api/v1/connectors/con_1" },
  };
}

describe("endpoint limit", () => {
  it("holds 20 endpoints per account under parallel creates", async () => {
    const { key } = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call("/api/v1/webhooks", { method: "POST", key, json: { url: `https://hooks${i}.example.com/`, events: ["*"] } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    for (const r of results.filter((r) => r.status !== 201)) await expectProblem(r, 409, "conflict");
    const listed = ((await (await call("/api/v1/webhooks?limit=100", { key })).json()) as any).data;
    expect(listed).toHaveLength(20);
  });
});
