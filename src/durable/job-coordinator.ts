import { DurableObject } from "cloudflare:workers";
import type { ChunkSpec, JobError, JobMessage, JobPlan, JobSnapshot, JobStatus, JobTransition } from "../core/jobs/types";
import { isTerminal } from "../core/jobs/types";
import { plannedUniquePartitions, uniquePartitionsOf } from "../core/jobs/unique-partitions";
import { emptySummary, mergeSummary, type ValidationSummary } from "../core/report/summary";
import type { Env } from "../env";
import { sendInBatches } from "../storage/queue-send";

/** A chunk not reported within this time is handed out again. */
export const LEASE_MS = 2 * 60_000;
/** How often the alarm looks for lost work while the job runs. */
const WATCH_MS = 30_000;
/** After this many failed attempts at one chunk the job fails. */
export const MAX_CHUNK_ATTEMPTS = 5;

interface ChunkState {
  status: "pending" | "leased" | "done";
  leaseUntil: number;
  attempts: number;
  lastError?: string;
}

interface JobMeta {
  jobId: string;
  accountId: string;
  priority: "high" | "normal";
  /** Whether the job's validations count toward the account's usage (absent in jobs started before metering: they do). */
  metered?: boolean;
}

/** Validations of one counted chunk, not yet recorded as the account's usage. */
export interface ChunkUsage {
  chunk: number;
  records: number;
}

interface State {
  meta: JobMeta;
  status: JobStatus;
  plan: JobPlan | null;
  chunks: ChunkState[];
  chunksDone: number;
  rowsDone: number;
  summary: ValidationSummary;
  finalize: "none" | "pending" | "done";
  /**
   * The finalize step's partitions compared so far. Indices only: what they found lives in R2
   * (runner.ts). The whole state is one storage entry, and an entry is limited (2 MB with key on
   * the SQLite backend, 128 KiB on the old key-value one; docs/scaling.md).
   */
  uniqueDone?: number[];
  error: JobError | null;
  startedAt: number | null;
  finishedAt: number | null;
  lastActivity: number;
  transitions: JobTransition[];
  nextSeq: number;
  /** The usage outbox: chunks counted here whose validations the account's usage has not recorded yet. */
  usage?: ChunkUsage[];
}

export interface FinalizeInput {
  status: JobStatus;
  uniquePartitions: number;
  /** Partitions the finalize step has not compared yet, ascending. */
  pending: number[];
}

export type LeaseResult =
  | { ok: true; spec: ChunkSpec; plan: JobPlan; attempt: number }
  | { ok: false; reason: "inactive" | "done" | "busy" | "unplanned" };

/**
 * One per job: owns the state machine (queued → running → completed | failed | cancelled),
 * the chunk ledger that counts each chunk exactly once whatever the queue redelivers,
 * exact counters, cancellation, and an alarm that re-enqueues lost work.
 * D1 and webhooks learn about transitions through an outbox the consumer drains.
 */
export class JobCoordinator extends DurableObject<Env> {
  private state: State | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<State>("state")) ?? null;
    });
  }

  private async save() {
    await this.ctx.storage.put("state", this.state);
  }

  private must(): State {
    if (!this.state) throw new Error("job coordinator used before init");
    return this.state;
  }

  private transition(to: JobStatus, now = Date.now()) {
    const s = this.must();
    if (s.status === to) return;
    s.transitions.push({ seq: s.nextSeq++, from: s.status, to, at: now });
    s.status = to;
    if (to === "running") s.startedAt ??= now;
    if (isTerminal(to)) s.finishedAt = now;
  }

  async init(meta: JobMeta): Promise<void> {
    if (this.state) return;
    const now = Date.now();
    this.state = {
      meta,
      status: "queued",
      plan: null,
      chunks: [],
      chunksDone: 0,
      rowsDone: 0,
      summary: emptySummary(),
      finalize: "none",
      error: null,
      startedAt: null,
      finishedAt: null,
      lastActivity: now,
      transitions: [],
      nextSeq: 1,
    };
    await this.save();
    await this.ctx.storage.setAlarm(now + WATCH_MS);
  }

  /** Records the plan (first call wins) and returns the chunks still to run, for (re-)enqueueing. */
  async planned(plan: JobPlan): Promise<number[]> {
    const s = this.must();
    if (isTerminal(s.status)) return [];
    const now = Date.now();
    if (!s.plan) {
      // The partition count is fixed here, once, for every chunk and the finalize step.
      s.plan = { ...plan, uniquePartitions: plan.uniquePartitions ?? plannedUniquePartitions(plan.rowsTotal) };
      s.chunks = plan.chunks.map(() => ({ status: "pending", leaseUntil: 0, attempts: 0 }));
      this.transition("running", now);
      if (plan.chunks.length === 0) this.transition("completed", now);
    }
    s.lastActivity = now;
    await this.save();
    return s.chunks.flatMap((c, i) => (c.status === "done" ? [] : [i]));
  }

  async lease(index: number): Promise<LeaseResult> {
    const s = this.must();
    if (s.status !== "running") return { ok: false, reason: isTerminal(s.status) ? "inactive" : "unplanned" };
    const chunk = s.chunks[index];
    if (!chunk || !s.plan) return { ok: false, reason: "unplanned" };
    if (chunk.status === "done") return { ok: false, reason: "done" };
    const now = Date.now();
    if (chunk.status === "leased" && chunk.leaseUntil > now) return { ok: false, reason: "busy" };
    if (chunk.attempts >= MAX_CHUNK_ATTEMPTS) {
      this.failWith({ code: "chunk_failed", message: `Chunk ${index} failed ${chunk.attempts} times: ${chunk.lastError ?? "lease expired"}` });
      await this.save();
      return { ok: false, reason: "inactive" };
    }
    chunk.status = "leased";
    chunk.attempts++;
    chunk.leaseUntil = now + LEASE_MS;
    s.lastActivity = now;
    await this.save();
    return { ok: true, spec: s.plan.chunks[index], plan: s.plan, attempt: chunk.attempts };
  }

  /**
   * Counts a chunk once. `validations` (the records it validated) go into the usage outbox in the
   * same write, so usage is recorded exactly once per counted chunk. Returns whether the job now
   * needs its finalize step.
   */
  async chunkDone(index: number, summary: ValidationSummary, validations = summary.records): Promise<{ counted: boolean; finalize: boolean }> {
    const s = this.must();
    const chunk = s.chunks[index];
    if (!chunk || chunk.status === "done" || s.status !== "running") return { counted: false, finalize: false };
    chunk.status = "done";
    s.chunksDone++;
    s.rowsDone += s.plan!.chunks[index].rows;
    mergeSummary(s.summary, summary);
    if (s.meta.metered !== false && validations > 0) (s.usage ??= []).push({ chunk: index, records: validations });
    s.lastActivity = Date.now();
    let finalize = false;
    if (s.chunksDone === s.chunks.length) {
      if (s.plan!.crossChunkUnique && s.chunks.length > 1) {
        s.finalize = "pending";
        finalize = true;
      } else {
        s.finalize = "done";
        this.transition("completed");
      }
    }
    await this.save();
    return { counted: true, finalize };
  }

  async chunkFailed(index: number, error: string): Promise<void> {
    const s = this.must();
    const chunk = s.chunks[index];
    if (!chunk || chunk.status !== "leased") return;
    chunk.status = "pending";
    chunk.leaseUntil = 0;
    chunk.lastError = error.slice(0, 500);
    if (chunk.attempts >= MAX_CHUNK_ATTEMPTS) {
      this.failWith({ code: "chunk_failed", message: `Chunk ${index} failed ${chunk.attempts} times: ${chunk.lastError}` });
    }
    await this.save();
  }

  /** Applies the cross-chunk uniqueness result and completes the job. Idempotent. */
  async finalized(delta: ValidationSummary): Promise<boolean> {
    const s = this.must();
    if (s.finalize !== "pending" || s.status !== "running") return false;
    mergeSummary(s.summary, delta);
    s.finalize = "done";
    this.transition("completed");
    await this.save();
    return true;
  }

  private failWith(error: JobError) {
    const s = this.must();
    if (isTerminal(s.status)) return;
    s.error = error;
    this.transition("failed");
  }

  async fail(error: JobError): Promise<void> {
    this.failWith(error);
    await this.save();
  }

  /** Cancels unless already finished. Chunks not yet started are skipped. */
  async cancel(): Promise<JobStatus> {
    const s = this.must();
    if (!isTerminal(s.status)) {
      this.transition("cancelled");
      await this.save();
    }
    return s.status;
  }

  snapshot(): JobSnapshot {
    const s = this.must();
    const rowsTotal = s.plan?.rowsTotal ?? null;
    const chunksTotal = s.plan ? s.plan.chunks.length : null;
    const percent =
      s.status === "completed" ? 100 : rowsTotal ? Math.floor((s.rowsDone / rowsTotal) * 100) : chunksTotal ? Math.floor((s.chunksDone / chunksTotal) * 100) : 0;
    return {
      status: s.status,
      progress: { rows_processed: s.rowsDone, rows_total: rowsTotal, chunks_done: s.chunksDone, chunks_total: chunksTotal, percent: Math.min(100, percent) },
      summary: s.summary,
      error: s.error,
      started_at: s.startedAt,
      finished_at: s.finishedAt,
      rows_total: rowsTotal,
      chunks_total: chunksTotal,
    };
  }

  /** Where the job's rows come from (format, header, delimiter): needed to rebuild the corrected file. */
  planInput(): JobPlan["input"] | null {
    return this.must().plan?.input ?? null;
  }

  /**
   * What the finalize step needs, in one call: whether the job still runs, its key partitions,
   * and those not compared yet.
   */
  finalizeInput(): FinalizeInput {
    const s = this.must();
    const partitions = s.plan ? uniquePartitionsOf(s.plan) : 1;
    const done = new Set(s.uniqueDone);
    const pending: number[] = [];
    for (let p = 0; p < partitions; p++) if (!done.has(p)) pending.push(p);
    return { status: s.status, uniquePartitions: partitions, pending };
  }

  /**
   * Records that the finalize step compared `partition` (once per partition, whatever the queue
   * redelivers). `last`: this call completed the set, so its caller merges the partitions.
   */
  async uniquePartitionDone(partition: number): Promise<{ last: boolean }> {
    const s = this.must();
    const partitions = s.plan ? uniquePartitionsOf(s.plan) : 1;
    if (s.status !== "running" || s.finalize !== "pending" || !Number.isInteger(partition) || partition < 0 || partition >= partitions) {
      return { last: false };
    }
    const done = (s.uniqueDone ??= []);
    if (done.includes(partition)) return { last: false };
    done.push(partition);
    s.lastActivity = Date.now();
    await this.save();
    return { last: done.length === partitions };
  }

  /** The whole plan (input and chunk ranges), once made. */
  plan(): JobPlan | null {
    return this.must().plan;
  }

  /** The outbox: transitions D1 and webhooks have not seen yet. */
  pendingTransitions(): JobTransition[] {
    return this.must().transitions;
  }

  /** Whether the job's validations count toward the account's usage. */
  metered(): boolean {
    return this.must().meta.metered !== false;
  }

  /** The usage outbox: counted chunks whose validations are still to be recorded. */
  pendingUsage(): ChunkUsage[] {
    return this.must().usage ?? [];
  }

  async ackUsage(chunks: number[]): Promise<void> {
    const s = this.must();
    const done = new Set(chunks);
    const before = s.usage?.length ?? 0;
    s.usage = (s.usage ?? []).filter((u) => !done.has(u.chunk));
    if (s.usage.length !== before) await this.save();
  }

  async ackTransitions(upToSeq: number): Promise<void> {
    const s = this.must();
    const before = s.transitions.length;
    s.transitions = s.transitions.filter((t) => t.seq > upToSeq);
    if (s.transitions.length !== before) await this.save();
  }

  /** Re-enqueues lost work: expired leases, a plan or finalize message that never ran, an undrained outbox. */
  async alarm(): Promise<void> {
    const s = this.state;
    if (!s) return;
    const now = Date.now();
    const { jobId, accountId } = s.meta;
    const messages: JobMessage[] = [];
    if (s.status === "queued" && now - s.lastActivity > LEASE_MS) {
      messages.push({ kind: "plan", job_id: jobId, account_id: accountId });
      s.lastActivity = now;
    }
    if (s.status === "running") {
      s.chunks.forEach((chunk, i) => {
        const stalled = chunk.status === "pending" && now - s.lastActivity > LEASE_MS;
        if ((chunk.status === "leased" && chunk.leaseUntil <= now) || stalled) {
          chunk.status = "pending";
          messages.push({ kind: "chunk", job_id: jobId, account_id: accountId, chunk: i });
        }
      });
      if (s.finalize === "pending" && now - s.lastActivity > LEASE_MS) {
        // Without a partition: it re-sends the partitions not compared yet, or merges when all are.
        messages.push({ kind: "finalize", job_id: jobId, account_id: accountId });
        s.lastActivity = now;
      }
    }
    if (s.transitions.length > 0 || (s.usage?.length ?? 0) > 0) messages.push({ kind: "sync", job_id: jobId, account_id: accountId });
    if (messages.length > 0) {
      // Work re-enqueued here was lost (a consumer died, a message or a reply went missing): say so.
      console.warn(
        JSON.stringify({
          level: "warn",
          msg: "job work re-enqueued",
          job_id: jobId,
          account_id: accountId,
          status: s.status,
          plan: messages.some((m) => m.kind === "plan"),
          chunks: messages.flatMap((m) => (m.kind === "chunk" ? [m.chunk] : [])),
          finalize: messages.some((m) => m.kind === "finalize"),
          sync: messages.some((m) => m.kind === "sync"),
        }),
      );
      const queue = s.meta.priority === "high" ? this.env.JOBS_PRIORITY_QUEUE : this.env.JOBS_QUEUE;
      await sendInBatches(queue, messages.map((body) => ({ body })));
    }
    await this.save();
    if (!isTerminal(s.status) || s.transitions.length > 0 || (s.usage?.length ?? 0) > 0) await this.ctx.storage.setAlarm(now + WATCH_MS);
  }
}
