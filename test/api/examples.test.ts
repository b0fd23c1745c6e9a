import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_ORIGIN, STRIPE_IDS } from "../../src/api/billing-examples";
import { OPERATION_EXAMPLES, PROBLEM_SAMPLES } from "../../src/api/examples";
import { PROBLEMS } from "../../src/api/problems";
import { callBilling, deliver, paidCheckout, signature, stripeEvent, subscribed } from "../billing/helpers";
import { connectedStore, eventually, newSeller, syncAndWait } from "../connectors/helpers";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, env, newAccount, uploadFile, waitForJob } from "../helpers";

/**
 * The document's examples never drift: every operation has them, every stored example matches its
 * schema, and every request example, sent to the app on a fresh account, gets the documented
 * success status with a body that matches the documented schema.
 */

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Media types whose bodies are bytes, not text: documented without examples. */
const BINARY_MEDIA_TYPES = new Set(["application/zip", "application/octet-stream", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);

/** Operations that cannot run here; their stored examples are still validated. */
const NOT_RUN: Record<string, string> = {
  connectorOAuthCallback:
    "the marketplace redirects the seller's browser here with a signed, single-use state minted for one authorization; test/connectors/oauth.test.ts drives it",
  confirmConnectorOAuth: "posts that same single-use state from the confirmation page; test/connectors/oauth.test.ts drives it",
};

type Account = Awaited<ReturnType<typeof newAccount>>;

interface Prepared {
  /** Path parameters. */
  params?: Record<string, string>;
  /** Replacements in the example's body: the example's ids for the ones the fixture created. */
  replace?: Record<string, string>;
  /** For operations whose body has no example (bytes): the body to send and its media type. */
  body?: { content: string; type: string };
  /** The account to call as, when the fixture needs a particular one. */
  account?: Account;
  /** Send with billing on (Stripe configured, the Stripe fake answering) rather than as the suite's Worker runs. */
  billing?: boolean;
  /** Sign the body as Stripe signs its webhook deliveries (the Stripe-Signature header). */
  signedByStripe?: boolean;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  op: any;
  /** Where the operation sits: "paths" (the API) or "webhooks" (what Vitrine sends). */
  section: "paths" | "webhooks";
}

const example = (operationId: string, mediaType = "application/json") => {
  const named = OPERATION_EXAMPLES[operationId]?.request?.[mediaType];
  if (!named) throw new Error(`${operationId} has no ${mediaType} request example`);
  return Object.values(named)[0].value;
};

async function post(account: Account, path: string, body: unknown, type = "application/json") {
  const res = await call(path, {
    method: "POST",
    key: account.key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": type },
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as any;
}

const SAMPLE_CSV = example("createFile", "text/csv") as string;

async function finishedJob(account: Account, applyFixes = true) {
  const file = await uploadFile(account.key, SAMPLE_CSV, "catalogo.csv");
  const job = await post(account, "/api/v1/jobs", { source: { file_id: file.id }, rule_pack: "mercadolivre", options: { apply_fixes: applyFixes } });
  await waitForJob(account.key, job.id);
  return { job, file };
}

const createRulePack = (a: Account) => post(a, "/api/v1/rule-packs", example("createRulePack", "application/yaml"), "application/yaml");
const createMapping = (a: Account) => post(a, "/api/v1/mappings", example("createMapping"));
const createUpload = (a: Account) => post(a, "/api/v1/files/uploads", { name: "catalogo.csv" });
const createWebhook = (a: Account) => post(a, "/api/v1/webhooks", example("createWebhook"));
const createConnector = (a: Account) => post(a, "/api/v1/connectors", example("createConnector"));

async function receivingWebhook(a: Account) {
  const receiver = await fakeReceiver();
  return post(a, "/api/v1/webhooks", { url: receiver.url, events: ["*"] });
}

async function syncedStore(a: Account) {
  const seller = await newSeller({ generate: 12 });
  const connector = await connectedStore(a.key, seller, { push_fields: ["title", "pictures"] });
  const job = await syncAndWait(a.key, connector.id, { apply_fixes: true });
  return { connector, job };
}

async function finishedPush(a: Account, connectorId: string, jobId: string, dryRun: boolean) {
  const push = await post(a, `/api/v1/connectors/${connectorId}/push`, { job_id: jobId, dry_run: dryRun });
  await eventually(
    async () => (await (await call(`/api/v1/connectors/${connectorId}/pushes/${push.id}`, { key: a.key })).json()) as any,
    (p) => p.status === "completed" || p.status === "failed",
    30_000,
  );
  return push;
}

/** This deployment's origin (PUBLIC_URL): billing's return addresses must be on it. */
const ORIGIN = String(env.PUBLIC_URL);

/** With billing on, the example's return addresses point at this deployment. */
const BILLING: Prepared = { billing: true, replace: { [EXAMPLE_ORIGIN]: ORIGIN } };

/** Path parameters and preconditions, per operation that needs any. */
const FIXTURES: Record<string, (account: Account) => Promise<Prepared>> = {
  deleteAccount: async () => {
    const email = (example("deleteAccount") as { confirm: string }).confirm;
    const res = await call("/api/v1/signup", { method: "POST", json: { email, name: "Casa do Notebook" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    return { account: { accountId: body.account.id, email, key: body.api_key.key, keyId: body.api_key.id } };
  },
  revokeApiKey: async (a) => ({ params: { id: (await post(a, "/api/v1/api-keys", example("createApiKey"))).id } }),
  getRulePack: async () => ({ params: { id: "mercadolivre" } }),
  updateRulePack: async (a) => ({ params: { id: (await createRulePack(a)).id } }),
  deleteRulePack: async (a) => ({ params: { id: (await createRulePack(a)).id } }),
  getMapping: async (a) => ({ params: { id: (await createMapping(a)).id } }),
  updateMapping: async (a) => ({ params: { id: (await createMapping(a)).id } }),
  deleteMapping: async (a) => ({ params: { id: (await createMapping(a)).id } }),
  listMappingVersions: async (a) => ({ params: { id: (await createMapping(a)).id } }),
  previewMapping: async (a) => ({ params: { id: (await createMapping(a)).id } }),
  getUpload: async (a) => ({ params: { id: (await createUpload(a)).upload_id } }),
  abortUpload: async (a) => ({ params: { id: (await createUpload(a)).upload_id } }),
  uploadPart: async (a) => ({
    params: { id: (await createUpload(a)).upload_id, n: "1" },
    body: { content: SAMPLE_CSV, type: "application/octet-stream" },
  }),
  completeUpload: async (a) => {
    const upload = await createUpload(a);
    const res = await call(`/api/v1/files/uploads/${upload.upload_id}/parts/1`, {
      method: "PUT",
      key: a.key,
      body: SAMPLE_CSV,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(res.status).toBe(200);
    return { params: { id: upload.upload_id } };
  },
  getFile: async (a) => ({ params: { id: (await uploadFile(a.key, SAMPLE_CSV, "catalogo.csv")).id } }),
  deleteFile: async (a) => ({ params: { id: (await uploadFile(a.key, SAMPLE_CSV, "catalogo.csv")).id } }),
  downloadFile: async (a) => ({ params: { id: (await uploadFile(a.key, SAMPLE_CSV, "catalogo.csv")).id } }),
  createJob: async (a) => {
    const stored = (example("createJob") as { source: { file_id: string } }).source.file_id;
    return { replace: { [stored]: (await uploadFile(a.key, SAMPLE_CSV, "catalogo.csv")).id } };
  },
  getJob: async (a) => ({ params: { id: (await post(a, "/api/v1/jobs", { source: { records: [{ sku: "CEL-A15-128-AZ" }] }, rule_pack: "mercadolivre" })).id } }),
  cancelJob: async (a) => ({ params: { id: (await post(a, "/api/v1/jobs", { source: { records: [{ sku: "CEL-A15-128-AZ" }] }, rule_pack: "mercadolivre" })).id } }),
  getJobResult: async (a) => ({ params: { id: (await finishedJob(a)).job.id } }),
  getJobIssues: async (a) => ({ params: { id: (await finishedJob(a)).job.id } }),
  getCorrectedCatalog: async (a) => ({ params: { id: (await finishedJob(a)).job.id } }),
  getEvent: async (a) => {
    await finishedJob(a);
    const events = (await (await call("/api/v1/events", { key: a.key })).json()) as any;
    return { params: { id: events.data[0].id } };
  },
  getWebhook: async (a) => ({ params: { id: (await createWebhook(a)).id } }),
  updateWebhook: async (a) => ({ params: { id: (await createWebhook(a)).id } }),
  deleteWebhook: async (a) => ({ params: { id: (await createWebhook(a)).id } }),
  rotateWebhookSecret: async (a) => ({ params: { id: (await createWebhook(a)).id } }),
  listWebhookDeliveries: async (a) => ({ params: { id: (await createWebhook(a)).id } }),
  testWebhook: async (a) => ({ params: { id: (await receivingWebhook(a)).id } }),
  retryWebhookDelivery: async (a) => {
    const webhook = await receivingWebhook(a);
    const test = await post(a, `/api/v1/webhooks/${webhook.id}/test`, undefined);
    return { params: { id: webhook.id, delivery_id: test.delivery_id } };
  },
  getConnector: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  updateConnector: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  deleteConnector: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  authorizeConnector: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  listConnectorPushes: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  listConnectorSyncs: async (a) => ({ params: { id: (await createConnector(a)).id } }),
  syncConnector: async (a) => ({
    params: { id: (await connectedStore(a.key, await newSeller({ generate: 3 }), { push_fields: ["title"] })).id },
  }),
  pushConnector: async (a) => {
    const { connector, job } = await syncedStore(a);
    return { params: { id: connector.id }, replace: { [(example("pushConnector") as { job_id: string }).job_id]: job.id } };
  },
  getConnectorPush: async (a) => {
    const { connector, job } = await syncedStore(a);
    return { params: { id: connector.id, push_id: (await finishedPush(a, connector.id, job.id, true)).id } };
  },
  revertConnectorPush: async (a) => {
    const { connector, job } = await syncedStore(a);
    return { params: { id: connector.id, push_id: (await finishedPush(a, connector.id, job.id, false)).id } };
  },
  // Billing answers 501 where Stripe is not configured: its operations run with billing on.
  listPlans: async () => BILLING,
  getUsage: async () => ({ ...BILLING, account: await subscribed() }),
  subscribe: async () => BILLING,
  openBillingPortal: async () => BILLING,
  getSpendCap: async () => ({ ...BILLING, account: await subscribed() }),
  setSpendCap: async () => ({ ...BILLING, account: await subscribed() }),
  listInvoices: async () => {
    const paid = await subscribed();
    expect((await deliver(stripeEvent("invoice.paid", paid.invoice))).status).toBe(200);
    return { ...BILLING, account: paid };
  },
  receiveStripeWebhook: async () => {
    // The example's session, as the fake's Checkout completed it for a fresh account.
    const { accountId, session } = await paidCheckout();
    return {
      billing: true,
      signedByStripe: true,
      replace: {
        [STRIPE_IDS.event]: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
        [STRIPE_IDS.session]: session.id,
        [STRIPE_IDS.customer]: session.customer,
        [STRIPE_IDS.subscription]: session.subscription,
        [STRIPE_IDS.invoice]: session.invoice,
        [STRIPE_IDS.account]: accountId,
        [EXAMPLE_ORIGIN]: ORIGIN,
      },
    };
  },
};

function operations(doc: any, sections: Operation["section"][] = ["paths", "webhooks"]): Operation[] {
  const out: Operation[] = [];
  for (const section of sections) {
    for (const [path, item] of Object.entries<any>(doc[section] ?? {})) {
      for (const method of METHODS) if (item[method]) out.push({ id: item[method].operationId, method, path, op: item[method], section });
    }
  }
  return out;
}

const successStatuses = (op: any) => Object.keys(op.responses).filter((s) => s.startsWith("2"));
const isPublic = (op: any) => Array.isArray(op.security) && op.security.length === 0;
const pointer = (...parts: string[]) => "#/" + parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

let doc: any;
let ajv: Ajv2020;
const compiled = new Map<string, ValidateFunction>();

/** The validator of the schema at a JSON pointer into the document ($refs resolve within it). */
function validatorAt(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json${ref}` });
    compiled.set(ref, validate);
  }
  return validate;
}

function schemaErrors(ref: string, value: unknown): string | null {
  const validate = validatorAt(ref);
  return validate(value) ? null : ajv.errorsText(validate.errors, { separator: "\n  " });
}

/** A body as its schema sees it: parsed JSON for JSON media types, the text otherwise. */
function parsedFor(mediaType: string, text: string, schema: any): unknown {
  const isJson = mediaType === "application/json" || mediaType.endsWith("+json");
  return isJson && schema?.type !== "string" ? JSON.parse(text) : text;
}

beforeAll(async () => {
  const res = await call("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = await res.json();
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; formats (binary, email…) are documentation here.
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  ajv.addSchema(doc, "openapi.json");
});

describe("the OpenAPI document's examples", () => {
  it("exist for every request body, every success response and every problem response", () => {
    const missing: string[] = [];
    for (const { id, op } of operations(doc)) {
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
        if (!BINARY_MEDIA_TYPES.has(type) && !media.examples) missing.push(`${id} request ${type}`);
      }
      for (const [status, response] of Object.entries<any>(op.responses)) {
        for (const [type, media] of Object.entries<any>(response.content ?? {})) {
          if (!BINARY_MEDIA_TYPES.has(type) && !media.examples) missing.push(`${id} ${status} ${type}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("exist for every error code of the problem catalogue", () => {
    expect(Object.keys(PROBLEMS).filter((code) => !(code in PROBLEM_SAMPLES))).toEqual([]);
  });

  it("match their schemas", () => {
    const invalid: string[] = [];
    for (const { path, method, id, op, section } of operations(doc)) {
      const check = (where: string, ref: string, schema: any, mediaType: string, examples: Record<string, { value: unknown }> = {}) => {
        for (const [name, { value }] of Object.entries(examples)) {
          const body = typeof value === "string" ? parsedFor(mediaType, value, schema) : value;
          const errors = schemaErrors(ref, body);
          if (errors) invalid.push(`${id} ${where} ${mediaType} "${name}":\n  ${errors}`);
        }
      };
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
        check("request", pointer(section, path, method, "requestBody", "content", type, "schema"), media.schema, type, media.examples);
      }
      for (const [status, response] of Object.entries<any>(op.responses)) {
        for (const [type, media] of Object.entries<any>(response.content ?? {})) {
          check(status, pointer(section, path, method, "responses", status, "content", type, "schema"), media.schema, type, media.examples);
        }
      }
    }
    expect(invalid).toEqual([]);
  });

  it("name an operation that exists for every entry of the examples module", () => {
    const ids = new Set(operations(doc).map((o) => o.id));
    expect(Object.keys(OPERATION_EXAMPLES).filter((id) => !ids.has(id))).toEqual([]);
  });
});

interface Run {
  operation: Operation;
  /** The request example sent, if the operation has a body. */
  request?: { mediaType: string; name: string; value: unknown };
}

function runsOf(operation: Operation): Run[] {
  const content = Object.entries<any>(operation.op.requestBody?.content ?? {});
  const runs: Run[] = [];
  for (const [mediaType, media] of content) {
    for (const [name, { value }] of Object.entries<any>(media.examples ?? {})) runs.push({ operation, request: { mediaType, name, value } });
  }
  return runs.length ? runs : [{ operation }];
}

function fill(path: string, params: Record<string, string> = {}): string {
  return path.replaceAll(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`no fixture gives {${name}} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

function bodyOf(run: Run, prepared: Prepared): { body?: string; type?: string } {
  if (!run.request) return prepared.body ? { body: prepared.body.content, type: prepared.body.type } : {};
  const { mediaType, value } = run.request;
  let body: string =
    typeof value === "string"
      ? value
      : mediaType === "application/x-www-form-urlencoded"
        ? new URLSearchParams(value as Record<string, string>).toString()
        : JSON.stringify(value);
  for (const [from, to] of Object.entries(prepared.replace ?? {})) body = body.replaceAll(from, to);
  return { body, type: mediaType };
}

describe("every request example, sent to the app", async () => {
  const res = await call("/api/v1/openapi.json");
  const served = (await res.json()) as any;
  const runs = operations(served, ["paths"])
    .filter((o) => !(o.id in NOT_RUN))
    .flatMap(runsOf);

  it.each(runs.map((run) => [`${run.operation.id}${run.request ? ` (${run.request.mediaType} ${run.request.name})` : ""}`, run] as const))(
    "%s answers its documented success status with a body matching its schema",
    async (_name, run) => {
      const { operation } = run;
      let account = await newAccount();
      const prepared = (await FIXTURES[operation.id]?.(account)) ?? {};
      account = prepared.account ?? account;
      const { body, type } = bodyOf(run, prepared);
      const send = prepared.billing ? callBilling : call;
      const response = await send(fill(operation.path, prepared.params), {
        method: operation.method.toUpperCase(),
        key: isPublic(operation.op) ? undefined : account.key,
        body,
        headers: {
          "accept-language": "pt-BR",
          ...(type && { "content-type": type }),
          ...(prepared.signedByStripe && { "stripe-signature": await signature(body ?? "") }),
        },
        redirect: "manual",
      });
      const text = await response.text();
      const documented = successStatuses(operation.op);
      expect(documented, `${operation.id}: ${response.status} ${text.slice(0, 500)}`).toContain(String(response.status));
      const mediaType = (response.headers.get("content-type") ?? "").split(";")[0].trim();
      const content = operation.op.responses[String(response.status)].content;
      if (!content) {
        expect(text).toBe("");
        return;
      }
      expect(Object.keys(content), operation.id).toContain(mediaType);
      if (BINARY_MEDIA_TYPES.has(mediaType)) return;
      const ref = pointer("paths", operation.path, operation.method, "responses", String(response.status), "content", mediaType, "schema");
      const errors = schemaErrors(ref, parsedFor(mediaType, text, content[mediaType].schema));
      expect(errors, `${operation.id} ${response.status}: ${text.slice(0, 1000)}`).toBeNull();
    },
  );

  it("leaves out only the operations it says why", () => {
    const ids = new Set(operations(served, ["paths"]).map((o) => o.id));
    for (const id of Object.keys(NOT_RUN)) expect(ids.has(id), id).toBe(true);
  });
});

/** A problem's members that its documented schema does not declare (RFC 9457 extension members must be declared). */
function undeclaredMembers(ref: string, body: Record<string, unknown>): string[] {
  const target = ref.slice(1).split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  let schema: any = doc;
  for (const part of target) schema = schema[part];
  if (schema.$ref) schema = (schema.$ref as string).slice(2).split("/").reduce((at: any, part: string) => at[part], doc);
  return Object.keys(body).filter((member) => !(member in schema.properties));
}

describe("problems with extension members, as the app answers them", () => {
  const validate = "/api/v1/validate";
  const problemRef = (status: number, path = validate, method = "post") =>
    pointer("paths", path, method, "responses", String(status), "content", "application/problem+json", "schema");

  async function expectDocumented(response: Response, status: number, path = validate, method = "post") {
    expect(response.status).toBe(status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(schemaErrors(problemRef(status, path, method), body), JSON.stringify(body)).toBeNull();
    expect(undeclaredMembers(problemRef(status, path, method), body)).toEqual([]);
    return body;
  }

  it("402 quota_exceeded: the Free plan's numbers, each declared", async () => {
    const { key } = await newAccount();
    const records = Array.from({ length: 101 }, (_, i) => ({ sku: `SKU-${i}` }));
    const body = await expectDocumented(await callBilling(validate, { method: "POST", key, json: { rule_pack: "common", records } }), 402);
    expect(body).toMatchObject({ plan: "free", included: 100, remaining: 100, requested: 101 });
  });

  it("413 payload_too_large: the route's limit_bytes, declared", async () => {
    const { key } = await newAccount();
    const huge = JSON.stringify({ rule_pack: "common", records: [{ sku: "A", description: "x".repeat(6 * 1024 * 1024) }] });
    const body = await expectDocumented(await call(validate, { method: "POST", key, body: huge, headers: { "content-type": "application/json" } }), 413);
    expect(body.limit_bytes).toBe(5 * 1024 * 1024);
  });

  it("413 payload_too_large: too many records for a synchronous request, with limit_records and jobs_url declared", async () => {
    const { key } = await newAccount();
    const records = Array.from({ length: 1001 }, (_, i) => ({ sku: `SKU-${i}` }));
    const body = await expectDocumented(await call(validate, { method: "POST", key, json: { rule_pack: "common", records } }), 413);
    expect(body).toMatchObject({ limit_records: 1000, jobs_url: "/api/v1/jobs" });
  });

  it("409 conflict: the account's limit on API keys, declared", async () => {
    const { key } = await newAccount();
    const create = () => call("/api/v1/api-keys", { method: "POST", key, json: { name: "integração" } });
    // The account starts with one key.
    for (let i = 1; i < 20; i++) expect((await create()).status).toBe(201);
    const body = await expectDocumented(await create(), 409, "/api/v1/api-keys");
    expect(body.limit).toBe(20);
  });

  it("422 unprocessable: an unreadable file's reason, declared", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/files?name=catalogo.csv", { method: "POST", key, body: '"sku;titulo;preco\nA1;Fone;10,00\n', headers: { "content-type": "text/csv" } });
    const body = await expectDocumented(res, 422, "/api/v1/files");
    expect(body.reason).toBe("file.malformed_csv");
  });
});
