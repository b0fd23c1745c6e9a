import { buildApp } from "./app";
import { registerCronTask, runScheduled } from "./cron";
import { purgeEvents, sweepWebhooks } from "./cron/webhooks";
import type { Env } from "./env";
import { dispatchQueue, registerConsumer } from "./queues";
import { consumeDeadLetters } from "./queues/dead-letters";
import { consumeJobMessages } from "./queues/jobs";
import { consumeWebhookDeliveries } from "./queues/webhooks";

export { ConnectorGate } from "./durable/connector-gate";
export { JobCoordinator } from "./durable/job-coordinator";
export { RateLimiter } from "./durable/rate-limiter";

registerConsumer("vitrine-jobs", consumeJobMessages);
registerConsumer("vitrine-dlq", consumeDeadLetters);
registerConsumer("vitrine-webhooks", (batch, env) => consumeWebhookDeliveries(batch, env));
registerCronTask("webhooks.sweep", sweepWebhooks);
registerCronTask("events.purge", purgeEvents);

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: dispatchQueue,
  scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
