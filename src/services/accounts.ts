import { eq } from "drizzle-orm";
import { VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { text } from "../core/text";
import { database } from "../db/client";
import { accounts, apiKeys } from "../db/schema";
import type { Env } from "../env";
import { keyView, mintApiKey } from "./api-keys";

export interface AccountView {
  id: string;
  name: string;
  email: string;
  plan: string;
  created_at: string;
}

function accountView(row: typeof accounts.$inferSelect): AccountView {
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
