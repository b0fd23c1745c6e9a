import type { LiveCategory } from "../core/connectors/mercadolivre/category-rules";
import type { FieldChange, ListingRecord } from "../core/connectors/mercadolivre/items";
import type { ItemPushPlan, PlanOptions } from "../core/connectors/mercadolivre/push";
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
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string | Promise<string>;
  /** `sellerId`: what the provider sent back beside the code, when it names the seller there (Shopee's shop_id). */
  exchange(input: { code: string; codeVerifier: string; redirectUri: string; sellerId?: string }): Promise<TokenGrant>;
  /** `sellerId`: the seller the grant is for (Shopee refreshes per shop). */
  refresh(refreshToken: string, sellerId: string): Promise<TokenGrant>;
}

/** One item as a provider answered it: its listing records, or why it could not be read. */
export type FetchedItem =
  | { id: string; ok: true; item: unknown; records: ListingRecord[]; categoryId: string | null }
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

/** A provider's listing records: its items under its own field names, and the built-in mapping to and from the canonical record. */
export interface RecordShape {
  /** The listing records of one fetched item (one per variation or model); `description` when read separately. */
  records(item: unknown, description?: string): ListingRecord[];
  canonical(listing: ListingRecord): Record<string, unknown>;
  /** The listing-record name of a canonical field path, for issues' `column`. */
  column(field: string, listing: ListingRecord): string;
  corrected(listing: ListingRecord, before: Record<string, unknown>, after: Record<string, unknown>): ListingRecord;
  changes(before: ListingRecord, after: Record<string, unknown>): FieldChange[];
}

export interface ConnectorProvider {
  type: ConnectorType;
  auth: "oauth2";
  /** The marketplace's name, in messages and as a connector's default name. */
  name: string;
  /** The API's base URL on this deployment. */
  apiUrl(config: Config): string;
  /** Puts the access token on a request (a header, or Shopee's signed query). */
  authenticate(url: URL, headers: Record<string, string>, grant: { accessToken: string; sellerId: string | null }, config: Config): Promise<void>;
  /** Reads an answer before the session does: Shopee's HTTP-200 token errors become 401, so the token is refreshed like anywhere else. */
  interpret?(res: Response): Promise<Response>;
  records: RecordShape;
  /** Fields (listing-record names) a push may write. */
  isPushable(field: string): boolean;
  pushableFields: readonly string[];
  /** Which of an item's changes go, and the exact request. */
  planPush(item: unknown, changes: readonly FieldChange[], opts: PlanOptions): ItemPushPlan;
  /** The built-in rule pack its records are checked against, and the one live category rules extend. */
  pack: string;
  /** Available on this deployment (its application is configured). */
  configured(config: Config): boolean;
  oauth(config: Config): OAuthClient;
  ratePolicy(config: Config): RatePolicy;
  /** Items fetched per request, and whether a description costs one more request per item. */
  batch: { items: number; pageSize: number; requestPerItem?: boolean };
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
export type ProviderAccess = Pick<ConnectorProvider, "type" | "auth" | "name" | "pack" | "apiUrl" | "authenticate" | "interpret" | "configured" | "oauth" | "ratePolicy"> & {
  /** Tokens without a seller's consent (a service account): minted again instead of refreshed. */
  serviceAccount?(config: Config): { token(): Promise<TokenGrant> };
};
