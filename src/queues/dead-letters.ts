import type { JobMessage } from "../core/jobs/types";
import type { Env } from "../env";
import { recordDeadLetter } from "../services/dead-letters";

/** Messages that exhausted their retries: recorded, attached to their job, never dropped silently. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await recordDeadLetter(env, batch.queue, message.id, message.body as JobMessage);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", msg: "dead letter not recorded", error: String(error) }));
      message.retry({ delaySeconds: 60 });
    }
  }
}
