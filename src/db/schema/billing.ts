import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Validations (records validated) per account per hour. The quota sums the hours of the current
 * period; the cron reports each hour's overage to Stripe from here (identifier `<account>:<hour>`).
 * `hour` is the start of the UTC hour in epoch milliseconds.
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

/**
 * One row per usage recorded under a key (a job's chunk): a re-delivered chunk finds its receipt
 * and counts nothing. Purged after the period it could be re-delivered in.
 */
export const usageReceipts = sqliteTable(
  "usage_receipts",
  {
    accountId: text("account_id").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    source: text("source", { enum: ["job", "connector"] }).notNull(),
    records: integer("records").notNull(),
    hour: integer("hour").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.dedupeKey] }), index("usage_receipts_created_idx").on(t.createdAt)],
);

/**
 * Validations a running job has been granted but not yet done: they count against the quota
 * like usage, so two jobs planned at once cannot both take the last of an allowance. Each chunk's
 * usage moves records from here to usage_hours; the job's end releases the rest.
 */
export const usageHolds = sqliteTable(
  "usage_holds",
  {
    accountId: text("account_id").notNull(),
    holdKey: text("hold_key").notNull(),
    records: integer("records").notNull(),
    createdAt: integer("created_at").notNull(),
    /** A hold whose job died without releasing it stops counting here. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.holdKey] }), index("usage_holds_expires_idx").on(t.expiresAt)],
);
