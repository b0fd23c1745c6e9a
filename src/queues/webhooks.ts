import type { Env } from "../env";
import { encryptionConfigured } from "../services/encryption";
import { type AttemptOptions, processDeliveryMessage } from "../services/webhook-deliveries";

/**
 * Webhook deliveries: one message per attempt. A receiver's failure is not an error
 * here (the service records it and enqueues the next attempt itself), so messages
 * are acknowledged; only our own failures retry the message, and those that keep
 * failing reach the dead-letter queue.
 */
export async function consumeWebhookDeliveries(batch: MessageBatch<unknown>, env: Env, options: AttemptOptions = {}): Promise<void> {
  if (!encryptionConfigured(env)) {
    console.error(JSON.stringify({ level: "error", msg: "webhook delivery paused: ENCRYPTION_KEY is not set", queue: batch.queue }));
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (!(await processDeliveryMessage(env, message.body, options))) {
          console.error(JSON.stringify({ level: "error", msg: "unrecognized webhook queue message dropped", id: message.id, body: message.body }));
        }
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "webhook delivery failed on our side", id: message.id, error: String(error) }));
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
