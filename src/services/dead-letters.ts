import type { JobMessage } from "../core/jobs/types";
import { database } from "../db/client";
import { deadLetters } from "../db/schema";
import type { Env } from "../env";
import { coordinator, syncJob } from "./jobs/jobs";
import { recordDeadLetter as recordDeadDelivery } from "./webhook-deliveries";

const JOB_KINDS = new Set(["plan", "chunk", "finalize", "sync"]);

/** Stores the message (idempotent by message id) and marks what it was for: a job fails, a webhook delivery is marked failed. */
export async function recordDeadLetter(env: Env, queue: string, messageId: string, body: unknown): Promise<void> {
  const jobMessage = body && typeof body === "object" && JOB_KINDS.has((body as JobMessage).kind) ? (body as JobMessage) : null;
  await database(env.DB)
    .insert(deadLetters)
    .values({ id: messageId, queue, jobId: jobMessage?.job_id ?? null, body: JSON.stringify(body), createdAt: Date.now() })
    .onConflictDoNothing();
  if (!jobMessage) {
    await recordDeadDelivery(env, body);
    return;
  }
  const what = jobMessage.kind === "chunk" ? `chunk ${jobMessage.chunk}` : `the ${jobMessage.kind} step`;
  await coordinator(env, jobMessage.job_id).fail({
    code: "dead_lettered",
    message: `Processing ${what} failed after every retry; the job cannot complete. Contact support with the job id.`,
  });
  await syncJob(env, jobMessage.job_id);
}
