import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { providerFor } from "../../connectors";
import { ProviderUnavailableError } from "../../connectors/types";
import { pushPartCost, unitsPerStep } from "../../core/connectors/budget";
import { mapLimit } from "../../core/connectors/map-limit";
import type { FieldChange } from "../../core/connectors/mercadolivre/items";
import { mergeChanges, type SkipReason } from "../../core/connectors/mercadolivre/push";
import type { ConnectorProblem } from "../../core/connectors/types";
import { notFound, VitrineError } from "../../core/errors";
import { newId } from "../../core/ids";
import type { JobMessage } from "../../core/jobs/types";
import { type Locale, text } from "../../core/text";
import { database } from "../../db/client";
import { type Page, type PageQuery, paginate } from "../../db/paginate";
import {
  type ConnectorPushItemRow,
  type ConnectorPushRow,
  type ConnectorRow,
  connectorPushes,
  connectorPushItems,
  connectors,
  connectorSyncs,
  type PushCounts,
} from "../../db/schema";
import type { Env } from "../../env";
import { listKeys } from "../../storage/r2-reads";
import { recordEvent } from "../events";
import { enqueue, getJobRow } from "../jobs/jobs";
import { BudgetExhaustedError, ProviderBusyError, ReauthorizationRequiredError } from "./errors";
import { ROWS_PER_PUSH_PART, SheetsPushStopped, sheetsPushItems, writeIssuesSheet } from "./google-sheets";
import { liveRules } from "./live-rules";
import { changesPrefix } from "./objects";
import { ProviderSession } from "./session";
import type { ChangeLine } from "./sync-chunk";
import { connectorStepBudget } from "./sync-plan";

/** A push part left this long without progress is sent again by the cron sweep. */
const STALE_PUSH_MS = 10 * 60_000;
const CONCURRENCY = 3;

export const pushNotFound = (id: string) => notFound(text("Push", "O envio"), id);

const emptyCounts = (): PushCounts => ({ items: 0, sent: 0, accepted: 0, refused: 0, skipped: 0 });

function unprocessable(en: string, pt: string, extra: Record<string, unknown> = {}) {
  return new VitrineError("unprocessable", text(en, pt), extra);
}

/** Whether `field` is within `allowed` (`attributes` allows every attribute). */
export function fieldAllowed(allowed: readonly string[], field: string): boolean {
  return allowed.includes(field) || (field.startsWith("attributes.") && allowed.includes("attributes"));
}

/** An item of a push before it is written: where its changes came from and which fields were left out, and why. */
interface PlannedItem {
  itemId: string;
  rows: number[];
  changes: FieldChange[];
  skipped: { field: string; reason: SkipReason }[];
}

/** Reads a sync job's push candidates, merged per item and narrowed to `fields`; items with nothing allowed are left out. */
async function candidates(env: Env, accountId: string, jobId: string, fields: readonly string[]): Promise<PlannedItem[]> {
  const byItem = new Map<string, { rows: Set<number>; perRecord: FieldChange[][] }>();
  for (const key of await listKeys(env.FILES, changesPrefix(accountId, jobId))) {
    const object = await env.FILES.get(key);
    if (!object) continue;
    for (const raw of (await object.text()).split("\n")) {
      if (!raw) continue;
      const line = JSON.parse(raw) as ChangeLine;
      let entry = byItem.get(line.item_id);
      if (!entry) byItem.set(line.item_id, (entry = { rows: new Set(), perRecord: [] }));
      entry.rows.add(line.row);
      entry.perRecord.push(line.changes);
    }
  }
  const planned: PlannedItem[] = [];
  for (const [itemId, entry] of byItem) {
    const { changes, conflicts } = mergeChanges(entry.perRecord);
    const allowed = changes.filter((c) => fieldAllowed(fields, c.field));
    if (allowed.length === 0) continue;
    const skipped = [
      ...changes.filter((c) => !fieldAllowed(fields, c.field)).map((c) => ({ field: c.field, reason: "not_allowed" as const })),
      ...conflicts.map((field) => ({ field, reason: "conflicting_fixes" as const })),
    ];
    planned.push({ itemId, rows: [...entry.rows].sort((a, b) => a - b), changes: allowed, skipped });
  }
  return planned.sort((a, b) => a.rows[0] - b.rows[0]);
}

async function insertItems(env: Env, pushId: string, items: PlannedItem[], perPart: number, now: number) {
  const db = database(env.DB);
  const statements = [];
  // Nine values a row, at most 100 bound parameters a statement.
  for (let i = 0; i < items.length; i += 10) {
    statements.push(
      db
        .insert(connectorPushItems)
        .values(
          items.slice(i, i + 10).map((item, j) => ({
            pushId,
            itemId: item.itemId,
            part: Math.floor((i + j) / perPart),
            status: "pending" as const,
            rows: item.rows,
            changes: item.changes,
            skipped: item.skipped,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing(),
    );
  }
  for (let i = 0; i < statements.length; i += 50) {
    const [first, ...rest] = statements.slice(i, i + 50);
    await db.batch([first, ...rest]);
  }
}

async function enqueueParts(env: Env, push: ConnectorPushRow, parts: number[]) {
  const job = await getJobRow(env, push.accountId, push.jobId);
  const messages: JobMessage[] = parts.map((part) => ({ kind: "push", job_id: push.jobId, account_id: push.accountId, push_id: push.id, part }));
  await enqueue(env, job?.priority ?? "normal", messages);
}

async function insertPush(env: Env, push: ConnectorPushRow, items: PlannedItem[], perPart: number): Promise<ConnectorPushRow> {
  const db = database(env.DB);
  const [inserted] = await db.insert(connectorPushes).values(push).onConflictDoNothing().returning();
  if (!inserted) {
    // The same automatic push again (its sync ended twice): the first one stands.
    const [existing] = await db.select().from(connectorPushes).where(eq(connectorPushes.id, push.id)).limit(1);
    return existing;
  }
  await insertItems(env, push.id, items, perPart, push.createdAt);
  if (items.length === 0) {
    await db.update(connectorPushes).set({ status: "completed", finishedAt: push.createdAt }).where(eq(connectorPushes.id, push.id));
    return { ...push, status: "completed", finishedAt: push.createdAt };
  }
  await enqueueParts(env, push, Array.from({ length: push.partsTotal }, (_, i) => i));
  return push;
}

function itemsPerPart(env: Env, connector: ConnectorRow): number {
  // A sheet's part costs two requests however many rows it has (read them now, write their cells).
  if (connector.type === "google_sheets") return ROWS_PER_PUSH_PART;
  const perPart = unitsPerStep(connectorStepBudget(env), pushPartCost(providerFor(connector.type)!.batch.items));
  if (perPart < 1) {
    throw unprocessable(
      "SUBREQUEST_BUDGET (divided by JOB_QUEUE_BATCH_SIZE) leaves no room to push an item; see docs/connectors.md.",
      "SUBREQUEST_BUDGET (dividido por JOB_QUEUE_BATCH_SIZE) não deixa espaço para enviar um item; veja docs/connectors.md.",
    );
  }
  return perPart;
}

/**
 * Plans a push of a finished sync job's corrections: only fields in `fields` (which must be
 * within the connector's push_fields), only records whose fixes changed something. The items are
 * then written (or, in a dry run, described exactly) part by part by the queue.
 */
export async function createPush(
  env: Env,
  connector: ConnectorRow,
  input: { jobId: string; dryRun: boolean; fields?: string[]; automatic?: boolean },
): Promise<ConnectorPushRow> {
  const fields = [...new Set(input.fields ?? connector.pushFields)];
  const outside = fields.filter((f) => !fieldAllowed(connector.pushFields, f));
  if (outside.length > 0 || fields.length === 0) {
    throw new VitrineError(
      "unprocessable",
      text(
        fields.length === 0
          ? "The connector's push_fields is empty: nothing may be written back. Set push_fields first (PATCH /api/v1/connectors/{id})."
          : `A push may only narrow the connector's push_fields (${connector.pushFields.join(", ") || "none"}); not allowed: ${outside.join(", ")}.`,
        fields.length === 0
          ? "O push_fields do conector está vazio: nada pode ser escrito de volta. Defina push_fields antes (PATCH /api/v1/connectors/{id})."
          : `Um envio só pode restringir o push_fields do conector (${connector.pushFields.join(", ") || "nenhum"}); não permitidos: ${outside.join(", ")}.`,
      ),
      { errors: outside.map((f) => ({ detail: text(`"${f}" is not in push_fields`, `"${f}" não está em push_fields`), pointer: "/fields" })) },
    );
  }
  const job = await getJobRow(env, connector.accountId, input.jobId);
  const [sync] = await database(env.DB).select().from(connectorSyncs).where(eq(connectorSyncs.jobId, input.jobId)).limit(1);
  if (!job || !sync || sync.connectorId !== connector.id) throw notFound(text("Sync job", "O job de sincronização"), input.jobId);
  if (job.status !== "completed" || !job.applyFixes) {
    throw unprocessable(
      `Job ${job.id} is ${job.status}${job.applyFixes ? "" : " and ran without apply_fixes"}: a push sends the corrections of a completed sync that applied fixes.`,
      `O job ${job.id} está ${job.status}${job.applyFixes ? "" : " e rodou sem apply_fixes"}: um envio manda as correções de uma sincronização concluída que aplicou correções.`,
    );
  }
  const now = Date.now();
  const perPart = itemsPerPart(env, connector);
  const items = await candidates(env, connector.accountId, job.id, fields);
  return insertPush(
    env,
    {
      // The push a sync asked for has an id derived from its job, so a repeated end of the sync makes no second push.
      id: input.automatic ? `psh_${job.id.slice("job_".length)}` : newId("psh", now),
      accountId: connector.accountId,
      connectorId: connector.id,
      jobId: job.id,
      kind: "push",
      revertsPushId: null,
      dryRun: input.dryRun,
      fields,
      status: "queued",
      counts: { ...emptyCounts(), items: items.length },
      error: null,
      partsTotal: Math.ceil(items.length / perPart),
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    },
    items,
    perPart,
  );
}

/** Writes back the values a finished push replaced, for the items Mercado Livre accepted. */
export async function revertPush(env: Env, connector: ConnectorRow, pushId: string, dryRun: boolean): Promise<ConnectorPushRow> {
  const original = await requirePush(env, connector, pushId);
  if (original.kind !== "push" || original.dryRun || original.status !== "completed") {
    throw unprocessable(
      `Push ${pushId} cannot be reverted: only a completed push that was applied (not a dry run, not a revert) can.`,
      `O envio ${pushId} não pode ser desfeito: só um envio concluído e aplicado (não simulado, não uma reversão) pode.`,
    );
  }
  const accepted = await database(env.DB)
    .select()
    .from(connectorPushItems)
    .where(and(eq(connectorPushItems.pushId, pushId), eq(connectorPushItems.status, "accepted")));
  const items: PlannedItem[] = accepted.map((row) => ({
    itemId: row.itemId,
    rows: row.rows,
    changes: Object.entries(row.before ?? {}).map(([field, before]) => ({
      field: field as FieldChange["field"],
      from: row.changes.find((c) => c.field === field)?.to ?? null,
      to: before,
    })),
    skipped: [],
  }));
  const now = Date.now();
  const perPart = itemsPerPart(env, connector);
  return insertPush(
    env,
    {
      id: newId("psh", now),
      accountId: connector.accountId,
      connectorId: connector.id,
      jobId: original.jobId,
      kind: "revert",
      revertsPushId: original.id,
      dryRun,
      fields: [...new Set(items.flatMap((i) => i.changes.map((c) => c.field)))],
      status: "queued",
      counts: { ...emptyCounts(), items: items.length },
      error: null,
      partsTotal: Math.ceil(items.length / perPart),
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    },
    items,
    perPart,
  );
}

export async function requirePush(env: Env, connector: ConnectorRow, pushId: string): Promise<ConnectorPushRow> {
  const [row] = await database(env.DB)
    .select()
    .from(connectorPushes)
    .where(and(eq(connectorPushes.id, pushId), eq(connectorPushes.connectorId, connector.id), eq(connectorPushes.accountId, connector.accountId)))
    .limit(1);
  if (!row) throw pushNotFound(pushId);
  return row;
}

export async function listPushes(env: Env, connector: ConnectorRow, page: PageQuery): Promise<Page<ConnectorPushRow>> {
  const db = database(env.DB);
  return paginate(
    connectorPushes.id,
    page,
    (cursor, take) =>
      db
        .select()
        .from(connectorPushes)
        .where(and(eq(connectorPushes.connectorId, connector.id), eq(connectorPushes.accountId, connector.accountId), cursor))
        .orderBy(desc(connectorPushes.id))
        .limit(take),
    (row) => row,
  );
}

/** A push's items in listing order, a page at a time (by item id). */
export async function pushItems(env: Env, push: ConnectorPushRow, page: { limit: number; startingAfter?: string }) {
  const rows = await database(env.DB)
    .select()
    .from(connectorPushItems)
    .where(and(eq(connectorPushItems.pushId, push.id), page.startingAfter ? sql`${connectorPushItems.itemId} > ${page.startingAfter}` : undefined))
    .orderBy(connectorPushItems.itemId)
    .limit(page.limit + 1);
  return { data: rows.slice(0, page.limit), has_more: rows.length > page.limit };
}

async function fail(env: Env, push: ConnectorPushRow, problem: ConnectorProblem) {
  await database(env.DB)
    .update(connectorPushes)
    .set({ status: "failed", error: problem, updatedAt: Date.now(), finishedAt: Date.now() })
    .where(eq(connectorPushes.id, push.id));
}

/** Recounts a push from its items; the last part to finish completes it and tells the seller's systems. */
async function settle(env: Env, push: ConnectorPushRow): Promise<void> {
  const db = database(env.DB);
  const rows = await db
    .select({ status: connectorPushItems.status, n: sql<number>`count(*)` })
    .from(connectorPushItems)
    .where(eq(connectorPushItems.pushId, push.id))
    .groupBy(connectorPushItems.status);
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<ConnectorPushItemRow["status"], number>>;
  const counts: PushCounts = {
    items: push.counts.items,
    sent: (by.accepted ?? 0) + (by.refused ?? 0) + (by.would_send ?? 0),
    accepted: by.accepted ?? 0,
    refused: by.refused ?? 0,
    skipped: by.skipped ?? 0,
  };
  const open = (by.pending ?? 0) + (by.sending ?? 0);
  const now = Date.now();
  const [done] = await db
    .update(connectorPushes)
    .set({ counts, updatedAt: now, ...(open === 0 && { status: "completed" as const, finishedAt: now }) })
    .where(and(eq(connectorPushes.id, push.id), inArray(connectorPushes.status, ["queued", "running"])))
    .returning();
  if (!done || open > 0 || push.dryRun) return;
  const [connector] = await db.select().from(connectors).where(eq(connectors.id, push.connectorId)).limit(1);
  const job = await getJobRow(env, push.accountId, push.jobId);
  if (connector?.type === "google_sheets" && push.kind === "push") {
    const problem = await writeIssuesSheet(env, connector, push, (job?.locale as Locale | undefined) ?? "en", connectorStepBudget(env));
    if (problem) await db.update(connectorPushes).set({ error: problem }).where(eq(connectorPushes.id, push.id));
  }
  await recordEvent(
    env,
    push.accountId,
    "connector.synced",
    {
      connector_id: push.connectorId,
      provider: connector?.type ?? "mercadolivre",
      direction: "export",
      status: counts.refused > 0 ? "partial" : "succeeded",
      job_id: push.jobId,
      counts: { fetched: counts.items, created: 0, updated: counts.accepted, unchanged: counts.skipped, failed: counts.refused },
      started_at: new Date(push.createdAt).toISOString(),
      completed_at: new Date(now).toISOString(),
      error: null,
      links: { connector: `/api/v1/connectors/${push.connectorId}`, job: `/api/v1/jobs/${push.jobId}` },
    },
    { dedupeKey: `${push.id}:connector.synced`, locale: (job?.locale as Locale | undefined) ?? "en" },
  );
}

/**
 * One part of a push: reads the part's items as they are on the marketplace now, decides per
 * field what may go (see planItemPush), records the values before the change, then sends only the
 * changed fields and records Mercado Livre's answer per item. Dry runs stop before sending.
 * Redelivery-safe: an item recorded as being sent keeps its first "before" values and is sent again.
 */
export async function runPushPart(env: Env, message: Extract<JobMessage, { kind: "push" }>): Promise<void> {
  const db = database(env.DB);
  const [push] = await db
    .select()
    .from(connectorPushes)
    .where(and(eq(connectorPushes.id, message.push_id), eq(connectorPushes.accountId, message.account_id)))
    .limit(1);
  if (!push || push.status === "completed" || push.status === "failed") return;
  const [connector] = await db.select().from(connectors).where(eq(connectors.id, push.connectorId)).limit(1);
  if (!connector) return fail(env, push, { code: "connector.deleted", message: text("The connector was deleted.", "O conector foi apagado.") });
  await db.update(connectorPushes).set({ status: "running", updatedAt: Date.now() }).where(and(eq(connectorPushes.id, push.id), eq(connectorPushes.status, "queued")));
  const items = await db
    .select()
    .from(connectorPushItems)
    .where(and(eq(connectorPushItems.pushId, push.id), eq(connectorPushItems.part, message.part), inArray(connectorPushItems.status, ["pending", "sending"])));
  const session = new ProviderSession(env, connector, connectorStepBudget(env));
  try {
    if (items.length > 0) {
      if (connector.type === "google_sheets") await sheetsPushItems(env, session, connector, push, items);
      else await pushItemsOf(env, providerFor(connector.type)!, session, push, items);
    }
  } catch (error) {
    if (error instanceof SheetsPushStopped) return fail(env, push, error.problem);
    if (error instanceof ReauthorizationRequiredError) {
      const problem = {
        code: "connector.reauthorization_required",
        message: text(
          `The marketplace no longer accepts this connector's authorization (${error.error}); authorize it again.`,
          `O marketplace não aceita mais a autorização deste conector (${error.error}); autorize de novo.`,
        ),
      };
      await db.update(connectors).set({ status: "reauthorization_required", problem, updatedAt: Date.now() }).where(eq(connectors.id, connector.id));
      return fail(env, push, problem);
    }
    const transient = error instanceof ProviderUnavailableError || error instanceof ProviderBusyError || error instanceof BudgetExhaustedError;
    if (!transient) throw error;
    // What was sent is recorded; the rest of the part runs again when the queue retries it.
    await settle(env, push);
    throw error;
  }
  await settle(env, push);
}

type Provider = NonNullable<ReturnType<typeof providerFor>>;

async function pushItemsOf(env: Env, provider: Provider, session: ProviderSession, push: ConnectorPushRow, items: ConnectorPushItemRow[]) {
  const db = database(env.DB);
  const batches: string[][] = [];
  for (let i = 0; i < items.length; i += provider.batch.items) batches.push(items.slice(i, i + provider.batch.items).map((it) => it.itemId));
  const current = new Map<string, { item: unknown; categoryId: string | null }>();
  for (const answers of await mapLimit(batches, CONCURRENCY, (batch) => provider.fetchItems(session.fetch, batch))) {
    for (const answer of answers) if (answer.ok) current.set(answer.id, { item: answer.item, categoryId: answer.categoryId });
  }
  const categories = [...new Set([...current.values()].map((i) => i.categoryId).filter((c): c is string => Boolean(c)))];
  const readOnly = (await liveRules(env, { categories, jobId: push.jobId }))?.readOnly ?? new Map<string, Set<string>>();

  await mapLimit(items, CONCURRENCY, async (row) => {
    const found = current.get(row.itemId);
    const now = () => Date.now();
    if (!found) {
      const skipped = [...row.skipped, ...row.changes.map((c) => ({ field: c.field, reason: "item_unavailable" as SkipReason }))];
      await db.update(connectorPushItems).set({ status: "skipped", skipped, updatedAt: now() }).where(itemKey(push.id, row.itemId));
      return;
    }
    let sent = row.sent;
    let before = row.before;
    if (row.status !== "sending") {
      // Planned against the marketplace as it is now; the first plan of an item is the one kept.
      const description = row.changes.some((c) => c.field === "description") ? await provider.fetchDescription(session.fetch, row.itemId) : undefined;
      const plan = provider.planPush(found.item, row.changes, {
        allowed: (field) => fieldAllowed(push.fields, field),
        readOnly: readOnly.get(found.categoryId ?? "") ?? new Set(),
        currentDescription: description,
      });
      const skipped = [...row.skipped, ...plan.skipped];
      if (!plan.body && plan.description === null) {
        await db.update(connectorPushItems).set({ status: "skipped", skipped, updatedAt: now() }).where(itemKey(push.id, row.itemId));
        return;
      }
      sent = { body: plan.body, description: plan.description };
      before = Object.fromEntries(plan.send.map((f) => [f.field, f.before]));
      const status = push.dryRun ? ("would_send" as const) : ("sending" as const);
      await db.update(connectorPushItems).set({ status, sent, before, skipped, updatedAt: now() }).where(itemKey(push.id, row.itemId));
      if (push.dryRun) return;
    }
    const outcomes = [];
    if (sent?.body) outcomes.push(await provider.updateItem(session.fetch, row.itemId, sent.body));
    if (sent?.description !== null && sent?.description !== undefined) outcomes.push(await provider.updateDescription(session.fetch, row.itemId, sent.description));
    const refused = outcomes.filter((o) => !o.ok);
    const cause = refused.flatMap((o) => (o.ok ? [] : o.causes));
    await db
      .update(connectorPushItems)
      .set({ status: refused.length ? "refused" : "accepted", cause: cause.length ? cause : null, updatedAt: now() })
      .where(itemKey(push.id, row.itemId));
  });
}

function itemKey(pushId: string, itemId: string) {
  return and(eq(connectorPushItems.pushId, pushId), eq(connectorPushItems.itemId, itemId));
}

/** Pushes whose parts stopped making progress (a message lost to the dead-letter queue) are sent on again. */
export async function resumeStalePushes(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const stale = await db
    .select()
    .from(connectorPushes)
    .where(and(inArray(connectorPushes.status, ["queued", "running"]), lt(connectorPushes.updatedAt, now - STALE_PUSH_MS)))
    .limit(20);
  for (const push of stale) {
    const parts = await db
      .selectDistinct({ part: connectorPushItems.part })
      .from(connectorPushItems)
      .where(and(eq(connectorPushItems.pushId, push.id), inArray(connectorPushItems.status, ["pending", "sending"])));
    await db.update(connectorPushes).set({ updatedAt: now }).where(eq(connectorPushes.id, push.id));
    if (parts.length) await enqueueParts(env, push, parts.map((p) => p.part));
    else await settle(env, push);
  }
  return stale.length;
}
