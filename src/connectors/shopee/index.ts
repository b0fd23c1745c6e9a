import { isShopeePushable, type ShopeeFieldChange, type ShopeeListing, type ShopeeRecord, SHOPEE_PUSHABLE_FIELDS, shopeeCanonical, shopeeChanges, shopeeColumn, shopeeCorrected, shopeeRecords } from "../../core/connectors/shopee/items";
import type { FieldChange } from "../../core/connectors/mercadolivre/items";
import { planShopeePush } from "../../core/connectors/shopee/push";
import { signedQuery } from "../../core/connectors/shopee/sign";
import type { ConnectorProvider } from "../types";
import { BASE_INFO_MAX, fetchItems, interpretAnswer, ITEM_LIST_PAGE, listItems, updateItem } from "./api";
import { shopeeOAuth } from "./oauth";

/**
 * Shopee Brasil (Open Platform v2): shop authorization with the signed state inside the redirect
 * URL, every request signed with the partner key, items listed with get_item_list and read with
 * get_item_base_info (+ get_model_list), the shop's own limits (get_item_limit) as live rules,
 * changes written with update_item. See docs/shopee.md.
 */
export const shopee: ConnectorProvider = {
  type: "shopee",
  auth: "oauth2",
  name: "Shopee",
  pack: "shopee",
  configured: (config) => config.shopee !== undefined,
  apiUrl(config) {
    if (!config.shopee) throw new Error("Shopee is not configured (SHOPEE_PARTNER_ID)");
    return config.shopee.apiUrl;
  },
  async authenticate(url, _headers, grant, config) {
    if (!config.shopee || !grant.sellerId) throw new Error("a Shopee request needs the partner app and the shop id");
    const query = await signedQuery(config.shopee, url.pathname, Math.floor(Date.now() / 1000), { accessToken: grant.accessToken, shopId: grant.sellerId });
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  },
  interpret: interpretAnswer,
  oauth(config) {
    if (!config.shopee) throw new Error("Shopee is not configured (SHOPEE_PARTNER_ID)");
    return shopeeOAuth(config.shopee);
  },
  ratePolicy(config) {
    const perMinute = config.shopee?.requestsPerMinute ?? 600;
    return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 6)) };
  },
  // Each item with models costs one get_model_list besides its share of get_item_base_info.
  batch: { items: BASE_INFO_MAX, pageSize: ITEM_LIST_PAGE, requestPerItem: true },
  records: {
    records: (item) => shopeeRecords(item as ShopeeListing),
    canonical: (listing) => shopeeCanonical(listing as ShopeeRecord),
    column: (field, listing) => shopeeColumn(field, listing as ShopeeRecord),
    corrected: (listing, before, after) => shopeeCorrected(listing as ShopeeRecord, before, after),
    // Shopee's field names are not Mercado Livre's: the framework carries them as plain strings.
    changes: (before, after) => shopeeChanges(before as ShopeeRecord, after) as unknown as FieldChange[],
  },
  isPushable: isShopeePushable,
  pushableFields: SHOPEE_PUSHABLE_FIELDS,
  planPush: (item, changes, opts) => planShopeePush(item as ShopeeListing, changes as unknown as ShopeeFieldChange[], opts),
  listItems,
  fetchItems,
  // get_item_base_info already carries the description: no request.
  fetchDescription: async () => null,
  // Shopee's live rules are the shop's limits (services/connectors/shopee-limits.ts), not category attributes.
  fetchCategory: async () => null,
  updateItem,
  updateDescription: async () => ({ ok: false, status: 0, causes: [{ code: "not_supported", message: "Shopee's description is written with update_item" }] }),
  // Shopee's Open Platform has no call that withdraws a shop's authorization: the seller cancels it in Seller Centre; the tokens are forgotten.
  revoke: async () => false,
};
