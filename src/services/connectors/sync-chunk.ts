import { eq, sql } from "drizzle-orm";
import { providerFor } from "../../connectors";
import { type FetchedItem, ProviderUnavailableError, type RecordShape } from "../../connectors/types";
import { mapLimit } from "../../core/connectors/map-limit";
import type { ListingRecord, listingChanges } from "../../core/connectors/mercadolivre/items";
import { itemRecordKey } from "../../core/connectors/delta";
import { sha256Hex } from "../../core/hash";
import type { ChunkSpec, JobInput, JobPlan } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { attributeTwinsOf, type CompiledMapping } from "../../core/mapping";
import { RecordPipeline, type RecordOutcome } from "../../core/pipeline";
import type { ValidationSummary } from "../../core/report/summary";
import type { Issue } from "../../core/rules";
import { text } from "../../core/text";
import { database } from "../../db/client";
import { connectorItems, connectors, type JobRow } from "../../db/schema";
import { MAX_CHUNK_ATTEMPTS } from "../../durable/job-coordinator";
import type { Env } from "../../env";
import { ChunkOutputs, ChunkUniqueTracker, writeChunkOutputs } from "../jobs/chunk";
import { EncodedLines } from "../../storage/encoded-lines";
import { uniquePartitionsOf } from "../../core/jobs/unique-partitions";
import { JobFailure } from "../jobs/plan";
import { resolveMapping } from "../mappings";
import { resolvePack } from "../rule-packs";
import { BudgetExhaustedError, ITEM_UNAVAILABLE_RULE, ProviderBusyError, ReauthorizationRequiredError, SYNC_FAILURES } from "./errors";
import { sheetsChunk } from "./google-sheets";
import { liveRules, sessionFetcher } from "./live-rules";
import { shopeeLiveLimits } from "./shopee-limits";
import { changesChunk, listingChunk } from "./objects";
import { ProviderSession } from "./session";
import { connectorStepBudget } from "./sync-plan";

/** Provider requests in flight at once within a chunk (a Worker keeps six connections open). */
const CONCURRENCY = 4;

/** A record for an item the provider would not return: an error of that item, not of the sync. */
function unavailable(row: number, item: Extract<FetchedItem, { ok: false }>, name: string): RecordOutcome<unknown> {
  const message = text(
    `${name} did not return item ${item.id} (${item.status || "no answer"}${item.message ? `: ${item.message}` : ""}); it was not validated.`,
    `${name} não devolveu o item ${item.id} (${item.status || "sem resposta"}${item.message ? `: ${item.message}` : ""}); ele não foi validado.`,
  );
  const issue: Issue = { row, field: "", rule: ITEM_UNAVAILABLE_RULE, severity: "error", message: message.en, text: message, value: item.id, column: "id" };
  return { row, valid: false, issues: [issue] };
}

/** One line of a chunk's push candidates. */
export interface ChangeLine {
  row: number;
  item_id: string;
  variation_id: string | null;
  category: string | null;
  changes: ReturnType<typeof listingChanges>;
}

/**
 * The chunk step of a sync: fetches the chunk's items (multiget) and, when a rule reads them,
 * their descriptions; compiles live rules for their categories (cached, pinned to the job); maps,
 * validates and fixes every record (per variation); and writes the same outputs as a file chunk,
 * plus the fields fixes changed (what a push may send) and each item's content hash.
 */
export async function connectorChunk(env: Env, job: JobRow, plan: JobPlan, spec: ChunkSpec, attempt: number): Promise<ValidationSummary> {
  const input = plan.input as Extract<JobInput, { kind: "connector" }>;
  const [connector] = await database(env.DB).select().from(connectors).where(eq(connectors.id, input.connectorId)).limit(1);
  if (!connector) throw new JobFailure(SYNC_FAILURES.deleted().code, SYNC_FAILURES.deleted().text);
  if (input.type === "google_sheets") {
    try {
      return await sheetsChunk(env, job, plan, spec, connector, connectorStepBudget(env));
    } catch (error) {
      throw chunkFailure(error, attempt);
    }
  }
  const provider = providerFor(input.type)!;
  const listing = await env.FILES.get(listingChunk(input.key, spec.index));
  if (!listing) throw new JobFailure("input_missing", text("The sync's listing of items no longer exists.", "A lista de itens da sincronização não existe mais."));
  const ids = (await listing.text()).split("\n").filter(Boolean);
  const session = new ProviderSession(env, connector, connectorStepBudget(env));

  try {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += provider.batch.items) batches.push(ids.slice(i, i + provider.batch.items));
    const fetched = new Map<string, FetchedItem>();
    for (const answers of await mapLimit(batches, CONCURRENCY, (batch) => provider.fetchItems(session.fetch, batch))) {
      for (const answer of answers) fetched.set(answer.id, answer);
    }
    const categoryOf = (item: FetchedItem) => connector.category ?? job.category ?? (item.ok ? item.categoryId : null) ?? undefined;
    const categories = [...new Set([...fetched.values()].map(categoryOf).filter((c): c is string => c !== undefined))];
    const live =
      input.type === "shopee"
        ? await shopeeLiveLimits(env, { shopId: connector.providerUserId ?? "", categoryId: connector.category ?? job.category ?? undefined, jobId: job.id, session })
        : await liveRules(env, { categories, jobId: job.id, fetcher: sessionFetcher(session) });
    const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { live: live?.sections });

    const descriptions = new Map<string, string | null>();
    if (input.descriptions) {
      const readable = ids.filter((id) => fetched.get(id)?.ok);
      const texts = await mapLimit(readable, CONCURRENCY, (id) => provider.fetchDescription(session.fetch, id));
      readable.forEach((id, i) => descriptions.set(id, texts[i]));
    }

    const mapping: CompiledMapping | undefined = job.mappingId
      ? (await resolveMapping(env, job.accountId, job.mappingId, job.mappingVersion ?? undefined)).compiled
      : undefined;
    const locale = job.locale as Locale;
    const tracker = new ChunkUniqueTracker();
    const out = new ChunkOutputs(tracker, uniquePartitionsOf(plan));
    out.keys = [];
    const known = new Set(pack.compiled.categories.map((c) => c.id));
    const pipelines = new Map<string, RecordPipeline>();
    const pipelineFor = (category: string | undefined) => {
      const key = category !== undefined && known.has(category) ? category : "";
      let pipeline = pipelines.get(key);
      if (!pipeline) {
        const cat = key || undefined;
        const validator = pack.compiled.createValidator({ category: cat, locale, applyFixes: job.applyFixes, unique: tracker, bilingual: true });
        const twins = attributeTwinsOf(pack.compiled.fields(cat));
        pipelines.set(key, (pipeline = new RecordPipeline({ validator, applyFixes: job.applyFixes, locale, bilingual: true, twins, mapping })));
      }
      return pipeline;
    };

    const changes = new EncodedLines();
    const hashes: { itemId: string; hash: string }[] = [];
    for (const [i, id] of ids.entries()) {
      const row = spec.firstRow + i;
      const item = fetched.get(id)!;
      if (!item.ok) {
        out.record(unavailable(row, item, provider.name), itemRecordKey(id));
        continue;
      }
      const description = descriptions.get(id);
      const records = provider.records.records(item.item, description ?? undefined);
      hashes.push({ itemId: id, hash: (await sha256Hex(JSON.stringify(records))).slice(0, 32) });
      const category = categoryOf(item);
      const pipeline = pipelineFor(category);
      for (const source of records) {
        const { outcome, corrected } = validateListing(provider.records, pipeline, source, row, mapping);
        out.record(outcome, itemRecordKey(id, source.variation_id));
        if (!job.applyFixes) continue;
        out.corrected.add(JSON.stringify(corrected));
        const changed = provider.records.changes(source, corrected);
        if (changed.length === 0) continue;
        const line: ChangeLine = { row, item_id: id, variation_id: source.variation_id ?? null, category: category ?? null, changes: changed };
        changes.add(JSON.stringify(line));
      }
    }

    await writeChunkOutputs(env, job, plan, spec, out);
    if (job.applyFixes) await env.FILES.put(changesChunk(job.accountId, job.id, spec.index), changes.blob());
    await rememberHashes(env, connector.id, job.id, hashes);
    return out.summary;
  } catch (error) {
    throw chunkFailure(error, attempt);
  }
}

/** What a chunk's error means: the seller must authorize again, the provider stayed unreachable on the last attempt, or a retry. */
function chunkFailure(error: unknown, attempt: number): unknown {
  if (error instanceof ReauthorizationRequiredError) {
    const f = SYNC_FAILURES.reauthorization(error);
    return new JobFailure(f.code, f.text);
  }
  const transient = error instanceof ProviderUnavailableError || error instanceof ProviderBusyError || error instanceof BudgetExhaustedError;
  if (transient && attempt >= MAX_CHUNK_ATTEMPTS) {
    const f = SYNC_FAILURES.unavailable((error as Error).message);
    return new JobFailure(f.code, f.text);
  }
  return error;
}

/** Validates one listing record: through the connector's mapping, or the provider's built-in one (issues then name the marketplace's fields). */
function validateListing(shape: RecordShape, pipeline: RecordPipeline, source: ListingRecord, row: number, mapping: CompiledMapping | undefined) {
  if (mapping) {
    const outcome = pipeline.object(source, row);
    return { outcome, corrected: (outcome.corrected_source ?? source) as ListingRecord };
  }
  const canonical = shape.canonical(source);
  const outcome = pipeline.object(canonical, row);
  for (const issue of outcome.issues) if (issue.field) issue.column = shape.column(issue.field, source);
  return { outcome, corrected: shape.corrected(source, canonical, outcome.corrected ?? canonical) };
}

/** What each item looked like when it was validated, so a notification about an unchanged item costs nothing. */
async function rememberHashes(env: Env, connectorId: string, jobId: string, hashes: { itemId: string; hash: string }[]) {
  if (hashes.length === 0) return;
  const db = database(env.DB);
  const now = Date.now();
  const statements = [];
  // Five values a row, at most 100 bound parameters a statement.
  for (let i = 0; i < hashes.length; i += 20) {
    statements.push(
      db
        .insert(connectorItems)
        .values(hashes.slice(i, i + 20).map((h) => ({ connectorId, itemId: h.itemId, contentHash: h.hash, jobId, updatedAt: now })))
        .onConflictDoUpdate({
          target: [connectorItems.connectorId, connectorItems.itemId],
          set: { contentHash: sql`excluded.content_hash`, jobId: sql`excluded.job_id`, updatedAt: sql`excluded.updated_at` },
        }),
    );
  }
  const [first, ...rest] = statements;
  await db.batch([first, ...rest]);
}
