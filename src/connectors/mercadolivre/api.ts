import { compileCategoryRules, type LiveCategory, type MlCategoryAttribute } from "../../core/connectors/mercadolivre/category-rules";
import { listingRecords, type MlItem } from "../../core/connectors/mercadolivre/items";
import type { PushCause } from "../../core/connectors/types";
import type { CategoryDef } from "../../core/rules";
import { type FetchedItem, type ListPage, type ProviderFetch, ProviderUnavailableError, type UpdateOutcome } from "../types";

/** Mercado Livre's multiget takes at most 20 ids. https://developers.mercadolivre.com.br/pt_br/itens-e-buscas */
export const MULTIGET_MAX = 20;
/** The scan search's page size. */
export const SCAN_PAGE = 100;

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new ProviderUnavailableError(`${what} answered ${res.status}`);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ProviderUnavailableError(`${what} answered a body that is not JSON`);
  }
}

/**
 * A seller's item ids with the scan search: `search_type=scan&limit=100`, then `scroll_id=…` until
 * `results` is empty (the offset search stops at 1,000 items).
 * https://developers.mercadolivre.com.br/pt_br/itens-e-buscas ("Modo de busca acima de 1000 registros")
 */
export async function listItems(fetch: ProviderFetch, sellerId: string, cursor: string | null, pageSize = SCAN_PAGE): Promise<ListPage> {
  const query: Record<string, string> = { search_type: "scan", limit: String(Math.max(1, Math.min(SCAN_PAGE, pageSize))) };
  if (cursor) query.scroll_id = cursor;
  const body = await json<{ results?: unknown[]; scroll_id?: string | null }>(
    await fetch(`/users/${encodeURIComponent(sellerId)}/items/search`, { query }),
    "items search",
  );
  const ids = (body.results ?? []).filter((id): id is string => typeof id === "string");
  return { ids, next: ids.length > 0 && body.scroll_id ? body.scroll_id : null };
}

/**
 * Items by multiget (`GET /items?ids=…`, at most 20): each element is `{ code, body }`, and a code
 * other than 200 is that item's problem, not the batch's.
 */
export async function fetchItems(fetch: ProviderFetch, ids: readonly string[]): Promise<FetchedItem[]> {
  if (ids.length > MULTIGET_MAX) throw new Error(`multiget takes at most ${MULTIGET_MAX} ids`);
  const answers = await json<{ code?: number; body?: unknown }[]>(await fetch("/items", { query: { ids: ids.join(",") } }), "items multiget");
  const byId = new Map<string, FetchedItem>();
  const list = Array.isArray(answers) ? answers : [];
  list.forEach((answer, i) => {
    const body = answer.body as (MlItem & { message?: string; error?: string }) | undefined;
    if (answer.code === 200 && body && typeof body.id === "string") {
      byId.set(body.id, { id: body.id, ok: true, item: body, records: listingRecords(body), categoryId: body.category_id ?? null });
      return;
    }
    // An error body has no id field: the answers come in the order asked, and the message names the item.
    const message = String(body?.message ?? body?.error ?? "");
    const id = ids.find((candidate) => message.includes(candidate)) ?? (list.length === ids.length ? ids[i] : undefined);
    if (id && !byId.has(id)) byId.set(id, { id, ok: false, status: answer.code ?? 0, message });
  });
  // Every id asked for gets an answer, even when the provider's list left it out.
  return ids.map((id) => byId.get(id) ?? { id, ok: false, status: 0, message: "not in the multiget answer" });
}

/** `GET /items/{id}/description` → `{ plain_text, text, … }`; an item without one answers 404. */
export async function fetchDescription(fetch: ProviderFetch, itemId: string): Promise<string | null> {
  const res = await fetch(`/items/${encodeURIComponent(itemId)}/description`);
  if (res.status === 404) return null;
  const body = await json<{ plain_text?: string; text?: string }>(res, "item description");
  return body.plain_text || body.text || null;
}

/** `GET /categories/{id}/attributes`, compiled into the category's live rules; null for a category Mercado Livre does not know. */
export async function fetchCategory(
  fetch: ProviderFetch,
  categoryId: string,
  base: { covered: ReadonlySet<string>; handwritten?: CategoryDef },
): Promise<LiveCategory | null> {
  const res = await fetch(`/categories/${encodeURIComponent(categoryId)}/attributes`);
  if (res.status === 404) return null;
  const attributes = await json<MlCategoryAttribute[]>(res, "category attributes");
  return compileCategoryRules(categoryId, Array.isArray(attributes) ? attributes : [], base);
}

/**
 * Mercado Livre's error body: `{ message, error, status, cause: [{ code, message, type, references, … }] }`.
 * https://developers.mercadolivre.com.br/en_us/validations
 */
async function refusal(res: Response): Promise<UpdateOutcome> {
  const body = (await res.json().catch(() => ({}))) as { message?: string; error?: string; cause?: unknown };
  const causes: PushCause[] = [];
  for (const c of Array.isArray(body.cause) ? body.cause : []) {
    const cause = c as { code?: unknown; message?: unknown; type?: unknown };
    if (typeof cause?.code === "string" || typeof cause?.message === "string") {
      causes.push({ code: String(cause.code ?? ""), message: String(cause.message ?? ""), ...(typeof cause.type === "string" && { type: cause.type }) });
    }
  }
  if (causes.length === 0) causes.push({ code: String(body.error ?? `http_${res.status}`), message: String(body.message ?? "") });
  return { ok: false, status: res.status, causes };
}

/**
 * `PUT /items/{id}` with only the changed fields. Not every field can change on an active listing
 * (the title and condition stay once the item has sales).
 * https://developers.mercadolivre.com.br/pt_ar/servico-sincronizacao-de-publicacoes
 */
export async function updateItem(fetch: ProviderFetch, itemId: string, body: Record<string, unknown>): Promise<UpdateOutcome> {
  const res = await fetch(`/items/${encodeURIComponent(itemId)}`, { method: "PUT", json: body });
  if (res.status >= 500) throw new ProviderUnavailableError(`item update answered ${res.status}`);
  return res.ok ? { ok: true } : refusal(res);
}

/** `PUT /items/{id}/description` with `{ plain_text }`. https://developers.mercadolivre.com.br/pt_br/tendencias/descricao-de-produtos */
export async function updateDescription(fetch: ProviderFetch, itemId: string, text: string): Promise<UpdateOutcome> {
  const res = await fetch(`/items/${encodeURIComponent(itemId)}/description`, { method: "PUT", json: { plain_text: text } });
  if (res.status >= 500) throw new ProviderUnavailableError(`description update answered ${res.status}`);
  return res.ok ? { ok: true } : refusal(res);
}

/**
 * Withdraws the seller's authorization of the application: `DELETE /users/{user_id}/applications/{app_id}`
 * ("Revoke user authorization", https://developers.mercadolibre.com.co/en_us/application-manager).
 */
export async function revokeGrant(fetch: ProviderFetch, sellerId: string, clientId: string): Promise<boolean> {
  const res = await fetch(`/users/${encodeURIComponent(sellerId)}/applications/${encodeURIComponent(clientId)}`, { method: "DELETE" });
  return res.ok;
}
