import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { text } from "../core/text";
import {
  buildTemplate,
  type CompiledMapping,
  compileMapping,
  type FieldMappingDef,
  type MappingDefinition,
  MappingError,
  type MappingTemplate,
  type Suggestion,
  suggestMapping,
  type PresetSummary,
  presetSummary,
} from "../core/mapping";
import { PackError } from "../core/rules";
import { database } from "../db/client";
import { mappingVersions, mappings } from "../db/schema";
import type { Env } from "../env";
import { PackNotFoundError, resolvePack } from "./rule-packs";
import { type Page, type PageQuery, paginate } from "../db/paginate";
import { MARKETPLACE_LIST, MARKETPLACES } from "../core/marketplaces";
import { builtinPresets } from "./builtin-layouts";
import { readSample } from "./files";
import type { SheetOptions } from "../core/jobs/types";


/** Also for other accounts' ids, and for a version the mapping never had. */
export class MappingNotFoundError extends VitrineError {
  constructor(id: string, version?: number) {
    const what = version === undefined ? id : `${id} version ${version}`;
    const oQue = version === undefined ? id : `${id} versão ${version}`;
    super("not_found", text(`Mapping ${what} was not found.`, `O mapeamento ${oQue} não existe nesta conta.`));
  }
}

/** Where a reference to a marketplace (a rule pack) was written in the request. */
export type InputLocation = { pointer: string } | { parameter: string };

/**
 * The pack a marketplace names, and its category if one is given; an unknown one is the caller's
 * input error, located where they wrote it.
 */
export async function requireMarketplace(
  env: Env,
  accountId: string,
  marketplace: string,
  category: string | null | undefined,
  at: { marketplace: InputLocation; category: InputLocation },
) {
  let resolved;
  try {
    resolved = await resolvePack(env, accountId, marketplace);
  } catch (error) {
    if (!(error instanceof PackNotFoundError || error instanceof PackError)) throw error;
    throw new VitrineError("invalid_request", text(`Unknown marketplace ${marketplace}.`, `Marketplace ${marketplace} desconhecido.`), {
      errors: [
        {
          detail: text(
            `unknown marketplace "${marketplace}"; use ${MARKETPLACE_LIST} or one of your rule packs`,
            `marketplace "${marketplace}" desconhecido; use ${MARKETPLACE_LIST} ou um dos seus pacotes de regras`,
          ),
          ...at.marketplace,
        },
      ],
    });
  }
  const categories = resolved.compiled.categories;
  if (category != null && !categories.some((c) => c.id === category)) {
    const known = categories.map((c) => c.id).join(", ");
    const detail = text(
      `unknown category "${category}" for ${marketplace}${known ? `; categories: ${known}` : " (it has no categories)"}`,
      `categoria "${category}" desconhecida em ${marketplace}${known ? `; categorias: ${known}` : " (não há categorias)"}`,
    );
    throw new VitrineError("invalid_request", detail, { errors: [{ detail, ...at.category }] });
  }
  return resolved;
}

export interface MappingInput {
  name: string;
  marketplace: string;
  category?: string | null;
  fields: FieldMappingDef[];
}

export interface MappingView {
  id: string;
  name: string;
  marketplace: string;
  category: string | null;
  version: number;
  fields: FieldMappingDef[];
  created_at: string;
  updated_at: string;
}

export interface MappingVersionSummary {
  version: number;
  name: string;
  marketplace: string;
  category: string | null;
  created_at: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

type HeadRow = typeof mappings.$inferSelect;
type VersionRow = typeof mappingVersions.$inferSelect;

function view(head: HeadRow, v: VersionRow): MappingView {
  return {
    id: head.id,
    name: v.name,
    marketplace: v.marketplace,
    category: v.category,
    version: v.version,
    fields: v.fields,
    created_at: iso(head.createdAt),
    updated_at: iso(v.createdAt),
  };
}

/**
 * Compiles the mapping and checks that its marketplace (a built-in pack or one of the account's)
 * and category exist. Throws MappingError with pointers into the request body.
 */
async function checked(env: Env, accountId: string, input: MappingInput): Promise<MappingDefinition> {
  const compiled = compileMapping({ name: input.name, marketplace: input.marketplace, category: input.category ?? undefined, fields: input.fields });
  let categories: { id: string }[];
  try {
    categories = (await resolvePack(env, accountId, input.marketplace)).compiled.categories;
  } catch (error) {
    if (!(error instanceof PackNotFoundError || error instanceof PackError)) throw error;
    throw new MappingError([
      {
        text: text(
          `unknown marketplace "${input.marketplace}"; use ${MARKETPLACE_LIST} or one of your rule packs`,
          `marketplace "${input.marketplace}" desconhecido; use ${MARKETPLACE_LIST} ou um dos seus pacotes de regras`,
        ),
        pointer: "/marketplace",
      },
    ]);
  }
  if (input.category != null && !categories.some((c) => c.id === input.category)) {
    const known = categories.map((c) => c.id).join(", ");
    throw new MappingError([
      {
        text: text(
          `unknown category "${input.category}" for ${input.marketplace}${known ? `; categories: ${known}` : " (it has no categories)"}`,
          `categoria "${input.category}" desconhecida em ${input.marketplace}${known ? `; categorias: ${known}` : " (não há categorias)"}`,
        ),
        pointer: "/category",
      },
    ]);
  }
  return compiled.definition;
}

async function head(env: Env, accountId: string, id: string): Promise<HeadRow | undefined> {
  const [row] = await database(env.DB)
    .select()
    .from(mappings)
    .where(and(eq(mappings.id, id), eq(mappings.accountId, accountId)))
    .limit(1);
  return row;
}

async function versionRow(env: Env, accountId: string, id: string, version: number): Promise<VersionRow | undefined> {
  const [row] = await database(env.DB)
    .select()
    .from(mappingVersions)
    .where(and(eq(mappingVersions.mappingId, id), eq(mappingVersions.accountId, accountId), eq(mappingVersions.version, version)))
    .limit(1);
  return row;
}

export async function createMapping(env: Env, accountId: string, input: MappingInput): Promise<MappingView> {
  const def = await checked(env, accountId, input);
  const now = Date.now();
  const h: HeadRow = { id: newId("map", now), accountId, name: input.name, marketplace: input.marketplace, category: input.category ?? null, version: 1, createdAt: now, updatedAt: now, deletedAt: null };
  const v: VersionRow = { mappingId: h.id, version: 1, accountId, name: h.name, marketplace: h.marketplace, category: h.category, fields: def.fields, createdAt: now };
  const db = database(env.DB);
  await db.batch([db.insert(mappings).values(h), db.insert(mappingVersions).values(v)]);
  return view(h, v);
}

/** Saves a new version; earlier versions stay, so jobs that used them keep their meaning. */
export async function updateMapping(env: Env, accountId: string, id: string, input: MappingInput): Promise<MappingView> {
  const current = await head(env, accountId, id);
  if (!current || current.deletedAt !== null) throw new MappingNotFoundError(id);
  const def = await checked(env, accountId, input);
  const now = Date.now();
  const version = current.version + 1;
  const v: VersionRow = { mappingId: id, version, accountId, name: input.name, marketplace: input.marketplace, category: input.category ?? null, fields: def.fields, createdAt: now };
  const db = database(env.DB);
  try {
    // The version's primary key makes two concurrent saves of the same version collide instead of both winning.
    await db.batch([
      db.insert(mappingVersions).values(v),
      db
        .update(mappings)
        .set({ name: v.name, marketplace: v.marketplace, category: v.category, version, updatedAt: now })
        .where(and(eq(mappings.id, id), eq(mappings.accountId, accountId), eq(mappings.version, current.version))),
    ]);
  } catch (error) {
    if (/UNIQUE|PRIMARY KEY|constraint/i.test(String(error))) {
      throw new VitrineError(
        "conflict",
        text(
          `Mapping ${id} was changed by another request; fetch it and try again.`,
          `O mapeamento ${id} foi alterado por outra requisição; busque-o de novo e tente outra vez.`,
        ),
      );
    }
    throw error;
  }
  return view(current, v);
}

/** A mapping at its latest version, or at `version` (of a live mapping). */
export async function getMapping(env: Env, accountId: string, id: string, version?: number): Promise<MappingView> {
  const h = await head(env, accountId, id);
  if (!h || h.deletedAt !== null) throw new MappingNotFoundError(id);
  const v = await versionRow(env, accountId, id, version ?? h.version);
  if (!v) throw new MappingNotFoundError(id, version);
  return view(h, v);
}

export async function listMappingVersions(env: Env, accountId: string, id: string): Promise<MappingVersionSummary[]> {
  const h = await head(env, accountId, id);
  if (!h || h.deletedAt !== null) throw new MappingNotFoundError(id);
  const rows = await database(env.DB)
    .select()
    .from(mappingVersions)
    .where(and(eq(mappingVersions.mappingId, id), eq(mappingVersions.accountId, accountId)))
    .orderBy(desc(mappingVersions.version));
  return rows.map((r) => ({ version: r.version, name: r.name, marketplace: r.marketplace, category: r.category, created_at: iso(r.createdAt) }));
}

/** The account's live mappings, newest first, optionally for one marketplace. */
export async function listMappings(env: Env, accountId: string, opts: PageQuery & { marketplace?: string }): Promise<Page<MappingView>> {
  const db = database(env.DB);
  return paginate(
    mappings.id,
    opts,
    (cursor, take) =>
      db
        .select({ head: mappings, version: mappingVersions })
        .from(mappings)
        .innerJoin(mappingVersions, and(eq(mappingVersions.mappingId, mappings.id), eq(mappingVersions.version, mappings.version)))
        .where(
          and(
            eq(mappings.accountId, accountId),
            isNull(mappings.deletedAt),
            opts.marketplace !== undefined ? eq(mappings.marketplace, opts.marketplace) : undefined,
            cursor,
          ),
        )
        .orderBy(desc(mappings.id))
        .limit(take),
    (r) => view(r.head, r.version),
  );
}

/** Deletes a mapping from the API. Its versions stay, so jobs that used it can still be explained. */
export async function deleteMapping(env: Env, accountId: string, id: string): Promise<void> {
  const h = await head(env, accountId, id);
  if (!h || h.deletedAt !== null) throw new MappingNotFoundError(id);
  await database(env.DB)
    .update(mappings)
    .set({ deletedAt: Date.now() })
    .where(and(eq(mappings.id, id), eq(mappings.accountId, accountId)));
}

// Versions never change once written, so compiled versions are cached per isolate.
const compiledCache = new Map<string, { compiled: CompiledMapping; view: MappingView }>();
const COMPILED_CACHE_SIZE = 128;

export interface ResolvedMapping {
  compiled: CompiledMapping;
  id: string;
  version: number;
  /** The version's marketplace and category: the defaults for validating with it. */
  marketplace: string;
  category: string | null;
}

/**
 * The compiled mapping a job or a request means: the latest version of a live mapping, or exactly
 * `version` — pinned versions stay readable after the mapping is edited or deleted, so a job
 * always maps with the version it recorded. Throws MappingNotFoundError (also for other accounts' ids).
 */
export async function resolveMapping(env: Env, accountId: string, mappingId: string, version?: number): Promise<ResolvedMapping> {
  let wanted = version;
  if (wanted === undefined) {
    const h = await head(env, accountId, mappingId);
    if (!h || h.deletedAt !== null) throw new MappingNotFoundError(mappingId);
    wanted = h.version;
  }
  const key = `${accountId}\u0000${mappingId}\u0000${wanted}`;
  let hit = compiledCache.get(key);
  if (hit) {
    compiledCache.delete(key);
    compiledCache.set(key, hit);
  } else {
    const v = await versionRow(env, accountId, mappingId, wanted);
    if (!v) throw new MappingNotFoundError(mappingId, wanted);
    const fields = v.fields;
    const compiled = compileMapping({ name: v.name, marketplace: v.marketplace, category: v.category, fields });
    hit = {
      compiled,
      view: { id: mappingId, name: v.name, marketplace: v.marketplace, category: v.category, version: v.version, fields, created_at: iso(v.createdAt), updated_at: iso(v.createdAt) },
    };
    compiledCache.set(key, hit);
    if (compiledCache.size > COMPILED_CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value!);
  }
  return { compiled: hit.compiled, id: mappingId, version: wanted, marketplace: hit.view.marketplace, category: hit.view.category };
}

/**
 * Templates for one marketplace (and category), or — without a marketplace — for every built-in
 * marketplace, general and per category.
 */
export async function listTemplates(env: Env, accountId: string, marketplace?: string, category?: string): Promise<MappingTemplate[]> {
  if (category !== undefined && marketplace === undefined) {
    const detail = text("category needs marketplace", "category exige marketplace");
    throw new VitrineError("invalid_request", text("category needs marketplace.", "category exige marketplace."), { errors: [{ detail, parameter: "category" }] });
  }
  if (marketplace === undefined) {
    const out: MappingTemplate[] = [];
    for (const id of MARKETPLACES) {
      const { compiled } = await resolvePack(env, accountId, id);
      out.push(buildTemplate(compiled));
      for (const c of compiled.categories) out.push(buildTemplate(compiled, c.id));
    }
    return out;
  }
  const { compiled } = await requireMarketplace(env, accountId, marketplace, category, {
    marketplace: { parameter: "marketplace" },
    category: { parameter: "category" },
  });
  return [buildTemplate(compiled, category)];
}

export type SuggestRequest = {
  marketplace: string;
  category?: string;
  /** A layout preset to use whether or not the header looks like it. */
  preset?: string;
} & ({ headers: string[]; sampleRows?: (unknown[] | Record<string, unknown>)[] } | { fileId: string; layout?: SheetOptions });

/**
 * A mapping proposed for a file's header and sample rows (sent, or read from a stored file): a
 * recognised layout first, then names checked against the values.
 */
export async function suggest(env: Env, accountId: string, req: SuggestRequest): Promise<Suggestion> {
  const { compiled } = await requireMarketplace(env, accountId, req.marketplace, req.category, {
    marketplace: { pointer: "/marketplace" },
    category: { pointer: "/category" },
  });
  const source = "fileId" in req ? await readSample(env, accountId, req.fileId, undefined, req.layout) : { header: req.headers, rows: req.sampleRows };
  return suggestMapping({
    headers: source.header,
    sampleRows: source.rows,
    template: buildTemplate(compiled, req.category),
    presets: builtinPresets(),
    preset: req.preset,
  });
}

/** The layouts Vitrine knows, for GET /mappings/presets. */
export function listPresets(): PresetSummary[] {
  return builtinPresets().map(presetSummary);
}
