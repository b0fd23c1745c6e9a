import { and, asc, desc, eq, isNull, max } from "drizzle-orm";
import { type CompiledPack, type PackDefinition, PackError, type PackProblem, getCompiledPack, parsePack } from "../core/rules";
import { VitrineError } from "../core/errors";
import { type Text, text } from "../core/text";
import { database } from "../db/client";
import { rulePackRevisions, rulePacks } from "../db/schema";
import type { Env } from "../env";
import { BUILTIN_SOURCES, builtinPack, isBuiltinPack } from "./builtin-packs";
import { type LiveSections, withLiveSections } from "../core/connectors/live-sections";
import { accountFetcher, type CategoryFetcher, liveRules, usesLivePack } from "./connectors/live-rules";

export type PackFormat = "yaml" | "json";

export interface PackSummary {
  id: string;
  name: string;
  version: string;
  description: string | null;
  builtin: boolean;
  /** Increases on every save of a custom pack; null for built-ins (they change with Vitrine releases). */
  revision: number | null;
  extends: string[];
  categories: { id: string; name: string }[];
  /** null when the pack no longer compiles (see `problem`). */
  rule_count: number | null;
  updated_at: string | null;
  /** Why the pack no longer compiles (its parents changed after it was saved); absent when it does. */
  problem?: Text;
}

/** No pack with this id is visible to the account. A class of its own because callers choose fallbacks on it. */
export class PackNotFoundError extends VitrineError {
  constructor(readonly packId: string) {
    super("not_found", text(`Rule pack ${packId} was not found.`, `O pacote de regras ${packId} não existe nesta conta.`));
  }
}

const packConflict = (en: string, pt: string) => new VitrineError("conflict", text(en, pt));

const MAX_EXTENDS_DEPTH = 5;
const parsedCache = new Map<string, PackDefinition>();
const PARSED_CACHE_SIZE = 256;

function cacheParsed(key: string, make: () => PackDefinition): PackDefinition {
  const hit = parsedCache.get(key);
  if (hit) {
    parsedCache.delete(key);
    parsedCache.set(key, hit);
    return hit;
  }
  const def = make();
  parsedCache.set(key, def);
  if (parsedCache.size > PARSED_CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value!);
  return def;
}

interface LoadedPack {
  def: PackDefinition;
  revision: number | null;
  updatedAt: number | null;
}

async function loadCustom(env: Env, accountId: string, packId: string, revision?: number): Promise<LoadedPack | undefined> {
  const db = database(env.DB);
  const head = await db
    .select()
    .from(rulePacks)
    .where(and(eq(rulePacks.accountId, accountId), eq(rulePacks.packId, packId)))
    .limit(1);
  if (!head[0] || (head[0].deletedAt !== null && revision === undefined)) return undefined;
  const wanted = revision ?? head[0].revision;
  const [row] = await db
    .select()
    .from(rulePackRevisions)
    .where(and(eq(rulePackRevisions.accountId, accountId), eq(rulePackRevisions.packId, packId), eq(rulePackRevisions.revision, wanted)))
    .limit(1);
  if (!row) return undefined;
  const def = cacheParsed(`${accountId}:${packId}:${wanted}`, () => parsePack(row.source, { format: row.format }));
  return { def, revision: wanted, updatedAt: head[0].updatedAt };
}

async function loadPack(env: Env, accountId: string, packId: string, revision?: number): Promise<LoadedPack | undefined> {
  const builtin = builtinPack(packId);
  if (builtin) return { def: builtin, revision: null, updatedAt: null };
  return loadCustom(env, accountId, packId, revision);
}

/**
 * Loads a pack and every ancestor it extends, so compilation can resolve them synchronously.
 * `replacing` stands in for the stored definition of a pack being saved.
 */
async function loadFamily(env: Env, accountId: string, root: PackDefinition, replacing?: PackDefinition): Promise<Map<string, PackDefinition>> {
  const family = new Map<string, PackDefinition>([[root.id, root]]);
  if (replacing && replacing.id !== root.id) family.set(replacing.id, replacing);
  const visited = new Set<string>([root.id]);
  let frontier = root.extends;
  for (let depth = 0; frontier.length > 0 && depth <= MAX_EXTENDS_DEPTH; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (visited.has(id)) continue;
      visited.add(id);
      const def = family.get(id) ?? (await loadPack(env, accountId, id))?.def;
      if (!def) continue; // compilePack reports the unknown parent with a pointer
      family.set(id, def);
      next.push(...def.extends);
    }
    frontier = next;
  }
  return family;
}

export interface ResolvedPack {
  compiled: CompiledPack;
  def: PackDefinition;
  builtin: boolean;
  revision: number | null;
  updatedAt: number | null;
}

/**
 * Fetches live rules with one of the account's connectors, looked up only when a fetch is due. A
 * failed fetch leaves the category to the cached copy or the hand-written fallback.
 */
function lazyAccountFetcher(env: Env, accountId: string): CategoryFetcher {
  let fetcher: Promise<CategoryFetcher | undefined> | undefined;
  return async (categoryId) => {
    try {
      const f = await (fetcher ??= accountFetcher(env, accountId));
      return f ? await f(categoryId) : null;
    } catch (error) {
      console.warn(JSON.stringify({ level: "warn", msg: "live category rules not fetched", category: categoryId, error: String(error) }));
      return null;
    }
  };
}

/**
 * Live marketplace rules for a pack: the category a request or job names (its live rules are
 * fetched if needed and, for a job, pinned to it), or sections the caller already has (a sync chunk).
 */
export interface PackScope {
  category?: string;
  jobId?: string;
  live?: LiveSections;
}

/** The compiled pack an account means by `packId` (its own, or a built-in), with the live category rules its scope calls for. */
export async function resolvePack(env: Env, accountId: string, packId: string, revision?: number, scope: PackScope = {}): Promise<ResolvedPack> {
  const loaded = await loadPack(env, accountId, packId, revision);
  if (!loaded) throw new PackNotFoundError(packId);
  const family = await loadFamily(env, accountId, loaded.def);
  let live = scope.live;
  if (!live && scope.category !== undefined && usesLivePack(family)) {
    live = (await liveRules(env, { categories: [scope.category], jobId: scope.jobId, fetcher: lazyAccountFetcher(env, accountId) }))?.sections;
  }
  let def = loaded.def;
  const base = live && family.get(live.packId);
  if (live && base) {
    family.set(live.packId, withLiveSections(base, live));
    if (def.id === live.packId) def = family.get(def.id)!;
  }
  const compiled = getCompiledPack(def, (id) => family.get(id));
  return { compiled, def, builtin: isBuiltinPack(packId), revision: loaded.revision, updatedAt: loaded.updatedAt };
}

function summary(p: ResolvedPack): PackSummary {
  return {
    id: p.def.id,
    name: p.def.name,
    version: p.def.version,
    description: p.def.description ?? null,
    builtin: p.builtin,
    revision: p.revision,
    extends: p.def.extends,
    categories: p.compiled.categories,
    rule_count: p.compiled.rules().length,
    updated_at: p.updatedAt ? new Date(p.updatedAt).toISOString() : null,
  };
}

/**
 * Every pack the account sees. A pack saved before its parents changed may no longer compile;
 * it is listed (so it can be fixed or deleted) with the reason, never failing the whole list.
 */
export async function listPacks(env: Env, accountId: string): Promise<PackSummary[]> {
  const custom = await database(env.DB)
    .select({ packId: rulePacks.packId })
    .from(rulePacks)
    .where(and(eq(rulePacks.accountId, accountId), isNull(rulePacks.deletedAt)))
    .orderBy(asc(rulePacks.packId));
  const ids = [...Object.keys(BUILTIN_SOURCES), ...custom.map((r) => r.packId)].sort();
  const out: PackSummary[] = [];
  for (const id of ids) {
    try {
      out.push(summary(await resolvePack(env, accountId, id)));
    } catch (error) {
      if (!(error instanceof PackError)) throw error;
      out.push(await brokenSummary(env, accountId, id, error));
    }
  }
  return out;
}

async function brokenSummary(env: Env, accountId: string, packId: string, error: PackError): Promise<PackSummary> {
  const loaded = await loadPack(env, accountId, packId);
  return {
    id: packId,
    name: loaded?.def.name ?? packId,
    version: loaded?.def.version ?? "",
    description: loaded?.def.description ?? null,
    builtin: false,
    revision: loaded?.revision ?? null,
    extends: loaded?.def.extends ?? [],
    categories: loaded?.def.categories.map((c) => ({ id: c.id, name: c.name })) ?? [],
    rule_count: null,
    updated_at: loaded?.updatedAt ? new Date(loaded.updatedAt).toISOString() : null,
    problem: error.detail,
  };
}

/** Live custom packs that extend `packId`, directly or through other packs. */
async function dependentsOf(env: Env, accountId: string, packId: string): Promise<string[]> {
  const live = await database(env.DB)
    .select({ packId: rulePacks.packId, extends: rulePacks.extends })
    .from(rulePacks)
    .where(and(eq(rulePacks.accountId, accountId), isNull(rulePacks.deletedAt)));
  const found = new Set<string>();
  let frontier = [packId];
  while (frontier.length > 0) {
    const next = live.filter((p) => !found.has(p.packId) && p.packId !== packId && p.extends.some((parent) => frontier.includes(parent)));
    for (const p of next) found.add(p.packId);
    frontier = next.map((p) => p.packId);
  }
  return [...found].sort();
}

/**
 * A new revision of `def` must not break the packs built on it: each dependent is compiled
 * against the new revision, and any problem refuses the save, naming the dependent.
 */
async function checkDependents(env: Env, accountId: string, def: PackDefinition): Promise<void> {
  const problems: PackProblem[] = [];
  for (const id of await dependentsOf(env, accountId, def.id)) {
    const child = await loadPack(env, accountId, id);
    if (!child) continue;
    try {
      const family = await loadFamily(env, accountId, child.def, def);
      const compiled = getCompiledPack(child.def, (packId) => family.get(packId));
      for (const category of [undefined, ...compiled.categories.map((c) => c.id)]) compiled.createValidator({ category });
    } catch (error) {
      if (!(error instanceof PackError)) throw error;
      for (const p of error.problems) {
        problems.push({
          ...p,
          pack: p.pack ?? id,
          text: text(
            `saving ${def.id} would break pack ${id}, which extends it: ${p.text.en}`,
            `salvar ${def.id} quebraria o pacote ${id}, que o estende: ${p.text["pt-BR"]}`,
          ),
        });
      }
    }
  }
  if (problems.length > 0) throw new PackError(problems);
}

export async function describePack(env: Env, accountId: string, packId: string, category?: string) {
  const resolved = await resolvePack(env, accountId, packId);
  if (category !== undefined && !resolved.compiled.categories.some((c) => c.id === category)) {
    const known = resolved.compiled.categories.map((c) => c.id).join(", ");
    throw new VitrineError(
      "invalid_request",
      text(`Unknown category ${category}; the pack has: ${known || "none"}.`, `Categoria ${category} desconhecida; o pacote tem: ${known || "nenhuma"}.`),
      { errors: [{ detail: text(`unknown category "${category}"`, `categoria "${category}" desconhecida`), parameter: "category" }] },
    );
  }
  return {
    ...summary(resolved),
    hash: resolved.compiled.hash,
    source: resolved.def.source,
    rules: resolved.compiled.rules(category),
    fields: resolved.compiled.fields(category),
  };
}

/**
 * Saves a new custom pack (expectedId undefined) or a new revision of one.
 * The pack must compile against its parents before anything is written.
 */
export async function savePack(env: Env, accountId: string, source: string, format: PackFormat, expectedId?: string) {
  const def = parsePack(source, { format });
  if (expectedId !== undefined && def.id !== expectedId) {
    throw new PackError([
      { text: text(`The pack's id is ${def.id} but the URL names ${expectedId}.`, `O id do pacote é ${def.id}, mas a URL indica ${expectedId}.`), pointer: "/id" },
    ]);
  }
  if (isBuiltinPack(def.id)) {
    throw packConflict(
      `${def.id} is a built-in pack; choose another id and extend it instead.`,
      `${def.id} é um pacote nativo; escolha outro id e estenda-o.`,
    );
  }
  const family = await loadFamily(env, accountId, def);
  getCompiledPack(def, (id) => family.get(id));
  if (expectedId !== undefined) await checkDependents(env, accountId, def);

  const db = database(env.DB);
  const [head] = await db
    .select()
    .from(rulePacks)
    .where(and(eq(rulePacks.accountId, accountId), eq(rulePacks.packId, def.id)))
    .limit(1);
  const live = head && head.deletedAt === null;
  if (expectedId === undefined && live) {
    throw packConflict(
      `A pack with id ${def.id} already exists; PUT /api/v1/rule-packs/${def.id} saves a new revision.`,
      `Já existe um pacote com id ${def.id}; PUT /api/v1/rule-packs/${def.id} salva uma nova revisão.`,
    );
  }
  if (expectedId !== undefined && !live) throw new PackNotFoundError(def.id);

  const [{ last }] = await db
    .select({ last: max(rulePackRevisions.revision) })
    .from(rulePackRevisions)
    .where(and(eq(rulePackRevisions.accountId, accountId), eq(rulePackRevisions.packId, def.id)));
  const revision = (last ?? 0) + 1;
  const now = Date.now();
  const headValues = { name: def.name, revision, extends: def.extends, updatedAt: now, deletedAt: null };
  try {
    // The revision's primary key makes two concurrent saves of the same revision collide instead of both winning.
    await db.batch([
      db.insert(rulePackRevisions).values({ accountId, packId: def.id, revision, source, format, createdAt: now }),
      db
        .insert(rulePacks)
        .values({ accountId, packId: def.id, createdAt: now, ...headValues })
        .onConflictDoUpdate({ target: [rulePacks.accountId, rulePacks.packId], set: headValues }),
    ]);
  } catch (error) {
    if (!/UNIQUE|PRIMARY KEY|constraint/i.test(String(error))) throw error;
    throw packConflict(
      `Pack ${def.id} was changed by another request at the same time; fetch it and try again.`,
      `O pacote ${def.id} foi alterado por outra requisição ao mesmo tempo; busque-o de novo e tente outra vez.`,
    );
  }
  return describePack(env, accountId, def.id);
}

export interface PackRevisionSummary {
  revision: number;
  format: PackFormat;
  created_at: string;
}

/** A live custom pack's saved revisions, newest first. Built-ins and other accounts' packs: not found. */
export async function listPackRevisions(env: Env, accountId: string, packId: string): Promise<PackRevisionSummary[]> {
  if (!(await loadCustom(env, accountId, packId))) throw new PackNotFoundError(packId);
  const rows = await database(env.DB)
    .select({ revision: rulePackRevisions.revision, format: rulePackRevisions.format, createdAt: rulePackRevisions.createdAt })
    .from(rulePackRevisions)
    .where(and(eq(rulePackRevisions.accountId, accountId), eq(rulePackRevisions.packId, packId)))
    .orderBy(desc(rulePackRevisions.revision));
  return rows.map((r) => ({ revision: r.revision, format: r.format, created_at: new Date(r.createdAt).toISOString() }));
}

/** The source of one revision of a live custom pack, as it was saved. */
export async function packRevisionSource(env: Env, accountId: string, packId: string, revision: number): Promise<{ source: string; format: PackFormat }> {
  if (!(await loadCustom(env, accountId, packId))) throw new PackNotFoundError(packId);
  const [row] = await database(env.DB)
    .select({ source: rulePackRevisions.source, format: rulePackRevisions.format })
    .from(rulePackRevisions)
    .where(and(eq(rulePackRevisions.accountId, accountId), eq(rulePackRevisions.packId, packId), eq(rulePackRevisions.revision, revision)))
    .limit(1);
  if (!row) throw new PackNotFoundError(packId);
  return row;
}

/** Deletes a custom pack unless another live pack of the account extends it. Revisions stay for old jobs. */
export async function deletePack(env: Env, accountId: string, packId: string) {
  if (isBuiltinPack(packId)) throw packConflict(`${packId} is a built-in pack and cannot be deleted.`, `${packId} é um pacote nativo e não pode ser apagado.`);
  const db = database(env.DB);
  const live = await db
    .select({ packId: rulePacks.packId, extends: rulePacks.extends })
    .from(rulePacks)
    .where(and(eq(rulePacks.accountId, accountId), isNull(rulePacks.deletedAt)));
  if (!live.some((p) => p.packId === packId)) throw new PackNotFoundError(packId);
  const dependents = live.filter((p) => p.extends.includes(packId)).map((p) => p.packId);
  if (dependents.length > 0) {
    throw packConflict(
      `${packId} is extended by ${dependents.join(", ")}; delete or change those first.`,
      `${packId} é estendido por ${dependents.join(", ")}; apague ou altere esses antes.`,
    );
  }
  await db
    .update(rulePacks)
    .set({ deletedAt: Date.now() })
    .where(and(eq(rulePacks.accountId, accountId), eq(rulePacks.packId, packId)));
}
