import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { StripeConfig } from "../../config";
import { database } from "../../db/client";
import { accounts, subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { stripeClient, stripeConfig, stripeFailure } from "./stripe-client";

/**
 * The account's Stripe customer, created once (with the account id in its metadata). Two
 * concurrent first calls send the same idempotency key, so Stripe answers both with one customer.
 */
export async function ensureCustomer(env: Env, settings: StripeConfig, accountId: string): Promise<string> {
  const db = database(env.DB);
  const [existing] = await db.select({ id: subscriptions.stripeCustomerId }).from(subscriptions).where(eq(subscriptions.accountId, accountId)).limit(1);
  if (existing) return existing.id;
  const [account] = await db.select({ email: accounts.email, name: accounts.name, locale: accounts.locale }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!account) throw new Error(`ensureCustomer: no account ${accountId}`);
  let customer: Stripe.Customer;
  try {
    customer = await stripeClient(settings).customers.create(
      {
        email: account.email,
        name: account.name,
        metadata: { account_id: accountId },
        preferred_locales: account.locale === "pt-BR" ? ["pt-BR", "en"] : ["en"],
      },
      { idempotencyKey: `vitrine-customer-${accountId}` },
    );
  } catch (error) {
    throw stripeFailure(error);
  }
  const now = Date.now();
  await db
    .insert(subscriptions)
    .values({ accountId, stripeCustomerId: customer.id, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: subscriptions.accountId });
  const [row] = await db.select({ id: subscriptions.stripeCustomerId }).from(subscriptions).where(eq(subscriptions.accountId, accountId)).limit(1);
  return row.id;
}

/**
 * When an account is deleted its Stripe customer goes too: Stripe then cancels any subscription at
 * once (nothing is billed for an account that no longer exists) and forgets the person's data.
 * False when Stripe could not be reached: the deletion keeps the rows and tries again later.
 */
export async function deleteStripeCustomer(env: Env, accountId: string): Promise<boolean> {
  const settings = stripeConfig(env);
  const [row] = await database(env.DB).select({ customer: subscriptions.stripeCustomerId }).from(subscriptions).where(eq(subscriptions.accountId, accountId)).limit(1);
  if (!row || !settings) return true;
  try {
    await stripeClient(settings).customers.del(row.customer, {}, { idempotencyKey: `vitrine-delete-customer-${accountId}` });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "resource_missing") return true;
    console.error(JSON.stringify({ level: "error", msg: "account deletion: Stripe customer not deleted", account_id: accountId, error: String(error) }));
    return false;
  }
}
