import { eq } from "drizzle-orm";
import { config } from "../config";
import { VitrineError } from "../core/errors";
import { text } from "../core/text";
import { database } from "../db/client";
import { accounts } from "../db/schema";
import type { Env } from "../env";
import { hashPassword, spendPasswordCheck, verifyPassword } from "./passwords";
import { consume } from "./rate-limits";
import { createSession } from "./sessions";

export const LOGIN_WINDOW_MS = 15 * 60_000;

export interface SignInAttempt {
  email: string;
  password: string;
  /** Who is asking, for the per-address limit ("local" when the address cannot be trusted). */
  clientAddress: string;
  userAgent?: string;
}

/** The one answer to a wrong address, a wrong password or an account without a password. */
export const wrongCredentials = () =>
  new VitrineError("unauthorized", text("Email or password wrong.", "E-mail ou senha incorretos."));

/**
 * Checks the limits per client address and per email first (every attempt counts, right or
 * wrong), then the password; an old hash is upgraded to today's parameters on the way in.
 * Returns a new session's token for the cookie.
 */
export async function signIn(env: Env, attempt: SignInAttempt): Promise<{ token: string; sessionId: string; accountId: string }> {
  const email = attempt.email.trim().toLowerCase();
  const limits = config(env);
  const [byAddress, byEmail] = await Promise.all([
    consume(env, `login-ip:${attempt.clientAddress}`, limits.loginAttemptsPerIp, LOGIN_WINDOW_MS),
    consume(env, `login-email:${email}`, limits.loginAttemptsPerEmail, LOGIN_WINDOW_MS),
  ]);
  const refused = [byAddress, byEmail].filter((d) => !d.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(...refused.map((d) => d.retryAfter));
    const minutes = Math.ceil(retryAfter / 60);
    throw new VitrineError(
      "rate_limited",
      text(`Too many sign-in attempts. Try again in ${minutes} min.`, `Tentativas de entrar demais. Tente de novo em ${minutes} min.`),
      { retry_after: retryAfter },
    );
  }
  const db = database(env.DB);
  const [account] = await db
    .select({ id: accounts.id, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(eq(accounts.email, email))
    .limit(1);
  if (!account?.passwordHash) {
    await spendPasswordCheck(attempt.password);
    throw wrongCredentials();
  }
  const check = await verifyPassword(attempt.password, account.passwordHash);
  if (!check.ok) throw wrongCredentials();
  if (check.needsRehash) {
    await db.update(accounts).set({ passwordHash: await hashPassword(attempt.password) }).where(eq(accounts.id, account.id));
  }
  const session = await createSession(env, account.id, attempt.userAgent);
  return { ...session, accountId: account.id };
}
