/**
 * Subrequest budgets. A Worker invocation may make a bounded number of subrequests (fetches and
 * calls to D1, R2, Durable Objects and Queues: 50 on Workers Free, 1,000 on Paid), and a queue
 * consumer runs every message of its batch in one invocation. Each connector step (a listing
 * page run, a sync chunk, a push part) is sized so that its worst case fits its share.
 */

/** Calls a step makes besides the provider's: job row, lease, connector, live rules, R2 reads and writes, counts, outbox. */
export const PLATFORM_SUBREQUESTS = 32;

/** One step's share of an invocation's subrequests for the provider: its part of the batch, less the platform's calls. */
export function stepBudget(invocationBudget: number, messagesPerInvocation: number): number {
  return Math.floor(invocationBudget / Math.max(1, messagesPerInvocation)) - PLATFORM_SUBREQUESTS;
}

/** Provider subrequests per unit of work in the worst case (gate calls included). */
export interface UnitCost {
  /** Subrequests per unit. */
  perUnit: number;
  /** Subrequests every step spends once (beyond the platform's). */
  fixed: number;
}

/** How many units fit in a step; 0 when the budget cannot carry even one (the configuration must change). */
export function unitsPerStep(budget: number, cost: UnitCost): number {
  return Math.max(0, Math.floor((budget - cost.fixed) / cost.perUnit));
}

/** Requests a permit from the gate covers: each gate call lets this many provider requests go. */
export const PERMIT_BLOCK = 10;
/** Retries a step keeps room for (401 refresh, 429 back-off, server errors): ten percent of its requests plus a few. */
const RETRY_SHARE = 0.1;
const RETRY_FIXED = 4;
/** A step's requests and gate calls are whole: its last gate call, and its short last batch, round up. */
const LAST_GATE_CALL = 1;
const SHORT_BATCH = 1;

/** Subrequests of `requests` provider requests in the worst case: their gate calls and retries included. */
export function withOverhead(requests: number): number {
  const retried = requests * (1 + RETRY_SHARE);
  return retried + retried / PERMIT_BLOCK;
}

/**
 * A sync chunk of n items costs: n/batch multigets, n descriptions (when a rule reads them), and —
 * in the worst case, every item in a category never seen — n category lookups.
 */
export function syncChunkCost(batch: number, descriptions: boolean): UnitCost {
  return { perUnit: withOverhead(1 / batch + (descriptions ? 1 : 0) + 1), fixed: withOverhead(RETRY_FIXED) + SHORT_BATCH + LAST_GATE_CALL };
}

/** Items per sync chunk: as many as fit, in whole batches when at least one fits (85 items would be 5 multigets, 80 are 4). */
export function syncChunkItems(budget: number, cost: UnitCost, batch: number): number {
  const fit = unitsPerStep(budget, cost);
  return fit >= batch ? fit - (fit % batch) : fit;
}

/** A listing step reads pages of ids and writes one R2 object per chunk it fills. */
export function listingPageCost(pageSize: number, itemsPerChunk: number): UnitCost {
  return { perUnit: withOverhead(1) + Math.ceil(pageSize / Math.max(1, itemsPerChunk)), fixed: withOverhead(RETRY_FIXED) + LAST_GATE_CALL };
}

/**
 * The largest page (at most `maxPage` ids) a listing step can read at least once: small chunks mean
 * many R2 writes per page, so a small budget (Workers Free) reads shorter pages. 0 when not even a
 * page of one id fits (the configuration must change).
 */
export function listingPageSize(budget: number, maxPage: number, itemsPerChunk: number): number {
  for (let size = maxPage; size >= 1; size--) if (unitsPerStep(budget, listingPageCost(size, itemsPerChunk)) >= 1) return size;
  return 0;
}

/**
 * A push part of n items costs: n/batch multigets (the items as they are now), one description
 * read and one description write, and one item update per item.
 */
export function pushPartCost(batch: number): UnitCost {
  return { perUnit: withOverhead(1 / batch + 3), fixed: withOverhead(RETRY_FIXED) + SHORT_BATCH + LAST_GATE_CALL };
}
