import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../db/schema";

/*
 * Where an account's rows are, for exporting and deleting them (LGPD). Tables are found in the
 * schema by their `account_id` column, so a new table is deleted with its account without a
 * change here. Exporting is deliberate instead: every column of every such table is either
 * exported or withheld with a reason below, and a test fails while a table or column has no
 * decision — a new column may hold a credential that must never leave.
 */

export interface TableInfo {
  name: string;
  /** SQL column name → how values are stored. */
  columns: Map<string, { json: boolean; boolean: boolean }>;
  /** How the table's rows of one account are selected; `?1` is the account id. */
  where: string;
}

/** Rows that belong to the account through a parent row rather than an account_id column. */
const CHILDREN: readonly { name: string; key: string; parent: string }[] = [
  { name: "upload_parts", key: "upload_id", parent: "uploads" },
  { name: "webhook_attempts", key: "delivery_id", parent: "webhook_deliveries" },
  { name: "connector_items", key: "connector_id", parent: "connectors" },
  { name: "connector_push_items", key: "push_id", parent: "connector_pushes" },
  { name: "job_live_rules", key: "job_id", parent: "jobs" },
  { name: "connector_sync_keys", key: "job_id", parent: "jobs" },
];

function info(table: SQLiteTable, where: string): TableInfo {
  const config = getTableConfig(table);
  const columns = new Map(config.columns.map((c) => [c.name, { json: c.dataType === "json", boolean: c.dataType === "boolean" }]));
  return { name: config.name, columns, where };
}

function schemaTables(): SQLiteTable[] {
  const values: unknown[] = Object.values(schema);
  return values.filter((value): value is SQLiteTable => is(value, SQLiteTable));
}

let cached: { owned: TableInfo[]; children: TableInfo[]; account: TableInfo } | undefined;

/**
 * The account row, the tables with an account_id column, and their children, in the order they
 * are deleted: children first (they are found through their parents), the account row last.
 */
export function accountTables() {
  if (cached) return cached;
  const tables = schemaTables();
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const owned = tables.filter((t) => getTableConfig(t).columns.some((c) => c.name === "account_id")).map((t) => info(t, `"account_id" = ?1`));
  const children = CHILDREN.map((child) => {
    const table = byName.get(child.name);
    if (!table) throw new Error(`account-tables: no table ${child.name} in the schema`);
    return info(table, `"${child.key}" in (select "id" from "${child.parent}" where "account_id" = ?1)`);
  });
  const account = info(byName.get("accounts")!, `"id" = ?1`);
  cached = { owned, children, account };
  return cached;
}

/** How a table is exported: the columns written, and the ones kept back with the reason why. */
export type ExportPolicy = { columns: readonly string[]; withheld?: Readonly<Record<string, string>> } | { excluded: string };

const SYNC_PROGRESS = "how far a sync's listing got, used while it runs (the provider's cursor and the ids not yet in a chunk)";
const STORAGE_KEY = "where Vitrine keeps the bytes internally; the bytes themselves are in this archive while they are kept";

export const EXPORT_POLICY: Readonly<Record<string, ExportPolicy>> = {
  accounts: {
    columns: [
      "id", "name", "email", "plan", "created_at", "email_verified_at", "locale", "company_name", "tax_id", "tax_id_kind",
      "marketplace", "category",
    ],
    withheld: { password_hash: "a one-way hash of the password (PBKDF2); the password itself is never stored" },
  },
  sessions: {
    columns: ["id", "account_id", "user_agent", "created_at", "last_seen_at", "expires_at", "revoked_at"],
    withheld: { token_hash: "a one-way hash of the browser's session cookie" },
  },
  email_tokens: {
    columns: ["id", "account_id", "purpose", "created_at", "expires_at", "used_at"],
    withheld: { token_hash: "a one-way hash of an emailed one-time link" },
  },
  api_keys: {
    columns: ["id", "account_id", "name", "prefix", "created_at", "last_used_at", "revoked_at"],
    withheld: { hash: "a one-way hash of the key; the key itself was shown once and never stored" },
  },
  idempotency_keys: { excluded: "replays of requests, kept 24 hours; their stored responses may hold secrets that were shown once" },
  rule_packs: { columns: ["account_id", "pack_id", "revision", "name", "extends", "created_at", "updated_at", "deleted_at"] },
  rule_pack_revisions: { columns: ["account_id", "pack_id", "revision", "source", "format", "created_at"] },
  mappings: { columns: ["id", "account_id", "name", "marketplace", "category", "version", "created_at", "updated_at", "deleted_at"] },
  mapping_versions: { columns: ["mapping_id", "version", "account_id", "name", "marketplace", "category", "fields", "created_at"] },
  files: {
    columns: ["id", "account_id", "name", "size", "sha256", "format", "encoding", "delimiter", "content_type", "created_at"],
    withheld: { r2_key: STORAGE_KEY },
  },
  uploads: {
    columns: ["id", "account_id", "file_id", "name", "declared_size", "part_size", "status", "created_at", "expires_at", "completed_at"],
    withheld: { r2_key: STORAGE_KEY, r2_upload_id: STORAGE_KEY },
  },
  upload_parts: { columns: ["upload_id", "part_number", "etag", "size", "uploaded_at"] },
  jobs: {
    columns: [
      "id", "account_id", "status", "rule_pack", "rule_pack_revision", "rule_pack_hash", "category", "mapping_id", "mapping_version",
      "apply_fixes", "locale", "source_type", "file_id", "priority", "sheet_options", "layout", "summary", "error", "rows_total",
      "chunks_total", "created_at", "started_at", "finished_at", "updated_at", "connector_id",
    ],
    withheld: { input_key: STORAGE_KEY },
  },
  webhook_endpoints: {
    columns: [
      "id", "account_id", "url", "description", "events", "enabled", "disabled_reason", "disabled_detail", "disabled_at",
      "previous_secret_expires_at", "failing_since", "created_at", "updated_at",
    ],
    withheld: {
      secret_sealed: "the signing secret (encrypted); rotate it to get a new one",
      previous_secret_sealed: "the previous signing secret (encrypted), kept for a day after a rotation",
    },
  },
  connectors: {
    columns: [
      "id", "account_id", "type", "name", "status", "problem", "config", "rule_pack", "category", "mapping_id", "schedule",
      "next_sync_at", "push_fields", "provider_user_id", "running_job_id", "last_sync_job_id", "last_sync_at", "last_sync_status",
      "created_at", "updated_at",
    ],
    withheld: { secret_sealed: "a feed's header value (encrypted), e.g. its password; set it again with PATCH" },
  },
  connector_oauth_states: { excluded: "single-use authorization attempts, valid 10 minutes; each holds a sealed PKCE verifier" },
  connector_syncs: {
    columns: [
      "job_id", "connector_id", "account_id", "trigger", "item_ids", "push", "listed", "chunks", "complete", "created_at", "ended_at",
      "outcome", "feed", "delta", "keys_stored",
    ],
    withheld: {
      scroll_id: SYNC_PROGRESS,
      pending_ids: SYNC_PROGRESS,
      chunk_items: SYNC_PROGRESS,
      plan_failures: SYNC_PROGRESS,
      plan_owner: SYNC_PROGRESS,
      plan_lease_until: SYNC_PROGRESS,
    },
  },
  connector_sync_keys: { excluded: "keys of the records and issues of a connector's latest sync, to compare the next one with; the job's issues hold the same" },
  connector_items: { columns: ["connector_id", "item_id", "content_hash", "job_id", "updated_at"] },
  connector_pending_items: { excluded: "items a marketplace notification named, waiting a minute for re-validation" },
  job_live_rules: { columns: ["job_id", "provider", "category_id", "hash"] },
  connector_pushes: {
    columns: [
      "id", "account_id", "connector_id", "job_id", "kind", "reverts_push_id", "dry_run", "fields", "status", "counts", "error",
      "parts_total", "created_at", "updated_at", "finished_at",
    ],
  },
  connector_push_items: {
    columns: ["push_id", "item_id", "part", "status", "rows", "changes", "sent", "before", "skipped", "cause", "updated_at"],
  },
  events: { columns: ["id", "account_id", "type", "version", "data", "dedupe_key", "locale", "created_at"] },
  webhook_deliveries: {
    columns: [
      "id", "account_id", "endpoint_id", "event_id", "status", "attempts", "next_attempt_at", "enqueued_at", "auto_retry",
      "last_attempt_at", "last_status_code", "last_error", "created_at", "updated_at",
    ],
  },
  webhook_attempts: {
    columns: ["id", "delivery_id", "attempt", "started_at", "status_code", "latency_ms", "error", "response_excerpt", "succeeded", "next_retry_at"],
  },
  usage_hours: { columns: ["account_id", "hour", "records"] },
  usage_receipts: { columns: ["account_id", "dedupe_key", "source", "records", "hour", "created_at"] },
  usage_holds: { excluded: "validations reserved for jobs while they run; released when they end, and counted in usage_hours as they are done" },
  // Billing through Stripe: ids Stripe gave us, never a secret (the keys live in Worker secrets only).
  subscriptions: {
    columns: [
      "account_id", "stripe_customer_id", "stripe_subscription_id", "plan", "status", "stripe_status", "current_period_start",
      "current_period_end", "previous_period_start", "previous_period_end", "cancel_at_period_end", "past_due_since",
      "updated_from_event_created", "spend_cap_cents", "currency", "created_at", "updated_at",
    ],
  },
  invoices: {
    columns: [
      "id", "account_id", "stripe_subscription_id", "number", "status", "amount_due", "amount_paid", "total", "currency", "period_start",
      "period_end", "hosted_invoice_url", "invoice_pdf", "created_at", "updated_from_event_created",
    ],
  },
  meter_reports: { columns: ["account_id", "hour", "identifier", "value", "stripe_customer_id", "created_at", "sent_at"] },
};
