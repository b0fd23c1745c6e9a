import type { ConnectorType } from "../core/connectors/types";
import { mercadoLivre } from "./mercadolivre";
import { shopee } from "./shopee";
import type { ConnectorProvider } from "./types";

/** Connector types this version implements; the other names in CONNECTOR_TYPES are reserved. */
const PROVIDERS: Partial<Record<ConnectorType, ConnectorProvider>> = {
  mercadolivre: mercadoLivre,
  shopee,
};

export function providerFor(type: ConnectorType): ConnectorProvider | undefined {
  return PROVIDERS[type];
}

export type { ConnectorProvider } from "./types";
