/**
 * The smoke collection (postman/vitrine-smoke.postman_collection.json): health → signup → validate →
 * upload → job → issues, with Postman test scripts asserting statuses and key fields. `newman`
 * runs it against a local server (test/integration/postman.test.ts); in Postman, the collection
 * runner runs it against the selected environment.
 *
 * It is a collection of its own rather than a folder of the main one so that running the whole main
 * collection never creates accounts, and so that the flow's concrete values (a fresh email, a small
 * catalog, the ids one step hands the next) stay out of the requests users start from. Each step
 * takes its request — URL, method, headers, parameters — from the generated collection, found by
 * operationId, and only fills in what the flow needs.
 */
import { operationsOf, operationKey, requestKey, requestsOf } from "./postman-collection";
import type { PostmanCollection, PostmanItem, PostmanParam, PostmanRequest, PostmanScript } from "./postman-collection";
import type { OpenApiDocument } from "./types";

const SMOKE_COLLECTION_ID = "5b0f6c1e-8d3a-4c1e-9a57-7669747269e3";

/** The sign-up's key stays local to the run: it never overwrites the environment's own apiKey. */
const SIGNUP_KEY_VARIABLE = "apiKey";

// A Brazilian seller's spreadsheet as Excel saves it in pt-BR: `;`, decimal commas, "Novo".
// The notebook's GTIN has a wrong check digit and the sneaker has neither brand nor picture.
export const SMOKE_CATALOG_CSV = [
  "sku;title;description;price;currency;stock;condition;gtin;brand;model;image_1",
  "A15-128-AZ;Smartphone Samsung Galaxy A15 128GB Azul;Smartphone Samsung Galaxy A15 com 128 GB, 4 GB de RAM e tela de 6,5 polegadas. Novo, com nota fiscal.;1.299,90;BRL;15;Novo;7891234567895;Samsung;Galaxy A15;https://cdn.minhaloja.com.br/a15-azul-1.jpg",
  "NB-IDEA-15;Notebook Lenovo IdeaPad 3 15 polegadas Ryzen 5 8GB 256GB SSD;Notebook Lenovo IdeaPad 3 com processador Ryzen 5, 8 GB de RAM e SSD de 256 GB. Novo, com nota fiscal e garantia.;3.199,00;BRL;4;Novo;7891234567890;Lenovo;IdeaPad 3;https://cdn.minhaloja.com.br/ideapad-3.jpg",
  "TEN-RUN-42;Tênis corrida;Tênis;249,90;BRL;30;Novo;SEM GTIN;;;",
  "",
].join("\r\n");

interface SmokeStep {
  operationId: string;
  query?: Record<string, string>;
  path?: Record<string, string>;
  contentType?: string;
  body?: string;
  prerequest?: string[];
  test: string[];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

const SMOKE_STEPS: SmokeStep[] = [
  {
    operationId: "getHealth",
    test: [
      'pm.test("the API is up", () => {',
      "  pm.response.to.have.status(200);",
      '  pm.expect(pm.response.json().status).to.eql("ok");',
      "});",
    ],
  },
  {
    operationId: "signUp",
    contentType: "application/json",
    // {{$guid}}: every run signs up a new account.
    body: json({ email: "postman-{{$guid}}@loja.com.br", name: "Loja Postman" }),
    test: [
      "const body = pm.response.json();",
      'pm.test("the account is created with its first API key", () => {',
      "  pm.response.to.have.status(201);",
      "  pm.expect(body.account.id).to.be.a(\"string\");",
      "  pm.expect(body.api_key.key).to.match(/^vt_(test|live)_/);",
      "});",
      `pm.variables.set(${JSON.stringify(SIGNUP_KEY_VARIABLE)}, body.api_key.key);`,
    ],
  },
  {
    operationId: "validateRecords",
    contentType: "application/json",
    body: json({
      rule_pack: "mercadolivre",
      category: "MLB1055",
      records: [
        {
          sku: "A15-128-AZ",
          title: "Smartphone Samsung Galaxy A15 128GB Azul",
          description: "Smartphone Samsung Galaxy A15 com 128 GB, 4 GB de RAM e tela de 6,5 polegadas. Novo, com nota fiscal.",
          price: 1299.9,
          currency: "BRL",
          stock: 15,
          condition: "new",
          gtin: "7891234567895",
          brand: "Samsung",
          model: "Galaxy A15",
          images: ["https://cdn.minhaloja.com.br/a15-azul-1.jpg", "https://cdn.minhaloja.com.br/a15-azul-2.jpg"],
          attributes: {
            LINE: "Galaxy A",
            COLOR: "Azul",
            INTERNAL_MEMORY: "128 GB",
            RAM: "4 GB",
            IS_DUAL_SIM: "Sim",
            CARRIER: "Desbloqueado",
            CELLPHONES_ANATEL_HOMOLOGATION_NUMBER: "01234-22-05678",
          },
        },
        { sku: "A15-SEM-FOTO", title: "Galaxy A15", price: 0, currency: "BRL", stock: 1, condition: "new" },
      ],
    }),
    test: [
      "const body = pm.response.json();",
      'pm.test("the records are validated at once", () => {',
      "  pm.response.to.have.status(200);",
      "  pm.expect(body.summary.records).to.eql(2);",
      "  pm.expect(body.summary.valid).to.eql(1);",
      "  pm.expect(body.summary.invalid).to.eql(1);",
      "});",
      'pm.test("the complete phone passes and the bare one has errors", () => {',
      "  pm.expect(body.results[0].valid).to.eql(true);",
      "  pm.expect(body.results[1].valid).to.eql(false);",
      '  pm.expect(body.results[1].issues.some((issue) => issue.severity === "error")).to.eql(true);',
      "  pm.expect(body.top_issues.length).to.be.above(0);",
      "});",
    ],
  },
  {
    operationId: "createFile",
    query: { name: "catalogo.csv" },
    contentType: "text/csv",
    body: SMOKE_CATALOG_CSV,
    test: [
      "const file = pm.response.json();",
      'pm.test("the catalog is stored and its dialect detected", () => {',
      "  pm.response.to.have.status(201);",
      '  pm.expect(file.id).to.match(/^file_/);',
      '  pm.expect(file.format).to.eql("csv");',
      '  pm.expect(file.delimiter).to.eql(";");',
      "});",
      'pm.variables.set("fileId", file.id);',
    ],
  },
  {
    operationId: "createJob",
    contentType: "application/json",
    body: json({ source: { file_id: "{{fileId}}" }, rule_pack: "mercadolivre", options: { apply_fixes: true } }),
    test: [
      "const job = pm.response.json();",
      'pm.test("the job is accepted", () => {',
      "  pm.response.to.have.status(202);",
      '  pm.expect(job.id).to.be.a("string");',
      "});",
      'pm.variables.set("jobId", job.id);',
      'pm.variables.set("jobPolls", 0);',
    ],
  },
  {
    operationId: "getJob",
    path: { id: "{{jobId}}" },
    prerequest: ['if (Number(pm.variables.get("jobPolls")) > 0) setTimeout(() => {}, 500);'],
    test: [
      "// Polls (this request again, at most 120 times, half a second apart) until the job has finished.",
      "const job = pm.response.json();",
      'const polls = Number(pm.variables.get("jobPolls")) + 1;',
      'if ((job.status === "queued" || job.status === "running") && polls < 120) {',
      '  pm.variables.set("jobPolls", polls);',
      "  pm.execution.setNextRequest(pm.info.requestName);",
      "} else {",
      '  pm.test("the job completes with exact counts", () => {',
      "    pm.response.to.have.status(200);",
      '    pm.expect(job.status).to.eql("completed");',
      "    pm.expect(job.counts.records).to.eql(3);",
      "    pm.expect(job.counts.invalid).to.be.above(0);",
      "    pm.expect(job.counts.issues.total).to.be.above(0);",
      "  });",
      "}",
    ],
  },
  {
    operationId: "getJobIssues",
    path: { id: "{{jobId}}" },
    query: { format: "json", limit: "100" },
    test: [
      "const page = pm.response.json();",
      'pm.test("the issues name the seller\'s rows, SKUs and columns", () => {',
      "  pm.response.to.have.status(200);",
      "  pm.expect(page.has_more).to.eql(false);",
      "  pm.expect(page.data.length).to.be.above(0);",
      "  for (const issue of page.data) {",
      '    pm.expect(issue.rule).to.be.a("string");',
      '    pm.expect(["error", "warning", "info"]).to.include(issue.severity);',
      "    pm.expect(issue.row).to.be.within(2, 4);",
      "  }",
      '  pm.expect(page.data.some((issue) => issue.sku === "NB-IDEA-15" && issue.field === "gtin")).to.eql(true);',
      '  pm.expect(page.data.some((issue) => issue.sku === "TEN-RUN-42")).to.eql(true);',
      "});",
    ],
  },
];

function setValues(params: PostmanParam[], values: Record<string, string> | undefined, what: string, operationId: string): PostmanParam[] {
  if (!values) return params;
  for (const key of Object.keys(values)) {
    if (!params.some((param) => param.key === key)) throw new Error(`${operationId} has no ${what} ${key} in the collection`);
  }
  return params.map((param) => (param.key in values ? { ...param, value: values[param.key], disabled: false } : param));
}

function script(listen: PostmanScript["listen"], exec: string[]): PostmanScript {
  return { listen, script: { type: "text/javascript", exec } };
}

function smokeItem(step: SmokeStep, item: PostmanItem): PostmanItem {
  const request: PostmanRequest = structuredClone(item.request);
  request.url.query = setValues(request.url.query, step.query, "query parameter", step.operationId);
  request.url.variable = setValues(request.url.variable, step.path, "path parameter", step.operationId);
  if (step.contentType) {
    request.header = [...request.header.filter((header) => header.key.toLowerCase() !== "content-type"), { key: "Content-Type", value: step.contentType }];
  }
  if (step.body !== undefined) request.body = { mode: "raw", raw: step.body };
  const event = [...(step.prerequest ? [script("prerequest", step.prerequest)] : []), script("test", step.test)];
  return { name: item.name, request, response: [], event };
}

export function buildSmokeCollection(document: OpenApiDocument, collection: PostmanCollection) {
  const items = new Map(requestsOf(collection.item).map((item) => [requestKey(item.request), item]));
  const byOperationId = new Map(operationsOf(document).map((operation) => [operation.operationId, items.get(operationKey(operation.method, operation.path))]));
  return {
    info: {
      _postman_id: SMOKE_COLLECTION_ID,
      name: "Vitrine API — smoke test",
      description: "Health → signup → validate → upload → job → issues against the selected environment's baseUrl. Signs up a new account; its key is used for this run only (the environment's apiKey is left as it is).",
      schema: collection.info.schema,
    },
    item: SMOKE_STEPS.map((step) => {
      const item = byOperationId.get(step.operationId);
      if (!item) throw new Error(`the smoke test's operation ${step.operationId} is not in the collection`);
      return smokeItem(step, item);
    }),
    event: collection.event,
    variable: collection.variable,
  };
}
