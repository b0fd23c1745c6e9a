import { and, eq, gt, isNull } from "drizzle-orm";
import { config } from "../config";
import { RANDOM_TOKEN, randomToken } from "../core/crypto/random-token";
import { VitrineError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { newId } from "../core/ids";
import { type Locale, render, text } from "../core/text";
import { database } from "../db/client";
import { accounts, emailTokens } from "../db/schema";
import type { Env } from "../env";
import { revokeAllApiKeys } from "./api-keys";
import { mailSender } from "./mail";
import { hashPassword, passwordProblem } from "./passwords";
import { consume } from "./rate-limits";
import { revokeAllSessions } from "./sessions";

export type LinkPurpose = "set_password" | "reset_password";

/** A first password can wait a day; a reset link is a live key to the account, so it lasts an hour. */
export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = { set_password: 24 * 3600_000, reset_password: 3600_000 };
/** Emails per address per hour, so the form cannot be used to flood someone's mailbox. */
export const LINK_EMAILS_PER_HOUR = 5;
/** Requests per client address per hour. */
export const LINK_REQUESTS_PER_ADDRESS_PER_HOUR = 30;

export const LINK_PATH = "/password/new";

/**
 * Emails a one-time link to the account with this address, if there is one: "set a password" for
 * an account that has none (created through the API), "reset your password" otherwise. The answer
 * is the same whether the account exists or not; in development it carries the link itself, so the
 * page can show it.
 */
export async function requestPasswordLink(
  env: Env,
  input: { email: string; clientAddress: string; requestOrigin: string },
): Promise<{ devLink?: string }> {
  const email = input.email.trim().toLowerCase();
  const [byAddress, byEmail] = await Promise.all([
    consume(env, `link-ip:${input.clientAddress}`, LINK_REQUESTS_PER_ADDRESS_PER_HOUR, 3600_000),
    consume(env, `link-email:${email}`, LINK_EMAILS_PER_HOUR, 3600_000),
  ]);
  if (!byAddress.allowed || !byEmail.allowed) {
    const minutes = Math.ceil(Math.max(byAddress.retryAfter, byEmail.retryAfter) / 60);
    throw new VitrineError(
      "rate_limited",
      text(`Too many links requested. Try again in ${minutes} min.`, `Links pedidos demais. Tente de novo em ${minutes} min.`),
      { retry_after: minutes * 60 },
    );
  }
  const db = database(env.DB);
  const [account] = await db.select().from(accounts).where(eq(accounts.email, email)).limit(1);
  if (!account) return {};

  const now = Date.now();
  const purpose: LinkPurpose = account.passwordHash ? "reset_password" : "set_password";
  const token = randomToken();
  // A new link replaces the ones sent before: only the latest email works.
  await db.batch([
    db.update(emailTokens).set({ usedAt: now }).where(and(eq(emailTokens.accountId, account.id), isNull(emailTokens.usedAt))),
    db.insert(emailTokens).values({
      id: newId("etk", now),
      accountId: account.id,
      tokenHash: await sha256Hex(token),
      purpose,
      createdAt: now,
      expiresAt: now + LINK_LIFETIME_MS[purpose],
    }),
  ]);
  const link = `${config(env).publicUrl ?? input.requestOrigin}${LINK_PATH}?token=${token}`;
  const locale: Locale = account.locale ?? "pt-BR";
  const message =
    purpose === "set_password"
      ? text(
          `Hello ${account.name},\n\nTo sign in to the Vitrine dashboard, choose a password within 24 hours:\n\n${link}\n\nChoosing it proves this address is yours: every API key and session the account had before stops working, and you can create new keys in the dashboard. If you did not ask for this, ignore this email.`,
          `Olá ${account.name},\n\nPara entrar no painel da Vitrine, escolha uma senha em até 24 horas:\n\n${link}\n\nEscolher a senha prova que este endereço é seu: todas as chaves de API e sessões que a conta tinha deixam de funcionar, e você pode criar chaves novas no painel. Se não foi você quem pediu, ignore este e-mail.`,
        )
      : text(
          `Hello ${account.name},\n\nTo choose a new password for the Vitrine dashboard, open this link within 1 hour:\n\n${link}\n\nIf you did not ask for this, ignore this email; your password stays the same.`,
          `Olá ${account.name},\n\nPara escolher uma nova senha do painel da Vitrine, abra este link em até 1 hora:\n\n${link}\n\nSe não foi você quem pediu, ignore este e-mail; sua senha continua a mesma.`,
        );
  const subject = purpose === "set_password" ? text("Choose your Vitrine password", "Escolha sua senha da Vitrine") : text("Reset your Vitrine password", "Redefina sua senha da Vitrine");
  await mailSender(env).send({ to: account.email, subject: render(subject, locale), text: render(message, locale) });
  return config(env).production ? {} : { devLink: link };
}

async function liveToken(env: Env, token: string, now: number) {
  if (!RANDOM_TOKEN.test(token)) return null;
  const [row] = await database(env.DB)
    .select({ purpose: emailTokens.purpose, accountId: emailTokens.accountId, email: accounts.email })
    .from(emailTokens)
    .innerJoin(accounts, eq(accounts.id, emailTokens.accountId))
    .where(and(eq(emailTokens.tokenHash, await sha256Hex(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

/** What an unused, unexpired link is for (without using it), or null. */
export async function peekPasswordLink(env: Env, token: string, now = Date.now()): Promise<{ purpose: LinkPurpose; email: string } | null> {
  const row = await liveToken(env, token, now);
  return row ? { purpose: row.purpose, email: row.email } : null;
}

export const linkUnusable = () =>
  new VitrineError(
    "invalid_request",
    text("This link has expired or was already used. Ask for a new one.", "Este link expirou ou já foi usado. Peça um novo."),
  );

export interface PasswordLinkOutcome {
  accountId: string;
  purpose: LinkPurpose;
  /** Set when this link was the first proof of the address: what the account lost. */
  tookOver: { apiKeys: number; sessions: number } | null;
}

/**
 * Uses a link once: sets the password and ends every session. When nobody had proven the address
 * before, whoever holds the mailbox takes the account over: every API key is revoked too, and the
 * owner is told so (on the page and by email).
 */
export async function completePasswordLink(env: Env, token: string, password: string, now = Date.now()): Promise<PasswordLinkOutcome> {
  const pending = await liveToken(env, token, now);
  if (!pending) throw linkUnusable();
  const weak = passwordProblem(password, pending.email);
  if (weak) throw new VitrineError("invalid_request", weak, { errors: [{ pointer: "password", detail: weak }] });

  const db = database(env.DB);
  // Claimed in one statement, so two submissions of one link cannot both succeed.
  const [claimed] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, await sha256Hex(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ accountId: emailTokens.accountId, purpose: emailTokens.purpose });
  if (!claimed) throw linkUnusable();

  const [account] = await db.select().from(accounts).where(eq(accounts.id, claimed.accountId)).limit(1);
  const firstProof = account.emailVerifiedAt === null;
  const apiKeys = firstProof ? await revokeAllApiKeys(env, account.id, now) : 0;
  const sessions = await revokeAllSessions(env, account.id, {}, now);
  await db
    .update(accounts)
    .set({ passwordHash: await hashPassword(password), emailVerifiedAt: account.emailVerifiedAt ?? now })
    .where(eq(accounts.id, account.id));

  if (firstProof && apiKeys + sessions > 0) {
    const locale: Locale = account.locale ?? "pt-BR";
    const notice = text(
      `Hello ${account.name},\n\nYou proved that ${account.email} is yours and chose a dashboard password. For your safety, the ${apiKeys} API key(s) and ${sessions} session(s) the account had before were revoked: anyone who signed up with your address has lost access. Create new API keys in the dashboard.`,
      `Olá ${account.name},\n\nVocê provou que ${account.email} é seu e escolheu uma senha do painel. Por segurança, as ${apiKeys} chave(s) de API e ${sessions} sessão(ões) que a conta tinha foram revogadas: quem se cadastrou com o seu endereço perdeu o acesso. Crie chaves de API novas no painel.`,
    );
    const subject = text("Your Vitrine account is secured", "Sua conta da Vitrine está protegida");
    await mailSender(env).send({ to: account.email, subject: render(subject, locale), text: render(notice, locale) });
  }
  return { accountId: account.id, purpose: claimed.purpose, tookOver: firstProof ? { apiKeys, sessions } : null };
}
