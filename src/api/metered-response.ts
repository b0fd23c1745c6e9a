import { type Metered, quotaHeaders } from "../services/billing/quota";
import type { AppContext } from "./context";
import { addServerTiming } from "./middleware/server-timing";

/**
 * A metered request's answer: its result with the Vitrine-Quota-* headers and, outside production,
 * a Server-Timing entry for the quota check (what `npm run bench -- quota` reads).
 */
export function meteredJson<T>(c: AppContext, metered: Metered<T>) {
  addServerTiming(c, "quota", metered.chargeMs);
  return c.json(metered.result as object, 200, quotaHeaders(metered.quota));
}
