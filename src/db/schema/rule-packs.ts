import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The current state of each custom rule pack of an account. */
export const rulePacks = sqliteTable(
  "rule_packs",
  {
    accountId: text("account_id").notNull(),
    packId: text("pack_id").notNull(),
    revision: integer("revision").notNull(),
    name: text("name").notNull(),
    extends: text("extends", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.packId] })],
);

/**
 * Every revision ever saved, so a job that ran against revision 3 can always be
 * explained, whatever was edited or deleted since.
 */
export const rulePackRevisions = sqliteTable(
  "rule_pack_revisions",
  {
    accountId: text("account_id").notNull(),
    packId: text("pack_id").notNull(),
    revision: integer("revision").notNull(),
    source: text("source").notNull(),
    format: text("format", { enum: ["yaml", "json"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.packId, t.revision] }), index("rule_pack_revisions_pack_idx").on(t.accountId, t.packId)],
);
