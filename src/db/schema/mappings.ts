import type { FieldMappingDef } from "../../core/mapping";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The current state of each mapping of an account; `version` is its latest version. */
export const mappings = sqliteTable(
  "mappings",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    name: text("name").notNull(),
    marketplace: text("marketplace").notNull(),
    category: text("category"),
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Deleted mappings disappear from the API; their versions stay for the jobs that used them. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("mappings_account_idx").on(t.accountId, t.id), index("mappings_account_marketplace_idx").on(t.accountId, t.marketplace, t.id)],
);

/**
 * Every version ever saved, immutable: a job records (mapping_id, version), so editing a mapping
 * never changes what a finished job meant.
 */
export const mappingVersions = sqliteTable(
  "mapping_versions",
  {
    mappingId: text("mapping_id").notNull(),
    version: integer("version").notNull(),
    accountId: text("account_id").notNull(),
    name: text("name").notNull(),
    marketplace: text("marketplace").notNull(),
    category: text("category"),
    /** JSON: the definition's fields in normal form */
    fields: text("fields", { mode: "json" }).$type<FieldMappingDef[]>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.mappingId, t.version] })],
);
