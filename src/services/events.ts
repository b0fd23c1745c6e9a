import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { newId } from "../core/ids";
import {
  EVENT_DATA,
  EVENT_VERSION,
  type EventData,
  type EventEnvelope,
  type EventType,
  localizeEventData,
  renderEnvelope,
  subscribes,
  type SubscribableEventType,
} from "../core/webhooks/events";
import type { Locale } from "../core/text";
import { database } from "../db/client";
import { events, webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { Env } from "../env";
import { enqueueOrLeaveToSweep } from "./webhook-deliveries";
import { type Page, type PageQuery, paginate } from "../db/paginate";

/** Events are kept at least this long (GET /events), then purged with their deliveries. */
export const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PURGE_BATCH = 500;

/** A producer built `data` that does not match the type's v1 schema: a bug on our side, not the client's. */
export class InvalidEventPayloadError extends Error {}

export interface RecordOptions {
  /** Language of webhook deliveries (the language of the request that started the work); default en. */
  locale?: Locale;
  /** Recording the same key again (per account) is a no-op that returns the first event's id. */
  dedupeKey?: string;
  now?: number;
}

/**
 * Records an event and fans it out: one delivery per enabled endpoint of the account
 * subscribed to the type, written in the same batch as the event, then one queue
 * message each. If the queue refuses, the cron sweep sends them instead.
 */
export async function recordEvent<T extends SubscribableEventType>(
  env: Env,
  accountId: string,
  type: T,
  data: EventData<T>,
  options: RecordOptions = {},
): Promise<{ id: string }> {
  return insertEvent(env, accountId, type, data, options);
}

/** recordEvent for every type, including `webhook.test` (whose fan-out is empty: it is sent by the test route). */
export async function insertEvent(
  env: Env,
  accountId: string,
  type: EventType,
  data: unknown,
  options: RecordOptions = {},
): Promise<{ id: string; deliveries: string[] }> {
  const now = options.now ?? Date.now();
  // Checked as the English rendering, stored bilingual so each reader gets its language.
  const parsed = EVENT_DATA[type].safeParse(localizeEventData(data, "en"));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new InvalidEventPayloadError(`${type} data does not match its v${EVENT_VERSION} schema: ${where}`);
  }
  const db = database(env.DB);
  const dedupeKey = options.dedupeKey ?? null;
  if (dedupeKey) {
    const existing = await findByDedupeKey(env, accountId, dedupeKey);
    if (existing) return { id: existing, deliveries: [] };
  }

  const endpoints = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.accountId, accountId), eq(webhookEndpoints.enabled, true)));
  const targets = endpoints.filter((e) => subscribes(e.events, type));

  const event = {
    id: newId("evt", now),
    accountId,
    type,
    version: EVENT_VERSION,
    data,
    dedupeKey,
    locale: options.locale ?? ("en" as const),
    createdAt: now,
  };
  const deliveries = targets.map((endpoint) => ({
    id: newId("dlv", now),
    accountId,
    endpointId: endpoint.id,
    eventId: event.id,
    status: "pending" as const,
    attempts: 0,
    nextAttemptAt: now,
    enqueuedAt: now,
    autoRetry: true,
    createdAt: now,
    updatedAt: now,
  }));
  try {
    await db.batch([db.insert(events).values(event), ...deliveries.map((d) => db.insert(webhookDeliveries).values(d))]);
  } catch (error) {
    // Two producers racing with one dedupe key: the unique index decides.
    if (dedupeKey && String(error).includes("UNIQUE")) {
      const existing = await findByDedupeKey(env, accountId, dedupeKey);
      if (existing) return { id: existing, deliveries: [] };
    }
    throw error;
  }
  await enqueueOrLeaveToSweep(env, deliveries.map((d) => ({ id: d.id, attempts: 0 })));
  return { id: event.id, deliveries: deliveries.map((d) => d.id) };
}

async function findByDedupeKey(env: Env, accountId: string, dedupeKey: string): Promise<string | null> {
  const [row] = await database(env.DB)
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.dedupeKey, dedupeKey)))
    .limit(1);
  return row?.id ?? null;
}

export async function listEvents(env: Env, accountId: string, opts: PageQuery & { type?: EventType }, locale: Locale): Promise<Page<EventEnvelope>> {
  const db = database(env.DB);
  return paginate(
    events.id,
    opts,
    (cursor, take) =>
      db
        .select()
        .from(events)
        .where(and(eq(events.accountId, accountId), opts.type ? eq(events.type, opts.type) : undefined, cursor))
        .orderBy(desc(events.id))
        .limit(take),
    (row) => renderEnvelope(row, locale),
  );
}

export async function getEvent(env: Env, accountId: string, id: string, locale: Locale): Promise<EventEnvelope | null> {
  const [row] = await database(env.DB)
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.accountId, accountId)))
    .limit(1);
  return row ? renderEnvelope(row, locale) : null;
}

/** Deletes events past retention (their deliveries and attempts cascade), a bounded batch per run. */
export async function purgeExpiredEvents(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const expired = await db
    .select({ id: events.id })
    .from(events)
    .where(lt(events.createdAt, now - EVENT_RETENTION_MS))
    .limit(PURGE_BATCH);
  for (let i = 0; i < expired.length; i += 90) {
    await db.delete(events).where(inArray(events.id, expired.slice(i, i + 90).map((e) => e.id)));
  }
  return expired.length;
}
