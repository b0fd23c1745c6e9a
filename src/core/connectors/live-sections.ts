import type { CategoryDef, PackDefinition, RuleDef } from "../rules";

/** Category sections fetched from a marketplace, to graft onto its built-in pack. */
export interface LiveSections {
  /** The built-in pack they belong to (e.g. mercadolivre). */
  packId: string;
  categories: CategoryDef[];
  /** Rules that take the place of the pack's rules of the same id (new ids are added): Shopee's live limits. */
  rules?: RuleDef[];
  /** Which versions these are (`category@hash`, sorted): part of the pack's hash, so results say which rules ran. */
  tag: string;
}

const grafted = new WeakMap<PackDefinition, Map<string, PackDefinition>>();
const MAX_PER_PACK = 64;

/**
 * The pack with live category sections in place of its own sections of the same ids (the
 * hand-written ones stay the offline fallback for every other category). The result is cached per
 * base pack and tag, so compiled packs are reused; the tag goes into the source text, so the
 * pack's hash changes whenever the live rules do.
 */
export function withLiveSections(base: PackDefinition, live: LiveSections): PackDefinition {
  if (live.categories.length === 0 && !live.rules?.length) return base;
  let byTag = grafted.get(base);
  if (!byTag) grafted.set(base, (byTag = new Map()));
  const hit = byTag.get(live.tag);
  if (hit) return hit;
  const replaced = new Set(live.categories.map((c) => c.id));
  const liveRules = new Map((live.rules ?? []).map((r) => [r.id, r]));
  const def: PackDefinition = {
    ...base,
    rules: [...base.rules.map((r) => liveRules.get(r.id) ?? r), ...[...liveRules.values()].filter((r) => !base.rules.some((b) => b.id === r.id))],
    categories: [...base.categories.filter((c) => !replaced.has(c.id)), ...live.categories],
    source: `${base.source}\n# live category rules: ${live.tag}\n`,
  };
  byTag.set(live.tag, def);
  if (byTag.size > MAX_PER_PACK) byTag.delete(byTag.keys().next().value!);
  return def;
}
