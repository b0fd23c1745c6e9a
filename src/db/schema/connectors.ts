import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { CONNECTOR_STATUSES, CONNECTOR_TYPES, type ConnectorProblem, PUSH_MODES, type PushCause, SYNC_OUTCOMES } from "../../core/connectors/types";
import type { SyncDelta } from "../../core/connectors/delta";
import type { FeedFetch } from "../../core/connectors/feed";
import type { LiveCategory } from "../../core/connectors/mercadolivre/category-rules";
import type { FieldChange } from "../../core/connectors/mercadolivre/items";
import { accounts } from "./accounts";

// Timestamps are integer milliseconds since the epoch. Tokens are not here: each connector's
// ConnectorGate Durable Object keeps them, sealed with ENCRYPTION_KEY.

export const connectors = sqliteTable(
  "connectors",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type", { enum: CONNECTOR_TYPES }).notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: CONNECTOR_STATUSES }).notNull(),
    /** Why the connector is not active (the provider's reason), in both languages */
    problem: text("problem", { mode: "json" }).$type<ConnectorProblem>(),
    /** Provider options the seller set (none are secret) */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    rulePack: text("rule_pack").notNull(),
    category: text("category"),
    mappingId: text("mapping_id"),
    /** hourly, daily or a 5-field cron expression (America/Sao_Paulo) */
    schedule: text("schedule"),
    nextSyncAt: integer("next_sync_at"),
    /** Fields the seller lets pushes write; empty: nothing is ever written back */
    pushFields: text("push_fields", { mode: "json" }).$type<string[]>().notNull(),
    /** The seller's account at the provider (Mercado Livre user_id), once authorized */
    providerUserId: text("provider_user_id"),
    /** The sync job running now; one at a time */
    runningJobId: text("running_job_id"),
    lastSyncJobId: text("last_sync_job_id"),
    lastSyncAt: integer("last_sync_at"),
    lastSyncStatus: text("last_sync_status", { enum: SYNC_OUTCOMES }),
    /** A secret the connector sends to its source (feed URL: the protected feed's header value), sealed with ENCRYPTION_KEY */
    secretSealed: text("secret_sealed"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("connectors_account_idx").on(t.accountId, t.id),
    index("connectors_provider_user_idx").on(t.type, t.providerUserId),
    index("connectors_next_sync_idx").on(t.nextSyncAt),
  ],
);

/** One authorize_url: its state is single use, and the PKCE verifier never leaves the server. */
export const connectorOauthStates = sqliteTable(
  "connector_oauth_states",
  {
    nonce: text("nonce").primaryKey(),
    accountId: text("account_id").notNull(),
    connectorId: text("connector_id").notNull(),
    verifierSealed: text("verifier_sealed").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("connector_oauth_states_connector_idx").on(t.connectorId), index("connector_oauth_states_expires_idx").on(t.expiresAt)],
);

/** A sync is a job; this row says which connector it reads, what it does after, and where its listing is. */
export const connectorSyncs = sqliteTable(
  "connector_syncs",
  {
    jobId: text("job_id").primaryKey(),
    connectorId: text("connector_id").notNull(),
    accountId: text("account_id").notNull(),
    trigger: text("trigger", { enum: ["api", "schedule", "notification"] }).notNull(),
    /** Only these items (re-validation after notifications); null lists every item */
    itemIds: text("item_ids", { mode: "json" }).$type<string[]>(),
    push: text("push", { enum: PUSH_MODES }).notNull(),
    // Listing progress, advanced by the plan step (one step at a time, under a lease).
    scrollId: text("scroll_id"),
    pendingIds: text("pending_ids", { mode: "json" }).$type<string[]>().notNull(),
    listed: integer("listed").notNull(),
    chunks: integer("chunks").notNull(),
    /** Every id is listed: the next plan step only hands the plan to the coordinator */
    complete: integer("complete", { mode: "boolean" }).notNull(),
    /** Items per chunk, fixed when the listing starts (from the subrequest budget) */
    chunkItems: integer("chunk_items").notNull(),
    /** Listing steps in a row that could not reach the provider; the sync fails after a few */
    planFailures: integer("plan_failures").notNull(),
    planOwner: text("plan_owner"),
    planLeaseUntil: integer("plan_lease_until"),
    createdAt: integer("created_at").notNull(),
    endedAt: integer("ended_at"),
    /** How the sync ended, once it has */
    outcome: text("outcome", { enum: SYNC_OUTCOMES }),
    /** Feed URL syncs: what the fetch found (its validators for the next conditional request, or unchanged) */
    feed: text("feed", { mode: "json" }).$type<FeedFetch>(),
    /** What changed since the previous full sync of the connector, once this one completed */
    delta: text("delta", { mode: "json" }).$type<SyncDelta>(),
    /** This sync's record and issue keys are in connector_sync_keys (a baseline the next sync compares with) */
    keysStored: integer("keys_stored", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("connector_syncs_connector_idx").on(t.connectorId, t.jobId)],
);

/**
 * The keys of one sync's records (`r…`) and issues (`i…`: record, rule, field), written by its chunk
 * steps; two syncs are compared by joins over this primary key, so no set is ever held in memory.
 * Only the latest baseline of each connector is kept.
 */
export const connectorSyncKeys = sqliteTable(
  "connector_sync_keys",
  {
    jobId: text("job_id").notNull(),
    key: text("key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.key] })],
);

/** What each item looked like at its last validation, so a notification for an unchanged item costs nothing. */
export const connectorItems = sqliteTable(
  "connector_items",
  {
    connectorId: text("connector_id").notNull(),
    itemId: text("item_id").notNull(),
    contentHash: text("content_hash").notNull(),
    jobId: text("job_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.itemId] })],
);

/** Items to re-validate after notifications; one row per item however many notifications came. */
export const connectorPendingItems = sqliteTable(
  "connector_pending_items",
  {
    connectorId: text("connector_id").notNull(),
    itemId: text("item_id").notNull(),
    accountId: text("account_id").notNull(),
    queuedAt: integer("queued_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.itemId] })],
);

/** Every version of a category's live rules (immutable, by content hash): jobs pin the one they started with. */
export const liveCategoryRules = sqliteTable(
  "live_category_rules",
  {
    provider: text("provider").notNull(),
    categoryId: text("category_id").notNull(),
    hash: text("hash").notNull(),
    live: text("live", { mode: "json" }).$type<LiveCategory>().notNull(),
    fetchedAt: integer("fetched_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.categoryId, t.hash] })],
);

/** The version of a category's live rules in use now, and when to fetch it again. */
export const liveCategoryCurrent = sqliteTable(
  "live_category_current",
  {
    provider: text("provider").notNull(),
    categoryId: text("category_id").notNull(),
    hash: text("hash").notNull(),
    fetchedAt: integer("fetched_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.categoryId] })],
);

/** The live rules version each job uses per category: the first step to need it decides, every other step reads it. */
export const jobLiveRules = sqliteTable(
  "job_live_rules",
  {
    jobId: text("job_id").notNull(),
    provider: text("provider").notNull(),
    categoryId: text("category_id").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.provider, t.categoryId] })],
);

export interface PushCounts {
  items: number;
  sent: number;
  accepted: number;
  refused: number;
  skipped: number;
}

/** A push (or the revert of one): corrected values of a sync job written back to the marketplace. */
export const connectorPushes = sqliteTable(
  "connector_pushes",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    connectorId: text("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    jobId: text("job_id").notNull(),
    kind: text("kind", { enum: ["push", "revert"] }).notNull(),
    revertsPushId: text("reverts_push_id"),
    dryRun: integer("dry_run", { mode: "boolean" }).notNull(),
    fields: text("fields", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["queued", "running", "completed", "failed"] }).notNull(),
    counts: text("counts", { mode: "json" }).$type<PushCounts>().notNull(),
    error: text("error", { mode: "json" }).$type<ConnectorProblem>(),
    partsTotal: integer("parts_total").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("connector_pushes_connector_idx").on(t.connectorId, t.id), index("connector_pushes_status_idx").on(t.status, t.updatedAt)],
);

/** One item of a push: what was planned, what was sent, what the marketplace answered, and the values before. */
export const connectorPushItems = sqliteTable(
  "connector_push_items",
  {
    pushId: text("push_id")
      .notNull()
      .references(() => connectorPushes.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    part: integer("part").notNull(),
    /** pending → sending → accepted | refused; skipped when nothing could be sent; would_send in dry runs */
    status: text("status", { enum: ["pending", "sending", "accepted", "refused", "skipped", "would_send"] }).notNull(),
    /** The sync job's rows (records) the changes came from */
    rows: text("rows", { mode: "json" }).$type<number[]>().notNull(),
    changes: text("changes", { mode: "json" }).$type<FieldChange[]>().notNull(),
    /** Exactly what was (or, in a dry run, would be) sent: the PUT /items body and the description */
    sent: text("sent", { mode: "json" }).$type<{ body: Record<string, unknown> | null; description: string | null }>(),
    /** The marketplace's values of the sent fields just before the change (what a revert writes back) */
    before: text("before", { mode: "json" }).$type<Record<string, unknown>>(),
    skipped: text("skipped", { mode: "json" }).$type<{ field: string; reason: string }[]>().notNull(),
    cause: text("cause", { mode: "json" }).$type<PushCause[]>(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pushId, t.itemId] }), index("connector_push_items_part_idx").on(t.pushId, t.part)],
);

export type ConnectorRow = typeof connectors.$inferSelect;
export type ConnectorSyncRow = typeof connectorSyncs.$inferSelect;
export type ConnectorPushRow = typeof connectorPushes.$inferSelect;
export type ConnectorPushItemRow = typeof connectorPushItems.$inferSelect;
