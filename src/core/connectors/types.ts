import type { Text } from "../text";

/** Sources a seller can connect. Part 1 implements mercadolivre; the others are reserved names. */
export const CONNECTOR_TYPES = ["mercadolivre", "shopee", "google_sheets", "url"] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/**
 * pending_authorization: created, waiting for the seller to open authorize_url and confirm;
 * pending_verification: (Google Sheets by service account) waiting for the sheet to hold the connector's verification code;
 * active: authorized, syncs run; reauthorization_required: the seller revoked access or the grant
 * expired (authorize again); error: the last authorization failed (the provider's reason is kept).
 */
export const CONNECTOR_STATUSES = [
  "pending_authorization",
  "active",
  "reauthorization_required",
  "error",
  // Google Sheets by service account
  "pending_verification",
] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

/** What a sync does with the corrections once validation ends. */
export const PUSH_MODES = ["none", "dry_run", "apply"] as const;
export type PushMode = (typeof PUSH_MODES)[number];

/** Why a connector is not active, or why its last sync failed, in both languages. */
export interface ConnectorProblem {
  code: string;
  message: Text;
}

/** One reason a marketplace gave for refusing a change (Mercado Livre: an element of `cause[]`). */
export interface PushCause {
  code: string;
  message: string;
  type?: string;
}

/** How a sync ended; `unchanged`: a feed answered 304 Not Modified, so nothing was validated again. */
export const SYNC_OUTCOMES = ["succeeded", "partial", "failed", "unchanged"] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];
