import { compileGetter, compileSetter } from "./canonical";
import { CHECKS } from "./checks";
import { compileCondition, conditionFields } from "./conditions";
import { compileFixes } from "./fixes";
import { hashText } from "./hash";
import { compileTemplate } from "./messages";
import { didYouMean } from "../ops/params";
import { text } from "../text";
import {
  DEFAULT_LIMITS,
  LOCALES,
  PackError,
  packProblem,
  type CompiledPack,
  type Locale,
  type PackDefinition,
  type PackLimits,
  type PackProblem,
  type PackResolver,
  type RuleDef,
  type RuleInfo,
  type Severity,
  type ValidatorOptions,
} from "./types";
import { createUniqueTracker, RuleValidator, type CompiledRule } from "./validator";

export interface CompileOptions {
  limits?: Partial<PackLimits>;
}

/** A pack and its ancestors, parents first (each pack once, even in a diamond). */
export interface Lineage {
  order: PackDefinition[];
  problems: PackProblem[];
}

/** Resolves `extends` depth-first. Reports unknown parents, cycles and chains deeper than the limit. */
export function resolveLineage(root: PackDefinition, resolve: PackResolver, maxDepth: number): Lineage {
  const order: PackDefinition[] = [];
  const problems: PackProblem[] = [];
  const done = new Set<string>();
  const visit = (pack: PackDefinition, chain: string[]): void => {
    if (done.has(pack.id)) return;
    const path = [...chain, pack.id];
    pack.extends.forEach((pid, i) => {
      const pointer = pack.extends.length > 1 ? `/extends/${i}` : "/extends";
      const where = pack === root ? {} : { pack: pack.id };
      if (path.includes(pid)) {
        const cycle = [...path.slice(path.indexOf(pid)), pid].join(" → ");
        problems.push(packProblem(text(`extends forms a cycle: ${cycle}`, `extends forma um ciclo: ${cycle}`), { pointer, ...where }));
        return;
      }
      if (path.length > maxDepth) {
        const chain = [...path, pid].join(" → ");
        problems.push(
          packProblem(text(`extends is nested more than ${maxDepth} levels deep: ${chain}`, `extends tem mais de ${maxDepth} níveis de profundidade: ${chain}`), { pointer, ...where }),
        );
        return;
      }
      const parent = resolve(pid);
      if (parent === undefined) {
        problems.push(packProblem(text(`pack "${pack.id}" extends unknown pack "${pid}"`, `o pacote "${pack.id}" estende o pacote desconhecido "${pid}"`), { pointer, ...where }));
      } else if (parent.id !== pid) {
        problems.push(packProblem(text(`resolving "${pid}" returned pack "${parent.id}"`, `a busca por "${pid}" devolveu o pacote "${parent.id}"`), { pointer, ...where }));
      } else visit(parent, path);
    });
    if (!done.has(pack.id)) {
      done.add(pack.id);
      order.push(pack);
    }
  };
  visit(root, []);
  return { order, problems };
}

const packHashes = new WeakMap<PackDefinition, string>();

/** Stable hash of the source texts of a lineage, in order. */
export function lineageHash(order: readonly PackDefinition[]): string {
  let all = "";
  for (const p of order) {
    let h = packHashes.get(p);
    if (h === undefined) {
      h = hashText(`${p.id}\u0000${p.source}`);
      packHashes.set(p, h);
    }
    all += h;
  }
  return order.length === 1 ? all : hashText(all);
}

/**
 * Compiles a pack and its ancestors into closures. Throws PackError for an unknown parent, a
 * cycle, a chain deeper than `maxExtendsDepth`, a rule id used twice, an override of a rule the
 * pack does not inherit, or more than `maxRules` effective rules for a category.
 */
export function compilePack(def: PackDefinition, resolve: PackResolver, opts: CompileOptions = {}): CompiledPack {
  const limits: PackLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const lineage = resolveLineage(def, resolve, limits.maxExtendsDepth);
  if (lineage.problems.length) throw new PackError(lineage.problems);
  return buildPack(def, lineage.order, lineageHash(lineage.order), limits);
}

interface Entry {
  rule: RuleDef;
  pack: string;
  /** The rule's own pack is a reviewed built-in one. */
  trusted: boolean;
  category?: string;
  severity: Severity;
  disabled: boolean;
}

function located(e: { pointer: string; line?: number }, pack: string, root: string, rule?: string): Omit<PackProblem, "detail" | "text"> {
  const p: Omit<PackProblem, "detail" | "text"> = { pointer: e.pointer };
  if (e.line !== undefined) p.line = e.line;
  if (pack !== root) p.pack = pack;
  if (rule !== undefined) p.rule = rule;
  return p;
}

/** Builds a CompiledPack from a resolved lineage (used by compilePack and the cache). */
export function buildPack(def: PackDefinition, order: readonly PackDefinition[], hash: string, limits: PackLimits): CompiledPack {
  const problems: PackProblem[] = [];
  const general: Entry[] = [];
  const categories = new Map<string, { name: string; entries: Entry[] }>();
  const byId = new Map<string, Entry>();

  const add = (rule: RuleDef, pack: PackDefinition, list: Entry[], category?: string) => {
    const prior = byId.get(rule.id);
    if (prior) {
      const line = prior.rule.line;
      problems.push(
        packProblem(
          text(
            `rule id "${rule.id}" is already defined in pack "${prior.pack}"${line !== undefined ? ` (line ${line})` : ""}`,
            `o id de regra "${rule.id}" já está definido no pacote "${prior.pack}"${line !== undefined ? ` (linha ${line})` : ""}`,
          ),
          located(rule, pack.id, def.id, rule.id),
        ),
      );
      return;
    }
    const entry: Entry = { rule, pack: pack.id, trusted: pack.trusted === true, severity: rule.severity, disabled: false };
    if (category !== undefined) entry.category = category;
    byId.set(rule.id, entry);
    list.push(entry);
  };

  for (const pack of order) {
    for (const r of pack.rules) add(r, pack, general);
    for (const c of pack.categories) {
      let cat = categories.get(c.id);
      if (!cat) categories.set(c.id, (cat = { name: c.name, entries: [] }));
      else if (c.name !== c.id) cat.name = c.name;
      for (const r of c.rules) add(r, pack, cat.entries, c.id);
    }
  }

  // Overrides apply parents first, so a descendant's override wins.
  const ancestors = new Map<string, Set<string>>();
  for (const pack of order) {
    const set = new Set<string>();
    for (const pid of pack.extends) {
      set.add(pid);
      for (const a of ancestors.get(pid) ?? []) set.add(a);
    }
    ancestors.set(pack.id, set);
  }
  for (const pack of order) {
    for (const ov of pack.overrides) {
      const target = byId.get(ov.id);
      const at = located(ov, pack.id, def.id, ov.id);
      if (!target) {
        const dym = didYouMean(ov.id, [...byId.keys()]);
        problems.push(
          packProblem(
            text(`override of unknown rule "${ov.id}"${dym.en}: no inherited rule has this id`, `override da regra desconhecida "${ov.id}"${dym["pt-BR"]}: nenhuma regra herdada tem esse id`),
            at,
          ),
        );
      } else if (target.pack === pack.id) {
        problems.push(
          packProblem(
            text(`rule "${ov.id}" is defined in this pack; change it directly instead of overriding it`, `a regra "${ov.id}" é definida neste pacote; altere-a diretamente em vez de usar override`),
            at,
          ),
        );
      } else if (!ancestors.get(pack.id)?.has(target.pack)) {
        problems.push(
          packProblem(
            text(`rule "${ov.id}" comes from pack "${target.pack}", which pack "${pack.id}" does not extend`, `a regra "${ov.id}" vem do pacote "${target.pack}", que o pacote "${pack.id}" não estende`),
            at,
          ),
        );
      } else {
        if (ov.severity !== undefined) target.severity = ov.severity;
        if (ov.disabled !== undefined) target.disabled = ov.disabled;
      }
    }
  }

  const enabledGeneral = general.filter((e) => !e.disabled);
  const largestCategory = Math.max(0, ...[...categories.values()].map((c) => c.entries.filter((e) => !e.disabled).length));
  if (enabledGeneral.length + largestCategory > limits.maxRules) {
    const n = enabledGeneral.length + largestCategory;
    problems.push(
      packProblem(
        text(
          `the pack and its parents apply ${n} rules to one record; at most ${limits.maxRules} are allowed`,
          `o pacote e seus pais aplicam ${n} regras a um registro; no máximo ${limits.maxRules} são permitidas`,
        ),
        { pointer: "/rules" },
      ),
    );
  }
  if (problems.length) throw new PackError(problems);

  const compileEntries = (entries: Entry[]): CompiledRule[] => {
    const out: CompiledRule[] = [];
    for (const e of entries) {
      if (e.disabled) continue;
      try {
        out.push(compileRule(e, limits));
      } catch (err) {
        const why = (err as Error).message;
        problems.push(packProblem(text(`rule could not be compiled: ${why}`, `não foi possível compilar a regra: ${why}`), located(e.rule, e.pack, def.id, e.rule.id)));
      }
    }
    return out;
  };
  const generalRules = compileEntries(general);
  const categoryRules = new Map<string, CompiledRule[]>();
  for (const [cid, c] of categories) categoryRules.set(cid, generalRules.concat(compileEntries(c.entries)));
  if (problems.length) throw new PackError(problems);

  const categoryList = [...categories.entries()].map(([id, c]) => ({ id, name: c.name }));
  const rulesFor = (category: string | undefined): CompiledRule[] => {
    if (category === undefined) return generalRules;
    const rules = categoryRules.get(category);
    if (rules) return rules;
    const valid = categoryList.map((c) => `${c.id} (${c.name})`).join(", ");
    throw new PackError([
      packProblem(
        categoryList.length
          ? text(`unknown category "${category}" for pack "${def.id}"; valid categories: ${valid}`, `categoria "${category}" desconhecida no pacote "${def.id}"; categorias válidas: ${valid}`)
          : text(`unknown category "${category}": pack "${def.id}" has no categories`, `categoria "${category}" desconhecida: o pacote "${def.id}" não tem categorias`),
        { pointer: "/categories" },
      ),
    ]);
  };
  const fieldsCache = new Map<string, string[]>();

  return {
    id: def.id,
    version: def.version,
    hash,
    categories: categoryList,
    rules: (category) => rulesFor(category).map((r) => r.info),
    fields(category) {
      const key = category ?? "";
      let fields = fieldsCache.get(key);
      if (!fields) {
        const set = new Set<string>();
        for (const r of rulesFor(category)) {
          set.add(r.field);
          if (r.check === "compare") set.add(r.params.other as string);
          if (r.info.when) for (const f of conditionFields(r.info.when)) set.add(f);
        }
        fields = [...set];
        fieldsCache.set(key, fields);
      }
      return fields.slice();
    },
    createValidator(opts: ValidatorOptions = {}) {
      const rules = rulesFor(opts.category);
      const requested = opts.locale ?? def.locale_default ?? "en";
      const locale: Locale = (LOCALES as readonly string[]).includes(requested) ? requested : "en";
      return new RuleValidator(rules, locale, opts.applyFixes === true, opts.unique ?? createUniqueTracker(), opts.bilingual === true);
    },
  };
}

function compileRule(e: Entry, limits: PackLimits): CompiledRule {
  const r = e.rule;
  const spec = CHECKS[r.check];
  const fix = r.fix ? compileFixes(r.fix, { trusted: e.trusted, maxPatternLength: limits.maxPatternLength }) : undefined;
  const rt = spec.compile(r.params, { ruleId: r.id, fix, trusted: e.trusted });
  const info: RuleInfo = {
    id: r.id,
    field: r.field,
    check: r.check,
    params: { ...r.params },
    severity: e.severity,
    each: r.each,
    has_fix: fix !== undefined,
    pack: e.pack,
  };
  if (e.category !== undefined) info.category = e.category;
  if (r.when) info.when = r.when;
  if (r.description !== undefined) info.description = r.description;
  if (r.source !== undefined) info.source = r.source;
  if (r.message !== undefined) info.message = { ...r.message };
  const en = r.message?.en;
  const pt = r.message?.["pt-BR"] ?? en;
  return {
    id: r.id,
    field: r.field,
    check: r.check,
    severity: e.severity,
    each: r.each,
    params: r.params,
    info: Object.freeze(info),
    get: compileGetter(r.field),
    set: compileSetter(r.field),
    when: r.when ? compileCondition(r.when, e.trusted) : undefined,
    skipsAbsent: typeof spec.skipsAbsent === "function" ? spec.skipsAbsent(r.fix) : spec.skipsAbsent,
    absentFixFails: spec.skipsAbsent === true,
    test: rt.test,
    bind: rt.bind,
    quick: rt.quick,
    details: rt.details,
    vars: rt.vars,
    fix,
    custom: { en: en === undefined ? undefined : compileTemplate(en), "pt-BR": pt === undefined ? undefined : compileTemplate(pt) },
  };
}
