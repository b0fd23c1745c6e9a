import type { ShopeeConfig } from "../../config";
import { type ShopeeItem, type ShopeeListing, type ShopeeModel, shopeeRecords } from "../../core/connectors/shopee/items";
import type { PushCause } from "../../core/connectors/types";
import { type FetchedItem, type ListPage, type ProviderFetch, ProviderUnavailableError, type UpdateOutcome } from "../types";

/** get_item_list pages hold at most 100 items. https://open.shopee.com/documents/v2/v2.product.get_item_list?module=89&type=1 */
export const ITEM_LIST_PAGE = 100;
/** get_item_base_info takes at most 50 ids. https://open.shopee.com/documents/v2/v2.product.get_item_base_info?module=89&type=1 */
export const BASE_INFO_MAX = 50;

/** Shopee's error answer: `{ error, message, request_id }` — often with HTTP 200. */
export interface ShopeeError {
  error: string;
  message: string;
  requestId: string;
}

/** A Shopee answer with a non-empty `error`: a failure, whatever the HTTP status, with what Shopee said kept. */
export class ShopeeApiError extends ProviderUnavailableError {
  constructor(
    readonly what: string,
    readonly detail: ShopeeError,
  ) {
    super(`${what}: ${detail.error}${detail.message ? ` (${detail.message})` : ""}${detail.requestId ? ` [request_id ${detail.requestId}]` : ""}`);
  }
}

/** The error of a Shopee body, or null when `error` is empty or absent. */
export function shopeeError(body: unknown): ShopeeError | null {
  const b = (body ?? {}) as { error?: unknown; message?: unknown; msg?: unknown; request_id?: unknown };
  if (typeof b.error !== "string" || b.error === "") return null;
  return { error: b.error, message: String(b.message ?? b.msg ?? ""), requestId: String(b.request_id ?? "") };
}

/** The `response` of a successful answer; an HTTP error or a non-empty `error` throws. */
export async function shopeeResponse<T>(res: Response, what: string): Promise<T> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ProviderUnavailableError(`${what} answered ${res.status} with a body that is not JSON`);
  }
  const error = shopeeError(body);
  if (error) throw new ShopeeApiError(what, error);
  if (!res.ok) throw new ProviderUnavailableError(`${what} answered ${res.status}`);
  return ((body as { response?: T }).response ?? {}) as T;
}

/** Shopee's token errors (Shopee spells one `invalid_acceess_token`): the access token must be refreshed. */
const TOKEN_ERRORS = new Set(["invalid_access_token", "invalid_acceess_token", "invalid_token"]);

/**
 * Shopee answers an expired or unknown access token with an `error` body (HTTP 200 or 403), not a
 * 401: such an answer is handed on as a 401, so the session refreshes the token once through the
 * gate like for any provider. Every other answer passes unchanged.
 */
export async function interpretAnswer(res: Response): Promise<Response> {
  if (!(res.headers.get("content-type") ?? "").includes("json")) return res;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON after all: handed on as it came
  }
  const error = shopeeError(body);
  const tokenError = error && (TOKEN_ERRORS.has(error.error) || (error.error === "error_auth" && /access[_ ]?token/i.test(error.message)));
  return new Response(text, { status: tokenError ? 401 : res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * A shop's items, a page at a time: `get_item_list` with `offset`, `page_size` (≤ 100) and
 * `item_status=NORMAL` → `{ item: [{ item_id, item_status, update_time }], total_count, has_next_page, next_offset }`.
 */
export async function listItems(fetch: ProviderFetch, _shopId: string, cursor: string | null, pageSize = ITEM_LIST_PAGE): Promise<ListPage> {
  const query = { offset: cursor ?? "0", page_size: String(Math.max(1, Math.min(ITEM_LIST_PAGE, pageSize))), item_status: "NORMAL" };
  const body = await shopeeResponse<{ item?: { item_id?: number }[]; has_next_page?: boolean; next_offset?: number }>(
    await fetch("/api/v2/product/get_item_list", { query }),
    "get_item_list",
  );
  const ids = (body.item ?? []).map((i) => i.item_id).filter((id): id is number => Number.isInteger(id)).map(String);
  return { ids, next: body.has_next_page && typeof body.next_offset === "number" ? String(body.next_offset) : null };
}

/** `get_model_list?item_id=…` → `{ tier_variation, model: [{ model_id, model_sku, price_info, stock_info_v2, gtin_code, … }] }`. */
async function fetchModels(fetch: ProviderFetch, itemId: number): Promise<ShopeeModel[]> {
  const body = await shopeeResponse<{ model?: ShopeeModel[] }>(await fetch("/api/v2/product/get_model_list", { query: { item_id: String(itemId) } }), "get_model_list");
  return (body.model ?? []).filter((m) => Number.isInteger(m?.model_id));
}

/**
 * Items by `get_item_base_info?item_id_list=…` (≤ 50), and the models of each item with
 * `has_model`. An item Shopee leaves out of `item_list` is that item's problem, not the batch's.
 */
export async function fetchItems(fetch: ProviderFetch, ids: readonly string[]): Promise<FetchedItem[]> {
  if (ids.length > BASE_INFO_MAX) throw new Error(`get_item_base_info takes at most ${BASE_INFO_MAX} ids`);
  const body = await shopeeResponse<{ item_list?: ShopeeItem[] }>(
    await fetch("/api/v2/product/get_item_base_info", { query: { item_id_list: ids.join(",") } }),
    "get_item_base_info",
  );
  const byId = new Map<string, FetchedItem>();
  for (const item of body.item_list ?? []) {
    if (!Number.isInteger(item?.item_id)) continue;
    const listing: ShopeeListing = { item, models: item.has_model ? await fetchModels(fetch, item.item_id) : [] };
    const id = String(item.item_id);
    byId.set(id, { id, ok: true, item: listing, records: shopeeRecords(listing), categoryId: item.category_id !== undefined ? String(item.category_id) : null });
  }
  return ids.map((id) => byId.get(id) ?? { id, ok: false, status: 0, message: "not in the get_item_base_info answer" });
}

/**
 * `POST /api/v2/product/update_item` with the item id and only the changed fields. A refusal
 * (a non-empty `error`, with HTTP 200 or 4xx) is that item's result, with Shopee's error,
 * message and request id kept.
 * https://open.shopee.com/documents/v2/v2.product.update_item?module=89&type=1
 */
export async function updateItem(fetch: ProviderFetch, _itemId: string, body: Record<string, unknown>): Promise<UpdateOutcome> {
  const res = await fetch("/api/v2/product/update_item", { method: "POST", json: body });
  if (res.status >= 500) throw new ProviderUnavailableError(`update_item answered ${res.status}`);
  const answer = await res.json().catch(() => null);
  const error = shopeeError(answer);
  if (!error && res.ok) return { ok: true };
  const cause: PushCause = error
    ? { code: error.error, message: error.message, ...(error.requestId && { type: `request_id:${error.requestId}` }) }
    : { code: `http_${res.status}`, message: "" };
  return { ok: false, status: res.status, causes: [cause] };
}

/** The shop's limits (`get_item_limit`, for one category when given) → `response`. */
export async function fetchItemLimit(fetch: ProviderFetch, categoryId: string | null): Promise<unknown> {
  return shopeeResponse<unknown>(
    await fetch("/api/v2/product/get_item_limit", { query: categoryId ? { category_id: categoryId } : {} }),
    "get_item_limit",
  );
}

export type { ShopeeConfig };
