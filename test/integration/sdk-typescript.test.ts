import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRecords, toCsv } from "../../bench/records";
import { createClient, type Issue, verifyWebhook, type VitrineClient } from "../../sdks/typescript/src/index";
import { type RunningApp, startApp } from "../running-app";

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 keeping every request's raw body, as a seller's server would receive it. */
function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(204).end();
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/vitrine`, deliveries, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const ROWS = 50_000;

let app: RunningApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let workdir: string;

beforeAll(async () => {
  [app, receiver] = await Promise.all([startApp(), startReceiver()]);
  workdir = mkdtempSync(path.join(os.tmpdir(), "vitrine-sdk-ts-"));
});
afterAll(async () => {
  await Promise.all([app?.stop(), receiver?.close()]);
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

async function signUp(): Promise<string> {
  const res = await fetch(`${app.origin}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `sdk-ts-${Date.now()}@loja.com.br`, name: "Loja do SDK" }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { api_key: { key: string } }).api_key.key;
}

describe("the TypeScript SDK against a running Vitrine", () => {
  it("uploads a 50,000-row catalog in parts, waits for its job, reads every issue, downloads the corrected file and verifies the webhook", async () => {
    const vitrine: VitrineClient = createClient({ apiKey: await signUp(), baseUrl: app.origin });

    const webhook = await vitrine.api.POST("/api/v1/webhooks", {
      body: { url: receiver.url, events: ["validation.completed"], description: "SDK integration test" },
    });
    expect(webhook.response.status).toBe(201);
    const secret = webhook.data!.secret;

    const csv = toCsv(generateRecords(ROWS).records);
    const file = path.join(workdir, "catalogo-50k.csv");
    writeFileSync(file, csv);
    const size = Buffer.byteLength(csv);

    const progress: number[] = [];
    const uploaded = await vitrine.uploadFile({ path: file }, { multipartThreshold: 8 * 1024 * 1024, onProgress: (p) => progress.push(p.loaded) });
    const sha256 = createHash("sha256").update(csv).digest("hex");
    expect(uploaded).toMatchObject({ name: "catalogo-50k.csv", size, sha256, format: "csv", delimiter: ";" });
    // More than one part, every byte acknowledged.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(size);

    const job = await vitrine.createJob({ source: { file_id: uploaded.id }, rule_pack: "mercadolivre", options: { apply_fixes: true } });
    const done = await vitrine.waitForJob(job.id, { timeoutMs: 10 * 60_000 });
    expect(done.status).toBe("completed");
    expect(done.counts.records).toBe(ROWS);
    expect(done.counts.issues.total).toBeGreaterThan(1000);

    const bySeverity: Record<Issue["severity"], number> = { error: 0, warning: 0, info: 0 };
    let issues = 0;
    for await (const issue of vitrine.issues(job.id)) {
      issues++;
      bySeverity[issue.severity]++;
    }
    expect(issues).toBe(done.counts.issues.total);
    expect(bySeverity).toEqual({ error: done.counts.issues.error, warning: done.counts.issues.warning, info: done.counts.issues.info });

    const corrected = await vitrine.downloadCorrected(job.id);
    expect(corrected.headers.get("content-type")).toContain("text/csv");
    const correctedText = await corrected.text();
    expect(correctedText.split("\r\n")[0]).toBe(csv.split("\r\n")[0]);
    // One CRLF per record as in the source (descriptions break lines with a bare LF inside quotes).
    expect(correctedText.split("\r\n").length).toBe(csv.split("\r\n").length);
    expect(correctedText).not.toBe(csv);

    // The validation.completed delivery, as the receiver got it, verifies with the endpoint's secret.
    const deadline = Date.now() + 60_000;
    while (!receiver.deliveries.some((d) => d.body.includes(job.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const delivery = receiver.deliveries.find((d) => d.body.includes(job.id));
    expect(delivery, "no webhook delivery for the job within 60 s").toBeDefined();
    const event = await verifyWebhook({ secret, headers: delivery!.headers, body: delivery!.body });
    expect(event.type).toBe("validation.completed");
    expect(event.data).toMatchObject({ job_id: job.id, counts: done.counts });
    await expect(verifyWebhook({ secret, headers: delivery!.headers, body: delivery!.body.replace(job.id, "job_forged") })).rejects.toThrow(
      /signature/,
    );
  });
});
