import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * Dashboard sessions. The browser holds a random token; only its SHA-256 is stored, so a leaked
 * table opens nothing. `id` is the public handle the sessions list uses to revoke one.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** The browser that signed in, as it described itself (shown in the sessions list) */
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull(),
    /** Refreshed at most once a minute; a session idle for too long ends */
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("sessions_token_hash_unique").on(t.tokenHash), index("sessions_account_idx").on(t.accountId, t.id)],
);

/**
 * One-time links sent by email (set a first password, reset a password). Only the token's SHA-256
 * is stored; a link works once (`used_at`) and until `expires_at`.
 */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: ["set_password", "reset_password"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [uniqueIndex("email_tokens_token_hash_unique").on(t.tokenHash), index("email_tokens_account_idx").on(t.accountId, t.id)],
);
