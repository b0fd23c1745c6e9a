import type { Env } from "../env";
import { purgeExpired } from "../services/idempotency";
import { finishAccountDeletions } from "../services/account-deletion";
import { sweepRetention } from "../services/retention";
import { abortExpiredUploads } from "../services/uploads";
import { connectorsCron } from "../services/connectors/schedules";
import { purgeUsageBookkeeping } from "../services/billing/usage";
import { reportOverage } from "../services/billing/meter";
import { purgeStripeEvents } from "../services/billing/stripe-webhook";
import { purgeKpiRollups } from "../services/kpis";

type Task = (env: Env, controller: ScheduledController) => Promise<void>;

/** Everything the minute cron runs; each task fails alone without stopping the others. */
const TASKS: Record<string, Task> = {
  "idempotency.purge": (env) => purgeExpired(env),
  "uploads.expire": async (env) => void (await abortExpiredUploads(env)),
  "retention.sweep": async (env, controller) => void (await sweepRetention(env, controller.scheduledTime)),
  "accounts.finish-deletions": async (env, controller) => void (await finishAccountDeletions(env, controller.scheduledTime)),
  // Scheduled syncs, re-validation of notified items, stalled pushes.
  "connectors.schedule": (env, controller) => connectorsCron(env, controller.scheduledTime),
  // Usage receipts past any re-delivery, and holds of jobs that died without releasing them.
  "billing.purge": (env, controller) => purgeUsageBookkeeping(env, controller.scheduledTime),
  // Billing through Stripe: applied event ids are forgotten after 30 days.
  "billing.stripe-events.purge": (env, controller) => purgeStripeEvents(env, controller.scheduledTime),
  // Overage to Stripe's meter, per account and closed hour; four runs an hour also retry what failed.
  // The operator's KPI rollups past the 7-day window, once an hour.
  "kpis.purge": async (env, controller) => {
    if (new Date(controller.scheduledTime).getUTCMinutes() === 17) await purgeKpiRollups(env, controller.scheduledTime);
  },
  "billing.meter": async (env, controller) => {
    if (new Date(controller.scheduledTime).getUTCMinutes() % 15 === 6) await reportOverage(env, controller.scheduledTime);
  },
};

export function registerCronTask(name: string, task: Task) {
  TASKS[name] = task;
}

export async function runScheduled(controller: ScheduledController, env: Env) {
  const results = await Promise.allSettled(Object.values(TASKS).map((task) => task(env, controller)));
  results.forEach((result, i) => {
    if (result.status === "rejected") {
      console.error(JSON.stringify({ level: "error", msg: "cron task failed", task: Object.keys(TASKS)[i], error: String(result.reason) }));
    }
  });
}
