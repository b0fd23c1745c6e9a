import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Validations (records validated) per account per hour, as the seam between the billing branches
 * defines it; billing-core writes it (recordUsage), the meter reads it. `hour` is the start of the
 * UTC hour in epoch milliseconds.
 *
 * Defined here only until billing-core's `src/db/schema/billing.ts` (the same table) is merged:
 * then this file and migration 0012_billing_stripe_usage_hours go.
 */
export const usageHours = sqliteTable(
  "usage_hours",
  {
    accountId: text("account_id").notNull(),
    hour: integer("hour").notNull(),
    records: integer("records").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.hour] })],
);
