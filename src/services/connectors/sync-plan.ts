import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { config } from "../../config";
import { providerFor } from "../../connectors";
import { ProviderUnavailableError } from "../../connectors/types";
import { listingPageCost, listingPageSize, stepBudget, syncChunkCost, syncChunkItems } from "../../core/connectors/budget";
import type { ChunkSpec, JobPlan } from "../../core/jobs/types";
import { randomBase62 } from "../../core/ids";
import { text } from "../../core/text";
import { database } from "../../db/client";
import { type ConnectorSyncRow, connectorSyncs, connectors, type JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { coordinator, enqueue, syncJob } from "../jobs/jobs";
import { holdQuota, JobFailure } from "../jobs/plan";
import { resolvePack } from "../rule-packs";
import { planSheetsSync } from "./google-sheets";
import { BudgetExhaustedError, ProviderBusyError, ReauthorizationRequiredError, SYNC_FAILURES } from "./errors";
import { planFeedSync } from "./feed";
import { listingChunk, listingPrefix } from "./objects";
import { ProviderSession } from "./session";

/** A listing step holds the sync for this long; a step that dies is noticed after it and the listing starts over. */
const PLAN_LEASE_MS = 5 * 60_000;
/** Listing steps in a row that could not reach the provider before the sync fails. */
const MAX_PLAN_FAILURES = 5;

function failure(f: { code: string; text: ReturnType<typeof text> }) {
  return new JobFailure(f.code, f.text);
}

/** The subrequests one connector step may spend toward its provider, from SUBREQUEST_BUDGET. */
export function connectorStepBudget(env: Env): number {
  const c = config(env);
  return stepBudget(c.subrequestBudget, c.jobQueueBatchSize);
}

function budgetTooSmall(): JobFailure {
  return new JobFailure(
    "connector.budget_too_small",
    text(
      "SUBREQUEST_BUDGET (divided by JOB_QUEUE_BATCH_SIZE) leaves no room for a connector step; see docs/connectors.md.",
      "SUBREQUEST_BUDGET (dividido por JOB_QUEUE_BATCH_SIZE) não deixa espaço para uma etapa de conector; veja docs/connectors.md.",
    ),
  );
}

/**
 * Takes the listing lease. A lease left by a step that died (expired while held) means scroll
 * pages may have been read and lost, so the listing starts over from the first page.
 */
async function claim(env: Env, jobId: string, owner: string, now: number): Promise<ConnectorSyncRow | null> {
  const db = database(env.DB);
  const lease = { planOwner: owner, planLeaseUntil: now + PLAN_LEASE_MS };
  const abandoned = and(isNotNull(connectorSyncs.planOwner), lt(connectorSyncs.planLeaseUntil, now));
  const [restarted] = await db
    .update(connectorSyncs)
    .set({ ...lease, scrollId: null, pendingIds: [], listed: 0, chunks: 0 })
    .where(and(eq(connectorSyncs.jobId, jobId), eq(connectorSyncs.complete, false), abandoned))
    .returning();
  if (restarted) return restarted;
  // Free, or abandoned after the whole listing was written (only the hand-over is left to do).
  const [claimed] = await db
    .update(connectorSyncs)
    .set(lease)
    .where(and(eq(connectorSyncs.jobId, jobId), or(isNull(connectorSyncs.planOwner), and(eq(connectorSyncs.complete, true), abandoned))))
    .returning();
  return claimed ?? null;
}

/**
 * The plan step of a sync: lists the connector's item ids (scan and scroll, as many pages as the
 * step's budget allows, then again from where it stopped) into one R2 object per chunk, and
 * hands the coordinator a plan whose chunks fetch, map, validate and fix those items.
 */
export async function planConnectorSync(env: Env, job: JobRow): Promise<JobRow | null> {
  const coord = coordinator(env, job.id);
  const db = database(env.DB);
  const owner = randomBase62(16);
  const sync = await claim(env, job.id, owner, Date.now());
  if (!sync) return null; // another step holds the lease
  const release = async () => {
    await db
      .update(connectorSyncs)
      .set({ planOwner: null, planLeaseUntil: null })
      .where(and(eq(connectorSyncs.jobId, job.id), eq(connectorSyncs.planOwner, owner)));
  };
  try {
    const [connector] = await db.select().from(connectors).where(eq(connectors.id, sync.connectorId)).limit(1);
    if (!connector) throw failure(SYNC_FAILURES.deleted());
    if (connector.type === "url") {
      // A feed is fetched into R2 here, then planned like an uploaded file (the job it returns).
      const asFile = await planFeedSync(env, job, sync, connector);
      await release();
      return asFile;
    }
    if (connector.type === "google_sheets") {
      // A sheet is read by row ranges: its plan step reads the grid's size and header, nothing is listed.
      await planSheetsSync(env, job, connector, connectorStepBudget(env));
      await release();
      return null;
    }
    const provider = providerFor(connector.type);
    if (!provider || !connector.providerUserId) throw failure(SYNC_FAILURES.notActive(connector.status));
    const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined);
    // Descriptions cost one request per item: read only when a rule of the pack reads them.
    const descriptions = pack.compiled.fields().includes("description");
    const prefix = listingPrefix(job.accountId, job.id);
    const handOver = async (listing: { listed: number; chunks: number; chunkItems: number }) => {
      // A plan message that arrives after the plan was handed over has nothing left to do.
      if ((await coord.snapshot()).status !== "queued") return release();
      const plan: JobPlan = {
        input: { kind: "connector", key: prefix, connectorId: connector.id, type: connector.type, descriptions },
        chunks: Array.from({ length: listing.chunks }, (_, i): ChunkSpec => ({
          index: i,
          start: 0,
          end: 0,
          firstRow: i * listing.chunkItems + 1,
          rows: i < listing.chunks - 1 ? listing.chunkItems : listing.listed - (listing.chunks - 1) * listing.chunkItems,
        })),
        rowsTotal: listing.listed,
        crossChunkUnique: pack.compiled.createValidator({}).uniqueRules.length > 0,
      };
      await holdQuota(env, job, plan.rowsTotal);
      // The coordinator keeps the first plan it gets; a repeated hand-over re-enqueues only chunks not done.
      const pending = await coord.planned(plan);
      await enqueue(
        env,
        job.priority,
        pending.map((chunk) => ({ kind: "chunk", job_id: job.id, account_id: job.accountId, chunk })),
      );
      await release();
      await syncJob(env, job.id);
    };
    if (sync.complete) {
      await handOver(sync);
      return null;
    }

    const budget = connectorStepBudget(env);
    // A provider with one more request per item (Shopee's model lists) costs like one that reads descriptions.
    const perItem = descriptions || provider.batch.requestPerItem === true;
    const chunkItems = sync.chunkItems || syncChunkItems(budget, syncChunkCost(provider.batch.items, perItem), provider.batch.items);
    if (chunkItems < 1) throw budgetTooSmall();
    let { scrollId, pendingIds, listed, chunks } = sync;
    const writes: Promise<unknown>[] = [];
    // Each chunk spec is one R2 write: a subrequest of this step, like the provider's requests.
    const cut = (ids: string[]) => {
      writes.push(env.FILES.put(listingChunk(prefix, chunks++), ids.join("\n")));
      listed += ids.length;
    };
    let done = false;
    if (sync.itemIds) {
      // Items named by notifications: as many chunks as this step may write; the next step goes on from `listed`.
      const ids = sync.itemIds;
      while (listed < ids.length && writes.length < budget) cut(ids.slice(listed, listed + chunkItems));
      done = listed >= ids.length;
    } else {
      const pageSize = listingPageSize(budget, provider.batch.pageSize, chunkItems);
      // Without room for one page the plan would be requeued forever without listing anything.
      if (pageSize < 1) throw budgetTooSmall();
      const session = new ProviderSession(env, connector, budget);
      const pageCost = listingPageCost(pageSize, chunkItems);
      const status = typeof connector.config.item_status === "string" ? connector.config.item_status : undefined;
      try {
        while (session.remaining - writes.length >= pageCost.perUnit + pageCost.fixed) {
          const page = await provider.listItems(
            (path, init) => session.fetch(path, status ? { ...init, query: { ...init?.query, status } } : init),
            connector.providerUserId,
            scrollId,
            pageSize,
          );
          pendingIds = [...pendingIds, ...page.ids];
          scrollId = page.next;
          while (pendingIds.length >= chunkItems) {
            cut(pendingIds.slice(0, chunkItems));
            pendingIds = pendingIds.slice(chunkItems);
          }
          if (!page.next) {
            if (pendingIds.length) cut(pendingIds);
            pendingIds = [];
            done = true;
            break;
          }
        }
      } catch (error) {
        // The page that hit the budget was never sent: what was listed so far stands.
        if (!(error instanceof BudgetExhaustedError)) throw error;
      }
    }
    await Promise.all(writes);
    const [committed] = await db
      .update(connectorSyncs)
      .set({ scrollId, pendingIds, listed, chunks, chunkItems, complete: done, planFailures: 0, ...(done ? {} : { planOwner: null, planLeaseUntil: null }) })
      .where(and(eq(connectorSyncs.jobId, job.id), eq(connectorSyncs.planOwner, owner)))
      .returning();
    if (!committed) return null; // the lease was lost: the step that holds it now carries on
    if (!done) {
      await enqueue(env, job.priority, [{ kind: "plan", job_id: job.id, account_id: job.accountId }]);
      return null;
    }
    await handOver(committed);
    return null;
  } catch (error) {
    // A failed request may still have moved the provider's scroll: the next step lists from the start.
    const restart = sync.complete ? {} : { scrollId: null, pendingIds: [], listed: 0, chunks: 0 };
    await db
      .update(connectorSyncs)
      .set({ planOwner: null, planLeaseUntil: null, planFailures: sync.planFailures + 1, ...restart })
      .where(and(eq(connectorSyncs.jobId, job.id), eq(connectorSyncs.planOwner, owner)));
    if (error instanceof ReauthorizationRequiredError) throw failure(SYNC_FAILURES.reauthorization(error));
    const transient = error instanceof ProviderUnavailableError || error instanceof ProviderBusyError;
    if (transient && sync.planFailures + 1 >= MAX_PLAN_FAILURES) throw failure(SYNC_FAILURES.unavailable(String((error as Error).message)));
    throw error;
  }
}
