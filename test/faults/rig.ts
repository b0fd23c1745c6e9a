import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { vi } from "vitest";
import type { JobMessage } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { consumeWebhookDeliveries } from "../../src/queues/webhooks";
import { coordinator } from "../../src/services/jobs/jobs";
import { BASE, env } from "../helpers";
import { runCoordinatorAlarm } from "../coordinator-alarm";

/**
 * A running system the test drives by hand: the job and webhook queues are recorders, and the
 * test hands their messages to the Worker's own queue handlers in the order (and as often) it
 * chooses, with the bindings of its choice for each delivery. Queue semantics are kept: a
 * message the handler retries comes back later with `attempts + 1`, and one that exhausts
 * wrangler.toml's `max_retries` goes to the dead-letter queue's consumer.
 */

/** wrangler.toml: max_retries of the job queues. */
const MAX_RETRIES = 5;
const MINUTE = 60_000;

export interface QueuedJob {
  id: string;
  body: JobMessage;
  attempts: number;
}

export interface Delivered {
  message: QueuedJob;
  outcome: "ack" | "retry";
}

interface QueuedWebhook {
  body: unknown;
  dueAt: number;
  attempts: number;
}

/** Every structured (JSON) line the Worker logs, whatever the console method. */
export interface LogLine {
  level?: string;
  msg?: string;
  [field: string]: unknown;
}

export const logs: LogLine[] = [];

/** Captures the Worker's console output (it runs in this isolate) so tests can assert on its log lines. */
export function captureLogs() {
  for (const method of ["log", "warn", "error", "info"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      for (const arg of args) {
        if (typeof arg !== "string" || !arg.startsWith("{")) continue;
        try {
          logs.push(JSON.parse(arg) as LogLine);
        } catch {
          // Not one of the Worker's JSON lines.
        }
      }
    });
  }
}

let messageIds = 0;

export class Rig {
  readonly jobQueue: QueuedJob[] = [];
  readonly webhookQueue: QueuedWebhook[] = [];
  readonly delivered: Delivered[] = [];
  /** The simulated clock of webhook deliveries and cron runs; null: real time. */
  private clock: number | null = null;

  private readonly jobsRecorder = {
    send: async (body: JobMessage) => void this.enqueueJob(body),
    sendBatch: async (messages: Iterable<MessageSendRequest<JobMessage>>) => {
      for (const m of messages) this.enqueueJob(m.body);
    },
  } as unknown as Queue;

  private readonly webhooksRecorder = {
    send: async (body: unknown, options?: QueueSendOptions) => void this.enqueueWebhook(body, options?.delaySeconds),
    sendBatch: async (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
      for (const m of messages) this.enqueueWebhook(m.body, m.delaySeconds ?? options?.delaySeconds);
    },
  } as unknown as Queue;

  /** The Worker's bindings with the queues recorded; faults are layered on top of this per delivery. */
  readonly env: Env = { ...(env as unknown as Env), JOBS_QUEUE: this.jobsRecorder, JOBS_PRIORITY_QUEUE: this.jobsRecorder, WEBHOOKS_QUEUE: this.webhooksRecorder };

  private enqueueJob(body: JobMessage, attempts = 1) {
    this.jobQueue.push({ id: `job-msg-${++messageIds}`, body, attempts });
  }

  private enqueueWebhook(body: unknown, delaySeconds?: number, attempts = 1) {
    this.webhookQueue.push({ body, dueAt: (this.clock ?? Date.now()) + (delaySeconds ?? 0) * 1000, attempts });
  }

  /** POST /api/v1/jobs through the Worker's fetch handler; the coordinator's real-time alarm is disarmed (the test runs it). */
  async createJob(key: string, body: unknown): Promise<string> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/v1/jobs`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
      this.env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    if (res.status !== 202) throw new Error(`job not created: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    await this.disarm(id);
    return id;
  }

  /**
   * The coordinator's watchdog alarm would otherwise fire in real time and send its messages to
   * the real queue, behind the test's back; the test runs it with runAlarm instead.
   */
  async disarm(jobId: string) {
    const stub = coordinator(this.env, jobId) as DurableObjectStub;
    await runInDurableObject(stub, (_instance: unknown, state: DurableObjectState) => state.storage.deleteAlarm());
  }

  /** Takes the queued job messages matching `pick` out of the queue (in queue order). */
  take(pick: (m: QueuedJob) => boolean): QueuedJob[] {
    const taken = this.jobQueue.filter(pick);
    for (const m of taken) this.jobQueue.splice(this.jobQueue.indexOf(m), 1);
    return taken;
  }

  /**
   * Delivers messages as one batch to the Worker's queue handler. Retried ones go back to the
   * end of the queue with one more attempt (or to the dead-letter consumer past max_retries).
   */
  async deliver(messages: QueuedJob[], bindings: Env = this.env, queue = "vitrine-jobs"): Promise<Delivered[]> {
    const batch = createMessageBatch(
      queue,
      messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
    );
    const ctx = createExecutionContext();
    // A handler that throws has the whole batch retried.
    const threw = await worker.queue(batch, bindings, ctx).then(
      () => false,
      () => true,
    );
    const result = await getQueueResult(batch, ctx);
    const retried = new Set([...result.retryMessages.map((r) => r.msgId), ...(threw || result.retryBatch.retry ? messages.map((m) => m.id) : [])]);
    const outcomes: Delivered[] = [];
    for (const message of messages) {
      const outcome = retried.has(message.id) ? "retry" : "ack";
      outcomes.push({ message, outcome });
      if (outcome === "ack") continue;
      if (message.attempts > MAX_RETRIES) await this.deadLetter(message);
      else this.jobQueue.push({ ...message, attempts: message.attempts + 1 });
    }
    this.delivered.push(...outcomes);
    return outcomes;
  }

  /**
   * Starts a delivery and abandons it once `killed` settles (the fault's kill point): the
   * invocation never acks, as when its isolate is killed, so the queue hands the message out again.
   */
  async abandon(message: QueuedJob, bindings: Env, killed: Promise<void>) {
    const batch = createMessageBatch("vitrine-jobs", [{ id: message.id, timestamp: new Date(), attempts: message.attempts, body: message.body }]);
    void worker.queue(batch, bindings, createExecutionContext()).catch(() => {});
    await killed;
    this.jobQueue.push({ ...message, attempts: message.attempts + 1 });
  }

  private async deadLetter(message: QueuedJob) {
    const batch = createMessageBatch("vitrine-dlq", [{ id: message.id, timestamp: new Date(), attempts: 1, body: message.body }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, this.env, ctx);
    await getQueueResult(batch, ctx);
  }

  /** Delivers queued job messages one per batch, first in first out, until none is left. */
  async drain(bindingsFor: (m: QueuedJob) => Env = () => this.env, limit = 200) {
    for (let n = 0; this.jobQueue.length > 0; n++) {
      if (n >= limit) throw new Error(`job queue not drained after ${limit} deliveries`);
      const message = this.jobQueue.shift()!;
      await this.deliver([message], bindingsFor(message));
    }
  }

  /**
   * Runs the job's coordinator alarm as if `advanceMs` had passed (a fake clock in this isolate,
   * where the object runs too), sending what it re-enqueues to this rig's queue.
   */
  async runAlarm(jobId: string, advanceMs: number) {
    await runCoordinatorAlarm(this.env, jobId, advanceMs, this.jobsRecorder);
  }

  /**
   * Runs webhook deliveries on a simulated clock from now until nothing is left to send (or
   * `maxMs` passed): the queue's delayed messages when due, and the minute cron (its sweep) on
   * every minute, in time order. `at` hooks run once the clock reaches their time.
   */
  async runWebhooks(options: { maxMs?: number; at?: { time: number; run: () => Promise<void> }[]; outstanding: () => Promise<number> }) {
    const start = Date.now();
    const end = start + (options.maxMs ?? 4 * 3600_000);
    const hooks = [...(options.at ?? [])].sort((a, b) => a.time - b.time);
    let now = start;
    this.clock = now;
    try {
      for (;;) {
        const nextMessage = Math.min(...this.webhookQueue.map((m) => m.dueAt));
        const nextCron = (Math.floor(now / MINUTE) + 1) * MINUTE;
        if (this.webhookQueue.length === 0 && (await options.outstanding()) === 0) break;
        now = Math.min(nextMessage, nextCron);
        if (now > end) break;
        this.clock = now;
        while (hooks.length > 0 && hooks[0].time <= now) await hooks.shift()!.run();
        if (now === nextCron) await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "* * * * *" }), this.env);
        const due = this.webhookQueue.filter((m) => m.dueAt <= now);
        if (due.length === 0) continue;
        for (const m of due) this.webhookQueue.splice(this.webhookQueue.indexOf(m), 1);
        const batch = createMessageBatch(
          "vitrine-webhooks",
          due.map((m, i) => ({ id: `wh-${++messageIds}-${i}`, timestamp: new Date(now), attempts: m.attempts, body: m.body })),
        );
        const ctx = createExecutionContext();
        await consumeWebhookDeliveries(batch, this.env, { now, random: () => 0.5 });
        const result = await getQueueResult(batch, ctx);
        for (const r of result.retryMessages) {
          const m = due[batch.messages.findIndex((b) => b.id === r.msgId)];
          this.webhookQueue.push({ body: m.body, dueAt: now + (r.delaySeconds ?? 0) * 1000, attempts: m.attempts + 1 });
        }
      }
    } finally {
      this.clock = null;
    }
    return { start, end: now };
  }
}
