import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { VitrineError } from "../core/errors";
import { newId, randomBase62 } from "../core/ids";
import { text } from "../core/text";
import { sha256Hex } from "../core/hash";
import { database } from "../db/client";
import { accounts, apiKeys, subscriptions } from "../db/schema";
import { SUBSCRIPTION_TERMS, type SubscriptionTerms } from "./billing/plan-state";
import { config } from "../config";
import type { Env } from "../env";
import type { Plan } from "../core/plans";
import { type Page, type PageQuery, paginate } from "../db/paginate";
import { insertWithinLimit } from "../db/limits";

/** 32 base62 characters ≈ 190 bits of randomness. */
const SECRET_LENGTH = 32;
const VISIBLE_SECRET_CHARS = 4;
/** last_used_at is refreshed at most this often, so hot keys don't write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthenticatedKey {
  keyId: string;
  accountId: string;
  plan: Plan;
  /** The account's Stripe subscription, read with the key so the quota check needs no query of its own. */
  subscription: SubscriptionTerms | null;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function keyView(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: new Date(row.createdAt).toISOString(),
    last_used_at: row.lastUsedAt ? new Date(row.lastUsedAt).toISOString() : null,
    revoked_at: row.revokedAt ? new Date(row.revokedAt).toISOString() : null,
  };
}

/** Mints a key; the caller must show `key` once and never again. */
export async function mintApiKey(env: Env, accountId: string, name: string, now = Date.now()) {
  const mode = config(env).production ? "live" : "test";
  const key = `vt_${mode}_${randomBase62(SECRET_LENGTH)}`;
  const row = {
    id: newId("key", now),
    accountId,
    name,
    prefix: key.slice(0, `vt_${mode}_`.length + VISIBLE_SECRET_CHARS),
    hash: await sha256Hex(key),
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { key, row };
}

/**
 * Live (unrevoked) keys per account. Each key carries its own request budget, so unlimited keys
 * would mean an unlimited rate; revoked keys do not count.
 */
export const MAX_LIVE_KEYS_PER_ACCOUNT = 20;

export async function createApiKey(env: Env, accountId: string, name: string) {
  const { key, row } = await mintApiKey(env, accountId, name);
  const live = and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt))!;
  if (!(await insertWithinLimit(database(env.DB), apiKeys, row, live, MAX_LIVE_KEYS_PER_ACCOUNT))) {
    throw new VitrineError(
      "conflict",
      text(
        `This account already has ${MAX_LIVE_KEYS_PER_ACCOUNT} live API keys; revoke one first.`,
        `Esta conta já tem ${MAX_LIVE_KEYS_PER_ACCOUNT} chaves de API ativas; revogue uma antes.`,
      ),
      { limit: MAX_LIVE_KEYS_PER_ACCOUNT },
    );
  }
  return { ...keyView(row), key };
}

export async function authenticate(env: Env, presented: string, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<AuthenticatedKey | null> {
  if (!/^vt_(live|test)_[0-9A-Za-z]{32}$/.test(presented)) return null;
  const hash = await sha256Hex(presented);
  const db = database(env.DB);
  const [found] = await db
    .select({ keyId: apiKeys.id, accountId: apiKeys.accountId, plan: accounts.plan, lastUsedAt: apiKeys.lastUsedAt, subscription: SUBSCRIPTION_TERMS })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
    .leftJoin(subscriptions, eq(subscriptions.accountId, apiKeys.accountId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!found) return null;
  const now = Date.now();
  if (!found.lastUsedAt || now - found.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    const touch = db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, found.keyId));
    if (ctx) ctx.waitUntil(touch.then(() => undefined));
    else await touch;
  }
  return { keyId: found.keyId, accountId: found.accountId, plan: found.plan, subscription: found.subscription?.status ? found.subscription : null };
}

export async function listApiKeys(env: Env, accountId: string, page: PageQuery): Promise<Page<ApiKeyView>> {
  const db = database(env.DB);
  return paginate(
    apiKeys.id,
    page,
    (cursor, take) => db.select().from(apiKeys).where(and(eq(apiKeys.accountId, accountId), cursor)).orderBy(desc(apiKeys.id)).limit(take),
    keyView,
  );
}

/** Revokes a key of the account; returns null when the account has no such key. Idempotent. */
export async function revokeApiKey(env: Env, accountId: string, keyId: string): Promise<ApiKeyView | null> {
  const db = database(env.DB);
  const where = and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId));
  const [row] = await db.select().from(apiKeys).where(where).limit(1);
  if (!row) return null;
  if (row.revokedAt) return keyView(row);
  const [updated] = await db.update(apiKeys).set({ revokedAt: Date.now() }).where(where).returning();
  return keyView(updated);
}

/** Revokes every live key of the account (its owner just proved the email address); returns how many. */
export async function revokeAllApiKeys(env: Env, accountId: string, now = Date.now()): Promise<number> {
  const revoked = await database(env.DB)
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length;
}
