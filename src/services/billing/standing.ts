import { eq } from "drizzle-orm";
import { database } from "../../db/client";
import { subscriptions } from "../../db/schema";
import type { Env } from "../../env";

/** What of the account's Stripe subscription the plan state leaves out, for the account's own eyes. */
export interface SubscriptionStanding {
  /** A subscription is live (active or past due): plan changes go through the portal, not a new Checkout. */
  subscribed: boolean;
  /** The subscription ends (back to Free) when its period does. */
  cancel_at_period_end: boolean;
}

export async function subscriptionStanding(env: Env, accountId: string): Promise<SubscriptionStanding> {
  const [row] = await database(env.DB)
    .select({ plan: subscriptions.plan, status: subscriptions.status, cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd })
    .from(subscriptions)
    .where(eq(subscriptions.accountId, accountId))
    .limit(1);
  return {
    subscribed: !!row?.plan && (row.status === "active" || row.status === "past_due"),
    cancel_at_period_end: row?.cancelAtPeriodEnd ?? false,
  };
}
