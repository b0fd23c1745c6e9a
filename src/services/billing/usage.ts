import { allowanceOf, hasOverage } from "../../core/billing/allowance";
import { hourOf, type Period, usageByDay } from "../../core/billing/period";
import { config } from "../../config";
import type { Plan } from "../../core/plans";
import type { Env } from "../../env";
import { accountPlan, type PlanState } from "./plan-state";
import { warnOnThresholds } from "./warnings";

/** Where recorded validations were done (synchronous requests are counted by their quota charge). */
export type UsageSource = "job" | "connector";

/** The hours of a period, as usage_hours stores them: an hour belongs to the period its start falls in. */
export function periodHours(period: Period): Period {
  return { start: hourOf(period.start), end: hourOf(period.end) };
}

export function periodOf(state: PlanState): Period {
  return { start: state.period_start, end: state.period_end };
}

/** Validations counted in the period (`?1` account, `?2`/`?3` the period's hours). */
export const USED_SQL = "(SELECT coalesce(sum(records), 0) FROM usage_hours WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3)";
/** Validations granted to running jobs and not yet done (`?1` account, `?4` now). */
export const HELD_SQL = "(SELECT coalesce(sum(records), 0) FROM usage_holds WHERE account_id = ?1 AND expires_at > ?4)";

/** Counted validations and running jobs' holds in the period. */
export async function periodUsage(env: Env, accountId: string, period: Period, now: number): Promise<{ used: number; reserved: number }> {
  const hours = periodHours(period);
  const row = await env.DB.prepare(`SELECT ${USED_SQL} AS used, ${HELD_SQL} AS reserved`).bind(accountId, hours.start, hours.end, now).first<{ used: number; reserved: number }>();
  return { used: row?.used ?? 0, reserved: row?.reserved ?? 0 };
}

export interface RecordOptions {
  source: UsageSource;
  /** Recording the same key again (per account) counts nothing: a re-delivered chunk is counted once. */
  dedupeKey: string;
  /** The hold these validations were granted from (a job's): it shrinks by as many. */
  hold?: string;
  now?: number;
}

/**
 * Counts `records` validations of work already done, once per dedupeKey: the hour's count, the
 * hold's shrinking and the receipt are written in one transaction. Returns whether they counted
 * (false for a repeat) and the period's total after.
 */
export async function recordUsage(env: Env, accountId: string, records: number, options: RecordOptions): Promise<{ counted: boolean; used: number }> {
  const now = options.now ?? Date.now();
  const state = await accountPlan(env, accountId, now);
  const hours = periodHours(periodOf(state));
  if (records <= 0) return { counted: false, used: (await periodUsage(env, accountId, periodOf(state), now)).used };
  const hour = hourOf(now);
  const notYet = "NOT EXISTS (SELECT 1 FROM usage_receipts WHERE account_id = ?1 AND dedupe_key = ?4)";
  const statements = [
    env.DB.prepare(
      `INSERT INTO usage_hours (account_id, hour, records) SELECT ?1, ?2, ?3 WHERE ${notYet} ` +
        "ON CONFLICT (account_id, hour) DO UPDATE SET records = records + excluded.records",
    ).bind(accountId, hour, records, options.dedupeKey),
  ];
  if (options.hold) {
    statements.push(
      env.DB.prepare(`UPDATE usage_holds SET records = max(0, records - ?3) WHERE account_id = ?1 AND hold_key = ?2 AND ${notYet}`).bind(
        accountId,
        options.hold,
        records,
        options.dedupeKey,
      ),
    );
  }
  statements.push(
    env.DB.prepare(
      "INSERT INTO usage_receipts (account_id, dedupe_key, source, records, hour, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) " +
        "ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING records",
    ).bind(accountId, options.dedupeKey, options.source, records, hour, now),
    env.DB.prepare(`SELECT ${USED_SQL} AS used`).bind(accountId, hours.start, hours.end),
  );
  const results = await env.DB.batch<{ records?: number; used?: number }>(statements);
  const counted = results[results.length - 2].results.length > 0;
  const used = results[results.length - 1].results[0]?.used ?? 0;
  if (counted) await warnOnThresholds(env, accountId, state.plan, periodOf(state), used - records, used);
  return { counted, used };
}

export interface UsageSummary {
  period: { start: string; end: string };
  plan: Plan;
  /** Validations the plan includes in the period; null: unlimited. */
  included: number | null;
  used: number;
  /** Granted to jobs still running, not yet counted in `used`. */
  reserved: number;
  /** Left of the included allowance after `used` and `reserved`; null: unlimited. */
  remaining: number | null;
  /** Validations past the allowance so far (paid plans). */
  overage: number;
  /** The monthly spend cap on overage, in cents; null: none. */
  spend_cap: { amount: number; currency: string } | null;
  /** Whether quotas stop work on this deployment (billing on). */
  enforced: boolean;
  by_day: { date: string; records: number }[];
}

/** The account's usage in its current period, day by day (São Paulo days). */
export async function usageSummary(env: Env, accountId: string, now = Date.now()): Promise<UsageSummary> {
  const state = await accountPlan(env, accountId, now);
  const period = periodOf(state);
  const hours = periodHours(period);
  const [totals, rows] = await env.DB.batch<any>([
    env.DB.prepare(`SELECT ${USED_SQL} AS used, ${HELD_SQL} AS reserved`).bind(accountId, hours.start, hours.end, now),
    env.DB.prepare("SELECT hour, records FROM usage_hours WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3 ORDER BY hour").bind(accountId, hours.start, hours.end),
  ]);
  const used: number = totals.results[0]?.used ?? 0;
  const reserved: number = totals.results[0]?.reserved ?? 0;
  const { included } = allowanceOf(state.plan);
  const billing = config(env).billing;
  return {
    period: { start: new Date(period.start).toISOString(), end: new Date(period.end).toISOString() },
    plan: state.plan,
    included,
    used,
    reserved,
    remaining: included === null ? null : Math.max(0, included - used - reserved),
    overage: included !== null && hasOverage(state.plan) ? Math.max(0, used - included) : 0,
    spend_cap: state.spend_cap_cents === null ? null : { amount: state.spend_cap_cents, currency: billing.currency },
    enforced: billing.enabled,
    by_day: usageByDay(rows.results as { hour: number; records: number }[], period, now),
  };
}

/** Receipts are kept past any re-delivery of their chunk (and a whole period), then purged. */
export const RECEIPT_RETENTION_MS = 40 * 24 * 3600 * 1000;

/** Deletes receipts past retention and holds past their expiry (a job that died without releasing its hold). */
export async function purgeUsageBookkeeping(env: Env, now = Date.now()): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM usage_receipts WHERE created_at < ?1").bind(now - RECEIPT_RETENTION_MS),
    env.DB.prepare("DELETE FROM usage_holds WHERE expires_at <= ?1").bind(now),
  ]);
}
