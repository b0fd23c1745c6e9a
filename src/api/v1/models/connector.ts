import { z } from "zod";
import type { SyncDelta } from "../../../core/connectors/delta";
import { CONNECTOR_STATUSES, CONNECTOR_TYPES, PUSH_MODES, SYNC_OUTCOMES } from "../../../core/connectors/types";
import { type Locale, render } from "../../../core/text";
import type { ConnectorPushItemRow, ConnectorPushRow, ConnectorRow } from "../../../db/schema";
import { Timestamp } from "../../schemas";
import { verificationCode, VERIFICATION_SHEET } from "../../../core/connectors/google-sheets/sheet";

function verificationOf(row: ConnectorRow, serviceAccountEmail: string | undefined) {
  return { code: verificationCode(row.id), sheet: VERIFICATION_SHEET, cell: "A1", service_account_email: serviceAccountEmail ?? null };
}

// Connectors, their syncs and pushes. Tokens never appear here: the API cannot return what it does not read.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const Problem = z
  .object({ code: z.string(), message: z.string().describe("In the language chosen by Accept-Language") })
  .describe("Why the connector is not active, or why its last sync failed: the provider's reason");

const PushField = z
  .string()
  .max(110)
  .describe(
    "Mercado Livre: title, description, price, available_quantity, condition, pictures, seller_custom_field, attributes (every attribute) or attributes.<ID>. Google Sheets: column names as in the header row",
  );

const count = z.number().int().min(0);

export const SyncDeltaSchema = z
  .object({
    previous_job_id: z.string().nullable().describe("The earlier full sync compared with; null on the connector's first"),
    issues: z
      .object({ new: count, resolved: count, still_open: count })
      .describe("Issues keyed by record (SKU or item id, else row) + rule + field: found now and not before, found before and not now, found in both"),
    records: z.object({ added: count, removed: count }),
  })
  .meta({ id: "ConnectorSyncDelta" });

export const ConnectorSync = z
  .object({
    job_id: z.string(),
    trigger: z.enum(["api", "schedule", "notification"]),
    outcome: z.enum([...SYNC_OUTCOMES, "running"]),
    started_at: Timestamp,
    ended_at: Timestamp.nullable(),
    delta: SyncDeltaSchema.nullable().describe("Null while running, for a failed sync, and for one limited to notified items"),
    feed: z.object({ unchanged: z.boolean(), bytes: z.number().int() }).nullable().describe("Feed URL syncs: whether the feed had changed, and its size"),
    links: z.object({ job: z.string() }),
  })
  .meta({ id: "ConnectorSync" });

export const Connector = z
  .object({
    id: z.string().describe("con_…"),
    type: z.enum(CONNECTOR_TYPES),
    name: z.string(),
    status: z
      .enum(CONNECTOR_STATUSES)
      .describe(
        "pending_authorization → active; reauthorization_required when the seller revoked access; error when the last authorization or sync failed; pending_verification (Google Sheets by service account) until the sheet holds the verification code",
      ),
    problem: Problem.nullable(),
    authorize_url: z
      .string()
      .optional()
      .describe("Only in the answers of create and authorize: open it in the seller's browser (valid 10 minutes, single use)"),
    provider_account: z.object({ user_id: z.string() }).nullable().describe("The seller's account at the marketplace, once authorized"),
    verification: z
      .object({
        code: z.string().describe("Put this text in the cell below of the spreadsheet"),
        sheet: z.string().describe('The sheet (tab) that holds it: "Vitrine"'),
        cell: z.string(),
        service_account_email: z.string().nullable().describe("Share the spreadsheet with this address (as an editor, for pushes)"),
      })
      .optional()
      .describe("Google Sheets by service account: the code the sheet must hold before any sync or push (checked before each); see docs/google-sheets.md"),
    rule_pack: z.string(),
    category: z.string().nullable().describe("Validate every item as this category; null: each item as its own category_id"),
    mapping_id: z.string().nullable().describe("A mapping from the listing record's fields instead of the built-in one"),
    schedule: z.string().nullable().describe("hourly, daily, or a 5-field cron expression, in America/Sao_Paulo time"),
    next_sync_at: Timestamp.nullable(),
    push_fields: z.array(PushField).describe("Fields Vitrine may write back; empty: nothing is ever written"),
    config: z.record(z.string(), z.unknown()),
    sync: z.object({
      running_job_id: z.string().nullable(),
      last_job_id: z.string().nullable(),
      last_synced_at: Timestamp.nullable(),
      last_status: z.enum(SYNC_OUTCOMES).nullable().describe("unchanged: a feed answered 304 Not Modified, nothing was validated again"),
      last_delta: SyncDeltaSchema.nullable().optional().describe("What changed in the last sync (only in GET /connectors/{id})"),
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: "Connector" });

export function connectorView(row: ConnectorRow, locale: Locale, authorizeUrl?: string, serviceAccountEmail?: string, lastDelta?: SyncDelta | null) {
  const self = `/api/v1/connectors/${row.id}`;
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    status: row.status,
    problem: row.problem ? { code: row.problem.code, message: render(row.problem.message, locale) } : null,
    ...(authorizeUrl !== undefined && { authorize_url: authorizeUrl }),
    provider_account: row.providerUserId ? { user_id: row.providerUserId } : null,
    ...(row.type === "google_sheets" && row.config.auth === "service_account" && { verification: verificationOf(row, serviceAccountEmail) }),
    rule_pack: row.rulePack,
    category: row.category,
    mapping_id: row.mappingId,
    schedule: row.schedule,
    next_sync_at: iso(row.nextSyncAt),
    push_fields: row.pushFields,
    config: row.config,
    sync: { running_job_id: row.runningJobId, last_job_id: row.lastSyncJobId, last_synced_at: iso(row.lastSyncAt), last_status: row.lastSyncStatus, ...(lastDelta !== undefined && { last_delta: lastDelta }) },
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
    links: {
      self,
      sync: `${self}/sync`,
      pushes: `${self}/pushes`,
      syncs: `${self}/syncs`,
      ...(row.runningJobId && { running_job: `/api/v1/jobs/${row.runningJobId}` }),
      ...(row.lastSyncJobId && { last_job: `/api/v1/jobs/${row.lastSyncJobId}` }),
    },
  };
}

const Settings = {
  name: z.string().trim().min(1).max(100).optional(),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Provider options. Mercado Livre: { "item_status": "active" } lists only items in that status. Google Sheets: { "spreadsheet": URL or id (required), "sheet": name (default: the first), "header_row": 1, "auth": "oauth" | "service_account", "issues_sheet": false }. Feed URL: { "url": "https://…", "header": { "name": "Authorization", "value": "Basic …" } } — ' +
        "the header is stored encrypted and never shown (answers show header_name); header: null removes it, leaving it out keeps it",
    ),
  rule_pack: z.string().max(64).optional().describe("Default: the provider's built-in pack (mercadolivre)"),
  category: z.string().max(64).nullable().optional(),
  mapping_id: z.string().max(64).nullable().optional(),
  schedule: z.string().max(100).nullable().optional().describe("hourly, daily (03:xx) or a 5-field cron expression, America/Sao_Paulo"),
  push_fields: z.array(PushField).max(50).optional(),
};

export const CreateConnectorBody = z.object({ type: z.enum(CONNECTOR_TYPES), ...Settings });
export const UpdateConnectorBody = z.object(Settings);

export const SyncBody = z.object({
  apply_fixes: z.boolean().optional().describe("Apply the rules' fixes (default: true when push is dry_run or apply, else false)"),
  push: z.enum(PUSH_MODES).default("none").describe("After validation: describe (dry_run) or send (apply) the corrections; needs push_fields"),
});

export const PushBody = z.object({
  job_id: z.string().max(64).describe("A completed sync job of this connector that applied fixes"),
  fields: z.array(PushField).max(50).optional().describe("Narrow the connector's push_fields for this push"),
  dry_run: z.boolean().default(false).describe("Record exactly what would be sent, per item, and send nothing"),
});

export const RevertBody = z.object({ dry_run: z.boolean().default(false) });

const PushCountsSchema = z.object({
  items: z.number().int().describe("Items with at least one allowed change"),
  sent: z.number().int().describe("Items sent (or, in a dry run, that would be)"),
  accepted: z.number().int(),
  refused: z.number().int(),
  skipped: z.number().int().describe("Items where no field could be sent (each skipped field says why)"),
});

export const Push = z
  .object({
    id: z.string().describe("psh_…"),
    connector_id: z.string(),
    job_id: z.string(),
    kind: z.enum(["push", "revert"]),
    reverts: z.string().nullable().describe("For a revert: the push it undoes"),
    dry_run: z.boolean(),
    fields: z.array(z.string()),
    status: z.enum(["queued", "running", "completed", "failed"]),
    counts: PushCountsSchema,
    error: Problem.nullable(),
    created_at: Timestamp,
    finished_at: Timestamp.nullable(),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: "ConnectorPush" });

export function pushView(row: ConnectorPushRow, locale: Locale) {
  const self = `/api/v1/connectors/${row.connectorId}/pushes/${row.id}`;
  return {
    id: row.id,
    connector_id: row.connectorId,
    job_id: row.jobId,
    kind: row.kind,
    reverts: row.revertsPushId,
    dry_run: row.dryRun,
    fields: row.fields,
    status: row.status,
    counts: row.counts,
    error: row.error ? { code: row.error.code, message: render(row.error.message, locale) } : null,
    created_at: iso(row.createdAt)!,
    finished_at: iso(row.finishedAt),
    links: { self, job: `/api/v1/jobs/${row.jobId}`, ...(row.kind === "push" && !row.dryRun && { revert: `${self}/revert` }) },
  };
}

export const PushItem = z
  .object({
    item_id: z.string(),
    rows: z.array(z.number().int()).describe("The sync job's rows (records) the changes came from"),
    status: z.enum(["pending", "sending", "accepted", "refused", "skipped", "would_send"]),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).describe("What the fixes changed, as the sync read it"),
    sent: z
      .object({ body: z.record(z.string(), z.unknown()).nullable(), description: z.string().nullable() })
      .nullable()
      .describe("Exactly what was (or would be) sent: the PUT /items/{id} body and the new description"),
    before: z.record(z.string(), z.unknown()).nullable().describe("The marketplace's values just before the change: what a revert writes back"),
    skipped: z.array(z.object({ field: z.string(), reason: z.string() })).describe("Fields left out, and why"),
    cause: z.array(z.object({ code: z.string(), message: z.string(), type: z.string().optional() })).nullable().describe("The marketplace's reasons for refusing"),
  })
  .meta({ id: "ConnectorPushItem" });

export function pushItemView(row: ConnectorPushItemRow) {
  return {
    item_id: row.itemId,
    rows: row.rows,
    status: row.status,
    changes: row.changes,
    sent: row.sent ?? null,
    before: row.before ?? null,
    skipped: row.skipped,
    cause: row.cause ?? null,
  };
}

export const PushWithItems = Push.extend({
  items: z.object({ data: z.array(PushItem), has_more: z.boolean() }).describe("Items by id; page with items_limit and items_starting_after"),
}).meta({ id: "ConnectorPushWithItems" });
