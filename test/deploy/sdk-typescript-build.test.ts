import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.join(import.meta.dirname, "../..");
const SDK = path.join(ROOT, "sdks/typescript");
// Inside node_modules so the built files resolve openapi-fetch the way an installed package does.
const cache = path.join(ROOT, "node_modules/.cache");
mkdirSync(cache, { recursive: true });
const outDir = mkdtempSync(path.join(cache, "vitrine-sdk-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("@vitrine/sdk as published", () => {
  it("builds to ESM with declarations, with Web APIs only (no Node or Workers types), and loads in Node", async () => {
    execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", path.join(SDK, "tsconfig.json"), "--outDir", outDir], { stdio: "pipe" });
    const manifest = JSON.parse(readFileSync(path.join(SDK, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@vitrine/sdk", type: "module" });
    const entry = manifest.exports["."];
    const built = readdirSync(outDir);
    expect(built).toContain(path.basename(entry.import));
    expect(built).toContain(path.basename(entry.types));
    expect(built).toContain("schema.d.ts");
    for (const declarations of built.filter((f) => f.endsWith(".d.ts"))) {
      expect(readFileSync(path.join(outDir, declarations), "utf8")).not.toMatch(/reference types=/);
    }

    const sdk = await import(pathToFileURL(path.join(outDir, path.basename(entry.import))).href);
    expect(Object.keys(sdk).sort()).toEqual(
      ["JobWaitTimeoutError", "VitrineProblemError", "WebhookVerificationError", "backoffDelays", "createClient", "retryAfterMs", "verifyWebhook"].sort(),
    );
    const secret = "whsec_" + Buffer.from("a-secret-of-thirty-two-bytes!!!!").toString("base64");
    const now = new Date();
    const body = JSON.stringify({ id: "evt_1", type: "webhook.test", version: 1, created_at: now.toISOString(), data: {} });
    const headers = {
      "webhook-id": "evt_1",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("evt_1", now, body),
    };
    expect(await sdk.verifyWebhook({ secret, headers, body })).toMatchObject({ id: "evt_1" });

    const client = sdk.createClient({
      apiKey: "vt_test_x",
      baseUrl: "https://vitrine.test",
      fetch: async () =>
        Response.json(
          { type: "/docs#error-quota-exceeded", title: "Quota exceeded", status: 402, detail: "Monthly rows used up", instance: "/api/v1/jobs", quota: { limit: 1 } },
          { status: 402, headers: { "content-type": "application/problem+json" } },
        ),
    });
    const error = await client.createJob({ source: { file_id: "file_1" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.VitrineProblemError);
    expect(error).toMatchObject({ code: "quota_exceeded", status: 402, problem: { quota: { limit: 1 } } });
  });

  it("depends on the openapi-fetch version the repository tests with", () => {
    const sdkManifest = JSON.parse(readFileSync(path.join(SDK, "package.json"), "utf8"));
    const rootManifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(sdkManifest.dependencies).toEqual({ "openapi-fetch": rootManifest.devDependencies["openapi-fetch"] });
  });
});
