import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import newman, { type NewmanRunSummary } from "newman";
import { describe, expect, it } from "vitest";
import { readOpenApiDocument } from "../../scripts/generate/document";
import { postmanGenerator } from "../../scripts/generate/postman";
import {
  type PostmanCollection,
  type PostmanItem,
  buildPostmanCollection,
  operationKey,
  operationsOf,
  requestKey,
  requestsOf,
} from "../../scripts/generate/postman-collection";
import { buildSmokeCollection } from "../../scripts/generate/postman-smoke";
import type { OpenApiDocument } from "../../scripts/generate/types";

function requestFor(collection: PostmanCollection, method: string, path: string): PostmanItem {
  const item = requestsOf(collection.item).find((candidate) => requestKey(candidate.request) === operationKey(method, path));
  if (!item) throw new Error(`no request for ${method} ${path}`);
  return item;
}

/** The committed document with examples of both OpenAPI forms on sign-up and a single one on health. */
/** Drops every example the document carries (outside `properties`, where a field may be called so). */
function withoutExamples(node: unknown, parentKey = ""): void {
  if (Array.isArray(node)) return node.forEach((item) => withoutExamples(item));
  if (!node || typeof node !== "object") return;
  const object = node as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (parentKey !== "properties" && (key === "example" || key === "examples")) delete object[key];
    else withoutExamples(object[key], key);
  }
}

/** The committed document with only the examples this test gives it. */
async function documentWithExamples(): Promise<OpenApiDocument> {
  const document = structuredClone(await readOpenApiDocument());
  withoutExamples(document);
  const signUp = document.paths["/api/v1/signup"]!.post;
  signUp.requestBody.content["application/json"].examples = {
    loja: { summary: "Uma loja", value: { email: "voce@loja.com.br", name: "Minha Loja" } },
    outra: { summary: "Outra loja", value: { email: "vendas@outra.com.br", name: "Outra Loja" } },
  };
  signUp.responses["201"].content["application/json"].examples = {
    outra: { summary: "Outra loja criada", value: { account: { id: "acc_2" }, api_key: { key: "vt_test_2" } } },
  };
  signUp.responses["409"].content["application/problem+json"].example = { type: "about:blank", title: "Conflito", status: 409 };
  document.paths["/api/v1/health"]!.get.responses["200"].content["application/json"].example = { status: "ok" };
  // An example kept in components.examples, and one given by the schema itself (JSON Schema's `examples`).
  document.components!.examples = { MinhaLoja: { summary: "A conta da Minha Loja", value: { id: "acc_1", name: "Minha Loja" } } };
  document.paths["/api/v1/account"]!.get.responses["200"].content["application/json"].examples = {
    minha: { $ref: "#/components/examples/MinhaLoja" },
  };
  document.paths["/api/v1/api-keys"]!.get.responses["200"].content["application/json"].schema.examples = [{ data: [], has_more: false }];
  return document;
}

describe("the Postman collection generated from the OpenAPI document", () => {
  it("has one request per operation, in one folder per tag", async () => {
    const document = await readOpenApiDocument();
    const collection = await buildPostmanCollection(document);
    const operations = operationsOf(document);
    expect(requestsOf(collection.item).map((item) => requestKey(item.request)).sort()).toEqual(
      operations.map((operation) => operationKey(operation.method, operation.path)).sort(),
    );
    const tags = [...new Set(operations.map((operation) => operation.operation.tags[0]))];
    expect(collection.item.map((folder) => folder.name).sort()).toEqual(tags.sort());
  });

  it("is the same on every run: no random ids and no random placeholders", async () => {
    const document = await readOpenApiDocument();
    const [first, second] = [await postmanGenerator.run(document), await postmanGenerator.run(document)];
    expect(second).toEqual(first);
    for (const file of first as Array<{ content: string }>) {
      // The only ids are the fixed ones of the collections and the environment.
      expect(file.content.match(/"(id|_postman_id)":/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
  });

  it("leaves public operations without the key and lets the others inherit the pre-request script's", async () => {
    const document = await readOpenApiDocument();
    const collection = await buildPostmanCollection(document);
    expect(requestFor(collection, "GET", "/api/v1/health").request.auth).toEqual({ type: "noauth" });
    expect(requestFor(collection, "POST", "/api/v1/signup").request.auth).toEqual({ type: "noauth" });
    expect(requestFor(collection, "GET", "/api/v1/account").request.auth).toBeUndefined();
    const script = collection.event.find((event) => event.listen === "prerequest")!.script.exec.join("\n");
    expect(script).toContain('pm.variables.get("apiKey")');
    expect(script).toContain('"noauth"');
  });

  it("offers a file picker with the document's media type for bodies of raw bytes", async () => {
    const collection = await buildPostmanCollection(await readOpenApiDocument());
    const upload = requestFor(collection, "POST", "/api/v1/files").request;
    expect(upload.body).toEqual({ mode: "file", file: {} });
    expect(upload.header.filter((header) => header.key === "Content-Type")).toEqual([{ key: "Content-Type", value: "text/csv" }]);
  });

  it("saves each of the document's response examples, and only those, as a response", async () => {
    const collection = await buildPostmanCollection(await documentWithExamples());

    const health = requestFor(collection, "GET", "/api/v1/health");
    expect(health.response.map(({ name, code, status, body }) => ({ name, code, status, body }))).toEqual([
      { name: "The API is up", code: 200, status: "OK", body: JSON.stringify({ status: "ok" }, null, 2) },
    ]);

    const signUp = requestFor(collection, "POST", "/api/v1/signup");
    // The request starts from the first request example.
    expect(JSON.parse(signUp.request.body!.raw!)).toEqual({ email: "voce@loja.com.br", name: "Minha Loja" });
    expect(signUp.response.map(({ name, code }) => ({ name, code }))).toEqual([
      { name: "Outra loja criada", code: 201 },
      { name: "Conflict", code: 409 },
    ]);
    const [created, conflict] = signUp.response;
    // A response example is saved with the request example of the same name.
    expect(JSON.parse(created!.originalRequest.body!.raw!)).toEqual({ email: "vendas@outra.com.br", name: "Outra Loja" });
    expect(JSON.parse(created!.body)).toEqual({ account: { id: "acc_2" }, api_key: { key: "vt_test_2" } });
    expect(conflict!.header).toEqual([{ key: "Content-Type", value: "application/problem+json" }]);
    expect(JSON.parse(conflict!.originalRequest.body!.raw!)).toEqual({ email: "voce@loja.com.br", name: "Minha Loja" });

    const account = requestFor(collection, "GET", "/api/v1/account").response;
    expect(account.map(({ name, code, body }) => ({ name, code, body: JSON.parse(body) }))).toEqual([
      { name: "A conta da Minha Loja", code: 200, body: { id: "acc_1", name: "Minha Loja" } },
    ]);
    const apiKeys = requestFor(collection, "GET", "/api/v1/api-keys").response;
    expect(apiKeys.map(({ code, body }) => ({ code, body: JSON.parse(body) }))).toEqual([{ code: 200, body: { data: [], has_more: false } }]);

    // An operation without examples has no saved response (the converter's would be faked at random).
    expect(requestFor(collection, "GET", "/api/v1/events").response).toEqual([]);
  });
});

describe("the smoke collection's job step", () => {
  it("repeats the job request until the job has finished, then asserts once", async () => {
    const document = await readOpenApiDocument();
    const smoke = buildSmokeCollection(document, await buildPostmanCollection(document));
    const getJob = smoke.item.find((item) => item.request.url.path.join("/") === "api/v1/jobs/:id")!;

    // A job that is still queued, then running, when first asked.
    const statuses = ["queued", "running", "completed"];
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.url!);
      const status = statuses[Math.min(seen.length - 1, statuses.length - 1)];
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ id: "job_1", status, counts: { records: 3, valid: 1, invalid: 2, corrected: 1, issues: { error: 2, warning: 1, info: 0, total: 3 } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const summary = await new Promise<NewmanRunSummary>((resolve, reject) =>
        newman.run(
          {
            collection: { ...smoke, item: [getJob] },
            envVar: [
              { key: "baseUrl", value: `http://127.0.0.1:${port}` },
              { key: "jobId", value: "job_1" },
              { key: "jobPolls", value: "0" },
            ],
            reporters: [],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
      expect(seen).toEqual(["/api/v1/jobs/job_1", "/api/v1/jobs/job_1", "/api/v1/jobs/job_1"]);
      expect(summary.run.failures).toEqual([]);
      expect(summary.run.stats.assertions).toEqual({ total: 1, failed: 0, pending: 0 });
    } finally {
      server.close();
    }
  });
});
