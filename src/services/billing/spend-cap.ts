import { eq } from "drizzle-orm";
import { database } from "../../db/client";
import { subscriptions } from "../../db/schema";
import type { Env } from "../../env";
import { ensureCustomer } from "./customers";
import { requireStripe } from "./stripe-client";

export interface SpendCap {
  /** Most overage may cost per period, in cents (the subscription's currency); null: no cap. */
  spend_cap_cents: number | null;
  /** The subscription's currency, once there is one. */
  currency: string | null;
}

/** The account's spend cap; null without billing or before one is set. */
export async function getSpendCap(env: Env, accountId: string): Promise<SpendCap> {
  const [row] = await database(env.DB)
    .select({ cap: subscriptions.spendCapCents, currency: subscriptions.currency })
    .from(subscriptions)
    .where(eq(subscriptions.accountId, accountId))
    .limit(1);
  return { spend_cap_cents: row?.cap ?? null, currency: row?.currency ?? null };
}

/**
 * Sets (or, with null, removes) the monthly cap on overage. It binds from the next validation:
 * quotas stop paid work where the cap runs out, and the meter never reports overage beyond it.
 */
export async function setSpendCap(env: Env, accountId: string, cents: number | null): Promise<SpendCap> {
  const settings = requireStripe(env);
  await ensureCustomer(env, settings, accountId);
  await database(env.DB).update(subscriptions).set({ spendCapCents: cents, updatedAt: Date.now() }).where(eq(subscriptions.accountId, accountId));
  return getSpendCap(env, accountId);
}
