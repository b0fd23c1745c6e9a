import { buildApp } from "./app";
import type { Env } from "./env";

export { RateLimiter } from "./durable/rate-limiter";

const app = buildApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
