import type { JobMessage } from "../core/jobs/types";
import type { Env } from "../env";
import { syncJob } from "../services/jobs/jobs";
import { finalizeJob, planJob, runChunk } from "../services/jobs/runner";
import { runPushPart } from "../services/connectors/push";

/** Backoff for a failed step: 2 s, 4 s, 8 s … capped at 5 min. */
function retryDelay(attempts: number): number {
  return Math.min(300, 2 ** Math.max(1, attempts));
}

async function handle(message: JobMessage, env: Env): Promise<void> {
  switch (message.kind) {
    case "plan":
      return planJob(env, message);
    case "chunk":
      return runChunk(env, message);
    case "finalize":
      return finalizeJob(env, message);
    case "sync":
      return syncJob(env, message.job_id);
    case "push":
      return runPushPart(env, message);
    default:
      // A new message kind without a handler fails type-checking here instead of being acknowledged and dropped.
      return unhandled(message);
  }
}

function unhandled(message: never): never {
  throw new Error(`no handler for job message ${JSON.stringify(message)}`);
}

/** Consumer of both job queues (priority and normal): each message on its own, retried with backoff. */
export async function consumeJobMessages(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body as JobMessage;
    try {
      await handle(body, env);
      message.ack();
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", msg: "job step failed", queue: batch.queue, kind: body?.kind, job_id: body?.job_id, attempts: message.attempts, error: String(error) }),
      );
      message.retry({ delaySeconds: retryDelay(message.attempts) });
    }
  }
}
