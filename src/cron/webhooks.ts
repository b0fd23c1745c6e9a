import type { Env } from "../env";
import { purgeExpiredEvents } from "../services/events";
import { sweepDueDeliveries } from "../services/webhook-deliveries";

/** Retries beyond a queue delay's reach (and attempts whose message was lost) go out from here. */
export async function sweepWebhooks(env: Env, controller: Pick<ScheduledController, "scheduledTime">) {
  await sweepDueDeliveries(env, controller.scheduledTime);
}

export async function purgeEvents(env: Env, controller: Pick<ScheduledController, "scheduledTime">) {
  await purgeExpiredEvents(env, controller.scheduledTime);
}
