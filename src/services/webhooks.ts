import { and, count, desc, eq, lt } from "drizzle-orm";
import { VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { text } from "../core/text";
import { ALL_EVENTS } from "../core/webhooks/events";
import { generateSecret } from "../core/webhooks/signing";
import { checkWebhookUrl, URL_REFUSALS, type UrlRefusal } from "../core/webhooks/url-policy";
import { database } from "../db/client";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { Env } from "../env";
import { sealSecret } from "./encryption";
import { insertEvent } from "./events";
import { type AttemptRecord, attemptDelivery, disableWrites, loopbackAllowed } from "./webhook-deliveries";
import { type Page, type PageQuery, paginate } from "../db/paginate";
import { insertWithinLimit } from "../db/limits";

/** Endpoints per account; more is almost always a loop creating them. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 20;
/** After a rotation the old secret keeps signing alongside the new one this long. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

function urlRefused(reason: UrlRefusal): VitrineError {
  const why = URL_REFUSALS[reason];
  return new VitrineError("invalid_request", text(`The webhook URL ${why.en}.`, `A URL do webhook ${why["pt-BR"]}.`), {
    errors: [{ detail: text(`url ${why.en}`, `url ${why["pt-BR"]}`), pointer: "/url" }],
    reason,
  });
}

type Row = typeof webhookEndpoints.$inferSelect;

export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: Row["disabledReason"];
  disabled_detail: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(row: Row, now = Date.now()): WebhookView {
  const overlap = row.previousSecretSealed && (row.previousSecretExpiresAt ?? 0) > now ? row.previousSecretExpiresAt : null;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    disabled_detail: row.disabledDetail,
    disabled_at: iso(row.disabledAt),
    failing_since: iso(row.failingSince),
    previous_secret_expires_at: iso(overlap),
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  };
}

/** Normalizes a URL or throws why it may not receive webhooks. */
function acceptedUrl(env: Env, raw: string): string {
  const check = checkWebhookUrl(raw, { allowLoopback: loopbackAllowed(env) });
  if (!check.ok) throw urlRefused(check.reason);
  return check.url.href;
}

/** ["*"] alone when subscribed to everything; otherwise the distinct types in the given order. */
function normalizeEvents(types: string[]): string[] {
  return types.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(types)];
}

async function find(env: Env, accountId: string, id: string): Promise<Row | null> {
  const [row] = await database(env.DB)
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

export async function createWebhook(env: Env, accountId: string, input: { url: string; events: string[]; description?: string | null }) {
  const url = acceptedUrl(env, input.url);
  const now = Date.now();
  const id = newId("whk", now);
  const secret = generateSecret();
  const row: Row = {
    id,
    accountId,
    url,
    description: input.description ?? null,
    events: normalizeEvents(input.events),
    enabled: true,
    disabledReason: null,
    disabledDetail: null,
    disabledAt: null,
    secretSealed: await sealSecret(env, secret, id),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertWithinLimit(database(env.DB), webhookEndpoints, row, eq(webhookEndpoints.accountId, accountId), MAX_ENDPOINTS_PER_ACCOUNT))) {
    throw new VitrineError(
      "conflict",
      text(
        `This account already has ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints; delete one first.`,
        `Esta conta já tem ${MAX_ENDPOINTS_PER_ACCOUNT} endpoints de webhook; exclua um antes.`,
      ),
      { limit: MAX_ENDPOINTS_PER_ACCOUNT },
    );
  }
  return { ...view(row, now), secret };
}

export async function listWebhooks(env: Env, accountId: string, page: PageQuery): Promise<Page<WebhookView>> {
  const db = database(env.DB);
  return paginate(
    webhookEndpoints.id,
    page,
    (cursor, take) =>
      db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.accountId, accountId), cursor)).orderBy(desc(webhookEndpoints.id)).limit(take),
    (row) => view(row),
  );
}

export async function getWebhook(env: Env, accountId: string, id: string): Promise<WebhookView | null> {
  const row = await find(env, accountId, id);
  return row ? view(row) : null;
}

export interface WebhookPatch {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

/** Enabling clears why it was disabled and starts its failure clock afresh; disabling fails what was pending. */
export async function updateWebhook(env: Env, accountId: string, id: string, patch: WebhookPatch): Promise<WebhookView | null> {
  const row = await find(env, accountId, id);
  if (!row) return null;
  const now = Date.now();
  const changes: Partial<Row> = { updatedAt: now };
  if (patch.url !== undefined) changes.url = acceptedUrl(env, patch.url);
  if (patch.events !== undefined) changes.events = normalizeEvents(patch.events);
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.enabled === true && !row.enabled) {
    Object.assign(changes, { enabled: true, disabledReason: null, disabledDetail: null, disabledAt: null, failingSince: null });
  }
  const db = database(env.DB);
  const where = and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId));
  if (patch.enabled === false && row.enabled) {
    await db.batch([...disableWrites(db, id, "manual", `Disabled through the API on ${iso(now)}.`, now), db.update(webhookEndpoints).set(changes).where(where)]);
  } else {
    await db.update(webhookEndpoints).set(changes).where(where);
  }
  const updated = await find(env, accountId, id);
  return updated ? view(updated, now) : null;
}

/** Deletes the endpoint with its delivery log; queued messages for it find nothing and are dropped. */
export async function deleteWebhook(env: Env, accountId: string, id: string): Promise<boolean> {
  const deleted = await database(env.DB)
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

/**
 * New secret now; the old one keeps signing (a second `v1,` signature) for 24 h so
 * receivers can switch without dropping messages. Rotating again inside the
 * window replaces the older secret, which stops signing at once.
 */
export async function rotateSecret(env: Env, accountId: string, id: string, now = Date.now()) {
  const row = await find(env, accountId, id);
  if (!row) return null;
  const secret = generateSecret();
  const changes = {
    secretSealed: await sealSecret(env, secret, id),
    previousSecretSealed: row.secretSealed,
    previousSecretExpiresAt: now + SECRET_OVERLAP_MS,
    updatedAt: now,
  };
  await database(env.DB)
    .update(webhookEndpoints)
    .set(changes)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)));
  return { ...view({ ...row, ...changes }, now), secret };
}

export interface TestResult {
  event_id: string;
  delivery_id: string;
  succeeded: boolean;
  status_code: number | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  error: string | null;
}

/** Sends a `webhook.test` event to this endpoint only, now, and reports how the receiver answered. */
export async function sendTestEvent(env: Env, accountId: string, id: string, options: { now?: number; timeoutMs?: number } = {}): Promise<TestResult | null> {
  const row = await find(env, accountId, id);
  if (!row) return null;
  const now = options.now ?? Date.now();
  const message = "This is a test event from Vitrine. If your receiver verified its signature, it is ready.";
  const event = await insertEvent(env, accountId, "webhook.test", { webhook_id: id, message }, { now });
  const deliveryId = newId("dlv", now);
  const db = database(env.DB);
  await db.insert(webhookDeliveries).values({
    id: deliveryId,
    accountId,
    endpointId: id,
    eventId: event.id,
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    // Marked as enqueued so the sweep leaves it to this request.
    enqueuedAt: now,
    autoRetry: false,
    createdAt: now,
    updatedAt: now,
  });
  const result = await attemptDelivery(env, deliveryId, 0, { now, timeoutMs: options.timeoutMs, evenIfDisabled: true });
  const attempt: AttemptRecord | null = result.kind === "attempted" ? result.attempt : null;
  return {
    event_id: event.id,
    delivery_id: deliveryId,
    succeeded: attempt?.succeeded ?? false,
    status_code: attempt?.status_code ?? null,
    latency_ms: attempt?.latency_ms ?? null,
    response_excerpt: attempt?.response_excerpt ?? null,
    error: attempt?.error ?? (result.kind === "skipped" ? `not sent (${result.reason})` : null),
  };
}
