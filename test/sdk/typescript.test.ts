import { exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  backoffDelays,
  createClient,
  type FetchFunction,
  JobWaitTimeoutError,
  retryAfterMs,
  verifyWebhook,
  VitrineProblemError,
  WebhookVerificationError,
} from "../../sdks/typescript/src/index";
import { catalogCsv, PIPELINE_PACK, sellerCatalog } from "../fixtures/catalog";
import { csvOfSize, MIB, streamOf } from "../fixtures/files";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { BASE, call, createPack, newAccount } from "../helpers";
import { createEndpoint } from "../webhook-harness";

/** The Worker's own fetch handler, as the SDK's `fetch`; `seen` records every request it passed. */
function workerFetch(intercept?: (request: Request, index: number) => Response | undefined) {
  const seen: { method: string; path: string }[] = [];
  const fetch: FetchFunction = async (request) => {
    const url = new URL(request.url);
    seen.push({ method: request.method, path: url.pathname });
    return intercept?.(request, seen.length - 1) ?? exports.default.fetch(request);
  };
  return { fetch, seen };
}

async function sdkFor(intercept?: Parameters<typeof workerFetch>[0], locale?: "pt-BR" | "en") {
  const { key } = await newAccount();
  const { fetch, seen } = workerFetch(intercept);
  return { key, seen, vitrine: createClient({ apiKey: key, baseUrl: BASE, fetch, locale }) };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function expectProblemError(promise: Promise<unknown>): Promise<VitrineProblemError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VitrineProblemError);
  return error as VitrineProblemError;
}

const encoder = new TextEncoder();

describe("the TypeScript SDK's typed client", () => {
  it("calls any operation of the document through api, with the key", async () => {
    const { key, accountId } = await newAccount();
    const vitrine = createClient({ apiKey: key, baseUrl: BASE, fetch: (r) => exports.default.fetch(r) });
    const { data, response } = await vitrine.api.GET("/api/v1/account");
    expect(response.status).toBe(200);
    expect(data?.id).toBe(accountId);
  });

  it("accepts a base URL given with /api/v1", async () => {
    const { key } = await newAccount();
    const vitrine = createClient({ apiKey: key, baseUrl: `${BASE}/api/v1/`, fetch: (r) => exports.default.fetch(r) });
    expect((await vitrine.api.GET("/api/v1/account")).response.status).toBe(200);
  });
});

describe("problem errors", () => {
  it("carry type, title, status, detail, the code and the whole body", async () => {
    const { vitrine } = await sdkFor();
    const error = await expectProblemError(vitrine.createJob({ source: { file_id: "file_missing" }, rule_pack: "mercadolivre" }));
    expect(error).toMatchObject({ status: 404, code: "not_found", type: "/docs#error-not-found", title: "Not found" });
    expect(error.detail.length).toBeGreaterThan(0);
    expect(error.problem).toMatchObject({ status: 404, instance: "/api/v1/jobs" });
    expect(error.message).toContain("404");
  });

  it("name the fields of an invalid request, in the client's locale", async () => {
    const { vitrine } = await sdkFor(undefined, "pt-BR");
    const error = await expectProblemError(vitrine.createJob({ source: { file_id: "" }, rule_pack: "x".repeat(65) }));
    expect(error).toMatchObject({ status: 400, code: "invalid_request", title: "Requisição inválida" });
    expect(error.errors?.map((e) => e.pointer)).toContain("/rule_pack");
  });

  it("come from a revoked or unknown key too", async () => {
    const vitrine = createClient({ apiKey: "vt_test_unknown", baseUrl: BASE, fetch: (r) => exports.default.fetch(r) });
    const error = await expectProblemError(vitrine.waitForJob("job_x"));
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(error.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("turn an answer that is not a problem (a proxy's page) into one", async () => {
    const { vitrine } = await sdkFor(() => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const error = await expectProblemError(vitrine.waitForJob("job_x"));
    expect(error).toMatchObject({ status: 502, code: "http_502", title: "Bad Gateway", detail: "<html>Bad gateway</html>" });
  });
});

describe("uploadFile", () => {
  it("sends a small file in one request, from bytes, a Blob (with its name) or a stream, reporting progress", async () => {
    const { vitrine, seen } = await sdkFor();
    const csv = encoder.encode(catalogCsv(sellerCatalog(20))) as Uint8Array<ArrayBuffer>;
    const sha256 = await sha256Hex(csv);

    const progress: unknown[] = [];
    const fromBytes = await vitrine.uploadFile(csv, { name: "catalogo.csv", onProgress: (p) => progress.push(p) });
    expect(fromBytes).toMatchObject({ name: "catalogo.csv", size: csv.length, sha256, format: "csv", delimiter: ";" });
    expect(progress).toEqual([
      { loaded: 0, total: csv.length },
      { loaded: csv.length, total: csv.length },
    ]);

    const fromBlob = await vitrine.uploadFile(new File([csv], "planilha.csv", { type: "text/csv" }));
    expect(fromBlob).toMatchObject({ name: "planilha.csv", sha256 });

    const fromStream = await vitrine.uploadFile(streamOf(csv, 1000), { name: "stream.csv" });
    expect(fromStream).toMatchObject({ name: "stream.csv", size: csv.length, sha256 });

    expect(seen.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(["/api/v1/files", "/api/v1/files", "/api/v1/files"]);
  });

  it("sends a file above the threshold in parts, from a Blob or a stream, whole and in order", async () => {
    const { vitrine, seen } = await sdkFor();
    const csv = csvOfSize(11 * MIB + 321, 7) as Uint8Array<ArrayBuffer>;
    const sha256 = await sha256Hex(csv);

    const progress: { loaded: number; total: number | null }[] = [];
    const file = await vitrine.uploadFile(new Blob([csv]), {
      name: "grande.csv",
      multipartThreshold: 5 * MIB,
      partSize: 5 * MIB,
      onProgress: (p) => progress.push(p),
    });
    expect(file).toMatchObject({ name: "grande.csv", size: csv.length, sha256, format: "csv" });
    expect(seen.filter((r) => r.method === "PUT")).toHaveLength(3);
    expect(progress.map((p) => p.total)).toEqual([csv.length, csv.length, csv.length]);
    // Parts finish in any order; what has been acknowledged only grows, up to the whole file.
    const loaded = progress.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(csv.length);

    const streamed = await vitrine.uploadFile(streamOf(csv, 64 * 1024), { name: "grande-stream.csv", partSize: 5 * MIB, concurrency: 2 });
    expect(streamed).toMatchObject({ size: csv.length, sha256 });
    expect(seen.filter((r) => r.method === "POST" && r.path === "/api/v1/files")).toHaveLength(0);
  });

  it("retries a part the API answered 503 (Retry-After) and aborts the upload when a part is refused", async () => {
    let failedOnce = false;
    const { vitrine, seen } = await sdkFor((request) => {
      if (request.method !== "PUT" || failedOnce) return undefined;
      failedOnce = true;
      return new Response("busy", { status: 503, headers: { "retry-after": "0" } });
    });
    const csv = csvOfSize(5 * MIB + 10, 3) as Uint8Array<ArrayBuffer>;
    const file = await vitrine.uploadFile(csv, { name: "retry.csv", multipart: true, partSize: 5 * MIB, concurrency: 1 });
    expect(file.sha256).toBe(await sha256Hex(csv));
    expect(seen.filter((r) => r.method === "PUT").map((r) => r.path.split("/").pop())).toEqual(["1", "1", "2"]);

    // A first part under 5 MiB that is not the last: the API refuses the completion.
    const error = await expectProblemError(vitrine.uploadFile(csv, { name: "small-parts.csv", multipart: true, partSize: 1 * MIB }));
    expect(error.status).toBe(422);
    expect(seen.at(-1)?.method).toBe("DELETE");
  });
});

describe("jobs, issues and the corrected catalog", () => {
  it("creates a job, waits for it, iterates every issue across pages and downloads the corrected catalog", async () => {
    // The first poll is answered 429: the client waits Retry-After and polls again instead of failing.
    let polls = 0;
    const { key, vitrine } = await sdkFor((request) => {
      if (request.method !== "GET" || !/^\/api\/v1\/jobs\/[^/]+$/.test(new URL(request.url).pathname)) return undefined;
      return ++polls === 1 ? new Response(null, { status: 429, headers: { "retry-after": "0" } }) : undefined;
    });
    await createPack(key, PIPELINE_PACK);
    const file = await vitrine.uploadFile(encoder.encode(catalogCsv(sellerCatalog(230))), { name: "catalogo.csv" });
    const job = await vitrine.createJob(
      { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } },
      { idempotencyKey: `sdk-${file.id}` },
    );
    expect(job.status).toBe("queued");

    const statuses: string[] = [];
    const done = await vitrine.waitForJob(job.id, { initialDelayMs: 50, maxDelayMs: 200, onPoll: (j) => statuses.push(j.status) });
    expect(done.status).toBe("completed");
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(statuses.at(-1)).toBe("completed");

    const issues = [];
    for await (const issue of vitrine.issues(job.id, { pageSize: 7 })) issues.push(issue);
    expect(issues).toHaveLength(done.counts.issues.total);
    expect(issues.length).toBeGreaterThan(7 * 3);
    const warnings = [];
    for await (const issue of vitrine.issues(job.id, { severity: "warning", pageSize: 1000 })) warnings.push(issue);
    expect(warnings).toHaveLength(done.counts.issues.warning);
    expect(warnings.every((i) => i.severity === "warning")).toBe(true);

    const corrected = await vitrine.downloadCorrected(job.id);
    expect(corrected.headers.get("content-type")).toContain("text/csv");
    const direct = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    expect(new Uint8Array(await corrected.arrayBuffer())).toEqual(new Uint8Array(await direct.arrayBuffer()));

    // The same idempotency key replays the first answer: the same job.
    const again = await vitrine.createJob(
      { source: { file_id: file.id }, rule_pack: "pipeline-test", options: { apply_fixes: true } },
      { idempotencyKey: `sdk-${file.id}` },
    );
    expect(again.id).toBe(job.id);
  });

  it("problem errors from the job helpers: issues of an unknown job, corrected file of a job run without fixes", async () => {
    const { key, vitrine } = await sdkFor();
    const missing = await expectProblemError(vitrine.issues("job_missing").next());
    expect(missing).toMatchObject({ status: 404, code: "not_found" });

    await createPack(key, PIPELINE_PACK);
    const job = await vitrine.createJob({ source: { records: [{ sku: "A1", title: "Fone", price: "10.50" }] }, rule_pack: "pipeline-test" });
    await vitrine.waitForJob(job.id, { initialDelayMs: 50 });
    const noFixes = await expectProblemError(vitrine.downloadCorrected(job.id));
    expect(noFixes.status).toBe(409);
  });
});

describe("waitForJob's time limit", () => {
  it("gives up with JobWaitTimeoutError, naming the job's last status, rather than sleep past the limit", async () => {
    const vitrine = createClient({
      apiKey: "vt_test_x",
      baseUrl: BASE,
      fetch: async () => Response.json({ id: "job_1", status: "running" }),
    });
    const error = await vitrine.waitForJob("job_1", { timeoutMs: 100, initialDelayMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobWaitTimeoutError);
    expect(error).toMatchObject({ jobId: "job_1", lastStatus: "running" });
  });
});

describe("backoff", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("Thu, 03 Dec 2026 12:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterMs("Thu, 03 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it("grows waits by the factor up to the maximum", () => {
    const delays = backoffDelays({ initialDelayMs: 100, factor: 2, maxDelayMs: 500 });
    expect(Array.from({ length: 5 }, () => delays.next().value)).toEqual([100, 200, 400, 500, 500]);
  });
});

describe("verifyWebhook", () => {
  const secret = "whsec_" + btoa("a-secret-of-thirty-two-bytes!!!!");
  const body = JSON.stringify({ id: "evt_1", type: "webhook.test", version: 1, created_at: "2026-12-03T12:00:00.000Z", data: { webhook_id: "whk_1", message: "Olá" } });
  const signedAt = new Date("2026-12-03T12:00:00Z");
  // Signed by the reference Standard Webhooks library, not by the code under test.
  const headers = () => ({ "webhook-id": "evt_1", "webhook-timestamp": String(signedAt.getTime() / 1000), "webhook-signature": new Webhook(secret).sign("evt_1", signedAt, body) });

  it("accepts a signed delivery, from a plain object or Headers, a string or bytes, and returns the event", async () => {
    const event = await verifyWebhook({ secret, headers: headers(), body, now: signedAt });
    expect(event).toMatchObject({ id: "evt_1", type: "webhook.test" });
    const again = await verifyWebhook({ secret, headers: new Headers(headers()), body: encoder.encode(body), now: signedAt.getTime() + 299_000 });
    expect(again.id).toBe("evt_1");
  });

  it("accepts either secret during a rotation", async () => {
    const other = "whsec_" + btoa("another-secret-thirty-two-bytes!");
    const h = headers();
    h["webhook-signature"] = `${new Webhook(other).sign("evt_1", signedAt, body)} ${h["webhook-signature"]}`;
    await expect(verifyWebhook({ secret: other, headers: h, body, now: signedAt })).resolves.toMatchObject({ id: "evt_1" });
    await expect(verifyWebhook({ secret: [other, secret], headers: headers(), body, now: signedAt })).resolves.toMatchObject({ id: "evt_1" });
  });

  const refused = async (options: Parameters<typeof verifyWebhook>[0]) => {
    const error = await verifyWebhook(options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).reason;
  };

  it("refuses a tampered body, id or timestamp, another secret, and missing headers", async () => {
    expect(await refused({ secret, headers: headers(), body: body.replace("Olá", "Ola"), now: signedAt })).toBe("invalid_signature");
    expect(await refused({ secret, headers: { ...headers(), "webhook-id": "evt_2" }, body, now: signedAt })).toBe("invalid_signature");
    const later = String(signedAt.getTime() / 1000 + 1);
    expect(await refused({ secret, headers: { ...headers(), "webhook-timestamp": later }, body, now: signedAt })).toBe("invalid_signature");
    expect(await refused({ secret: "whsec_" + btoa("not-the-secret"), headers: headers(), body, now: signedAt })).toBe("invalid_signature");
    expect(await refused({ secret, headers: { "webhook-id": "evt_1" }, body, now: signedAt })).toBe("missing_header");
    expect(await refused({ secret, headers: { ...headers(), "webhook-timestamp": "yesterday" }, body, now: signedAt })).toBe("invalid_timestamp");
  });

  it("refuses a stale delivery (a replay) and one from the future, outside the tolerance", async () => {
    expect(await refused({ secret, headers: headers(), body, now: signedAt.getTime() + 301_000 })).toBe("stale_timestamp");
    expect(await refused({ secret, headers: headers(), body, now: signedAt.getTime() - 301_000 })).toBe("stale_timestamp");
    expect(await refused({ secret, headers: headers(), body, now: signedAt.getTime() + 3_000_000, toleranceSeconds: 60 })).toBe("stale_timestamp");
  });

  it("verifies a real delivery from the Worker, and refuses it tampered", async () => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver();
    const endpoint = await createEndpoint(key, { url: receiver.url, events: ["*"] });
    expect((await call(`/api/v1/webhooks/${endpoint.id}/test`, { method: "POST", key })).status).toBe(200);
    const [delivery] = await receiver.requests();
    const event = await verifyWebhook({ secret: endpoint.secret, headers: delivery.headers, body: delivery.body });
    expect(event).toMatchObject({ type: "webhook.test", data: { webhook_id: endpoint.id } });
    expect(await refused({ secret: endpoint.secret, headers: delivery.headers, body: delivery.body.replace("webhook.test", "webhook.tesT") })).toBe("invalid_signature");
  });
});
