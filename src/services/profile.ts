import { eq } from "drizzle-orm";
import { validateTaxId } from "../core/br-documents";
import { type FieldProblem, VitrineError } from "../core/errors";
import { MARKETPLACES, type Marketplace } from "../core/marketplaces";
import { type Locale, text } from "../core/text";
import { database } from "../db/client";
import { accounts } from "../db/schema";
import type { Env } from "../env";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords";
import { revokeAllSessions } from "./sessions";

const fieldsNeedAttention = (errors: FieldProblem[]) =>
  new VitrineError("invalid_request", text("Some fields need attention.", "Alguns campos precisam de atenção."), { errors });

export interface ProfileChange {
  name: string;
  companyName: string;
  /** Empty clears it. */
  taxId: string;
  locale: Locale;
}

/** Updates what the account shows about its owner. */
export async function updateProfile(env: Env, accountId: string, change: ProfileChange): Promise<void> {
  const errors: FieldProblem[] = [];
  const name = change.name.trim();
  if (name.length < 1 || name.length > 100) {
    errors.push({ pointer: "name", detail: text("Enter your name (up to 100 characters).", "Informe seu nome (até 100 caracteres).") });
  }
  if (change.companyName.trim().length > 150) {
    errors.push({ pointer: "company_name", detail: text("Use at most 150 characters.", "Use no máximo 150 caracteres.") });
  }
  const taxId = change.taxId.trim() ? validateTaxId(change.taxId) : null;
  if (taxId && !taxId.ok) errors.push({ pointer: "tax_id", detail: taxId.reason });
  if (errors.length > 0) throw fieldsNeedAttention(errors);
  await database(env.DB)
    .update(accounts)
    .set({
      name,
      companyName: change.companyName.trim() || null,
      taxId: taxId?.ok ? taxId.normalized : null,
      taxIdKind: taxId?.ok ? taxId.kind : null,
      locale: change.locale,
    })
    .where(eq(accounts.id, accountId));
}

export async function setLocale(env: Env, accountId: string, locale: Locale): Promise<void> {
  await database(env.DB).update(accounts).set({ locale }).where(eq(accounts.id, accountId));
}

/**
 * Changes the password of a signed-in person who knows the current one, and ends every other
 * session (whoever else was signed in must sign in again). Returns how many were ended.
 */
export async function changePassword(env: Env, accountId: string, current: string, next: string, keepSessionId: string): Promise<number> {
  const db = database(env.DB);
  const [account] = await db.select({ email: accounts.email, passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!account?.passwordHash || !(await verifyPassword(current, account.passwordHash)).ok) {
    throw fieldsNeedAttention([{ pointer: "current_password", detail: text("This is not your current password.", "Esta não é a sua senha atual.") }]);
  }
  const weak = passwordProblem(next, account.email);
  if (weak) throw fieldsNeedAttention([{ pointer: "new_password", detail: weak }]);
  await db.update(accounts).set({ passwordHash: await hashPassword(next) }).where(eq(accounts.id, accountId));
  return revokeAllSessions(env, accountId, { except: keepSessionId });
}

const CATEGORY = /^[A-Za-z0-9_.-]{1,40}$/;

/** Onboarding step 2: where the catalog is going. Part of the account, so pages can default to it. */
export async function chooseMarketplace(env: Env, accountId: string, marketplace: string, category: string): Promise<void> {
  const errors: FieldProblem[] = [];
  if (!MARKETPLACES.includes(marketplace as Marketplace)) {
    errors.push({ pointer: "marketplace", detail: text("Choose a marketplace from the list.", "Escolha um marketplace da lista.") });
  }
  const trimmed = category.trim();
  if (trimmed && !CATEGORY.test(trimmed)) {
    errors.push({ pointer: "category", detail: text("Use the category's id, such as MLB1055.", "Use o código da categoria, como MLB1055.") });
  }
  if (errors.length > 0) throw fieldsNeedAttention(errors);
  await database(env.DB)
    .update(accounts)
    .set({ marketplace, category: trimmed ? trimmed.toUpperCase() : null })
    .where(eq(accounts.id, accountId));
}
