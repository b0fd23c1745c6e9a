import type { ConnectorType } from "../core/connectors/types";
import { googleSheets } from "./google-sheets";
import { mercadoLivre } from "./mercadolivre";
import { shopee } from "./shopee";
import type { ConnectorProvider, ProviderAccess } from "./types";

/** Marketplace providers (items as listing records); feed URLs have no provider: they are fetched as files (services/connectors/feed.ts). */
const PROVIDERS: Partial<Record<ConnectorType, ConnectorProvider>> = {
  mercadolivre: mercadoLivre,
  shopee,
};

/** Providers whose records are not marketplace items (their syncs have their own steps). */
const ACCESS_ONLY: Partial<Record<ConnectorType, ProviderAccess>> = {
  google_sheets: googleSheets,
};

export function providerFor(type: ConnectorType): ConnectorProvider | undefined {
  return PROVIDERS[type];
}

/** Any implemented provider's authorization side (tokens, rate policy, pack). */
export function accessFor(type: ConnectorType): ProviderAccess | undefined {
  return PROVIDERS[type] ?? ACCESS_ONLY[type];
}

export type { ConnectorProvider } from "./types";
