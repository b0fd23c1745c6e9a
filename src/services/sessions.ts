import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import { RANDOM_TOKEN, randomToken } from "../core/crypto/random-token";
import { sha256Hex } from "../core/hash";
import { newId } from "../core/ids";
import { database } from "../db/client";
import { accounts, sessions } from "../db/schema";
import type { Env } from "../env";

/** A session ends 30 days after sign-in, or after 7 days without use, whichever comes first. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600_000;
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
/** last_seen_at is written at most this often, so browsing does not write on every page. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionView {
  id: string;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
}

export type AccountRow = typeof accounts.$inferSelect;

export interface ActiveSession {
  sessionId: string;
  account: AccountRow;
}

/** Opens a session; the caller puts `token` in the cookie and never stores it. */
export async function createSession(env: Env, accountId: string, userAgent: string | undefined, now = Date.now()) {
  const token = randomToken();
  const row = {
    id: newId("ses", now),
    accountId,
    tokenHash: await sha256Hex(token),
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_LIFETIME_MS,
    revokedAt: null,
  };
  await database(env.DB).insert(sessions).values(row);
  return { token, sessionId: row.id };
}

/** The live session a cookie token opens, with its account; null when unknown, revoked, expired or idle too long. */
export async function sessionFromToken(
  env: Env,
  token: string,
  ctx?: { waitUntil(promise: Promise<unknown>): void },
  now = Date.now(),
): Promise<ActiveSession | null> {
  if (!RANDOM_TOKEN.test(token)) return null;
  const db = database(env.DB);
  const [found] = await db
    .select({ session: sessions, account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!found || now - found.session.lastSeenAt > SESSION_IDLE_MS) return null;
  if (now - found.session.lastSeenAt > LAST_SEEN_RESOLUTION_MS) {
    const touch = db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, found.session.id));
    if (ctx) ctx.waitUntil(touch.then(() => undefined));
    else await touch;
  }
  return { sessionId: found.session.id, account: found.account };
}

/** The account's live sessions, newest first. */
export async function listSessions(env: Env, accountId: string, now = Date.now()): Promise<SessionView[]> {
  const rows = await database(env.DB)
    .select()
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, now - SESSION_IDLE_MS)))
    .orderBy(desc(sessions.id))
    .limit(100);
  return rows.map((r) => ({ id: r.id, userAgent: r.userAgent, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt }));
}

/** Ends one session of the account; false when the account has no such live session. */
export async function revokeSession(env: Env, accountId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  const revoked = await database(env.DB)
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Ends every session of the account (but `except`, when given); returns how many were live. */
export async function revokeAllSessions(env: Env, accountId: string, options: { except?: string } = {}, now = Date.now()): Promise<number> {
  const live = and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));
  const revoked = await database(env.DB)
    .update(sessions)
    .set({ revokedAt: now })
    .where(options.except ? and(live, ne(sessions.id, options.except)) : live)
    .returning({ id: sessions.id });
  return revoked.length;
}
