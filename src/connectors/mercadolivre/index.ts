import { canonicalRecord, correctedListing, isPushable, listingChanges, listingField, listingRecords, type MlItem, PUSHABLE_FIELDS } from "../../core/connectors/mercadolivre/items";
import { planItemPush } from "../../core/connectors/mercadolivre/push";
import type { ConnectorProvider } from "../types";
import { fetchCategory, fetchDescription, fetchItems, listItems, MULTIGET_MAX, revokeGrant, SCAN_PAGE, updateDescription, updateItem } from "./api";
import { mercadoLivreOAuth } from "./oauth";

/**
 * Mercado Livre Brasil (site MLB): OAuth 2.0 with PKCE, items listed by scan search and read by
 * multiget, descriptions read one by one (only when a rule reads them), live rules from each
 * category's attributes, changes written with PUT /items/{id}. See docs/mercadolivre.md.
 */
export const mercadoLivre: ConnectorProvider = {
  type: "mercadolivre",
  auth: "oauth2",
  name: "Mercado Livre",
  pack: "mercadolivre",
  apiUrl(config) {
    if (!config.mercadolivre) throw new Error("Mercado Livre is not configured (MERCADOLIVRE_CLIENT_ID)");
    return config.mercadolivre.apiUrl;
  },
  async authenticate(_url, headers, grant) {
    headers.authorization = `Bearer ${grant.accessToken}`;
  },
  records: {
    records: (item, description) => listingRecords(item as MlItem, description),
    canonical: canonicalRecord,
    column: listingField,
    corrected: correctedListing,
    changes: listingChanges,
  },
  isPushable: (field) => field === "attributes" || isPushable(field),
  pushableFields: [...PUSHABLE_FIELDS, "attributes", "attributes.<ID>"],
  planPush: (item, changes, opts) => planItemPush(item as MlItem, changes, opts),
  configured: (config) => config.mercadolivre !== undefined,
  oauth(config) {
    if (!config.mercadolivre) throw new Error("Mercado Livre is not configured (MERCADOLIVRE_CLIENT_ID)");
    return mercadoLivreOAuth(config.mercadolivre);
  },
  ratePolicy(config) {
    const perMinute = config.mercadolivre?.requestsPerMinute ?? 1500;
    // Ten seconds' worth may go out at once after a quiet spell.
    return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 6)) };
  },
  batch: { items: MULTIGET_MAX, pageSize: SCAN_PAGE },
  listItems,
  fetchItems,
  fetchDescription,
  fetchCategory,
  updateItem,
  updateDescription,
  revoke: (fetch, sellerId, config) => revokeGrant(fetch, sellerId, config.mercadolivre?.clientId ?? ""),
};
