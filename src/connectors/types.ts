import type { LiveCategory } from "../core/connectors/mercadolivre/category-rules";
import type { ListingRecord, MlItem } from "../core/connectors/mercadolivre/items";
import type { ConnectorType, PushCause } from "../core/connectors/types";
import type { CategoryDef } from "../core/rules";
import type { Config } from "../config";

/**
 * What one kind of connector declares; the framework (src/services/connectors) does the rest:
 * authorization, syncs on the jobs pipeline, rate limits and token refresh (ConnectorGate), pushes.
 */

/** An HTTP request to the provider, through the connector's gate (its token bucket, 429 back-off and token). */
export interface ProviderFetch {
  (path: string, init?: { method?: string; json?: unknown; query?: Record<string, string> }): Promise<Response>;
}

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  /** The seller's id at the provider. */
  userId: string;
  scope: string;
}

/** The provider refused a grant (code or refresh token): the seller must authorize again. */
export class GrantRefusedError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

/** The provider could not be reached, or answered with a server error. */
export class ProviderUnavailableError extends Error {}

export interface OAuthClient {
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchange(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
}

/** One item as a provider answered it: its listing records, or why it could not be read. */
export type FetchedItem =
  | { id: string; ok: true; item: MlItem; records: ListingRecord[]; categoryId: string | null }
  | { id: string; ok: false; status: number; message: string };

export interface ListPage {
  ids: string[];
  /** Where the next page starts; null when this was the last. */
  next: string | null;
}

export interface RatePolicy {
  perMinute: number;
  /** Requests that may go out at once after a quiet period. */
  burst: number;
}

export interface ConnectorProvider {
  type: ConnectorType;
  auth: "oauth2";
  /** The built-in rule pack its records are checked against, and the one live category rules extend. */
  pack: string;
  /** Available on this deployment (its application is configured). */
  configured(config: Config): boolean;
  oauth(config: Config): OAuthClient;
  ratePolicy(config: Config): RatePolicy;
  /** Items fetched per request, and whether a description costs one more request per item. */
  batch: { items: number; pageSize: number };
  /** Lists item ids page by page (a scroll: pages must be read in order, once), at most `pageSize` (≤ batch.pageSize) a page. */
  listItems(fetch: ProviderFetch, sellerId: string, cursor: string | null, pageSize: number): Promise<ListPage>;
  /** Fetches items in one batch; an item the provider refuses is that item's problem, not the batch's. */
  fetchItems(fetch: ProviderFetch, ids: readonly string[]): Promise<FetchedItem[]>;
  /** The item's description, when a rule reads it. */
  fetchDescription(fetch: ProviderFetch, itemId: string): Promise<string | null>;
  /** A category's live rules (compiled from the provider's attributes). */
  fetchCategory(fetch: ProviderFetch, categoryId: string, base: { covered: ReadonlySet<string>; handwritten?: CategoryDef }): Promise<LiveCategory | null>;
  /** Writes changed fields of one item; a refusal carries the provider's causes. */
  updateItem(fetch: ProviderFetch, itemId: string, body: Record<string, unknown>): Promise<UpdateOutcome>;
  updateDescription(fetch: ProviderFetch, itemId: string, text: string): Promise<UpdateOutcome>;
  /** Withdraws the seller's grant at the provider (on delete); false when the provider refused. */
  revoke(fetch: ProviderFetch, sellerId: string, config: Config): Promise<boolean>;
}

export type UpdateOutcome = { ok: true } | { ok: false; status: number; causes: PushCause[] };

/**
 * What the gate, the OAuth flow and connector creation need of a provider: every provider has it,
 * including those (Google Sheets) whose records are not marketplace items.
 */
export type ProviderAccess = Pick<ConnectorProvider, "type" | "auth" | "pack" | "configured" | "oauth" | "ratePolicy"> & {
  /** Tokens without a seller's consent (a service account): minted again instead of refreshed. */
  serviceAccount?(config: Config): { token(): Promise<TokenGrant> };
};
