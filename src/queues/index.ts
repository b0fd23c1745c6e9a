import type { Env } from "../env";

export type QueueHandler = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/**
 * Consumers by queue name. Names come from wrangler.toml; a deployment may add a
 * suffix (e.g. `vitrine-jobs-staging`), so the longest known prefix wins.
 */
const CONSUMERS: Record<string, QueueHandler> = {};

export function registerConsumer(queuePrefix: string, handler: QueueHandler) {
  CONSUMERS[queuePrefix] = handler;
}

export async function dispatchQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const prefix = Object.keys(CONSUMERS)
    .filter((p) => batch.queue.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  if (!prefix) {
    console.error(JSON.stringify({ level: "error", msg: "no consumer for queue", queue: batch.queue }));
    batch.retryAll();
    return;
  }
  await CONSUMERS[prefix](batch, env, ctx);
}
