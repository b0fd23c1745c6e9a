import path from "node:path";
import newman, { type NewmanRunOptions, type NewmanRunSummary } from "newman";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { ROOT, readOpenApiDocument } from "../../scripts/generate/document";
import { POSTMAN_COLLECTION, POSTMAN_ENVIRONMENT, POSTMAN_SMOKE_COLLECTION } from "../../scripts/generate/postman";
import { type PostmanCollection, operationKey, operationsOf, requestKey, requestsOf } from "../../scripts/generate/postman-collection";
import { type RunningApp, startApp } from "../running-app";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

function runNewman(options: Omit<NewmanRunOptions, "environment" | "envVar">, environment: Record<string, string>): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        ...options,
        // The committed environment, pointed at this test's server.
        environment: path.join(ROOT, POSTMAN_ENVIRONMENT),
        envVar: Object.entries(environment).map(([key, value]) => ({ key, value })),
        reporters: [],
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

/** Requests are named after their operation's summary. */
async function requestNames(operationIds: string[]): Promise<string[]> {
  const operations = operationsOf(await readOpenApiDocument());
  return operationIds.map((id) => operations.find((operation) => operation.operationId === id)!.operation.summary as string);
}

function failuresOf(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map((failure) => `${failure.source?.name ?? "?"}: ${failure.error.test ?? failure.error.name}: ${failure.error.message}`);
}

describe("the Postman collection, run by newman against a running Vitrine", () => {
  it("passes the smoke flow: health → signup → validate → upload → job → issues", async () => {
    const summary = await runNewman({ collection: path.join(ROOT, POSTMAN_SMOKE_COLLECTION) }, { baseUrl: app.origin });

    expect(failuresOf(summary)).toEqual([]);
    // Each step ran in order (the job's request repeats while it polls) and every test script's
    // assertions ran, the job's only once it had finished.
    const steps = summary.run.executions.map((execution) => execution.item.name).filter((name, i, names) => name !== names[i - 1]);
    expect(steps).toEqual(await requestNames(["getHealth", "signUp", "validateRecords", "createFile", "createJob", "getJob", "getJobIssues"]));
    expect(summary.run.stats.assertions).toEqual({ total: 8, failed: 0, pending: 0 });
  });

  it("sends the environment's apiKey as a Bearer token, except to public operations", async () => {
    const signup = await fetch(`${app.origin}/api/v1/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "postman-auth@loja.com.br", name: "Loja Postman" }),
    });
    expect(signup.status).toBe(201);
    const { api_key } = (await signup.json()) as { api_key: { key: string } };

    // Two requests of the generated collection as they are, with its pre-request script: a public
    // operation and one that needs the key. (The whole collection would also delete the account.)
    const collection = JSON.parse(await readFile(path.join(ROOT, POSTMAN_COLLECTION), "utf8")) as PostmanCollection;
    const wanted = [operationKey("GET", "/api/v1/health"), operationKey("GET", "/api/v1/account")];
    const items = requestsOf(collection.item).filter((item) => wanted.includes(requestKey(item.request)));
    expect(items).toHaveLength(2);
    const summary = await runNewman({ collection: { ...collection, item: items } }, { baseUrl: app.origin, apiKey: api_key.key });

    expect(failuresOf(summary)).toEqual([]);
    const [health, account] = summary.run.executions;
    expect(health!.item.name).toBe(items[0]!.name);
    expect(health!.request.headers.get("Authorization")).toBeUndefined();
    expect(health!.response?.code).toBe(200);
    expect(account!.request.headers.get("Authorization")).toBe(`Bearer ${api_key.key}`);
    expect(account!.response?.code).toBe(200);
  });
});
