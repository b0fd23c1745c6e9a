import { isJobMessage } from "../core/jobs/types";
import { text } from "../core/text";
import { database } from "../db/client";
import { deadLetters } from "../db/schema";
import type { Env } from "../env";
import { coordinator, syncJob } from "./jobs/jobs";
import { recordDeadLetter as recordDeadDelivery } from "./webhook-deliveries";


/** Stores the message (idempotent by message id) and marks what it was for: a job fails, a webhook delivery is marked failed. */
export async function recordDeadLetter(env: Env, queue: string, messageId: string, body: unknown): Promise<void> {
  const jobMessage = isJobMessage(body) ? body : null;
  await database(env.DB)
    .insert(deadLetters)
    .values({ id: messageId, queue, jobId: jobMessage?.job_id ?? null, body, createdAt: Date.now() })
    .onConflictDoNothing();
  if (!jobMessage) {
    await recordDeadDelivery(env, body);
    return;
  }
  const what = jobMessage.kind === "chunk" ? text(`chunk ${jobMessage.chunk}`, `do bloco ${jobMessage.chunk}`) : text(`the ${jobMessage.kind} step`, `da etapa ${jobMessage.kind}`);
  await coordinator(env, jobMessage.job_id).fail({
    code: "dead_lettered",
    message: text(
      `Processing ${what.en} failed after every retry; the job cannot complete. Contact support with the job id.`,
      `O processamento ${what["pt-BR"]} falhou em todas as tentativas; o job não pode terminar. Fale com o suporte informando o id do job.`,
    ),
  });
  await syncJob(env, jobMessage.job_id);
}
