import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof makeDatabase>;

function makeDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

/**
 * One drizzle instance per D1 binding and isolate: building one walks the whole schema (its
 * relational config), which every request's authentication would otherwise pay for. The instance
 * holds no per-request state; bindings are objects, so a test's wrapped binding gets its own.
 */
const instances = new WeakMap<D1Database, Db>();

export function database(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = makeDatabase(d1);
    instances.set(d1, db);
  }
  return db;
}
