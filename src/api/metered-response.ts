import { config } from "../config";
import { type Metered, quotaHeaders } from "../services/billing/quota";
import type { AppContext } from "./context";

/**
 * A metered request's answer: its result with the Vitrine-Quota-* headers and, outside production,
 * a Server-Timing entry for the quota check (what `npm run bench -- quota` reads).
 */
export function meteredJson<T>(c: AppContext, metered: Metered<T>) {
  const headers = quotaHeaders(metered.quota);
  if (!config(c.env).production) headers["Server-Timing"] = `quota;dur=${metered.chargeMs.toFixed(3)}`;
  return c.json(metered.result as object, 200, headers);
}
