import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The operator's KPIs, rolled up per UTC hour (src/core/kpis): no account's data, only counts,
 * so nothing here is exported or deleted with an account. Rows older than 7 days are never read.
 */
export const kpiRollups = sqliteTable(
  "kpi_rollups",
  {
    /** Start of the UTC hour, epoch ms. */
    hour: integer("hour").notNull(),
    metric: text("metric").notNull(),
    /** A route pattern ("GET /api/v1/jobs/:id") or an outcome ("completed", "succeeded"). */
    dimension: text("dimension").notNull(),
    /** The latency bucket for requests; 0 otherwise. */
    bucket: integer("bucket").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.metric, t.dimension, t.bucket] })],
);
