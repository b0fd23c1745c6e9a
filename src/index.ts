import { buildApp } from "./app";
import { runScheduled } from "./cron";
import type { Env } from "./env";
import { dispatchQueue } from "./queues";

export { RateLimiter } from "./durable/rate-limiter";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: dispatchQueue,
  scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
