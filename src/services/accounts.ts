import { eq } from "drizzle-orm";
import { validateTaxId } from "../core/br-documents";
import { type FieldProblem, VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { type Locale, text } from "../core/text";
import { database } from "../db/client";
import { accounts, apiKeys } from "../db/schema";
import type { Env } from "../env";
import { keyView, mintApiKey } from "./api-keys";
import { hashPassword, passwordProblem } from "./passwords";

export interface AccountView {
  id: string;
  name: string;
  email: string;
  plan: string;
  created_at: string;
}

function accountView(row: Pick<typeof accounts.$inferSelect, "id" | "name" | "email" | "plan" | "createdAt">): AccountView {
  return { id: row.id, name: row.name, email: row.email, plan: row.plan, created_at: new Date(row.createdAt).toISOString() };
}

const emailTaken = () =>
  new VitrineError("conflict", text("An account with this email already exists.", "Já existe uma conta com este e-mail."));

/** Creates a Free account and its first key in one batch, so neither exists without the other. */
export async function signUp(env: Env, input: { email: string; name: string }) {
  const db = database(env.DB);
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).limit(1);
  if (existing) throw emailTaken();
  const now = Date.now();
  const account = { id: newId("acct", now), name: input.name.trim(), email, plan: "free" as const, createdAt: now };
  const { key, row } = await mintApiKey(env, account.id, "Default key", now);
  try {
    await db.batch([db.insert(accounts).values(account), db.insert(apiKeys).values(row)]);
  } catch (error) {
    // Two signups racing for one email: the unique index decides.
    if (String(error).includes("UNIQUE")) throw emailTaken();
    throw error;
  }
  return { account: accountView(account), api_key: { ...keyView(row), key } };
}

export async function getAccount(env: Env, accountId: string): Promise<AccountView | null> {
  const [row] = await database(env.DB).select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return row ? accountView(row) : null;
}

export interface BrowserSignUp {
  name: string;
  email: string;
  password: string;
  /** Optional: the company or seller name invoices carry. */
  companyName?: string;
  /** Optional: CNPJ (numeric or alphanumeric) or CPF, with or without punctuation. */
  taxId?: string;
  locale: Locale;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a sign-up form, field by field (`pointer` is the form field's name). */
export function browserSignUpProblems(input: BrowserSignUp): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) {
    problems.push({ pointer: "name", detail: text("Enter your name (up to 100 characters).", "Informe seu nome (até 100 caracteres).") });
  }
  const email = input.email.trim();
  if (email.length > 254 || !EMAIL.test(email)) {
    problems.push({ pointer: "email", detail: text("Enter an email address such as voce@loja.com.br.", "Informe um e-mail como voce@loja.com.br.") });
  }
  const weak = passwordProblem(input.password, email);
  if (weak) problems.push({ pointer: "password", detail: weak });
  if ((input.companyName?.trim().length ?? 0) > 150) {
    problems.push({ pointer: "company_name", detail: text("Use at most 150 characters.", "Use no máximo 150 caracteres.") });
  }
  if (input.taxId?.trim()) {
    const taxId = validateTaxId(input.taxId);
    if (!taxId.ok) problems.push({ pointer: "tax_id", detail: taxId.reason });
  }
  return problems;
}

/**
 * Creates a Free account that signs in to the dashboard with a password. No API key is minted:
 * the dashboard creates keys when the seller asks for one. The address is not proven yet; the
 * first emailed link that proves it hands the account to whoever holds the mailbox.
 */
export async function signUpWithPassword(env: Env, input: BrowserSignUp): Promise<AccountView> {
  const problems = browserSignUpProblems(input);
  if (problems.length > 0) {
    throw new VitrineError("invalid_request", text("Some fields need attention.", "Alguns campos precisam de atenção."), { errors: problems });
  }
  const db = database(env.DB);
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).limit(1);
  if (existing) throw emailTaken();
  const taxId = input.taxId?.trim() ? validateTaxId(input.taxId) : null;
  const now = Date.now();
  const account = {
    id: newId("acct", now),
    name: input.name.trim(),
    email,
    plan: "free" as const,
    createdAt: now,
    passwordHash: await hashPassword(input.password),
    locale: input.locale,
    companyName: input.companyName?.trim() || null,
    taxId: taxId?.ok ? taxId.normalized : null,
    taxIdKind: taxId?.ok ? taxId.kind : null,
  };
  try {
    await db.insert(accounts).values(account);
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw emailTaken();
    throw error;
  }
  return accountView(account);
}
