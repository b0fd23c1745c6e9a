import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { nextRun } from "../../core/connectors/schedule";
import { VitrineError } from "../../core/errors";
import { database } from "../../db/client";
import { type ConnectorRow, connectorPendingItems, connectors } from "../../db/schema";
import type { Env } from "../../env";
import { resumeStalePushes } from "./push";
import { startSync } from "./sync";

/** Connectors started per cron tick; the rest wait for the next minute. */
const SYNCS_PER_TICK = 25;
/** Items one re-validation sync takes from the notification queue. */
const ITEMS_PER_REVALIDATION = 500;

/** When a connector's schedule next runs (null without a schedule, or while it is not active). */
export function nextSyncAt(row: Pick<ConnectorRow, "id" | "schedule" | "status">, now = Date.now()): number | null {
  return row.schedule && row.status === "active" ? nextRun(row.schedule, row.id, now) : null;
}

/** A sync that cannot start now (one is running, the connector needs attention) is skipped; the schedule moves on. */
async function tryStart(env: Env, run: () => Promise<unknown>, what: Record<string, unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (!(error instanceof VitrineError)) throw error;
    console.log(JSON.stringify({ level: "info", msg: "connector sync not started", ...what, reason: error.code }));
    return false;
  }
}

/**
 * Starts the syncs whose schedule is due. The next run is computed from now before the sync
 * starts, so missed runs (the Worker was down, a sync was still running) are never piled up.
 */
export async function runDueSchedules(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const due = await db
    .select()
    .from(connectors)
    .where(and(isNotNull(connectors.nextSyncAt), lte(connectors.nextSyncAt, now)))
    .orderBy(asc(connectors.nextSyncAt))
    .limit(SYNCS_PER_TICK);
  let started = 0;
  for (const connector of due) {
    const next = nextSyncAt(connector, now);
    const [claimed] = await db
      .update(connectors)
      .set({ nextSyncAt: next })
      .where(and(eq(connectors.id, connector.id), eq(connectors.nextSyncAt, connector.nextSyncAt!)))
      .returning({ id: connectors.id });
    // Another tick took it already.
    if (!claimed || connector.status !== "active") continue;
    const ok = await tryStart(
      env,
      () => startSync(env, connector.accountId, connector.id, { applyFixes: connector.pushFields.length > 0, push: "none", trigger: "schedule", locale: "en" }),
      { connector_id: connector.id, trigger: "schedule" },
    );
    if (ok) started++;
  }
  return started;
}

/** Re-validates the items notifications reported changed, one sync per connector with a queue of them. */
export async function flushNotifiedItems(env: Env): Promise<number> {
  const db = database(env.DB);
  const waiting = await db.selectDistinct({ connectorId: connectorPendingItems.connectorId, accountId: connectorPendingItems.accountId }).from(connectorPendingItems).limit(SYNCS_PER_TICK);
  let started = 0;
  for (const { connectorId, accountId } of waiting) {
    const items = await db
      .select({ itemId: connectorPendingItems.itemId })
      .from(connectorPendingItems)
      .where(eq(connectorPendingItems.connectorId, connectorId))
      .orderBy(asc(connectorPendingItems.queuedAt))
      .limit(ITEMS_PER_REVALIDATION);
    const ids = items.map((i) => i.itemId);
    const ok = await tryStart(
      env,
      () => startSync(env, accountId, connectorId, { applyFixes: true, push: "none", trigger: "notification", itemIds: ids, locale: "en" }),
      { connector_id: connectorId, trigger: "notification", items: ids.length },
    );
    if (!ok) continue;
    // D1 binds at most 100 parameters a statement.
    for (let i = 0; i < ids.length; i += 90) {
      await db.delete(connectorPendingItems).where(and(eq(connectorPendingItems.connectorId, connectorId), inArray(connectorPendingItems.itemId, ids.slice(i, i + 90))));
    }
    started++;
  }
  return started;
}

/** The connectors' share of the minute cron: schedules, notification re-validations, stalled pushes. */
export async function connectorsCron(env: Env, now: number): Promise<void> {
  await runDueSchedules(env, now);
  await flushNotifiedItems(env);
  await resumeStalePushes(env, now);
}
