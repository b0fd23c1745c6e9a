import { and, eq } from "drizzle-orm";
import { fetchItemLimit } from "../../connectors/shopee/api";
import { ProviderUnavailableError } from "../../connectors/types";
import { compileItemLimits, type LiveLimits, type ShopeeItemLimit } from "../../core/connectors/shopee/limits";
import { sha256Hex } from "../../core/hash";
import { database } from "../../db/client";
import { jobLiveRules, liveCategoryCurrent, liveCategoryRules } from "../../db/schema";
import type { Env } from "../../env";
import { builtinPack } from "../builtin-packs";
import type { LiveRules } from "./live-rules";
import type { ProviderSession } from "./session";

/** A shop's limits change rarely: they are fetched again after a day. */
export const SHOPEE_LIMITS_TTL_MS = 24 * 3600_000;
const PROVIDER = "shopee";
const PACK = "shopee";

/** The cache key: the shop, and the category when the sync names one (get_item_limit answers per category where it applies). */
export function limitsKey(shopId: string, categoryId: string | undefined): string {
  return categoryId ? `${shopId}:${categoryId}` : shopId;
}

async function fetchLimits(session: ProviderSession, key: string, categoryId: string | undefined): Promise<LiveLimits | null> {
  try {
    const response = (await fetchItemLimit(session.fetch, categoryId ?? null)) as ShopeeItemLimit;
    return compileItemLimits(key, response, builtinPack(PACK)!);
  } catch (error) {
    // Shopee unreachable or refusing (its error kept in the log): the cached copy, or rules/shopee.yaml, stands in.
    if (!(error instanceof ProviderUnavailableError)) throw error;
    console.warn(JSON.stringify({ level: "warn", msg: "shopee item limits not fetched", key, error: error.message }));
    return null;
  }
}

/** The version in use now for `key`: the cached one while fresh, else fetched again (a failed fetch keeps the expired copy). */
async function currentHash(env: Env, key: string, categoryId: string | undefined, session: ProviderSession, now: number): Promise<string | null> {
  const db = database(env.DB);
  const [current] = await db
    .select()
    .from(liveCategoryCurrent)
    .where(and(eq(liveCategoryCurrent.provider, PROVIDER), eq(liveCategoryCurrent.categoryId, key)))
    .limit(1);
  if (current && current.expiresAt > now) return current.hash;
  const limits = await fetchLimits(session, key, categoryId);
  if (!limits) return current?.hash ?? null;
  const live = { category: { id: key, name: `Shopee limits ${key}`, rules: limits.rules }, readOnly: [] };
  const hash = (await sha256Hex(JSON.stringify(live))).slice(0, 16);
  await db.batch([
    db.insert(liveCategoryRules).values({ provider: PROVIDER, categoryId: key, hash, live, fetchedAt: now }).onConflictDoNothing(),
    db
      .insert(liveCategoryCurrent)
      .values({ provider: PROVIDER, categoryId: key, hash, fetchedAt: now, expiresAt: now + SHOPEE_LIMITS_TTL_MS })
      .onConflictDoUpdate({ target: [liveCategoryCurrent.provider, liveCategoryCurrent.categoryId], set: { hash, fetchedAt: now, expiresAt: now + SHOPEE_LIMITS_TTL_MS } }),
  ]);
  return hash;
}

/**
 * The shop's live limits as rules replacing the `shopee` pack's limit rules, cached with a TTL and
 * pinned to the job (every chunk of a sync sees the same version). Undefined when Shopee never
 * answered: rules/shopee.yaml's own numbers are the offline fallback.
 */
export async function shopeeLiveLimits(
  env: Env,
  request: { shopId: string; categoryId?: string; jobId?: string; session: ProviderSession; now?: number },
): Promise<LiveRules | undefined> {
  const db = database(env.DB);
  const key = limitsKey(request.shopId, request.categoryId);
  const pinnedRow = async () =>
    request.jobId
      ? (await db.select().from(jobLiveRules).where(and(eq(jobLiveRules.jobId, request.jobId), eq(jobLiveRules.provider, PROVIDER), eq(jobLiveRules.categoryId, key))).limit(1))[0]
      : undefined;
  let hash = (await pinnedRow())?.hash ?? null;
  if (!hash) {
    hash = await currentHash(env, key, request.categoryId, request.session, request.now ?? Date.now());
    if (hash && request.jobId) {
      await db.insert(jobLiveRules).values({ jobId: request.jobId, provider: PROVIDER, categoryId: key, hash }).onConflictDoNothing();
      hash = (await pinnedRow())?.hash ?? hash;
    }
  }
  if (!hash) return undefined;
  const [row] = await db
    .select()
    .from(liveCategoryRules)
    .where(and(eq(liveCategoryRules.provider, PROVIDER), eq(liveCategoryRules.categoryId, key), eq(liveCategoryRules.hash, hash)))
    .limit(1);
  if (!row) return undefined;
  return { sections: { packId: PACK, categories: [], rules: row.live.category.rules, tag: `limits:${key}@${hash}` }, readOnly: new Map() };
}
