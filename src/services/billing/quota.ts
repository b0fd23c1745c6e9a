import { allowanceOf } from "../../core/billing/allowance";
import { formatInstant, hourOf, type Period } from "../../core/billing/period";
import { VitrineError } from "../../core/errors";
import { PLANS, type Plan } from "../../core/plans";
import { type Text, text } from "../../core/text";
import { config } from "../../config";
import type { Env } from "../../env";
import { accountPlan, type PlanSource, type PlanState, planOfCaller, planStateOf } from "./plan-state";
import { warnOnThresholds } from "./warnings";
import { HELD_SQL, periodHours, periodOf, periodUsage, USED_SQL } from "./usage";

/** An account's quota at one moment, as the Vitrine-Quota-* headers and the 402 body tell it. */
export interface QuotaState {
  plan: Plan;
  /** Billing is on: the quota stops work. Off, it is only shown. */
  enforced: boolean;
  /** Validations the plan includes in the period; null: unlimited. */
  included: number | null;
  /** Where work stops; null: never (paid plans go into overage, Enterprise is unlimited). */
  limit: number | null;
  used: number;
  /** Granted to running jobs, not yet done. */
  reserved: number;
  period: Period;
}

/** Validations a synchronous request was charged, so a request that fails after all can give them back. */
export interface Charge {
  accountId: string;
  hour: number;
  records: number;
}

function allowanceFor(env: Env, state: PlanState) {
  const prices = config(env).billing.overageCentsPer1000;
  const overage = state.plan === "pro" ? prices.pro : state.plan === "business" ? prices.business : 0;
  return allowanceOf(state.plan, state.spend_cap_cents === null ? null : { capCents: state.spend_cap_cents, overageCentsPer1000: overage });
}

/** What is left before work stops (or, without a stop, of the included allowance). */
export function remainingOf(q: QuotaState): number | null {
  const ceiling = q.limit ?? q.included;
  return ceiling === null ? null : Math.max(0, ceiling - q.used - q.reserved);
}

/** The account's quota now. */
export async function quotaState(env: Env, who: { accountId: string } | Payer, now = Date.now()): Promise<QuotaState> {
  const { accountId } = who;
  const state = await planOfCaller(env, who, now);
  const { included, limit } = allowanceFor(env, state);
  const { used, reserved } = await periodUsage(env, accountId, periodOf(state), now);
  return { plan: state.plan, enforced: config(env).billing.enabled, included, limit, used, reserved, period: periodOf(state) };
}

/**
 * Vitrine-Quota-Limit (validations the plan includes in the period), -Remaining (of those, after
 * what was used and what running jobs hold) and -Reset (seconds until the period ends). Only
 * where a quota is enforced and finite: a deployment with billing off, or an unlimited plan, sends none.
 */
export function quotaHeaders(q: Pick<QuotaState, "enforced" | "included" | "used" | "reserved" | "period">, now = Date.now()): Record<string, string> {
  if (!q.enforced || q.included === null) return {};
  return {
    "Vitrine-Quota-Limit": String(q.included),
    "Vitrine-Quota-Remaining": String(Math.max(0, q.included - q.used - q.reserved)),
    "Vitrine-Quota-Reset": String(Math.max(0, Math.ceil((q.period.end - now) / 1000))),
  };
}

/** Why work was refused: what it needed, what is left, and when the allowance comes back. */
function exceededText(q: QuotaState, requested: number): Text {
  const left = remainingOf(q) ?? 0;
  const reset = formatInstant(q.period.end);
  const name = PLANS[q.plan].name;
  if (q.plan === "free") {
    return text(
      `This needs ${requested} validations, but the Free plan has ${left} of its ${q.included} left this month; they renew on ${reset.en}. Subscribe to a paid plan (POST /api/v1/billing/subscribe) to validate more now.`,
      `Isto precisa de ${requested} validações, mas o plano Free tem ${left} das ${q.included} deste mês; elas renovam em ${reset["pt-BR"]}. Assine um plano pago (POST /api/v1/billing/subscribe) para validar mais agora.`,
    );
  }
  return text(
    `This needs ${requested} validations, but only ${left} are left before the ${name} plan's monthly spend cap; the period renews on ${reset.en}. Raise the spend cap to validate more now.`,
    `Isto precisa de ${requested} validações, mas só restam ${left} antes do limite de gastos mensal do plano ${name}; o período renova em ${reset["pt-BR"]}. Aumente o limite de gastos para validar mais agora.`,
  );
}

export function quotaExceeded(q: QuotaState, requested: number, now = Date.now()): VitrineError {
  return new VitrineError("quota_exceeded", exceededText(q, requested), {
    plan: q.plan,
    included: q.included,
    limit: q.limit,
    used: q.used,
    reserved: q.reserved,
    remaining: remainingOf(q),
    requested,
    reset_at: new Date(q.period.end).toISOString(),
    retry_after: Math.max(1, Math.ceil((q.period.end - now) / 1000)),
  });
}

const ADD_TO_HOUR = "ON CONFLICT (account_id, hour) DO UPDATE SET records = records + excluded.records";

/** The account a request was authenticated as, with its plan as read together with the key. */
export interface Payer extends PlanSource {
  accountId: string;
}

/**
 * Counts a request's validations before its work starts, atomically with the quota check: the row
 * is added only if what was used, what running jobs hold and this request fit under the limit, in
 * one statement whose RETURNING also reads the totals after it, so concurrent requests can never
 * together pass the limit, and checking costs no round trip more than counting. Billing off,
 * nothing is refused.
 */
export async function chargeValidations(
  env: Env,
  payer: Payer,
  records: number,
  options: { now?: number; later?: (work: Promise<unknown>) => void } = {},
): Promise<{ charge: Charge; quota: QuotaState }> {
  const now = options.now ?? Date.now();
  const { accountId } = payer;
  const hour = hourOf(now);
  const charge = { accountId, hour, records };
  const state = planStateOf(env, payer, now);
  const { included, limit } = allowanceFor(env, state);
  const enforced = config(env).billing.enabled;
  const period = periodOf(state);
  const base = { plan: state.plan, enforced, included, limit: enforced ? limit : null, period };
  if (!enforced) {
    await env.DB.prepare(`INSERT INTO usage_hours (account_id, hour, records) VALUES (?1, ?2, ?3) ${ADD_TO_HOUR}`).bind(accountId, hour, records).run();
    return { charge, quota: { ...base, used: 0, reserved: 0 } };
  }
  const hours = periodHours(period);
  const added = await env.DB.prepare(
    `INSERT INTO usage_hours (account_id, hour, records) SELECT ?1, ?5, ?6 WHERE ?7 IS NULL OR ${USED_SQL} + ${HELD_SQL} + ?6 <= ?7 ${ADD_TO_HOUR} ` +
      `RETURNING ${USED_SQL} AS used, ${HELD_SQL} AS reserved`,
  )
    .bind(accountId, hours.start, hours.end, now, hour, records, limit)
    .first<{ used: number; reserved: number }>();
  if (!added) throw quotaExceeded({ ...base, ...(await periodUsage(env, accountId, period, now)) }, records, now);
  const quota = { ...base, used: added.used, reserved: added.reserved };
  // Rare (twice a period at most) and nothing the caller waits for: after the response when the caller can.
  const warning = warnOnThresholds(env, accountId, state.plan, period, quota.used - records, quota.used);
  if (options.later) options.later(warning.catch((error) => console.error(JSON.stringify({ level: "error", msg: "quota warning failed", account_id: accountId, error: String(error) }))));
  else await warning;
  return { charge, quota };
}

/** Gives back what a request was charged when its work failed (the same hour, so hourly reports stay exact). */
export async function refundValidations(env: Env, charge: Charge): Promise<void> {
  await env.DB.prepare("UPDATE usage_hours SET records = max(0, records - ?3) WHERE account_id = ?1 AND hour = ?2")
    .bind(charge.accountId, charge.hour, charge.records)
    .run();
}

/** What a metered request did: its result, the account's quota after the charge, and how long the charge took. */
export interface Metered<T> {
  result: T;
  quota: QuotaState;
  /** Wall time of the quota check and charge (its storage round trips), in milliseconds. */
  chargeMs: number;
}

/**
 * Runs a synchronous validation that was charged first: the records count (or are refused, 402)
 * before the work starts, and are given back if it throws (a record the mapping cannot read
 * answers 422, uncounted).
 */
export async function metered<T>(
  env: Env,
  payer: Payer,
  prepared: { records: number; run(): T },
  later?: (work: Promise<unknown>) => void,
): Promise<Metered<T>> {
  const started = performance.now();
  const { charge, quota } = await chargeValidations(env, payer, prepared.records, { later });
  const chargeMs = performance.now() - started;
  try {
    return { result: prepared.run(), quota, chargeMs };
  } catch (error) {
    await refundValidations(env, charge);
    throw error;
  }
}

/** A job may run its validations, or why not. */
export type HoldResult = { granted: true } | { granted: false; reason: Text };

/** Holds expire after this, should the job that took one die without releasing it. */
export const HOLD_TTL_MS = 24 * 3600 * 1000;

/**
 * Reserves a job's validations when its plan step has counted its records, atomically with the
 * quota check (like a request's charge). Granted at once where nothing stops work: billing off,
 * paid plans without a spend cap, Enterprise. A repeated plan step finds its hold and is granted again.
 */
export async function holdValidations(env: Env, accountId: string, holdKey: string, records: number, now = Date.now()): Promise<HoldResult> {
  if (records <= 0 || !config(env).billing.enabled) return { granted: true };
  const state = await accountPlan(env, accountId, now);
  const { included, limit } = allowanceFor(env, state);
  if (limit === null) return { granted: true };
  const period = periodOf(state);
  const hours = periodHours(period);
  const [, held, totals] = await env.DB.batch<{ records?: number; used?: number; reserved?: number }>([
    env.DB.prepare(
      "INSERT INTO usage_holds (account_id, hold_key, records, created_at, expires_at) " +
        `SELECT ?1, ?5, ?6, ?4, ?7 WHERE ${USED_SQL} + ${HELD_SQL} + ?6 <= ?8 ON CONFLICT (account_id, hold_key) DO NOTHING`,
    ).bind(accountId, hours.start, hours.end, now, holdKey, records, now + HOLD_TTL_MS, limit),
    env.DB.prepare("SELECT records FROM usage_holds WHERE account_id = ?1 AND hold_key = ?2").bind(accountId, holdKey),
    env.DB.prepare(`SELECT ${USED_SQL} AS used, ${HELD_SQL} AS reserved`).bind(accountId, hours.start, hours.end, now),
  ]);
  if (held.results.length > 0) return { granted: true };
  const quota: QuotaState = { plan: state.plan, enforced: true, included, limit, used: totals.results[0]?.used ?? 0, reserved: totals.results[0]?.reserved ?? 0, period };
  return { granted: false, reason: exceededText(quota, records) };
}

/** Frees what a job still holds (it ended). */
export async function releaseHold(env: Env, accountId: string, holdKey: string): Promise<void> {
  await env.DB.prepare("DELETE FROM usage_holds WHERE account_id = ?1 AND hold_key = ?2").bind(accountId, holdKey).run();
}
