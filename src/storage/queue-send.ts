/** A queue takes at most 100 messages per sendBatch call. */
const MAX_BATCH = 100;

/** Sends any number of messages, in as few sendBatch calls as the queue allows. */
export async function sendInBatches<Body>(queue: Queue<Body>, messages: MessageSendRequest<Body>[]): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_BATCH) await queue.sendBatch(messages.slice(i, i + MAX_BATCH));
}
