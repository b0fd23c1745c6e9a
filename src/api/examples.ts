import type { ErrorCode } from "../core/errors";
import { BILLING_EVENT_EXAMPLES, BILLING_REQUESTS, BILLING_RESPONSES, EXAMPLE_ORIGIN } from "./billing-examples";
import { RESPONSES } from "./example-responses";
import { PROBLEMS, problemType } from "./problems";

/**
 * The OpenAPI document's examples, written once: every operation's request and response examples,
 * keyed by operationId, and a problem example per error code. ApiRoute merges them into each
 * route's schema, so the served document, the reference page, the SDKs and the Postman collection
 * all show the same values; test/api/examples.test.ts sends every request example to the app and
 * checks the answers (and every stored example) against the operation's schemas.
 *
 * The data is a small Brazilian catalog: the phone, the notebook and the sneaker.
 */

export interface Example {
  summary: string;
  description?: string;
  value: unknown;
}

/** Named examples of one media type. */
export type NamedExamples = Record<string, Example>;

/** Named examples by media type. */
export type ContentExamples = Record<string, NamedExamples>;

export interface OperationExamples {
  /** Request body examples by media type. */
  request?: ContentExamples;
  /** Success response examples by status, then media type. */
  responses: Record<string, ContentExamples>;
  /**
   * Error codes the operation answers with beyond the general ones of its documented statuses
   * (e.g. invalid_rule_pack for 422 on rule-pack routes); each gets its example.
   */
  problems?: ErrorCode[];
  /** Problems this operation words its own way (e.g. why it answers 422): the detail, or the detail and its members. */
  details?: Partial<Record<ErrorCode, string | ProblemSample>>;
}

const json = (examples: NamedExamples): ContentExamples => ({ "application/json": examples });
const one = (name: string, summary: string, value: unknown): NamedExamples => ({ [name]: { summary, value } });

// ─── The catalog ────────────────────────────────────────────────────────────────────────────────

const PHONE = {
  sku: "CEL-A15-128-AZ",
  title: "Smartphone Samsung Galaxy A15 128GB Azul",
  description: "Smartphone Samsung Galaxy A15 com 128 GB de armazenamento, 4 GB de RAM e tela de 6,5 polegadas. Novo, com nota fiscal.",
  price: 1299.9,
  currency: "BRL",
  stock: 15,
  condition: "new",
  gtin: "7891234567895",
  brand: "Samsung",
  model: "Galaxy A15",
  images: ["https://cdn.lojadagabi.com.br/cel-a15-azul-1.jpg", "https://cdn.lojadagabi.com.br/cel-a15-azul-2.jpg"],
  attributes: { LINE: "Galaxy A", COLOR: "Azul", INTERNAL_MEMORY: "128 GB", RAM: "4 GB" },
};

const NOTEBOOK = {
  sku: "NB-IDEAPAD3-I5",
  title: "  Notebook Lenovo IdeaPad 3 Intel Core i5 8GB 512GB SSD 15,6  ",
  description: "Notebook Lenovo IdeaPad 3 com processador Intel Core i5, 8 GB de RAM, SSD de 512 GB e tela Full HD de 15,6 polegadas.",
  price: "3.499,00",
  currency: "BRL",
  stock: 4,
  condition: "novo",
  gtin: "7891000012345",
  brand: "Lenovo",
  model: "IdeaPad 3",
  images: ["http://cdn.lojadagabi.com.br/nb-ideapad3-1.jpg"],
};

const SNEAKER = {
  sku: "TEN-RUN-42-PR",
  title: "TÊNIS DE CORRIDA MASCULINO PRETO 42 PROMOÇÃO",
  description: "Tênis de corrida masculino, cabedal em mesh respirável e solado de borracha. Numeração 42.",
  price: 249.9,
  sale_price: 279.9,
  currency: "BRL",
  stock: 0,
  condition: "new",
  gtin: "7896543210127",
  brand: "Passo Firme",
  images: ["https://cdn.lojadagabi.com.br/tenis-run-preto-1.jpg"],
};

/** The same three products as a seller's spreadsheet names them (the mapping examples read these columns). */
const SELLER_ROWS = [
  {
    "Código": "CEL-A15-128-AZ",
    "Nome do Produto": "Smartphone Samsung Galaxy A15 128GB Azul",
    "Preço (R$)": "1.299,90",
    Estoque: "15",
    EAN: "7891234567895",
    Marca: "Samsung",
    "Foto 1": "https://cdn.lojadagabi.com.br/cel-a15-azul-1.jpg",
  },
  {
    "Código": "NB-IDEAPAD3-I5",
    "Nome do Produto": "Notebook Lenovo IdeaPad 3 Intel Core i5 8GB 512GB SSD 15,6",
    "Preço (R$)": "3.499,00",
    Estoque: "4",
    EAN: "7891000012345",
    Marca: "Lenovo",
    "Foto 1": "http://cdn.lojadagabi.com.br/nb-ideapad3-1.jpg",
  },
];

const MAPPING_FIELDS = [
  { target: "sku", source: "Código" },
  { target: "title", source: "Nome do Produto", transforms: ["trim"] },
  { target: "price", source: "Preço (R$)", transforms: [{ op: "number", locale: "pt-BR" }] },
  { target: "stock", source: "Estoque", transforms: ["number"] },
  { target: "gtin", source: "EAN", transforms: ["digits_only"] },
  { target: "brand", source: "Marca", transforms: ["trim"] },
  { target: "images", sources: ["Foto *"], transforms: ["trim", "collect"] },
  { target: "currency", value: "BRL" },
  { target: "condition", value: "new" },
];

const CATALOG_CSV =
  "sku;title;price;stock;condition;brand;gtin;Imagem 1\r\n" +
  "CEL-A15-128-AZ;Smartphone Samsung Galaxy A15 128GB Azul;1.299,90;15;Novo;Samsung;7891234567895;https://cdn.lojadagabi.com.br/cel-a15-azul-1.jpg\r\n" +
  "NB-IDEAPAD3-I5;Notebook Lenovo IdeaPad 3 Intel Core i5 8GB 512GB SSD;3.499,00;4;Novo;Lenovo;7891000012345;http://cdn.lojadagabi.com.br/nb-ideapad3-1.jpg\r\n" +
  "TEN-RUN-42-PR;TÊNIS DE CORRIDA MASCULINO PRETO 42 PROMOÇÃO;249,90;0;Novo;Passo Firme;7896543210127;https://cdn.lojadagabi.com.br/tenis-run-preto-1.jpg\r\n";

const RULE_PACK_YAML = `id: celulares-loja-da-gabi
name: Celulares da Loja da Gabi
version: 1.0.0
extends: mercadolivre
rules:
  - id: gabi.title.min_length
    field: title
    check: min_length
    min: 25
    message:
      en: "Titles need at least {min} characters; this one has {length}."
      pt-BR: "O título precisa de pelo menos {min} caracteres; este tem {length}."
`;

const RULE_PACK_YAML_V2 = `${RULE_PACK_YAML}  - id: gabi.brand.required
    field: brand
    check: required
    severity: warning
`;

const RULE_PACK_JSON = {
  id: "tenis-loja-da-gabi",
  name: "Tênis da Loja da Gabi",
  version: "1.0.0",
  extends: "mercadolivre",
  rules: [{ id: "gabi.images.min_count", field: "images", check: "count", min: 3, severity: "warning" }],
};

// ─── Identifiers the response examples share ────────────────────────────────────────────────────

const IDS = {
  account: "acct_01jdz4t9k7q8wz3m5n2p6r8s0v",
  key: "key_01jdz4t9m2x7c4b8n6q1w3e5r7",
  secondKey: "key_01je2h7f3k9d5s1a8g6j4l2p0q",
  file: "file_01je3b8w5n2m7q4r6t9y1u3v5x",
  upload: "upl_01je3c1d9f6g2h8j4k7l3z5x0v",
  job: "job_01je3d6p2q9r5s1t7u3v8w4x0y",
  mapping: "map_01je3e2a7b4c9d1e6f3g8h5j0k",
  webhook: "whk_01je3f5l8m1n6p3q9r2s7t4u0v",
  delivery: "dlv_01je3g9w2x7y4z1a8b5c3d6e0f",
  event: "evt_01je3h3g6h1j8k4l9m2n7p5q0r",
  connector: "con_01je3j7s4t9u2v6w1x8y3z5a0b",
  push: "psh_01je3k1c5d8e3f7g2h9j4k6l0m",
} as const;

/** Path parameter values for the problem examples' `instance`, by parameter name and resource. */
export const EXAMPLE_PATH_IDS: Record<string, string> = {
  "api-keys": IDS.secondKey,
  "rule-packs": "celulares-loja-da-gabi",
  mappings: IDS.mapping,
  uploads: IDS.upload,
  files: IDS.file,
  jobs: IDS.job,
  events: IDS.event,
  webhooks: IDS.webhook,
  connectors: IDS.connector,
  n: "1",
  delivery_id: IDS.delivery,
  push_id: IDS.push,
};

// ─── Problems ───────────────────────────────────────────────────────────────────────────────────

export interface ProblemSample {
  detail: string;
  extra?: Record<string, unknown>;
}

/**
 * A realistic pt-BR detail per code; the type, title and status come from the problem catalogue.
 * Keyed by string so that codes landing in the catalogue flow through; test/api/examples.test.ts
 * fails for a catalogued code without a sample here.
 */
export const PROBLEM_SAMPLES: Record<string, ProblemSample> = {
  invalid_request: {
    detail: "A requisição tem campos inválidos; veja errors.",
    extra: { errors: [{ detail: "deve ser um número inteiro escrito só com dígitos", parameter: "limit" }] },
  },
  malformed_json: { detail: "O corpo da requisição não é um JSON válido: Unexpected token } in JSON at position 41" },
  unauthorized: { detail: "A chave de API é inválida ou foi revogada." },
  not_found: { detail: "" }, // said of the operation's own object: see notFoundDetail
  method_not_allowed: { detail: "PATCH não é aceito aqui; use GET, DELETE." },
  conflict: { detail: `O arquivo ${IDS.file} ainda é lido por um job em andamento; cancele o job ou espere ele terminar.` },
  idempotency_in_flight: { detail: "Uma requisição com esta Idempotency-Key ainda está em andamento; tente de novo em alguns segundos." },
  gone: { detail: "Os resultados deste job foram apagados depois de 90 dias (RETENTION_DAYS). Rode o job de novo para ter novos resultados." },
  length_required: { detail: "Envie o arquivo com o cabeçalho Content-Length." },
  payload_too_large: { detail: "O corpo da requisição passa de 5 MiB.", extra: { limit_bytes: 5_242_880 } },
  unsupported_media_type: { detail: "Envie o corpo como Content-Type: application/json." },
  range_not_satisfiable: { detail: "O arquivo tem 48213 bytes; o intervalo pedido começa depois do fim." },
  // Each operation refuses for its own reasons: see PROBLEM_DETAILS.
  unprocessable: { detail: "A requisição está bem formada, mas não pode ser feita como pedida; mude-a antes de enviar de novo." },
  invalid_rule_pack: {
    detail: "O pacote de regras tem 1 problema.",
    extra: {
      errors: [
        { detail: "check desconhecido 'min_lenght'; você quis dizer 'min_length'?", pointer: "/rules/0/check", line: 8, rule: "gabi.title.min_length" },
      ],
    },
  },
  invalid_mapping: {
    detail: "O mapeamento tem 1 problema.",
    extra: { errors: [{ detail: "campo de destino desconhecido 'preco'; você quis dizer 'price'?", pointer: "/fields/2/target" }] },
  },
  idempotency_mismatch: { detail: "Esta Idempotency-Key já foi usada com outra requisição nas últimas 24 h; use uma chave nova." },
  rate_limited: { detail: "Requisições demais para esta chave de API. Tente de novo em 12 s." },
  quota_exceeded: {
    detail:
      "Isto precisa de 250 validações, mas o plano Free tem 37 das 100 deste mês; elas renovam em 01/01/2027 00:00. Assine um plano pago (POST /api/v1/billing/subscribe) para validar mais agora.",
    // São Paulo's midnight of 1 January, in UTC.
    extra: { plan: "free", included: 100, limit: 100, used: 63, reserved: 0, remaining: 37, requested: 250, reset_at: "2027-01-01T03:00:00.000Z" },
  },
  billing_not_configured: {
    detail: "A cobrança não está configurada nesta instalação: os recursos de todos os planos estão disponíveis sem assinatura.",
  },
  payment_provider_error: { detail: "O provedor de pagamentos não respondeu como esperado. Tente de novo em alguns minutos." },
  internal: { detail: "Algo falhou do nosso lado. Tente de novo; se persistir, fale com o suporte citando o X-Request-Id." },
};

/** Codes that only some operations answer with; the others name them in `problems`. */
const SPECIFIC_CODES: ReadonlySet<ErrorCode> = new Set(["invalid_rule_pack", "invalid_mapping"]);

/** What a path's last object is called in pt-BR, as the API's not_found details name it. */
const OBJECT_NAMES: Record<string, string> = {
  "api-keys": "A chave de API",
  "rule-packs": "O pacote de regras",
  mappings: "O mapeamento",
  uploads: "O upload",
  parts: "O upload",
  files: "O arquivo",
  jobs: "O job",
  events: "O evento",
  webhooks: "O endpoint de webhook",
  deliveries: "A entrega",
  connectors: "O conector",
  pushes: "O push",
};

/** Operations without an id in their path answer 404 about an object their body names. */
const REFERENCED: Record<string, string> = {
  "/api/v1/jobs": `O arquivo ${IDS.file} não existe nesta conta.`,
  "/api/v1/mappings/suggest": `O arquivo ${IDS.file} não existe nesta conta.`,
};

function notFoundDetail(instance: string): string {
  const segments = instance.split("/");
  for (let i = segments.length - 1; i > 0; i--) {
    const name = OBJECT_NAMES[segments[i - 1]];
    const isId = segments[i] !== EXAMPLE_PATH_IDS.n && Object.values(EXAMPLE_PATH_IDS).includes(segments[i]);
    if (name && isId) return `${name} ${segments[i]} não existe nesta conta.`;
  }
  return REFERENCED[instance] ?? `O mapeamento ${IDS.mapping} não existe nesta conta.`;
}

/** The problem+json example of `code`, as the API renders it in pt-BR at `instance`. */
export function problemExample(code: ErrorCode, instance: string, details: OperationExamples["details"] = {}): Example {
  const entry = PROBLEMS[code];
  const own = details[code];
  const { extra } = typeof own === "object" ? own : PROBLEM_SAMPLES[code];
  const detail = typeof own === "object" ? own.detail : (own ?? (code === "not_found" ? notFoundDetail(instance) : PROBLEM_SAMPLES[code].detail));
  return {
    summary: entry.pt,
    value: { type: problemType(code), title: entry.pt, status: entry.status, detail, instance, ...extra },
  };
}

/** Named problem examples for one documented status of an operation. */
export function problemExamples(status: number, instance: string, operation?: OperationExamples): NamedExamples {
  const specific = operation?.problems ?? [];
  const codes = (Object.keys(PROBLEMS) as ErrorCode[]).filter(
    (code) => code in PROBLEM_SAMPLES && PROBLEMS[code].status === status && (!SPECIFIC_CODES.has(code) || specific.includes(code)),
  );
  return Object.fromEntries(codes.map((code) => [code, problemExample(code, instance, operation?.details)]));
}

// ─── Operations ─────────────────────────────────────────────────────────────────────────────────

/** Request examples by operationId; the responses are in RESPONSES below. */
const REQUESTS: Record<string, ContentExamples> = {
  signUp: json(one("new_store", "A store signs up", { email: "contato@lojadagabi.com.br", name: "Loja da Gabi" })),
  deleteAccount: json(one("confirmed", "Confirm with the account's email", { confirm: "financeiro@casadonotebook.com.br" })),
  createApiKey: json(one("erp_key", "A key for the ERP integration", { name: "Integração Bling" })),
  createRulePack: {
    "application/yaml": one("yaml_pack", "A pack extending Mercado Livre's, in YAML", RULE_PACK_YAML),
    "application/json": one("json_pack", "The same structure as JSON", RULE_PACK_JSON),
  },
  updateRulePack: {
    "application/yaml": one("yaml_revision", "Revision 2 adds a warning on brand", RULE_PACK_YAML_V2),
    "application/json": one("json_revision", "Revision 2, as JSON", {
      id: "celulares-loja-da-gabi",
      name: "Celulares da Loja da Gabi",
      version: "1.1.0",
      extends: "mercadolivre",
      rules: [
        { id: "gabi.title.min_length", field: "title", check: "min_length", min: 25 },
        { id: "gabi.brand.required", field: "brand", check: "required", severity: "warning" },
      ],
    }),
  },
  validateRecords: json({
    canonical_records: {
      summary: "The phone, the notebook and the sneaker against Mercado Livre, with fixes",
      value: { rule_pack: "mercadolivre", apply_fixes: true, records: [PHONE, NOTEBOOK, SNEAKER] },
    },
    inline_mapping: {
      summary: "A seller's own columns, mapped by an unsaved mapping",
      value: { mapping: { marketplace: "mercadolivre", fields: MAPPING_FIELDS }, records: SELLER_ROWS },
    },
  }),
  suggestMapping: json(
    one("header_and_rows", "A spreadsheet's header and first rows", {
      marketplace: "mercadolivre",
      headers: Object.keys(SELLER_ROWS[0]),
      sample_rows: SELLER_ROWS.map((row) => Object.values(row)),
    }),
  ),
  createMapping: json(one("store_spreadsheet", "The store's spreadsheet columns", { name: "Planilha da Loja da Gabi", marketplace: "mercadolivre", fields: MAPPING_FIELDS })),
  updateMapping: json(
    one("with_category", "Version 2 also maps the category", {
      name: "Planilha da Loja da Gabi",
      marketplace: "mercadolivre",
      category: "MLB1055",
      fields: [...MAPPING_FIELDS, { target: "attributes.COLOR", value: "Azul" }],
    }),
  ),
  previewMapping: json(one("with_fixes", "Two rows of the spreadsheet, with fixes", { records: SELLER_ROWS, apply_fixes: true })),
  createUpload: json(one("large_catalog", "A 150 MB catalog, in parts", { name: "catalogo-completo-dezembro.csv", size: 157_286_400 })),
  completeUpload: json(one("every_part", "Every uploaded part, in order", {})),
  createFile: {
    "text/csv": one("excel_csv", "A semicolon CSV, as Excel saves it", CATALOG_CSV),
    "application/json": one("json_array", "A JSON array of records", JSON.stringify([PHONE, SNEAKER])),
    "application/x-ndjson": one("ndjson", "One record per line", `${JSON.stringify(PHONE)}\n${JSON.stringify(SNEAKER)}\n`),
  },
  createJob: json({
    uploaded_file: {
      summary: "Validate an uploaded file and correct it",
      value: { source: { file_id: IDS.file }, rule_pack: "mercadolivre", options: { apply_fixes: true } },
    },
    inline_records: {
      summary: "Validate records sent inline",
      value: { source: { records: [PHONE, NOTEBOOK, SNEAKER] }, rule_pack: "mercadolivre", category: "MLB1055" },
    },
  }),
  createWebhook: json(
    one("erp_receiver", "The ERP hears about finished validations", {
      url: "https://erp.lojadagabi.com.br/webhooks/vitrine",
      events: ["validation.completed", "correction.applied"],
      description: "ERP da Loja da Gabi",
    }),
  ),
  updateWebhook: json({
    ...one("every_event", "Subscribe to every event", { events: ["*"], description: "ERP da Loja da Gabi (todos os eventos)" }),
    ...one("pause", "Pause deliveries", { enabled: false }),
  }),
  createConnector: json(
    one("mercado_livre_store", "The store on Mercado Livre, synced daily", {
      type: "mercadolivre",
      name: "Loja da Gabi no Mercado Livre",
      schedule: "daily",
      push_fields: ["title", "price"],
    }),
  ),
  updateConnector: json(one("morning_active_only", "Sync at 6:00 and only active listings", { schedule: "0 6 * * *", config: { item_status: "active" } })),
  syncConnector: json({
    ...one("validate_only", "Validate the live listings", { push: "none" }),
    ...one("dry_run", "Validate and describe the corrections", { push: "dry_run" }),
  }),
  pushConnector: json(one("titles_dry_run", "Describe what would be sent for the titles", { job_id: IDS.job, fields: ["title"], dry_run: true })),
  revertConnectorPush: json(one("dry_run", "Describe what the revert would write", { dry_run: true })),
  confirmConnectorOAuth: {
    "application/x-www-form-urlencoded": one("confirm", "The seller confirms", {
      state: "eyJjb24iOiJjb25fMDFKRTNKN1M0VDlVMlY2VzFYOFkzWjVBMEIifQ.kq3X0",
      code: "TG-6751c0e2a1b2c3d4e5f60718-123456789",
      decision: "confirm",
    }),
  },
  mercadoLivreNotification: json(
    one("item_changed", "An item changed", {
      resource: "/items/MLB4123456789",
      user_id: 123456789,
      topic: "items",
      application_id: 5503910054141466,
      attempts: 1,
      sent: "2026-12-03T12:00:00.000Z",
      received: "2026-12-03T12:00:00.000Z",
    }),
  ),
};

/** What Vitrine POSTs to webhook endpoints, by event type (the document's `webhooks` section). */
export const EVENT_EXAMPLES: Record<string, NamedExamples> = {
  ...BILLING_EVENT_EXAMPLES,
  "validation.completed": {
    completed: {
      summary: "A catalog of 12 listings validated",
      value: {
        id: "evt_01je3h3g6h1j8k4l9m2n7p5q0r",
        type: "validation.completed",
        version: 1,
        created_at: "2026-12-03T14:07:20.048Z",
        data: {
          job_id: "job_01je3d6p2q9r5s1t7u3v8w4x0y",
          rule_pack: "mercadolivre",
          category: null,
          counts: {
            records: 12,
            valid: 7,
            invalid: 5,
            corrected: 4,
            issues: { error: 7, warning: 4, info: 0, total: 11 },
          },
          links: {
            job: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y",
            result: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result",
            issues: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result/issues?format=ndjson",
            corrected: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result/corrected",
          },
        },
      },
    },
  },
  "correction.applied": {
    corrected: {
      summary: "Fixes corrected 4 records",
      value: {
        id: "evt_01je3h3h1k5m9n3p7q1r5s9t3v",
        type: "correction.applied",
        version: 1,
        created_at: "2026-12-03T14:07:20.048Z",
        data: {
          job_id: "job_01je3d6p2q9r5s1t7u3v8w4x0y",
          rule_pack: "mercadolivre",
          category: null,
          corrected_records: 4,
          links: {
            job: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y",
            result: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result",
            issues: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result/issues?format=ndjson",
            corrected: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y/result/corrected",
          },
        },
      },
    },
  },
  "job.status_changed": {
    completed: {
      summary: "A job completed",
      value: {
        id: "evt_01je3h3f8d2f6g0h4j8k2m6n0p",
        type: "job.status_changed",
        version: 1,
        created_at: "2026-12-03T14:07:22.359Z",
        data: {
          job_id: "job_01je3d6p2q9r5s1t7u3v8w4x0y",
          rule_pack: "mercadolivre",
          category: null,
          previous_status: "running",
          status: "completed",
          changed_at: "2026-12-03T14:07:20.048Z",
          error: null,
        },
      },
    },
  },
  "connector.synced": {
    synced: {
      summary: "The Mercado Livre store synced",
      value: {
        id: "evt_01je3h3j4w8x2y6z0a4b8c2d6e",
        type: "connector.synced",
        version: 1,
        created_at: "2026-12-03T14:07:24.670Z",
        data: {
          connector_id: "con_01je3j7s4t9u2v6w1x8y3z5a0b",
          provider: "mercadolivre",
          direction: "import",
          status: "succeeded",
          job_id: "job_01je3d6p2q9r5s1t7u3v8w4x0y",
          counts: { fetched: 12, created: 0, updated: 0, unchanged: 0, failed: 0 },
          changes: {
            previous_job_id: null,
            issues: { new: 11, resolved: 0, still_open: 0 },
            records: { added: 12, removed: 0 },
          },
          started_at: "2026-12-03T14:07:20.048Z",
          completed_at: "2026-12-03T14:07:22.359Z",
          error: null,
          links: {
            connector: "/api/v1/connectors/con_01je3j7s4t9u2v6w1x8y3z5a0b",
            job: "/api/v1/jobs/job_01je3d6p2q9r5s1t7u3v8w4x0y",
          },
        },
      },
    },
  },
  "webhook.test": {
    test: {
      summary: "The test event",
      value: {
        id: "evt_01je3h2z7q1r5s9t3v7w1x5y9z",
        type: "webhook.test",
        version: 1,
        created_at: "2026-12-03T14:07:20.048Z",
        data: {
          webhook_id: "whk_01je3f5l8m1n6p3q9r2s7t4u0v",
          message: "This is a test event from Vitrine. If your receiver verified its signature, it is ready.",
        },
      },
    },
  },
};

/** Error codes beyond the general ones, by operationId. */
const SPECIFIC_PROBLEMS: Record<string, ErrorCode[]> = {
  createRulePack: ["invalid_rule_pack"],
  updateRulePack: ["invalid_rule_pack"],
  getRulePack: ["invalid_rule_pack"],
  validateRecords: ["invalid_rule_pack", "invalid_mapping"],
  createMapping: ["invalid_mapping"],
  updateMapping: ["invalid_mapping"],
  previewMapping: ["invalid_mapping"],
  createJob: ["invalid_rule_pack", "invalid_mapping"],
};

/** How billing refuses a return address off this deployment's origin. */
function returnAddressRefused(field: string): ProblemSample {
  return {
    detail: `${field} deve ser um endereço em ${EXAMPLE_ORIGIN}.`,
    extra: { errors: [{ detail: `deve começar com ${EXAMPLE_ORIGIN}/`, pointer: `/${field}` }] },
  };
}

const STRIPE_SIGNATURE_REFUSED = "O cabeçalho Stripe-Signature não corresponde a este corpo, ou foi feito há tempo demais.";

const PUSH_FIELDS_EMPTY =
  "O push_fields do conector está vazio, então nada pode ser escrito de volta. Defina antes os campos que o Vitrine pode alterar (PATCH /api/v1/connectors/{id}).";

/** Problem details in an operation's own words (what the API answers), by operationId. */
const PROBLEM_DETAILS: Record<string, OperationExamples["details"]> = {
  createFile: { unprocessable: "O arquivo está vazio." },
  uploadPart: { unprocessable: "A parte está vazia." },
  completeUpload: { unprocessable: "Nenhuma parte foi enviada ainda." },
  getCorrectedCatalog: { unprocessable: "O catálogo corrigido deste job está disponível como csv." },
  syncConnector: { unprocessable: PUSH_FIELDS_EMPTY },
  pushConnector: { unprocessable: PUSH_FIELDS_EMPTY },
  subscribe: {
    invalid_request: returnAddressRefused("success_url"),
    conflict:
      "Esta conta já assina o plano Pro. Troque de plano ou cancele no portal de cobrança (POST /api/v1/billing/portal); reduções e cancelamentos valem no fim do período.",
    unprocessable: "O plano Free não precisa de assinatura: toda conta começa nele.",
  },
  openBillingPortal: { invalid_request: returnAddressRefused("return_url") },
  receiveStripeWebhook: {
    invalid_request: {
      detail: STRIPE_SIGNATURE_REFUSED,
      extra: { errors: [{ detail: STRIPE_SIGNATURE_REFUSED, parameter: "Stripe-Signature" }] },
    },
  },
};

const ALL_REQUESTS = { ...REQUESTS, ...BILLING_REQUESTS };
const ALL_RESPONSES = { ...RESPONSES, ...BILLING_RESPONSES };

export const OPERATION_EXAMPLES: Record<string, OperationExamples> = Object.fromEntries(
  [...new Set([ALL_REQUESTS, ALL_RESPONSES, SPECIFIC_PROBLEMS, PROBLEM_DETAILS].flatMap(Object.keys))].map((id) => [
    id,
    { request: ALL_REQUESTS[id], responses: ALL_RESPONSES[id] ?? {}, problems: SPECIFIC_PROBLEMS[id], details: PROBLEM_DETAILS[id] },
  ]),
);

/** A concrete path for an operation's path template, e.g. /api/v1/jobs/job_01JE… for /api/v1/jobs/{id}. */
export function exampleInstance(route: string): string {
  const segments = route.split("/");
  return segments
    .map((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      return EXAMPLE_PATH_IDS[param] ?? EXAMPLE_PATH_IDS[segments[i - 1]] ?? segment;
    })
    .join("/");
}

type Content = Record<string, { examples?: NamedExamples }>;
interface DocumentedSchema {
  operationId?: string;
  request?: { body?: { content: Content } };
  responses?: Record<string, { content?: Content }>;
}

function withContentExamples(content: Content, examples: ContentExamples | undefined, fallback?: (mediaType: string) => NamedExamples | undefined): Content {
  return Object.fromEntries(
    Object.entries(content).map(([mediaType, media]) => {
      const named = examples?.[mediaType] ?? fallback?.(mediaType);
      return [mediaType, named ? { ...media, examples: named } : media];
    }),
  );
}

/**
 * The route's schema with its examples: request and success examples from OPERATION_EXAMPLES,
 * and a problem example per error code of each documented error status. Copies, never mutates:
 * routes share content objects.
 */
export function withExamples<T extends object>(original: T, route: string): T {
  const schema = original as DocumentedSchema;
  const operation = schema.operationId ? OPERATION_EXAMPLES[schema.operationId] : undefined;
  const instance = exampleInstance(route);
  const body = schema.request?.body;
  const request = body ? { ...schema.request, body: { ...body, content: withContentExamples(body.content, operation?.request) } } : schema.request;
  const responses = Object.fromEntries(
    Object.entries(schema.responses ?? {}).map(([status, response]) => {
      if (!response.content) return [status, response];
      const problems = (mediaType: string) =>
        mediaType === "application/problem+json" ? problemExamples(Number(status), instance, operation) : undefined;
      return [status, { ...response, content: withContentExamples(response.content, operation?.responses[status], problems) }];
    }),
  );
  return { ...schema, ...(request && { request }), responses } as T;
}
