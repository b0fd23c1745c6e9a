import { hourOf } from "../../core/billing/period";
import type { Env } from "../../env";

/** Validations a synchronous request was charged, so a request that fails after all can give them back. */
export interface Charge {
  accountId: string;
  hour: number;
  records: number;
}

/** Counts a request's validations before its work starts. */
export async function chargeValidations(env: Env, accountId: string, records: number, now = Date.now()): Promise<Charge> {
  const hour = hourOf(now);
  await env.DB.prepare(
    "INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, ?3) ON CONFLICT (account_id, hour) DO UPDATE SET records = records + excluded.records",
  )
    .bind(accountId, hour, records)
    .run();
  return { accountId, hour, records };
}

/** Gives back what a request was charged when its work failed (the same hour, so hourly reports stay exact). */
export async function refundValidations(env: Env, charge: Charge): Promise<void> {
  await env.DB.prepare("UPDATE usage_hours SET records = max(0, records - ?3) WHERE account_id = ?1 AND hour = ?2")
    .bind(charge.accountId, charge.hour, charge.records)
    .run();
}

/**
 * Runs a synchronous validation that was charged first: the records count when the work starts,
 * and are given back if it throws (a record the mapping cannot read answers 422, uncounted).
 */
export async function metered<T>(env: Env, accountId: string, prepared: { records: number; run(): T }): Promise<T> {
  const charge = await chargeValidations(env, accountId, prepared.records);
  try {
    return prepared.run();
  } catch (error) {
    await refundValidations(env, charge);
    throw error;
  }
}
