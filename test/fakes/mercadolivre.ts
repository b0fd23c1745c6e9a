import type { FakeHost } from "./router.js";

/**
 * A fake of Mercado Livre's authorization server and API, shaped like the documented responses:
 *
 *   https://auth.mercadolivre.test/authorization          the seller approves (header x-fake-seller: <user_id>)
 *   https://api.mercadolibre.test/oauth/token             authorization_code (with PKCE) and refresh_token grants
 *   https://api.mercadolibre.test/users/{id}/items/search scan + scroll
 *   https://api.mercadolibre.test/items?ids=…              multiget, ≤ 20, per-item { code, body }
 *   https://api.mercadolibre.test/items/{id}/description   GET and PUT
 *   https://api.mercadolibre.test/items/{id}               PUT, with cause[] refusals
 *   https://api.mercadolibre.test/categories/{id}/attributes
 *   https://api.mercadolibre.test/users/{id}/applications/{app}   DELETE (revoke)
 *   https://control.mercadolibre.test/sellers/{id}          PUT (create), GET (state and counters), POST …/script, PATCH …/items/{item}
 *
 * State is per seller (tests use a random user_id each), so test files running in parallel never
 * share one. The same handlers serve bench/connector-sync.ts over plain HTTP.
 */

export const FAKE_CLIENT_ID = "4713298650012345";
export const FAKE_CLIENT_SECRET = "fake-client-secret-not-used-anywhere-else";
/** Access tokens live six hours, as Mercado Livre's do (expires_in 21600). */
const ACCESS_TTL_S = 21600;

export interface FakeAttribute {
  id: string;
  name?: string;
  value_id?: string | null;
  value_name: string | null;
}

export interface FakeItem {
  id: string;
  seller_id: number;
  title: string;
  category_id: string;
  price: number;
  currency_id: string;
  available_quantity: number;
  sold_quantity: number;
  condition: string;
  status: string;
  permalink: string;
  seller_custom_field?: string | null;
  pictures: { id: string; url: string; secure_url: string }[];
  attributes: FakeAttribute[];
  variations?: {
    id: number;
    price: number;
    available_quantity: number;
    sold_quantity?: number;
    attribute_combinations: FakeAttribute[];
    attributes?: FakeAttribute[];
    picture_ids?: string[];
    seller_custom_field?: string | null;
  }[];
}

interface Script {
  /** After this many API requests of the seller, answer 429 (Retry-After seconds) to every request for that long. */
  throttle?: { afterRequests: number; retryAfterSeconds: number };
  /** After this many API requests, every access token issued so far stops working (401). */
  expireTokensAfter?: number;
  /** Items the multiget answers with this code instead of 200. */
  unavailable?: Record<string, number>;
  /** Items whose PUT is refused with these causes. */
  refuse?: Record<string, { code: string; message: string }[]>;
}

interface Counters {
  apiRequests: number;
  searchPages: number;
  multigets: number;
  /** Ids asked for in multigets. */
  itemsRead: number;
  descriptionReads: number;
  categoryReads: number;
  authorizationCodeGrants: number;
  refreshGrants: number;
  refreshReuses: number;
  throttled: number;
  unauthorized: number;
  puts: { item: string; body: unknown; at: number }[];
  descriptionPuts: { item: string; plain_text: string }[];
  revoked: number;
}

interface Seller {
  userId: number;
  items: Map<string, FakeItem>;
  descriptions: Map<string, string>;
  order: string[];
  scrolls: Map<string, number>;
  access: Map<string, { expiresAt: number; dead: boolean }>;
  refresh: Map<string, { used: boolean }>;
  revoked: boolean;
  script: Script;
  throttledUntil: number;
  counters: Counters;
}

interface Grant {
  seller: number;
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: string;
  expiresAt: number;
  used: boolean;
}

const sellers = new Map<number, Seller>();
const codes = new Map<string, Grant>();
const tokenOwner = new Map<string, number>();

function newCounters(): Counters {
  return {
    apiRequests: 0,
    searchPages: 0,
    multigets: 0,
    itemsRead: 0,
    descriptionReads: 0,
    categoryReads: 0,
    authorizationCodeGrants: 0,
    refreshGrants: 0,
    refreshReuses: 0,
    throttled: 0,
    unauthorized: 0,
    puts: [],
    descriptionPuts: [],
    revoked: 0,
  };
}

const random = (n = 16) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Mercado Livre's error body: { message, error, status, cause }. https://developers.mercadolivre.com.br/en_us/validations */
function error(status: number, code: string, message: string, cause: unknown[] = [], headers: Record<string, string> = {}) {
  return Response.json({ message, error: code, status, cause }, { status, headers });
}

// ------------------------------------------------------------------ catalog generation

/**
 * Category attributes, shaped like GET /categories/{id}/attributes
 * (https://developers.mercadolivre.com.br/pt_br/atributos): tags, value_type, value_max_length,
 * values, allowed_units. MLB1055 has a hand-written section in rules/mercadolivre.yaml;
 * MLB271107 has none, so its rules can only come from here.
 */
export const CATEGORY_ATTRIBUTES: Record<string, unknown[]> = {
  MLB1055: [
    { id: "BRAND", name: "Marca", tags: { required: true }, value_type: "string", value_max_length: 60, values: [{ id: "206", name: "Samsung" }] },
    { id: "MODEL", name: "Modelo", tags: { required: true }, value_type: "string", value_max_length: 60 },
    { id: "LINE", name: "Linha", tags: { required: true }, value_type: "string", value_max_length: 60 },
    { id: "COLOR", name: "Cor", tags: { required: true, allow_variations: true }, value_type: "list", values: [{ id: "52049", name: "Preto" }, { id: "52028", name: "Azul" }, { id: "52014", name: "Verde" }] },
    { id: "INTERNAL_MEMORY", name: "Memória interna", tags: { required: true }, value_type: "number_unit", allowed_units: [{ id: "GB", name: "GB" }, { id: "TB", name: "TB" }] },
    { id: "GTIN", name: "Código universal de produto", tags: { conditional_required: true }, value_type: "string", value_max_length: 14 },
    { id: "SELLER_SKU", name: "SKU", tags: {}, value_type: "string", value_max_length: 255 },
    { id: "ITEM_CONDITION", name: "Condição do item", tags: { read_only: true }, value_type: "list", values: [{ id: "2230284", name: "Novo" }, { id: "2230581", name: "Usado" }] },
  ],
  MLB271107: [
    { id: "BRAND", name: "Marca", tags: { required: true }, value_type: "string", value_max_length: 60 },
    { id: "MODEL", name: "Modelo", tags: { required: true }, value_type: "string", value_max_length: 60 },
    { id: "HEADPHONE_FORMAT", name: "Formato", tags: { required: true }, value_type: "list", values: [{ id: "182349", name: "In-Ear" }, { id: "182350", name: "Over-Ear" }] },
    { id: "IS_WIRELESS", name: "É sem fio", tags: { catalog_required: true }, value_type: "boolean", values: [{ id: "242085", name: "Sim" }, { id: "242084", name: "Não" }] },
    { id: "BATTERY_LIFE", name: "Duração da bateria", tags: {}, value_type: "number_unit", allowed_units: [{ id: "h", name: "h" }, { id: "min", name: "min" }] },
    { id: "GTIN", name: "Código universal de produto", tags: { required: true }, value_type: "string", value_max_length: 14 },
  ],
};

function picture(n: number, secure: boolean) {
  const url = `${secure ? "https" : "http"}://http2.mlstatic.test/D_${n}-O.jpg`;
  return { id: `${n}-MLB`, url, secure_url: secure ? url : "" };
}

/**
 * A deterministic catalog of `count` items. Every 10th item has a title over 60 characters; every
 * 7th is a pair of headphones (MLB271107) without HEADPHONE_FORMAT; every 5th phone lacks LINE;
 * every 9th item's picture is plain http; every 25th has two variations.
 */
export function generateItems(sellerId: number, count: number, base = 900_000_000): FakeItem[] {
  const items: FakeItem[] = [];
  for (let i = 0; i < count; i++) {
    const id = `MLB${base + i}`;
    const headphones = i % 7 === 3;
    const title = i % 10 === 0 ? `Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro ${i}` : headphones ? `Fone de Ouvido Bluetooth JBL Tune ${i}` : `Smartphone Samsung Galaxy A15 128GB ${i}`;
    const attributes: FakeAttribute[] = headphones
      ? [
          { id: "BRAND", value_name: "JBL" },
          { id: "MODEL", value_name: `Tune ${i}` },
          { id: "GTIN", value_name: "7891000315507" },
          { id: "SELLER_SKU", value_name: `SKU-${i}` },
        ]
      : [
          { id: "BRAND", value_name: "Samsung" },
          { id: "MODEL", value_name: "Galaxy A15" },
          ...(i % 5 === 1 ? [] : [{ id: "LINE", value_name: "Galaxy A" }]),
          { id: "COLOR", value_name: "Azul" },
          { id: "INTERNAL_MEMORY", value_name: "128 GB" },
          { id: "GTIN", value_name: "7891000315507" },
          { id: "SELLER_SKU", value_name: `SKU-${i}` },
        ];
    const item: FakeItem = {
      id,
      seller_id: sellerId,
      title,
      category_id: headphones ? "MLB271107" : "MLB1055",
      price: 1299.9 + i,
      currency_id: "BRL",
      available_quantity: 5 + (i % 3),
      sold_quantity: i % 4 === 0 ? 3 : 0,
      condition: "new",
      status: "active",
      permalink: `https://produto.mercadolivre.com.br/${id}`,
      pictures: [picture(i * 2, i % 9 !== 2), picture(i * 2 + 1, true)],
      attributes,
    };
    if (i % 25 === 24 && !headphones) {
      item.attributes = item.attributes.filter((a) => a.id !== "SELLER_SKU" && a.id !== "GTIN" && a.id !== "COLOR");
      item.variations = [
        { id: base * 10 + i * 2, price: 1299.9, available_quantity: 2, attribute_combinations: [{ id: "COLOR", value_id: "52049", value_name: "Preto" }], attributes: [{ id: "SELLER_SKU", value_name: `SKU-${i}-P` }, { id: "GTIN", value_name: "7891000315507" }], picture_ids: [item.pictures[0].id] },
        { id: base * 10 + i * 2 + 1, price: 1299.9, available_quantity: 1, attribute_combinations: [{ id: "COLOR", value_id: "52014", value_name: "Verde" }], attributes: [{ id: "SELLER_SKU", value_name: `SKU-${i}-V` }, { id: "GTIN", value_name: "7891000315507" }], picture_ids: [item.pictures[1].id] },
      ];
    }
    items.push(item);
  }
  return items;
}

// ------------------------------------------------------------------ authorization server

/**
 * GET /authorization?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method
 * https://developers.mercadolivre.com.br/pt_br/autenticacao-e-autorizacao — the seller signs in and
 * approves; the browser goes to redirect_uri with code and state (or error=access_denied).
 */
function authorize(request: Request, url: URL): Response {
  const p = url.searchParams;
  const seller = Number(request.headers.get("x-fake-seller"));
  if (p.get("response_type") !== "code" || p.get("client_id") !== FAKE_CLIENT_ID || !p.get("redirect_uri") || !p.get("state")) {
    return new Response("bad authorization request", { status: 400 });
  }
  const back = new URL(p.get("redirect_uri")!);
  back.searchParams.set("state", p.get("state")!);
  if (request.headers.get("x-fake-decision") === "deny") {
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "The user denied the authorization");
    return new Response(null, { status: 302, headers: { location: back.href } });
  }
  if (!sellers.has(seller)) return new Response("sign in first (x-fake-seller)", { status: 401 });
  const code = `TG-${random(12)}-${seller}`;
  codes.set(code, {
    seller,
    clientId: p.get("client_id")!,
    redirectUri: p.get("redirect_uri")!,
    challenge: p.get("code_challenge") ?? "",
    method: p.get("code_challenge_method") ?? "",
    expiresAt: Date.now() + 10 * 60_000,
    used: false,
  });
  back.searchParams.set("code", code);
  return new Response(null, { status: 302, headers: { location: back.href } });
}

function issueTokens(s: Seller) {
  const access = `APP_USR-${FAKE_CLIENT_ID}-${random(8)}-${s.userId}`;
  const refresh = `TG-${random(12)}-${s.userId}`;
  s.access.set(access, { expiresAt: Date.now() + ACCESS_TTL_S * 1000, dead: false });
  s.refresh.set(refresh, { used: false });
  tokenOwner.set(access, s.userId);
  tokenOwner.set(refresh, s.userId);
  // { access_token, token_type, expires_in, scope, user_id, refresh_token }
  return Response.json({ access_token: access, token_type: "Bearer", expires_in: ACCESS_TTL_S, scope: "offline_access read write", user_id: s.userId, refresh_token: refresh });
}

const invalidGrant = (description: string) => Response.json({ error: "invalid_grant", error_description: description, status: 400, cause: [] }, { status: 400 });

/** POST /oauth/token, form-encoded. A refresh token is single use: reusing one answers 400 invalid_grant. */
async function token(request: Request): Promise<Response> {
  if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) return error(400, "invalid_request", "form-encoded body expected");
  const form = new URLSearchParams(await request.text());
  if (form.get("client_id") !== FAKE_CLIENT_ID || form.get("client_secret") !== FAKE_CLIENT_SECRET) {
    return Response.json({ error: "invalid_client", error_description: "invalid client_id or client_secret", status: 400, cause: [] }, { status: 400 });
  }
  if (form.get("grant_type") === "authorization_code") {
    const grant = codes.get(form.get("code") ?? "");
    if (!grant || grant.used || grant.expiresAt < Date.now()) return invalidGrant("the authorization code is invalid, expired or used");
    if (grant.redirectUri !== form.get("redirect_uri")) return invalidGrant("redirect_uri does not match");
    if (grant.method !== "S256" || (await s256(form.get("code_verifier") ?? "")) !== grant.challenge) return invalidGrant("code_verifier does not match code_challenge");
    grant.used = true;
    const s = sellers.get(grant.seller)!;
    s.revoked = false;
    s.counters.authorizationCodeGrants++;
    return issueTokens(s);
  }
  if (form.get("grant_type") === "refresh_token") {
    const presented = form.get("refresh_token") ?? "";
    const s = sellers.get(tokenOwner.get(presented) ?? -1);
    const entry = s?.refresh.get(presented);
    if (!s || !entry) return invalidGrant("unknown refresh token");
    if (entry.used) {
      s.counters.refreshReuses++;
      return invalidGrant("the refresh token was already used");
    }
    if (s.revoked) return invalidGrant("the user revoked the grant");
    entry.used = true;
    s.counters.refreshGrants++;
    return issueTokens(s);
  }
  return error(400, "unsupported_grant_type", "unsupported grant_type");
}

// ------------------------------------------------------------------ API

function itemBody(item: FakeItem) {
  return structuredClone(item);
}

async function api(request: Request, url: URL): Promise<Response> {
  if (url.pathname === "/oauth/token" && request.method === "POST") return token(request);

  // Category attributes are public reference data: answered with or without a token.
  const category = /^\/categories\/([A-Z0-9]+)\/attributes$/.exec(url.pathname);
  if (category && request.method === "GET") {
    const attributes = CATEGORY_ATTRIBUTES[category[1]];
    const owner = sellers.get(tokenOwner.get(bearer(request)) ?? -1);
    if (owner) owner.counters.categoryReads++;
    return attributes ? Response.json(attributes) : error(404, "not_found", `Category ${category[1]} not found`);
  }

  const presented = bearer(request);
  const s = sellers.get(tokenOwner.get(presented) ?? -1);
  const access = s?.access.get(presented);
  if (!s || !access) return error(401, "unauthorized", "invalid access token");
  s.counters.apiRequests++;
  const script = s.script;
  if (script.expireTokensAfter !== undefined && s.counters.apiRequests >= script.expireTokensAfter) {
    for (const t of s.access.values()) t.dead = true;
    script.expireTokensAfter = undefined;
  }
  if (access.dead || access.expiresAt < Date.now() || s.revoked) {
    s.counters.unauthorized++;
    return error(401, "unauthorized", "expired_token");
  }
  const now = Date.now();
  if (script.throttle && s.counters.apiRequests >= script.throttle.afterRequests) {
    s.throttledUntil = now + script.throttle.retryAfterSeconds * 1000;
    script.throttle = undefined;
  }
  if (now < s.throttledUntil) {
    s.counters.throttled++;
    return error(429, "too_many_requests", "Too Many Requests", [], { "retry-after": String(Math.ceil((s.throttledUntil - now) / 1000)) });
  }

  // GET /users/{id}/items/search?search_type=scan&limit=100[&scroll_id=…]
  // https://developers.mercadolivre.com.br/pt_br/itens-e-buscas ("Modo de busca acima de 1000 registros")
  const search = /^\/users\/(\d+)\/items\/search$/.exec(url.pathname);
  if (search && request.method === "GET") {
    if (Number(search[1]) !== s.userId) return error(403, "forbidden", "Caller is not the owner of the user");
    if (url.searchParams.get("search_type") !== "scan") return error(400, "bad_request", "this fake serves search_type=scan only");
    const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 50));
    const status = url.searchParams.get("status");
    const order = status ? s.order.filter((id) => s.items.get(id)!.status === status) : s.order;
    let scroll = url.searchParams.get("scroll_id");
    if (!scroll) {
      scroll = `scroll-${random(10)}`;
      s.scrolls.set(scroll, 0);
    }
    const at = s.scrolls.get(scroll);
    if (at === undefined) return error(400, "bad_request", "invalid scroll_id");
    const results = order.slice(at, at + limit);
    s.scrolls.set(scroll, at + results.length);
    s.counters.searchPages++;
    return Response.json({ seller_id: String(s.userId), results, paging: { total: order.length, limit }, scroll_id: scroll });
  }

  // GET /items?ids=ID1,…,ID20 → [{ code, body }], a code per item
  if (url.pathname === "/items" && request.method === "GET") {
    const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
    if (ids.length > 20) return error(400, "bad_request", "ids: max 20 items per request");
    s.counters.multigets++;
    s.counters.itemsRead += ids.length;
    return Response.json(
      ids.map((id) => {
        const item = s.items.get(id) ?? [...sellers.values()].find((other) => other.items.has(id))?.items.get(id);
        const forced = script.unavailable?.[id];
        if (forced) return { code: forced, body: { message: `Item ${id} unavailable (${forced})`, error: "unavailable", status: forced, cause: [] } };
        if (!item) return { code: 404, body: { message: `Item with id ${id} not found`, error: "not_found", status: 404, cause: [] } };
        if (item.seller_id !== s.userId) return { code: 403, body: { message: `Caller is not the owner of item ${id}`, error: "forbidden", status: 403, cause: [] } };
        return { code: 200, body: itemBody(item) };
      }),
    );
  }

  // GET/PUT /items/{id}/description → { text, plain_text, last_updated, date_created }
  // https://developers.mercadolivre.com.br/pt_br/tendencias/descricao-de-produtos
  const description = /^\/items\/(MLB\d+)\/description$/.exec(url.pathname);
  if (description) {
    const item = s.items.get(description[1]);
    if (!item) return error(404, "not_found", `Item with id ${description[1]} not found`);
    if (request.method === "GET") {
      s.counters.descriptionReads++;
      const plain = s.descriptions.get(item.id);
      if (plain === undefined) return error(404, "not_found", "Description not found");
      return Response.json({ text: "", plain_text: plain, last_updated: "2026-10-01T12:00:00.000Z", date_created: "2026-01-10T12:00:00.000Z" });
    }
    if (request.method === "PUT") {
      const body = (await request.json()) as { plain_text?: string };
      if (typeof body.plain_text !== "string") return error(400, "validation_error", "plain_text is required");
      s.descriptions.set(item.id, body.plain_text);
      s.counters.descriptionPuts.push({ item: item.id, plain_text: body.plain_text });
      return Response.json({ text: "", plain_text: body.plain_text });
    }
  }

  // PUT /items/{id}: only the fields sent change; the title and condition stay once the item has sales.
  // https://developers.mercadolivre.com.br/pt_ar/servico-sincronizacao-de-publicacoes
  const put = /^\/items\/(MLB\d+)$/.exec(url.pathname);
  if (put && request.method === "PUT") {
    const item = s.items.get(put[1]);
    if (!item) return error(404, "not_found", `Item with id ${put[1]} not found`);
    const body = (await request.json()) as Record<string, any>;
    s.counters.puts.push({ item: item.id, body, at: Date.now() });
    const refused = script.refuse?.[item.id];
    if (refused) return error(400, "validation_error", "Validation error", refused.map((c, i) => ({ department: "items", cause_id: 100 + i, type: "error", references: ["item"], ...c })));
    if (item.sold_quantity > 0 && ("title" in body || "condition" in body)) {
      return error(400, "validation_error", "Validation error", [
        { department: "items", cause_id: 369, type: "error", code: "field_not_updatable", references: ["item.title"], message: "title is not modifiable for items with sales" },
      ]);
    }
    if (item.status !== "active") return error(400, "validation_error", "Validation error", [{ type: "error", code: "item.status.not_active", message: "Item is not active" }]);
    for (const key of ["title", "price", "available_quantity", "condition", "seller_custom_field"]) if (key in body) (item as any)[key] = body[key];
    if (Array.isArray(body.pictures)) {
      item.pictures = body.pictures.map((p: { source: string }, i: number) => ({ id: `${item.id}-P${i}`, url: p.source, secure_url: p.source }));
    }
    for (const a of Array.isArray(body.attributes) ? body.attributes : []) {
      const existing = item.attributes.find((x) => x.id === a.id);
      if (existing) existing.value_name = a.value_name;
      else item.attributes.push({ id: a.id, value_name: a.value_name });
    }
    return Response.json(itemBody(item));
  }

  // DELETE /users/{id}/applications/{app}: the seller's grant is withdrawn.
  const revoke = /^\/users\/(\d+)\/applications\/(\d+)$/.exec(url.pathname);
  if (revoke && request.method === "DELETE") {
    if (Number(revoke[1]) !== s.userId) return error(403, "forbidden", "not your user");
    s.revoked = true;
    s.counters.revoked++;
    return Response.json({ user_id: s.userId, app_id: revoke[2], msg: "Authorization removed" });
  }

  return error(404, "not_found", `no fake for ${request.method} ${url.pathname}`);
}

function bearer(request: Request): string {
  return /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
}

// ------------------------------------------------------------------ control (tests and bench)

async function control(request: Request, url: URL): Promise<Response> {
  const m = /^\/sellers\/(\d+)(?:\/(script|items)(?:\/(MLB\d+))?)?$/.exec(url.pathname);
  if (!m) return new Response("unknown control path", { status: 404 });
  const userId = Number(m[1]);
  if (request.method === "PUT" && !m[2]) {
    const body = (await request.json()) as { generate?: number; base?: number; items?: FakeItem[]; descriptions?: Record<string, string>; describeAll?: boolean };
    const items = [...generateItems(userId, body.generate ?? 0, body.base), ...(body.items ?? [])];
    const s: Seller = {
      userId,
      items: new Map(items.map((i) => [i.id, i])),
      descriptions: new Map(Object.entries(body.descriptions ?? {})),
      order: items.map((i) => i.id),
      scrolls: new Map(),
      access: new Map(),
      refresh: new Map(),
      revoked: false,
      script: {},
      throttledUntil: 0,
      counters: newCounters(),
    };
    if (body.describeAll) for (const i of items) if (!s.descriptions.has(i.id)) s.descriptions.set(i.id, `Produto original com garantia. ${i.title}`);
    sellers.set(userId, s);
    return new Response(null, { status: 204 });
  }
  const s = sellers.get(userId);
  if (!s) return new Response("unknown seller", { status: 404 });
  if (request.method === "POST" && m[2] === "script") {
    const script = (await request.json()) as Script & { revoke?: boolean };
    if (script.revoke) s.revoked = true;
    Object.assign(s.script, script);
    return new Response(null, { status: 204 });
  }
  if (request.method === "PATCH" && m[2] === "items" && m[3]) {
    const item = s.items.get(m[3]);
    if (!item) return new Response("unknown item", { status: 404 });
    Object.assign(item, await request.json());
    return new Response(null, { status: 204 });
  }
  if (request.method === "GET" && m[2] === "items" && m[3]) {
    const item = s.items.get(m[3]);
    return item ? Response.json({ item, description: s.descriptions.get(item.id) ?? null }) : new Response("unknown item", { status: 404 });
  }
  return Response.json({
    counters: s.counters,
    revoked: s.revoked,
    // Every token issued to the seller, so tests can look for them where they must never appear.
    issued: { access: [...s.access.keys()], refresh: [...s.refresh.keys()] },
  });
}

export const mercadoLivre: FakeHost = {
  name: "mercado livre",
  matches: (hostname) => ["auth.mercadolivre.test", "api.mercadolibre.test", "control.mercadolibre.test"].includes(hostname),
  fetch(request) {
    const url = new URL(request.url);
    if (url.hostname === "auth.mercadolivre.test") {
      return url.pathname === "/authorization" ? authorize(request, url) : new Response("not found", { status: 404 });
    }
    return url.hostname === "control.mercadolibre.test" ? control(request, url) : api(request, url);
  },
};

/** For a plain HTTP server (the bench): which part of the fake answers a path. */
export const fakeParts = {
  authorize: (request: Request) => authorize(request, new URL(request.url)),
  api: (request: Request) => api(request, new URL(request.url)),
  control: (request: Request) => control(request, new URL(request.url)),
};
