import { and, eq, inArray } from "drizzle-orm";
import { config } from "../../config";
import { providerFor } from "../../connectors";
import { coverageKey, type LiveCategory } from "../../core/connectors/mercadolivre/category-rules";
import type { LiveSections } from "../../core/connectors/live-sections";
import { sha256Hex } from "../../core/hash";
import { mapLimit } from "../../core/connectors/map-limit";
import { getCompiledPack, type PackDefinition } from "../../core/rules";
import { database } from "../../db/client";
import { connectors, jobLiveRules, liveCategoryCurrent, liveCategoryRules } from "../../db/schema";
import type { Env } from "../../env";
import { builtinPack } from "../builtin-packs";
import { ProviderSession } from "./session";

/** Category attributes change rarely: a category's live rules are fetched again after a day. */
export const LIVE_RULES_TTL_MS = 24 * 3600_000;
/** The built-in pack live rules extend, and the provider they come from. */
export const LIVE_PACK = "mercadolivre";
const PROVIDER = "mercadolivre";
const CATEGORY_ID = /^[A-Z]{3}\d{1,15}$/;
/** Subrequests /validate or a file job may spend fetching one category's attributes (gate calls and retries included). */
const CATEGORY_FETCH_BUDGET = 8;
const FETCH_CONCURRENCY = 4;

/** Fetches one category's live rules from the provider (null when it cannot now). */
export type CategoryFetcher = (categoryId: string) => Promise<LiveCategory | null>;

/** The rules every record already gets from the built-in pack, and the hand-written section of the category. */
export function categoryBase(categoryId: string) {
  const def = builtinPack(LIVE_PACK)!;
  const compiled = getCompiledPack(def, (id) => builtinPack(id));
  return {
    covered: new Set(compiled.rules().map((r) => coverageKey(r.field, r.check))),
    handwritten: def.categories.find((c) => c.id === categoryId),
  };
}

/** A fetcher that uses one of the account's active Mercado Livre connectors, when it has one. */
export async function accountFetcher(env: Env, accountId: string): Promise<CategoryFetcher | undefined> {
  const [connector] = await database(env.DB)
    .select({ id: connectors.id })
    .from(connectors)
    .where(and(eq(connectors.accountId, accountId), eq(connectors.type, "mercadolivre"), eq(connectors.status, "active")))
    .limit(1);
  if (!connector) return undefined;
  return sessionFetcher(new ProviderSession(env, { id: connector.id, type: "mercadolivre" }, CATEGORY_FETCH_BUDGET));
}

/** A fetcher over a connector's session (its gate, token and budget); failures are left to the caller's session rules. */
export function sessionFetcher(session: ProviderSession): CategoryFetcher {
  const provider = providerFor("mercadolivre")!;
  return (categoryId) => provider.fetchCategory(session.fetch, categoryId, categoryBase(categoryId));
}

async function versionHash(live: LiveCategory): Promise<string> {
  return (await sha256Hex(JSON.stringify(live))).slice(0, 16);
}

/** Keeps fetched versions and makes them current, in as few D1 calls as the batch limit allows. */
async function store(env: Env, fetched: { categoryId: string; live: LiveCategory; hash: string }[], now: number): Promise<void> {
  const db = database(env.DB);
  const statements = fetched.flatMap(({ categoryId, live, hash }) => [
    db.insert(liveCategoryRules).values({ provider: PROVIDER, categoryId, hash, live, fetchedAt: now }).onConflictDoNothing(),
    db
      .insert(liveCategoryCurrent)
      .values({ provider: PROVIDER, categoryId, hash, fetchedAt: now, expiresAt: now + LIVE_RULES_TTL_MS })
      .onConflictDoUpdate({ target: [liveCategoryCurrent.provider, liveCategoryCurrent.categoryId], set: { hash, fetchedAt: now, expiresAt: now + LIVE_RULES_TTL_MS } }),
  ]);
  for (let i = 0; i < statements.length; i += 50) {
    const [first, ...rest] = statements.slice(i, i + 50);
    await db.batch([first, ...rest]);
  }
}

/**
 * The current version of each category's live rules: cached ones while fresh; expired or missing
 * ones fetched again when a fetcher is given (a failed fetch keeps the expired copy, which is
 * closer to Mercado Livre than the hand-written fallback).
 */
async function currentHashes(env: Env, categoryIds: string[], fetcher: CategoryFetcher | undefined, now: number): Promise<Map<string, string>> {
  const rows = categoryIds.length
    ? await database(env.DB)
        .select()
        .from(liveCategoryCurrent)
        .where(and(eq(liveCategoryCurrent.provider, PROVIDER), inArray(liveCategoryCurrent.categoryId, categoryIds)))
    : [];
  const current = new Map(rows.map((r) => [r.categoryId, r]));
  const hashes = new Map<string, string>();
  const fetched: { categoryId: string; live: LiveCategory; hash: string }[] = [];
  const due = categoryIds.filter((id) => !((current.get(id)?.expiresAt ?? 0) > now));
  for (const id of categoryIds) if (!due.includes(id)) hashes.set(id, current.get(id)!.hash);
  const lives = fetcher ? await mapLimit(due, FETCH_CONCURRENCY, (id) => fetcher(id)) : [];
  for (const [i, id] of due.entries()) {
    const live = lives[i] ?? null;
    if (live) {
      const hash = await versionHash(live);
      fetched.push({ categoryId: id, live, hash });
      hashes.set(id, hash);
    } else if (current.has(id)) hashes.set(id, current.get(id)!.hash);
  }
  if (fetched.length) await store(env, fetched, now);
  return hashes;
}

/** Pins each category's version to the job (the first step to ask wins) and returns the pinned versions. */
async function pinned(env: Env, jobId: string, categoryIds: string[], current: Map<string, string>): Promise<Map<string, string>> {
  const db = database(env.DB);
  const pins = [...current].map(([categoryId, hash]) => db.insert(jobLiveRules).values({ jobId, provider: PROVIDER, categoryId, hash }).onConflictDoNothing());
  const read = db
    .select()
    .from(jobLiveRules)
    .where(and(eq(jobLiveRules.jobId, jobId), eq(jobLiveRules.provider, PROVIDER), inArray(jobLiveRules.categoryId, categoryIds)));
  const [first, ...rest] = [...pins, read];
  const results = await db.batch([first, ...rest]);
  const rows = results[results.length - 1] as { categoryId: string; hash: string }[];
  return new Map(rows.map((r) => [r.categoryId, r.hash]));
}

export interface LiveRulesRequest {
  categories: readonly string[];
  /** Jobs see one version per category from their first step to their last. */
  jobId?: string;
  fetcher?: CategoryFetcher;
  now?: number;
}

export interface LiveRules {
  sections: LiveSections;
  /** Per category, the attributes a push must never write. */
  readOnly: Map<string, Set<string>>;
}

/**
 * Live category rules for the built-in mercadolivre pack, when a Mercado Livre application is
 * configured (MERCADOLIVRE_CLIENT_ID). Categories with no live rules (never fetched, fetch
 * failed) are left out: the pack's hand-written sections remain their fallback.
 */
export async function liveRules(env: Env, request: LiveRulesRequest): Promise<LiveRules | undefined> {
  if (!config(env).mercadolivre) return undefined;
  const ids = [...new Set(request.categories)].filter((c) => CATEGORY_ID.test(c)).sort();
  if (ids.length === 0) return undefined;
  const now = request.now ?? Date.now();
  let hashes: Map<string, string>;
  if (request.jobId) {
    const db = database(env.DB);
    const existing = await db
      .select()
      .from(jobLiveRules)
      .where(and(eq(jobLiveRules.jobId, request.jobId), eq(jobLiveRules.provider, PROVIDER), inArray(jobLiveRules.categoryId, ids)));
    hashes = new Map(existing.map((r) => [r.categoryId, r.hash]));
    const missing = ids.filter((id) => !hashes.has(id));
    if (missing.length) {
      const current = await currentHashes(env, missing, request.fetcher, now);
      if (current.size) for (const [id, hash] of await pinned(env, request.jobId, missing, current)) hashes.set(id, hash);
    }
  } else {
    hashes = await currentHashes(env, ids, request.fetcher, now);
  }
  if (hashes.size === 0) return undefined;
  const rows = await database(env.DB)
    .select()
    .from(liveCategoryRules)
    .where(and(eq(liveCategoryRules.provider, PROVIDER), inArray(liveCategoryRules.categoryId, [...hashes.keys()])));
  const chosen = rows.filter((r) => hashes.get(r.categoryId) === r.hash).sort((a, b) => a.categoryId.localeCompare(b.categoryId));
  if (chosen.length === 0) return undefined;
  return {
    sections: {
      packId: LIVE_PACK,
      categories: chosen.map((r) => r.live.category),
      tag: chosen.map((r) => `${r.categoryId}@${r.hash}`).join(","),
    },
    readOnly: new Map(chosen.map((r) => [r.categoryId, new Set(r.live.readOnly)])),
  };
}

/** Whether a pack's lineage includes the pack live rules extend. */
export function usesLivePack(family: ReadonlyMap<string, PackDefinition>): boolean {
  return family.has(LIVE_PACK);
}
