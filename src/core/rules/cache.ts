import { buildPack, lineageHash, resolveLineage, type CompileOptions } from "./compile";
import { DEFAULT_LIMITS, PackError, type CompiledPack, type PackDefinition, type PackLimits, type PackResolver } from "./types";

const MAX_PACKS = 64;
const cache = new Map<string, CompiledPack>();

/**
 * Compiles a pack once per isolate: cached by pack id + the hash of its and its ancestors' source
 * texts, so a new version of any ancestor compiles afresh. Least recently used packs are dropped
 * beyond 64 entries.
 */
export function getCompiledPack(def: PackDefinition, resolve: PackResolver, opts: CompileOptions = {}): CompiledPack {
  const limits: PackLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const lineage = resolveLineage(def, resolve, limits.maxExtendsDepth);
  if (lineage.problems.length) throw new PackError(lineage.problems);
  const hash = lineageHash(lineage.order);
  // Trust is not in the hash (which clients see): the same sources parsed as built-in and as an
  // account's pack compile to different pattern engines.
  const trust = lineage.order.map((p) => (p.trusted ? "1" : "0")).join("");
  const key = `${def.id}\u0000${hash}\u0000${trust}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const pack = buildPack(def, lineage.order, hash, limits);
  cache.set(key, pack);
  while (cache.size > MAX_PACKS) cache.delete(cache.keys().next().value!);
  return pack;
}

/** Empties the per-isolate cache (tests, or after an account's packs change). */
export function clearPackCache(): void {
  cache.clear();
}
