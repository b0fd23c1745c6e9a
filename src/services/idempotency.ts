import { and, eq, lt } from "drizzle-orm";
import { database } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import type { Env } from "../env";
import { openSecret, sealSecret } from "./encryption";

/** Keys are honoured for 24 hours, then forgotten. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Responses larger than this are not kept for replay; the key then says so instead of replaying. */
const MAX_STORED_BODY = 512 * 1024;

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: string; headers: Record<string, string> }
  | { kind: "mismatch" }
  | { kind: "in_flight" }
  /** The first request finished, but its response could not be kept for replay. */
  | { kind: "unavailable"; status: number; headers: Record<string, string> };

interface Scope {
  accountId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

/** Claims the key for this request, or tells how an earlier request with it went. */
export async function claim(env: Env, scope: Scope, now = Date.now()): Promise<Claim> {
  const db = database(env.DB);
  const where = and(eq(idempotencyKeys.accountId, scope.accountId), eq(idempotencyKeys.key, scope.key));
  await db.delete(idempotencyKeys).where(and(where, lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_TTL_MS)));
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...scope, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: "claimed" };
  const [existing] = await db.select().from(idempotencyKeys).where(where).limit(1);
  if (!existing) return claim(env, scope, now);
  if (existing.requestHash !== scope.requestHash || existing.method !== scope.method || existing.path !== scope.path) {
    return { kind: "mismatch" };
  }
  if (existing.responseStatus === null) return { kind: "in_flight" };
  if (existing.responseBody === null) {
    return { kind: "unavailable", status: existing.responseStatus, headers: existing.responseHeaders ?? {} };
  }
  return {
    kind: "replay",
    status: existing.responseStatus,
    body: await openSecret(env, existing.responseBody, sealContext(scope.accountId, scope.key)),
    headers: existing.responseHeaders ?? {},
  };
}

/** Replayed responses can hold secrets shown once (API keys, webhook secrets), so they are stored sealed. */
function sealContext(accountId: string, key: string) {
  return `idempotency:${accountId}:${key}`;
}

/** Keeps the response for replay; one too large to keep is recorded as finished but not replayable. */
export async function complete(env: Env, accountId: string, key: string, response: { status: number; body: string; headers: Record<string, string> }) {
  const sealed = response.body.length > MAX_STORED_BODY ? null : await sealSecret(env, response.body, sealContext(accountId, key));
  await database(env.DB)
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: sealed, responseHeaders: response.headers })
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
}

/** Frees the key after a failure nobody should have to replay (5xx, exceptions). */
export async function release(env: Env, accountId: string, key: string) {
  await database(env.DB)
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
}

export async function purgeExpired(env: Env, now = Date.now()) {
  await database(env.DB).delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_TTL_MS));
}
