import type { FakeHost } from "./router.js";

/**
 * A fake of Shopee's Open Platform v2 (https://open.shopee.com, Brazil), shaped like the documented
 * answers: every answer is `{ error, message, request_id, response }`, and most errors come with
 * HTTP 200 and a non-empty `error` (https://open.shopee.com/developer-guide/16, "Common
 * parameters" and "Error codes").
 *
 *   https://partner.shopee.test/api/v2/shop/auth_partner           the seller approves (header x-fake-shop: <shop_id>);
 *                                                                   Shopee adds only code and shop_id to `redirect`
 *                                                                   (https://open.shopee.com/developer-guide/20)
 *   https://partner.shopee.test/api/v2/auth/token/get              code → access_token (expire_in 14400) + refresh_token
 *   https://partner.shopee.test/api/v2/auth/access_token/get       refresh_token → a new pair; the old refresh token is spent
 *                                                                   (https://open.shopee.com/developer-guide/20, "Refresh access token")
 *   https://partner.shopee.test/api/v2/product/get_item_list       offset, page_size ≤ 100, item_status; has_next_page, next_offset
 *                                                                   (https://open.shopee.com/documents/v2/v2.product.get_item_list?module=89&type=1)
 *   https://partner.shopee.test/api/v2/product/get_item_base_info  item_id_list ≤ 50 → item_list
 *                                                                   (https://open.shopee.com/documents/v2/v2.product.get_item_base_info?module=89&type=1)
 *   https://partner.shopee.test/api/v2/product/get_model_list      item_id → tier_variation, model[]
 *                                                                   (https://open.shopee.com/documents/v2/v2.product.get_model_list?module=89&type=1)
 *   https://partner.shopee.test/api/v2/product/get_item_limit      → price/stock/name/description/image limits
 *                                                                   (https://open.shopee.com/documents/v2/v2.product.get_item_limit?module=89&type=1)
 *   https://partner.shopee.test/api/v2/product/update_item         POST { item_id, …changed fields }
 *                                                                   (https://open.shopee.com/documents/v2/v2.product.update_item?module=89&type=1)
 *   https://control.shopee.test/shops/{id}                          PUT (create), GET (state and counters), POST …/script, PATCH …/items/{item}
 *
 * Every call is checked like Shopee checks it: partner_id, a timestamp at most 5 minutes old, and
 * `sign` = hex HMAC-SHA256 (partner key) of partner_id + path + timestamp (+ access_token + shop_id
 * for shop calls), computed here on its own — not with the Worker's signer.
 */

export const FAKE_PARTNER_ID = "2001887";
export const FAKE_PARTNER_KEY = "fake-shopee-partner-key-used-only-in-tests";
const ACCESS_TTL_S = 4 * 3600;
const MAX_AGE_S = 300;

export interface FakeShopeeModel {
  model_id: number;
  model_sku: string;
  model_name: string;
  price_info: { currency: string; original_price: number; current_price: number }[];
  stock_info_v2: { summary_info: { total_reserved_stock: number; total_available_stock: number } };
  gtin_code?: string;
  tier_index: number[];
}

export interface FakeShopeeItem {
  item_id: number;
  category_id: number;
  item_name: string;
  description: string;
  item_sku: string;
  item_status: string;
  create_time: number;
  update_time: number;
  price_info?: { currency: string; original_price: number; current_price: number }[];
  stock_info_v2?: { summary_info: { total_reserved_stock: number; total_available_stock: number } };
  image: { image_url_list: string[]; image_id_list: string[] };
  weight: string;
  dimension: { package_length: number; package_width: number; package_height: number };
  condition: string;
  brand: { brand_id: number; original_brand_name: string };
  attribute_list: { attribute_id: number; original_attribute_name: string; attribute_value_list: { value_id: number; original_value_name: string; value_unit: string }[] }[];
  has_model: boolean;
  tax_info: { ncm: string };
  gtin_code?: string;
  models?: FakeShopeeModel[];
}

interface Script {
  /** update_item refuses these item ids with an HTTP-200 error. */
  refuseUpdate?: number[];
  /** The next get_item_list answers this HTTP-200 error once. */
  listErrorOnce?: string;
  /** Access tokens expire now (the next shop call answers invalid_acceess_token). */
  expireAccess?: boolean;
  /** The access tokens held now expire after this many more shop calls (so chunks running in parallel find it). */
  expireAfter?: number;
  /** get_item_limit answers this HTTP-200 error. */
  limitError?: string;
  /** The shop withdrew the authorization: refresh tokens are refused. */
  revoked?: boolean;
  /** What get_item_limit answers. */
  limits?: Record<string, { min_limit: number; max_limit: number }>;
}

interface Counters {
  requests: number;
  byPath: Record<string, number>;
  refreshes: number;
  refreshRefused: number;
  signatureFailures: number;
  staleTimestamps: number;
  updates: { item_id: number; body: Record<string, unknown> }[];
}

interface Shop {
  shopId: number;
  items: Map<number, FakeShopeeItem>;
  order: number[];
  codes: Set<string>;
  access: Map<string, number>;
  refresh: Set<string>;
  /** Every token handed out, for the tests that look for them where they must never be. */
  issued: { access: string[]; refresh: string[] };
  script: Script;
  counters: Counters;
}

const shops = new Map<number, Shop>();
const codes = new Map<string, number>();
const accessTokens = new Map<string, number>();
/** Per shop: the shop-call count after which the access tokens held then expire. */
const expireAt = new Map<number, number>();

const DEFAULT_LIMITS = {
  price_limit: { min_limit: 0.5, max_limit: 100000 },
  stock_limit: { min_limit: 0, max_limit: 999999 },
  item_name_length_limit: { min_limit: 20, max_limit: 120 },
  item_description_length_limit: { min_limit: 100, max_limit: 3000 },
  item_image_count_limit: { min_limit: 1, max_limit: 9 },
};

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const requestId = () => randomHex(16);

function answer(body: Record<string, unknown>, status = 200): Response {
  return new Response(JSON.stringify({ error: "", message: "", request_id: requestId(), ...body }), { status, headers: { "content-type": "application/json" } });
}

function failure(error: string, message: string, status = 200): Response {
  return answer({ error, message }, status);
}

async function sign(base: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(FAKE_PARTNER_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(base)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Shopee's check of the common parameters; null when they pass. */
async function checkSignature(url: URL, shopCall: boolean, shop?: Shop): Promise<Response | null> {
  const q = url.searchParams;
  if (q.get("partner_id") !== FAKE_PARTNER_ID) return failure("error_param", "Wrong partner_id.", 403);
  const timestamp = Number(q.get("timestamp"));
  const now = Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || now - timestamp > MAX_AGE_S || timestamp - now > MAX_AGE_S) {
    if (shop) shop.counters.staleTimestamps++;
    return failure("error_auth", "Timestamp is expired.", 403);
  }
  const base = `${FAKE_PARTNER_ID}${url.pathname}${timestamp}${shopCall ? `${q.get("access_token") ?? ""}${q.get("shop_id") ?? ""}` : ""}`;
  if (q.get("sign") !== (await sign(base))) {
    if (shop) shop.counters.signatureFailures++;
    return failure("error_sign", "Wrong sign.", 403);
  }
  return null;
}

export function generateShopeeItems(count: number, base = 3_000_000_000): FakeShopeeItem[] {
  const items: FakeShopeeItem[] = [];
  for (let i = 0; i < count; i++) {
    const id = base + i;
    const hasModel = i % 10 === 3;
    const item: FakeShopeeItem = {
      item_id: id,
      category_id: 100_017,
      // Every 20th name is too short for Shopee (20 characters at least).
      item_name: i % 20 === 7 ? `Fone ${i}` : `Fone de ouvido Bluetooth modelo ${i} com estojo`,
      description: `Fone de ouvido sem fio, bateria de 20 horas, estojo de carga e cabo USB-C. Garantia de 12 meses. Item ${i}.`.padEnd(120, "."),
      item_sku: `SKU-${i}`,
      item_status: "NORMAL",
      create_time: 1_700_000_000,
      update_time: 1_700_000_000 + i,
      image: { image_url_list: [`https://cf.shopee.test/file/img-${i}-1`, `https://cf.shopee.test/file/img-${i}-2`], image_id_list: [`img-${i}-1`, `img-${i}-2`] },
      weight: "0.25",
      dimension: { package_length: 15, package_width: 10, package_height: 5 },
      condition: "NEW",
      brand: { brand_id: 1234, original_brand_name: "Sonora" },
      attribute_list: [{ attribute_id: 100_001, original_attribute_name: "Cor", attribute_value_list: [{ value_id: 1, original_value_name: "Preto", value_unit: "" }] }],
      has_model: hasModel,
      tax_info: { ncm: "85183000" },
    };
    if (hasModel) {
      item.models = [0, 1].map((m) => ({
        model_id: id * 10 + m,
        model_sku: `SKU-${i}-${m === 0 ? "P" : "B"}`,
        model_name: m === 0 ? "Preto" : "Branco",
        price_info: [{ currency: "BRL", original_price: 129.9, current_price: 119.9 }],
        stock_info_v2: { summary_info: { total_reserved_stock: 0, total_available_stock: 10 + m } },
        gtin_code: "7891234567895",
        tier_index: [m],
      }));
    } else {
      item.price_info = [{ currency: "BRL", original_price: 99.9, current_price: 99.9 }];
      item.stock_info_v2 = { summary_info: { total_reserved_stock: 0, total_available_stock: 25 } };
      item.gtin_code = "7891234567895";
    }
    items.push(item);
  }
  return items;
}

function newShop(shopId: number, items: FakeShopeeItem[]): Shop {
  return {
    shopId,
    items: new Map(items.map((it) => [it.item_id, it])),
    order: items.map((it) => it.item_id),
    codes: new Set(),
    access: new Map(),
    refresh: new Set(),
    issued: { access: [], refresh: [] },
    script: {},
    counters: { requests: 0, byPath: {}, refreshes: 0, refreshRefused: 0, signatureFailures: 0, staleTimestamps: 0, updates: [] },
  };
}

function issueTokens(shop: Shop) {
  const access = `shp-access-${randomHex(12)}`;
  const refresh = `shp-refresh-${randomHex(12)}`;
  shop.access.set(access, Date.now() + ACCESS_TTL_S * 1000);
  accessTokens.set(access, shop.shopId);
  shop.refresh.add(refresh);
  shop.issued.access.push(access);
  shop.issued.refresh.push(refresh);
  return { access_token: access, refresh_token: refresh, expire_in: ACCESS_TTL_S };
}

async function authPartner(request: Request, url: URL): Promise<Response> {
  const refused = await checkSignature(url, false);
  if (refused) return refused;
  const redirect = url.searchParams.get("redirect");
  const shopId = Number(request.headers.get("x-fake-shop"));
  const shop = shops.get(shopId);
  if (!redirect || !shop) return failure("error_param", "Unknown shop or no redirect.", 400);
  const code = randomHex(16);
  codes.set(code, shopId);
  shop.codes.add(code);
  // Shopee adds code and shop_id to the redirect URL, keeping its own query.
  const back = new URL(redirect);
  back.searchParams.set("code", code);
  back.searchParams.set("shop_id", String(shopId));
  return new Response(null, { status: 302, headers: { location: back.href } });
}

async function tokenGet(request: Request, url: URL): Promise<Response> {
  const refused = await checkSignature(url, false);
  if (refused) return refused;
  const body = (await request.json().catch(() => ({}))) as { code?: string; shop_id?: number; partner_id?: number };
  const shopId = codes.get(body.code ?? "");
  if (shopId === undefined || shopId !== body.shop_id || String(body.partner_id) !== FAKE_PARTNER_ID) return failure("error_auth", "Invalid code.");
  codes.delete(body.code!);
  const shop = shops.get(shopId)!;
  shop.codes.delete(body.code!);
  return answer(issueTokens(shop));
}

async function accessTokenGet(request: Request, url: URL): Promise<Response> {
  const refused = await checkSignature(url, false);
  if (refused) return refused;
  const body = (await request.json().catch(() => ({}))) as { refresh_token?: string; shop_id?: number; partner_id?: number };
  const shop = shops.get(body.shop_id ?? -1);
  if (!shop || String(body.partner_id) !== FAKE_PARTNER_ID) return failure("error_param", "Wrong shop_id or partner_id.");
  if (shop.script.revoked || !shop.refresh.has(body.refresh_token ?? "")) {
    shop.counters.refreshRefused++;
    // HTTP 200 with an error: the refresh token was used already, expired, or the shop cancelled the authorization.
    return failure("error_auth", "Invalid refresh_token.");
  }
  shop.refresh.delete(body.refresh_token!);
  shop.counters.refreshes++;
  shop.script.expireAccess = false;
  return answer({ ...issueTokens(shop), partner_id: Number(FAKE_PARTNER_ID), shop_id: shop.shopId });
}

function itemBaseInfo(item: FakeShopeeItem) {
  const { models: _models, ...rest } = item;
  return rest;
}

async function product(request: Request, url: URL): Promise<Response> {
  const q = url.searchParams;
  const shop = shops.get(Number(q.get("shop_id")));
  if (!shop) return failure("error_param", "Unknown shop_id.", 403);
  shop.counters.requests++;
  shop.counters.byPath[url.pathname] = (shop.counters.byPath[url.pathname] ?? 0) + 1;
  const refused = await checkSignature(url, true, shop);
  if (refused) return refused;
  const at = expireAt.get(shop.shopId);
  if (at !== undefined && shop.counters.requests > at) {
    expireAt.delete(shop.shopId);
    for (const held of shop.access.keys()) shop.access.set(held, 0);
  }
  const token = q.get("access_token") ?? "";
  const expires = shop.access.get(token);
  if (expires === undefined || expires < Date.now() || shop.script.expireAccess) return failure("invalid_acceess_token", "Invalid access_token.", 403);

  switch (url.pathname) {
    case "/api/v2/product/get_item_list": {
      if (shop.script.listErrorOnce) {
        const error = shop.script.listErrorOnce;
        shop.script.listErrorOnce = undefined;
        return failure(error, "Shopee is busy, please try again later.");
      }
      const offset = Number(q.get("offset") ?? "0");
      const size = Number(q.get("page_size") ?? "0");
      if (!Number.isInteger(size) || size < 1 || size > 100) return failure("error_param", "page_size should be between 1 and 100.");
      const status = q.get("item_status");
      const ids = shop.order.filter((id) => !status || shop.items.get(id)!.item_status === status);
      const page = ids.slice(offset, offset + size);
      const more = offset + size < ids.length;
      return answer({
        response: {
          item: page.map((id) => ({ item_id: id, item_status: shop.items.get(id)!.item_status, update_time: shop.items.get(id)!.update_time })),
          total_count: ids.length,
          has_next_page: more,
          ...(more && { next_offset: offset + size }),
        },
      });
    }
    case "/api/v2/product/get_item_base_info": {
      const ids = (q.get("item_id_list") ?? "").split(",").filter(Boolean).map(Number);
      if (ids.length === 0 || ids.length > 50) return failure("error_param", "item_id_list should have 1 to 50 ids.");
      const found = ids.map((id) => shop.items.get(id)).filter((it): it is FakeShopeeItem => Boolean(it));
      return answer({ response: { item_list: found.map(itemBaseInfo) } });
    }
    case "/api/v2/product/get_model_list": {
      const item = shop.items.get(Number(q.get("item_id")));
      if (!item) return failure("error_item_not_found", "Item not found.");
      return answer({
        response: {
          tier_variation: item.models?.length ? [{ name: "Cor", option_list: item.models.map((m) => ({ option: m.model_name })) }] : [],
          model: item.models ?? [],
        },
      });
    }
    case "/api/v2/product/get_item_limit":
      if (shop.script.limitError) return failure(shop.script.limitError, "Something went wrong, please try again later.");
      return answer({ response: shop.script.limits ?? DEFAULT_LIMITS });
    case "/api/v2/product/update_item": {
      if (request.method !== "POST") return failure("error_param", "POST only.", 405);
      const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
      const item = shop.items.get(Number(body.item_id));
      shop.counters.updates.push({ item_id: Number(body.item_id), body });
      if (!item) return failure("error_item_not_found", "Item not found.");
      if (shop.script.refuseUpdate?.includes(item.item_id)) return failure("error_param", "item_name contains a prohibited word.");
      for (const key of ["item_name", "description", "item_sku", "condition"] as const) if (typeof body[key] === "string") item[key] = body[key] as string;
      if (typeof body.weight === "number") item.weight = String(body.weight);
      if (body.dimension && typeof body.dimension === "object") item.dimension = { ...item.dimension, ...(body.dimension as object) };
      item.update_time = Math.floor(Date.now() / 1000);
      return answer({ response: { item_id: item.item_id } });
    }
    default:
      return failure("error_not_found", `No such API: ${url.pathname}`, 404);
  }
}

async function control(request: Request, url: URL): Promise<Response> {
  const m = /^\/shops\/(\d+)(?:\/(script|items)(?:\/(\d+))?)?$/.exec(url.pathname);
  if (!m) return new Response("unknown control path", { status: 404 });
  const shopId = Number(m[1]);
  if (request.method === "PUT" && !m[2]) {
    const body = (await request.json()) as { generate?: number; base?: number; items?: FakeShopeeItem[] };
    shops.set(shopId, newShop(shopId, body.items ?? generateShopeeItems(body.generate ?? 0, body.base)));
    return new Response(null, { status: 204 });
  }
  const shop = shops.get(shopId);
  if (!shop) return new Response("unknown shop", { status: 404 });
  if (request.method === "GET" && !m[2]) {
    return Response.json({ counters: shop.counters, items: shop.items.size, refreshTokens: shop.refresh.size, issued: shop.issued });
  }
  if (request.method === "POST" && m[2] === "script") {
    const script = (await request.json()) as Script;
    Object.assign(shop.script, script);
    if (script.expireAfter !== undefined) expireAt.set(shop.shopId, shop.counters.requests + script.expireAfter);
    return new Response(null, { status: 204 });
  }
  if (m[2] === "items" && m[3]) {
    const item = shop.items.get(Number(m[3]));
    if (!item) return new Response("unknown item", { status: 404 });
    if (request.method === "PATCH") {
      Object.assign(item, await request.json());
      return new Response(null, { status: 204 });
    }
    return Response.json(item);
  }
  return new Response("unknown control call", { status: 404 });
}

export const shopee: FakeHost = {
  name: "shopee",
  matches: (hostname) => ["partner.shopee.test", "control.shopee.test"].includes(hostname),
  async fetch(request) {
    const url = new URL(request.url);
    if (url.hostname === "control.shopee.test") return control(request, url);
    if (url.pathname === "/api/v2/shop/auth_partner") return authPartner(request, url);
    if (url.pathname === "/api/v2/auth/token/get") return tokenGet(request, url);
    if (url.pathname === "/api/v2/auth/access_token/get") return accessTokenGet(request, url);
    if (url.pathname.startsWith("/api/v2/product/")) return product(request, url);
    return failure("error_not_found", `No such API: ${url.pathname}`, 404);
  },
};
