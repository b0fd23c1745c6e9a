import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { consumeWebhookDeliveries } from "../src/queues/webhooks";
import type { AttemptOptions } from "../src/services/webhook-deliveries";
import { call } from "./helpers";

/**
 * Deliveries on an injected clock: the env's WEBHOOKS_QUEUE is swapped for a recorder,
 * and the test hands recorded messages to the real consumer when it decides time has
 * come — so a three-day retry schedule runs in milliseconds, and the background queue
 * consumer never races the test.
 */
export function clockedQueue() {
  const sent: { body: unknown; delaySeconds?: number }[] = [];
  const queue = {
    async send(body: unknown, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? options?.delaySeconds });
    },
  };
  const testEnv = { ...env, WEBHOOKS_QUEUE: queue as unknown as Queue };
  let counter = 0;
  return {
    env: testEnv,
    sent,
    /** Takes every recorded message and runs the consumer on them, as the queue would at `now`. */
    async deliver(now: number, options: Omit<AttemptOptions, "now"> = {}) {
      const messages = sent.splice(0, sent.length);
      const batch = createMessageBatch(
        "vitrine-webhooks",
        messages.map((m) => ({ id: `msg-${++counter}`, timestamp: new Date(now), attempts: 1, body: m.body })),
      );
      const ctx = createExecutionContext();
      await consumeWebhookDeliveries(batch, testEnv, { ...options, now });
      return { messages, result: await getQueueResult(batch, ctx) };
    },
  };
}

export async function createEndpoint(key: string, body: { url: string; events: string[]; description?: string }) {
  const res = await call("/api/v1/webhooks", { method: "POST", key, json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string; url: string; events: string[]; enabled: boolean };
}

export async function deliveriesOf(key: string, webhookId: string, query = "") {
  const res = await call(`/api/v1/webhooks/${webhookId}/deliveries${query}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: any[] }).data;
}

export async function endpointOf(key: string, webhookId: string) {
  const res = await call(`/api/v1/webhooks/${webhookId}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

/** Payloads shaped the way the jobs pipeline builds them. */
export const jobPayloads = {
  statusChanged: (jobId: string, from: string, to: string) => ({
    job_id: jobId,
    rule_pack: "mercadolivre",
    category: null,
    previous_status: from as "running",
    status: to as "completed",
    changed_at: new Date().toISOString(),
    error: null,
  }),
  validationCompleted: (jobId: string) => ({
    job_id: jobId,
    rule_pack: "mercadolivre",
    category: null,
    counts: { records: 1200, valid: 1100, invalid: 100, corrected: 40, issues: { error: 130, warning: 55, info: 7, total: 192 } },
    links: { job: `/api/v1/jobs/${jobId}`, result: `/api/v1/jobs/${jobId}/result`, issues: `/api/v1/jobs/${jobId}/result/issues?format=ndjson` },
  }),
};
