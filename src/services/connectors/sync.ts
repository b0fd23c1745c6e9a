import { and, eq, isNull, or } from "drizzle-orm";
import type { JobSnapshot } from "../../core/jobs/types";
import { isTerminal } from "../../core/jobs/types";
import type { PushMode, SyncOutcome } from "../../core/connectors/types";
import { VitrineError } from "../../core/errors";
import { newId } from "../../core/ids";
import type { Locale } from "../../core/locale";
import { text } from "../../core/text";
import { database } from "../../db/client";
import { type ConnectorRow, connectorSyncs, connectors, type JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { recordEvent } from "../events";
import { createJob, getJobRow } from "../jobs/jobs";
import { resolveMapping } from "../mappings";
import { requireConnector } from "./connectors";
import { compareSync } from "./delta";
import { ITEM_UNAVAILABLE_RULE } from "./errors";
import { createPush } from "./push";

export interface SyncRequest {
  applyFixes: boolean;
  push: PushMode;
  trigger: "api" | "schedule" | "notification";
  /** Only these items (re-validation after notifications). */
  itemIds?: string[];
  locale: Locale;
}

function conflict(en: string, pt: string, extra: Record<string, unknown> = {}) {
  return new VitrineError("conflict", text(en, pt), extra);
}

/**
 * Takes the connector's one sync slot for `jobId`. A slot held by a job that already ended (its
 * end was not recorded) is taken back.
 */
async function claimSlot(env: Env, connector: ConnectorRow, jobId: string): Promise<void> {
  const db = database(env.DB);
  const take = () =>
    db
      .update(connectors)
      .set({ runningJobId: jobId, updatedAt: Date.now() })
      .where(and(eq(connectors.id, connector.id), isNull(connectors.runningJobId)))
      .returning({ id: connectors.id });
  if ((await take()).length === 1) return;
  const [current] = await db.select({ runningJobId: connectors.runningJobId }).from(connectors).where(eq(connectors.id, connector.id)).limit(1);
  const running = current?.runningJobId ? await getJobRow(env, connector.accountId, current.runningJobId) : null;
  if (current?.runningJobId && (!running || isTerminal(running.status))) {
    await db
      .update(connectors)
      .set({ runningJobId: null })
      .where(and(eq(connectors.id, connector.id), eq(connectors.runningJobId, current.runningJobId)));
    if ((await take()).length === 1) return;
  }
  const runningId = current?.runningJobId ?? null;
  throw conflict(
    `Connector ${connector.id} is already syncing (job ${runningId}); one sync runs at a time.`,
    `O conector ${connector.id} já está sincronizando (job ${runningId}); uma sincronização por vez.`,
    { running_job: runningId ? { id: runningId, url: `/api/v1/jobs/${runningId}` } : null },
  );
}

/**
 * Starts a sync: a validation job whose source is the connector (same progress, results, issues,
 * corrected output and events as any job). One runs at a time per connector.
 */
export async function startSync(env: Env, accountId: string, connectorId: string, request: SyncRequest): Promise<JobRow> {
  const connector = await requireConnector(env, accountId, connectorId);
  if (connector.status !== "active" && connector.status !== "error") {
    throw conflict(
      `Connector ${connector.id} is ${connector.status}: authorize it first (POST /api/v1/connectors/${connector.id}/authorize).`,
      `O conector ${connector.id} está ${connector.status}: autorize-o antes (POST /api/v1/connectors/${connector.id}/authorize).`,
    );
  }
  if (request.push !== "none" && connector.type === "url") {
    throw new VitrineError("unprocessable", text("A feed URL is only read: there is nowhere to push corrections to (download them from the job instead).", "Uma URL de feed só é lida: não há para onde enviar correções (baixe-as do job)."));
  }
  if (request.push !== "none" && connector.pushFields.length === 0) {
    throw new VitrineError(
      "unprocessable",
      text(
        "The connector's push_fields is empty, so nothing may be written back. Set the fields Vitrine may change (PATCH /api/v1/connectors/{id}) first.",
        "O push_fields do conector está vazio, então nada pode ser escrito de volta. Defina antes os campos que o Vitrine pode alterar (PATCH /api/v1/connectors/{id}).",
      ),
    );
  }
  const mapping = connector.mappingId ? await resolveMapping(env, accountId, connector.mappingId) : null;
  const jobId = newId("job");
  await claimSlot(env, connector, jobId);
  const db = database(env.DB);
  try {
    await db.insert(connectorSyncs).values({
      jobId,
      connectorId: connector.id,
      accountId,
      trigger: request.trigger,
      itemIds: request.itemIds ?? null,
      push: request.push,
      scrollId: null,
      pendingIds: [],
      listed: 0,
      chunks: 0,
      complete: false,
      chunkItems: 0,
      planFailures: 0,
      planOwner: null,
      planLeaseUntil: null,
      createdAt: Date.now(),
      endedAt: null,
    });
    return await createJob(
      env,
      { accountId },
      {
        id: jobId,
        source: { connector_id: connector.id },
        rulePack: connector.rulePack,
        category: connector.category ?? undefined,
        mapping: mapping ? { id: mapping.id, version: mapping.version } : undefined,
        applyFixes: request.applyFixes,
        locale: request.locale,
      },
    );
  } catch (error) {
    await db.batch([
      db.delete(connectorSyncs).where(eq(connectorSyncs.jobId, jobId)),
      db.update(connectors).set({ runningJobId: null }).where(and(eq(connectors.id, connector.id), eq(connectors.runningJobId, jobId))),
    ]);
    throw error;
  }
}

/**
 * A sync job ended (completed, failed or cancelled): frees the connector's slot, records the
 * outcome on the connector (a revoked grant asks for reauthorization), sends `connector.synced`,
 * and starts the push the sync asked for. Safe to run again: every effect is keyed by the job.
 */
export async function syncEnded(env: Env, job: JobRow, snapshot: JobSnapshot): Promise<void> {
  const db = database(env.DB);
  const [sync] = await db.select().from(connectorSyncs).where(eq(connectorSyncs.jobId, job.id)).limit(1);
  if (!sync) return;
  const now = Date.now();
  const unavailable = snapshot.summary.by_rule[ITEM_UNAVAILABLE_RULE]?.count ?? 0;
  const status: SyncOutcome = snapshot.status === "completed" ? (sync.feed?.unchanged ? "unchanged" : unavailable > 0 ? "partial" : "succeeded") : "failed";
  const code = snapshot.error?.code ?? null;
  const reauthorize = code === "connector.reauthorization_required";
  const unreachable = code === "connector.provider_unavailable";
  const problem = snapshot.error && (reauthorize || unreachable) ? { code: snapshot.error.code, message: typeof snapshot.error.message === "string" ? text(snapshot.error.message, snapshot.error.message) : snapshot.error.message } : null;

  // Compared with the previous sync before anything says it ended, so connector.synced can carry the changes.
  const { delta, baselineRecords } = await compareSync(env, sync, status);
  await db.batch([
    db.update(connectorSyncs).set({ endedAt: now, outcome: status }).where(and(eq(connectorSyncs.jobId, job.id), isNull(connectorSyncs.endedAt))),
    db
      .update(connectors)
      .set({
        runningJobId: null,
        lastSyncJobId: job.id,
        lastSyncAt: snapshot.finished_at ?? now,
        lastSyncStatus: status,
        ...(reauthorize && { status: "reauthorization_required" as const, problem }),
        ...(unreachable && { status: "error" as const, problem }),
        ...(status !== "failed" && { status: "active" as const, problem: null }),
        updatedAt: now,
      })
      .where(and(eq(connectors.id, sync.connectorId), or(eq(connectors.runningJobId, job.id), isNull(connectors.runningJobId)))),
  ]);

  const [connector] = await db.select().from(connectors).where(eq(connectors.id, sync.connectorId)).limit(1);
  const iso = (ms: number | null) => new Date(ms ?? now).toISOString();
  await recordEvent(
    env,
    job.accountId,
    "connector.synced",
    {
      connector_id: sync.connectorId,
      provider: connector?.type ?? "mercadolivre",
      direction: "import",
      status,
      job_id: job.id,
      counts: { fetched: snapshot.summary.records - unavailable, created: 0, updated: 0, unchanged: status === "unchanged" ? baselineRecords : 0, failed: unavailable },
      changes: delta,
      started_at: iso(snapshot.started_at ?? job.createdAt),
      completed_at: iso(snapshot.finished_at),
      error: snapshot.error ? { code: snapshot.error.code, message: snapshot.error.message } : null,
      links: { connector: `/api/v1/connectors/${sync.connectorId}`, job: `/api/v1/jobs/${job.id}` },
    },
    { dedupeKey: `${job.id}:connector.synced`, locale: job.locale as Locale },
  );

  if (snapshot.status === "completed" && sync.push !== "none" && connector) {
    await createPush(env, connector, { jobId: job.id, dryRun: sync.push === "dry_run", fields: connector.pushFields, automatic: true });
  }
}

/** The sync row of a job, if the job is a sync. */
export async function syncOf(env: Env, jobId: string) {
  const [row] = await database(env.DB).select().from(connectorSyncs).where(eq(connectorSyncs.jobId, jobId)).limit(1);
  return row ?? null;
}

