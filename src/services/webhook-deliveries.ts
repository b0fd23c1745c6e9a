import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { notFound, VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { text } from "../core/text";
import {
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_FAILING_MS,
  MAX_QUEUE_DELAY_SECONDS,
  parseRetryAfter,
  RESPONSE_EXCERPT_BYTES,
  retryDelaySeconds,
  verdictFor,
} from "../core/webhooks/retry";
import { renderEnvelope } from "../core/webhooks/events";
import { signedHeaders } from "../core/webhooks/signing";
import { checkWebhookUrl, URL_REFUSALS } from "../core/webhooks/url-policy";
import { database, type Db } from "../db/client";
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { config } from "../config";
import type { Env } from "../env";
import { openSecret } from "./encryption";
import { type Page, type PageQuery, paginate } from "../db/paginate";
import { sendInBatches } from "../storage/queue-send";
import { hourOf } from "../core/kpis/rollup";
import { recordAnalytics, rollupWrite } from "./kpis";

/**
 * Delivery of events to webhook endpoints: one attempt at a time, each claimed
 * with a compare-and-set on the delivery's attempt count, so a queue message that
 * arrives twice (or a sweep racing the queue) never sends the same attempt twice.
 */

/** The queue message; `attempts` is the count the delivery must still have for the message to act. */
export interface DeliveryMessage {
  kind: "webhook.delivery";
  delivery_id: string;
  attempts: number;
}

export function isDeliveryMessage(body: unknown): body is DeliveryMessage {
  const m = body as DeliveryMessage | null;
  return !!m && m.kind === "webhook.delivery" && typeof m.delivery_id === "string" && Number.isInteger(m.attempts);
}

/** How long a claimed attempt owns the delivery; after that the sweep assumes it crashed. */
const CLAIM_MS = 60_000;
/** Queue messages may arrive a little before the time they were delayed to. */
const EARLY_TOLERANCE_MS = 2_000;
/** A queued attempt this overdue is re-enqueued by the sweep (lost or stuck message). */
const SWEEP_GRACE_MS = 15 * 60_000;
const SWEEP_LIMIT = 500;
const USER_AGENT = "Vitrine-Webhooks/1.0 (+https://www.standardwebhooks.com)";

export function loopbackAllowed(env: Env): boolean {
  return config(env).allowLoopbackWebhooks;
}

export async function sendDeliveryMessages(env: Env, items: { id: string; attempts: number; delaySeconds?: number }[]) {
  await sendInBatches(
    env.WEBHOOKS_QUEUE,
    items.map((item) => ({
      body: { kind: "webhook.delivery", delivery_id: item.id, attempts: item.attempts } satisfies DeliveryMessage,
      contentType: "json" as const,
      ...(item.delaySeconds ? { delaySeconds: item.delaySeconds } : {}),
    })),
  );
}

/** Sends messages; when the queue refuses, leaves the deliveries to the cron sweep instead of failing the caller. */
export async function enqueueOrLeaveToSweep(env: Env, items: { id: string; attempts: number; delaySeconds?: number }[]) {
  if (items.length === 0) return;
  try {
    await sendDeliveryMessages(env, items);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "webhook enqueue failed; the sweep will pick it up", error: String(error) }));
    const db = database(env.DB);
    for (const ids of chunks(items.map((i) => i.id), 90)) {
      await db.update(webhookDeliveries).set({ enqueuedAt: null }).where(inArray(webhookDeliveries.id, ids));
    }
  }
}

export interface AttemptRecord {
  attempt: number;
  started_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
  succeeded: boolean;
  next_retry_at: string | null;
}

export type AttemptResult =
  | { kind: "skipped"; reason: "not_found" | "stale" | "in_flight" | "endpoint_disabled" | "not_due" }
  | { kind: "attempted"; status: "pending" | "succeeded" | "failed"; attempt: AttemptRecord };

export interface AttemptOptions {
  now?: number;
  timeoutMs?: number;
  random?: () => number;
  /** Test sends go out even to a disabled endpoint, to help debug it. */
  evenIfDisabled?: boolean;
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;

async function signingSecrets(env: Env, endpoint: EndpointRow, now: number): Promise<string[]> {
  const secrets = [await openSecret(env, endpoint.secretSealed, endpoint.id)];
  if (endpoint.previousSecretSealed && (endpoint.previousSecretExpiresAt ?? 0) > now) {
    secrets.push(await openSecret(env, endpoint.previousSecretSealed, endpoint.id));
  }
  return secrets;
}

/**
 * Makes attempt number `expectedAttempts + 1` of a delivery, if it is still due and
 * nobody made it yet, then records the outcome and schedules what comes next.
 */
export async function attemptDelivery(env: Env, deliveryId: string, expectedAttempts: number, options: AttemptOptions = {}): Promise<AttemptResult> {
  const now = options.now ?? Date.now();
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const db = database(env.DB);
  const [found] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  if (!found) return { kind: "skipped", reason: "not_found" };
  const { delivery, endpoint, event } = found;
  if (delivery.attempts !== expectedAttempts || (delivery.status !== "pending" && delivery.status !== "sending")) {
    return { kind: "skipped", reason: "stale" };
  }
  const due = delivery.nextAttemptAt === null || delivery.nextAttemptAt <= now + EARLY_TOLERANCE_MS;
  if (!due) {
    if (delivery.status === "sending") return { kind: "skipped", reason: "in_flight" };
    await rescheduleEarly(env, delivery, now);
    return { kind: "skipped", reason: "not_due" };
  }
  if (!endpoint.enabled && !options.evenIfDisabled) {
    const givenUp = deliveryOutcomeWrite(db, delivery.id, expectedAttempts, ["pending", "sending"], "failed", now);
    const [counted] = await db.batch([
      givenUp,
      db
        .update(webhookDeliveries)
        .set({ status: "failed", nextAttemptAt: null, enqueuedAt: null, lastError: disabledError(endpoint), updatedAt: now })
        .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, expectedAttempts))),
    ]);
    if (counted.meta.changes > 0) recordAnalytics(env, "webhook_outcome", "failed");
    return { kind: "skipped", reason: "endpoint_disabled" };
  }

  // Everything that can fail for reasons of our own happens before the claim, so such
  // failures retry the message without spending one of the receiver's attempts.
  const body = JSON.stringify(renderEnvelope(event, event.locale));
  const headers = await signedHeaders(await signingSecrets(env, endpoint, now), event.id, Math.floor(now / 1000), body);

  const claimed = await db
    .update(webhookDeliveries)
    .set({ status: "sending", attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: now + CLAIM_MS, enqueuedAt: null, updatedAt: now })
    .where(
      and(
        eq(webhookDeliveries.id, delivery.id),
        eq(webhookDeliveries.attempts, expectedAttempts),
        inArray(webhookDeliveries.status, ["pending", "sending"]),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now + EARLY_TOLERANCE_MS)),
      ),
    )
    .returning({ attempts: webhookDeliveries.attempts });
  if (claimed.length === 0) return { kind: "skipped", reason: "stale" };
  const attempt = expectedAttempts + 1;

  const outcome = await post(env, endpoint.url, headers, body, now, timeoutMs);
  const verdict = outcome.statusCode === null ? "retry" : verdictFor(outcome.statusCode);
  let status: "pending" | "succeeded" | "failed" = verdict === "succeeded" ? "succeeded" : "failed";
  let delaySeconds: number | null = null;
  if (verdict === "retry" && delivery.autoRetry) {
    delaySeconds = retryDelaySeconds(attempt, options.random, outcome.retryAfter);
    if (delaySeconds !== null) status = "pending";
  }
  const nextAt = delaySeconds === null ? null : now + delaySeconds * 1000;
  const viaQueue = delaySeconds !== null && delaySeconds <= MAX_QUEUE_DELAY_SECONDS;

  const record = {
    id: newId("att", now),
    deliveryId: delivery.id,
    attempt,
    startedAt: now,
    statusCode: outcome.statusCode,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
    responseExcerpt: outcome.excerpt,
    succeeded: verdict === "succeeded",
    nextRetryAt: nextAt,
  };
  // The KPIs of this attempt, written with it and only by the invocation that claimed it.
  const finalStatus = status === "pending" ? null : status;
  const kpis = [
    ...(attempt === 1 ? [deliveryKpiWrite(db, delivery.id, attempt, ["sending"], "webhook_first_attempt", record.succeeded ? "succeeded" : "failed", now)] : []),
    ...(finalStatus ? [deliveryOutcomeWrite(db, delivery.id, attempt, ["sending"], finalStatus, now)] : []),
  ];
  const writes = [
    db.insert(webhookAttempts).values(record).onConflictDoNothing(),
    ...kpis,
    db
      .update(webhookDeliveries)
      .set({
        status,
        nextAttemptAt: nextAt,
        enqueuedAt: viaQueue ? now : null,
        lastAttemptAt: now,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        updatedAt: now,
      })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, attempt), eq(webhookDeliveries.status, "sending"))),
    ...endpointHealthWrites(db, endpoint, verdict, outcome, now),
  ] as const;
  const results = await db.batch(writes);
  if (!record.succeeded) {
    // The receiver's failure is recorded for its owner; the operator sees it here, by event (webhook-id) and delivery.
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "webhook attempt failed",
        account_id: delivery.accountId,
        endpoint_id: endpoint.id,
        delivery_id: delivery.id,
        event_id: event.id,
        attempt,
        status_code: outcome.statusCode,
        // Not the error text: a redirect's Location (like the endpoint's URL) may carry a receiver's token.
        reason: failureReason(outcome),
        next_attempt_at: nextAt === null ? null : iso(nextAt),
      }),
    );
  }
  if (kpis.length > 0 && (results[1] as D1Result).meta.changes > 0) {
    if (attempt === 1) recordAnalytics(env, "webhook_first_attempt", record.succeeded ? "succeeded" : "failed");
    if (finalStatus) recordAnalytics(env, "webhook_outcome", finalStatus);
  }
  if (viaQueue) await enqueueOrLeaveToSweep(env, [{ id: delivery.id, attempts: attempt, delaySeconds: delaySeconds! }]);
  return { kind: "attempted", status, attempt: attemptView(record) };
}

function failureReason(outcome: PostOutcome): "http_status" | "timeout" | "url_refused" | "network" {
  if (outcome.statusCode !== null) return "http_status";
  if (outcome.error?.startsWith("timed out")) return "timeout";
  if (outcome.error?.startsWith("URL refused")) return "url_refused";
  return "network";
}

interface PostOutcome {
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  retryAfter: number | null;
  latencyMs: number;
}

async function post(env: Env, rawUrl: string, headers: Record<string, string>, body: string, now: number, timeoutMs: number): Promise<PostOutcome> {
  const started = Date.now();
  const done = (o: Omit<PostOutcome, "latencyMs">): PostOutcome => ({ ...o, latencyMs: Date.now() - started });
  // Re-checked on every attempt: the rules may have tightened since the endpoint was saved.
  const check = checkWebhookUrl(rawUrl, { allowLoopback: loopbackAllowed(env) });
  if (!check.ok) return done({ statusCode: null, error: `URL refused: it ${URL_REFUSALS[check.reason].en}`, excerpt: null, retryAfter: null });
  try {
    const response = await fetch(check.url.href, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(response);
    const status = response.status;
    let error: string | null = null;
    if (status >= 300 && status < 400) error = `HTTP ${status}: redirect to ${response.headers.get("location") ?? "(no Location)"} not followed`;
    else if (status < 200 || status >= 300) error = `HTTP ${status}`;
    return done({ statusCode: status, error, excerpt, retryAfter: parseRetryAfter(response.headers.get("retry-after"), now) });
  } catch (error) {
    const name = (error as Error)?.name;
    const message = name === "TimeoutError" || name === "AbortError" ? `timed out after ${timeoutMs / 1000} s` : `network error: ${(error as Error)?.message ?? String(error)}`;
    return done({ statusCode: null, error: message, excerpt: null, retryAfter: null });
  }
}

/** Reads at most RESPONSE_EXCERPT_BYTES of the body, then lets the rest go. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const buffer = new Uint8Array(RESPONSE_EXCERPT_BYTES);
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, RESPONSE_EXCERPT_BYTES - size);
      buffer.set(value.subarray(0, take), size);
      size += take;
    }
  } catch {
    // A body that breaks off mid-way still leaves what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  if (size === 0) return null;
  // Drop a trailing partial UTF-8 sequence rather than keeping a replacement character.
  return new TextDecoder().decode(buffer.subarray(0, size), { stream: true });
}

function endpointHealthWrites(db: Db, endpoint: EndpointRow, verdict: "succeeded" | "gone" | "retry", outcome: PostOutcome, now: number) {
  if (verdict === "succeeded") {
    return endpoint.failingSince === null
      ? []
      : [db.update(webhookEndpoints).set({ failingSince: null, updatedAt: now }).where(eq(webhookEndpoints.id, endpoint.id))];
  }
  if (verdict === "gone") {
    return disableWrites(db, endpoint.id, "gone", `The endpoint answered 410 Gone on ${iso(now)}; Vitrine stopped sending to it.`, now);
  }
  const failingSince = endpoint.failingSince ?? now;
  if (endpoint.enabled && now - failingSince >= DISABLE_AFTER_FAILING_MS) {
    const detail = `Every delivery attempt since ${iso(failingSince)} failed (last: ${outcome.error}); disabled on ${iso(now)}.`;
    return disableWrites(db, endpoint.id, "failing", detail, now);
  }
  return endpoint.failingSince === null
    ? [db.update(webhookEndpoints).set({ failingSince: now, updatedAt: now }).where(eq(webhookEndpoints.id, endpoint.id))]
    : [];
}

/** Disables an endpoint and fails its pending deliveries (they can be retried once it is enabled again). */
export function disableWrites(db: Db, endpointId: string, reason: "gone" | "failing" | "manual", detail: string, now: number) {
  return [
    db
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, disabledDetail: detail, disabledAt: now, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId)),
    db
      .update(webhookDeliveries)
      .set({ status: "failed", nextAttemptAt: null, enqueuedAt: null, lastError: `endpoint disabled (${reason})`, updatedAt: now })
      .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending"))),
  ] as const;
}

function disabledError(endpoint: EndpointRow) {
  return `endpoint disabled (${endpoint.disabledReason ?? "manual"})`;
}

async function rescheduleEarly(env: Env, delivery: typeof webhookDeliveries.$inferSelect, now: number) {
  const waitSeconds = Math.ceil((delivery.nextAttemptAt! - now) / 1000);
  if (waitSeconds > MAX_QUEUE_DELAY_SECONDS) {
    await database(env.DB).update(webhookDeliveries).set({ enqueuedAt: null }).where(eq(webhookDeliveries.id, delivery.id));
    return;
  }
  await enqueueOrLeaveToSweep(env, [{ id: delivery.id, attempts: delivery.attempts, delaySeconds: waitSeconds }]);
}

/** Handles one queue message; true when it was a webhook delivery message. */
export async function processDeliveryMessage(env: Env, body: unknown, options: AttemptOptions = {}): Promise<boolean> {
  if (!isDeliveryMessage(body)) return false;
  await attemptDelivery(env, body.delivery_id, body.attempts, options);
  return true;
}

/**
 * The cron sweep: enqueues attempts that are due but have no queue message —
 * retries further out than a queue delay can reach, messages lost or stuck, and
 * attempts whose worker died mid-flight. Returns how many it enqueued.
 */
export async function sweepDueDeliveries(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const due = await db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.status, ["pending", "sending"]),
        lte(webhookDeliveries.nextAttemptAt, now),
        or(
          isNull(webhookDeliveries.enqueuedAt),
          and(lte(webhookDeliveries.nextAttemptAt, now - SWEEP_GRACE_MS), lte(webhookDeliveries.enqueuedAt, now - SWEEP_GRACE_MS)),
        ),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(SWEEP_LIMIT);
  if (due.length === 0) return 0;
  await sendDeliveryMessages(env, due);
  for (const ids of chunks(due.map((d) => d.id), 90)) {
    await db.update(webhookDeliveries).set({ enqueuedAt: now }).where(inArray(webhookDeliveries.id, ids));
  }
  return due.length;
}

const attemptInFlight = () =>
  new VitrineError(
    "conflict",
    text(
      "An attempt of this delivery is in progress right now. Look at its attempts in a moment.",
      "Uma tentativa desta entrega está em andamento agora. Veja as tentativas daqui a pouco.",
    ),
  );

/**
 * Queues an attempt now, with the same webhook-id. A pending delivery keeps its retry schedule;
 * a failed or succeeded one gets exactly one more attempt.
 */
export async function retryDelivery(env: Env, accountId: string, endpointId: string, deliveryId: string, now = Date.now()): Promise<DeliveryView> {
  const db = database(env.DB);
  const [found] = await db
    .select({ delivery: webhookDeliveries, enabled: webhookEndpoints.enabled })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.accountId, accountId)))
    .limit(1);
  if (!found) throw notFound(text("Webhook delivery", "A entrega de webhook"), deliveryId);
  const { delivery } = found;
  if (!found.enabled) {
    throw new VitrineError(
      "conflict",
      text(
        "The endpoint is disabled; enable it (PATCH enabled: true) before retrying its deliveries.",
        "O endpoint está desativado; ative-o (PATCH enabled: true) antes de reenviar suas entregas.",
      ),
    );
  }
  if (delivery.status === "sending" && (delivery.nextAttemptAt ?? 0) > now) throw attemptInFlight();
  const updated = await db
    .update(webhookDeliveries)
    .set({
      status: "pending",
      nextAttemptAt: now,
      enqueuedAt: now,
      autoRetry: delivery.status === "pending" ? delivery.autoRetry : false,
      updatedAt: now,
    })
    .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts), eq(webhookDeliveries.status, delivery.status)))
    .returning();
  if (updated.length === 0) throw attemptInFlight();
  await enqueueOrLeaveToSweep(env, [{ id: delivery.id, attempts: delivery.attempts }]);
  const [view] = await deliveryViews(env, [updated[0]]);
  return view;
}

/**
 * For the dead-letter consumer: a delivery message that exhausted its queue retries
 * (our side kept failing, e.g. the key could not open the secret) is marked failed so
 * the account sees it and can retry it. Returns false for messages that are not ours.
 */
export async function recordDeadLetter(env: Env, body: unknown): Promise<boolean> {
  if (!isDeliveryMessage(body)) return false;
  const now = Date.now();
  const db = database(env.DB);
  const givenUp = deliveryOutcomeWrite(db, body.delivery_id, body.attempts, ["pending", "sending"], "failed", now);
  const update = db
    .update(webhookDeliveries)
    .set({
      status: "failed",
      nextAttemptAt: null,
      enqueuedAt: null,
      lastError: "delivery could not be processed on Vitrine's side after repeated tries (dead-lettered); retry it once resolved",
      updatedAt: now,
    })
    .where(
      and(
        eq(webhookDeliveries.id, body.delivery_id),
        eq(webhookDeliveries.attempts, body.attempts),
        inArray(webhookDeliveries.status, ["pending", "sending"]),
      ),
    );
  const [counted] = await db.batch([givenUp, update]);
  if (counted.meta.changes > 0) recordAnalytics(env, "webhook_outcome", "failed");
  return true;
}

/**
 * A KPI rollup of a delivery, counted only while the delivery is still in the state the write
 * after it changes (same batch), so each attempt and each final outcome is counted once.
 */
function deliveryKpiWrite(
  db: Db,
  deliveryId: string,
  attempts: number,
  statuses: ("pending" | "sending")[],
  metric: "webhook_first_attempt" | "webhook_outcome",
  dimension: "succeeded" | "failed",
  now: number,
) {
  const stillThere = sql`EXISTS (SELECT 1 FROM ${webhookDeliveries} WHERE ${webhookDeliveries.id} = ${deliveryId} AND ${webhookDeliveries.attempts} = ${attempts} AND ${inArray(webhookDeliveries.status, statuses)})`;
  return rollupWrite(db, { hour: hourOf(now), metric, dimension, bucket: 0, count: 1 }, stillThere);
}

/** A delivery reaching its final status: delivered, or given up (retries exhausted, endpoint disabled, dead-lettered). */
function deliveryOutcomeWrite(db: Db, deliveryId: string, attempts: number, statuses: ("pending" | "sending")[], outcome: "succeeded" | "failed", now: number) {
  return deliveryKpiWrite(db, deliveryId, attempts, statuses, "webhook_outcome", outcome, now);
}

export interface DeliveryView {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: "pending" | "sending" | "succeeded" | "failed";
  attempt_count: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  attempts: AttemptRecord[];
}

function attemptView(row: typeof webhookAttempts.$inferSelect): AttemptRecord {
  return {
    attempt: row.attempt,
    started_at: iso(row.startedAt),
    status_code: row.statusCode,
    latency_ms: row.latencyMs,
    error: row.error,
    response_excerpt: row.responseExcerpt,
    succeeded: row.succeeded,
    next_retry_at: row.nextRetryAt === null ? null : iso(row.nextRetryAt),
  };
}

async function deliveryViews(env: Env, rows: (typeof webhookDeliveries.$inferSelect)[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const db = database(env.DB);
  const ids = rows.map((r) => r.id);
  const [attempts, types] = await Promise.all([
    db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(webhookAttempts.deliveryId, desc(webhookAttempts.attempt)),
    db
      .select({ id: events.id, type: events.type })
      .from(events)
      .where(inArray(events.id, [...new Set(rows.map((r) => r.eventId))])),
  ]);
  const typeOf = new Map(types.map((t) => [t.id, t.type]));
  return rows.map((row) => ({
    id: row.id,
    webhook_id: row.endpointId,
    event_id: row.eventId,
    event_type: typeOf.get(row.eventId) ?? "unknown",
    status: row.status,
    attempt_count: row.attempts,
    // While sending, next_attempt_at holds the claim's expiry: not a retry time.
    next_attempt_at: row.status === "pending" && row.nextAttemptAt !== null ? iso(row.nextAttemptAt) : null,
    last_attempt_at: row.lastAttemptAt === null ? null : iso(row.lastAttemptAt),
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    attempts: attempts.filter((a) => a.deliveryId === row.id).map(attemptView),
  }));
}

export async function listDeliveries(
  env: Env,
  accountId: string,
  endpointId: string,
  opts: PageQuery & { status?: DeliveryView["status"]; eventId?: string },
): Promise<Page<DeliveryView>> {
  const db = database(env.DB);
  const page = await paginate(
    webhookDeliveries.id,
    opts,
    (cursor, take) =>
      db
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.accountId, accountId),
            eq(webhookDeliveries.endpointId, endpointId),
            opts.status ? eq(webhookDeliveries.status, opts.status) : undefined,
            opts.eventId ? eq(webhookDeliveries.eventId, opts.eventId) : undefined,
            cursor,
          ),
        )
        .orderBy(desc(webhookDeliveries.id))
        .limit(take),
    (row) => row,
  );
  return { data: await deliveryViews(env, page.data), has_more: page.has_more };
}

function iso(ms: number) {
  return new Date(ms).toISOString();
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
