import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/**
 * Inserts `row` only while fewer than `limit` rows match `counted`, in one statement
 * (INSERT … SELECT … WHERE (SELECT COUNT(*) …) < limit). D1 runs statements one at a time, so
 * parallel requests cannot all see room and all insert. Returns whether the row was inserted.
 */
export async function insertWithinLimit<T extends SQLiteTable>(db: Db, table: T, row: T["$inferInsert"], counted: SQL, limit: number): Promise<boolean> {
  const values = row as Record<string, unknown>;
  const present = Object.entries(getTableColumns(table)).filter(([key]) => values[key] !== undefined);
  const names = sql.join(present.map(([, column]) => sql.identifier(column.name)), sql`, `);
  const params = sql.join(present.map(([key, column]) => sql.param(values[key], column)), sql`, `);
  const result = await db.run(sql`INSERT INTO ${table} (${names}) SELECT ${params} WHERE (SELECT COUNT(*) FROM ${table} WHERE ${counted}) < ${limit}`);
  return result.meta.changes === 1;
}
