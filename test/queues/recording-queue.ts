import type { JobMessage } from "../../src/core/jobs/types";

/** A job queue that keeps what is sent to it, so a test runs the pipeline's messages itself. */
export function recordingQueue(): { queue: Queue; sent: JobMessage[] } {
  const sent: JobMessage[] = [];
  const queue = {
    sendBatch: async (batch: { body: JobMessage }[]) => void sent.push(...batch.map((m) => m.body)),
    send: async (body: JobMessage) => void sent.push(body),
  } as unknown as Queue;
  return { queue, sent };
}
