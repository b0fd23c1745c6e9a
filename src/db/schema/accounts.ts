
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Timestamps are integer milliseconds since the epoch; the API renders them as ISO 8601.

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    plan: text("plan", { enum: ["free", "pro", "business", "enterprise"] }).notNull().default("free"),
    createdAt: integer("created_at").notNull(),
    /** Dashboard sign-in: "pbkdf2-sha256$<iterations>$<salt>$<hash>" (src/services/passwords.ts); null until one is set */
    passwordHash: text("password_hash"),
    /** When the owner first proved the address through an emailed link; null for accounts nobody has proven yet */
    emailVerifiedAt: integer("email_verified_at"),
    /** The dashboard language the person chose; null follows the browser */
    locale: text("locale", { enum: ["en", "pt-BR"] }),
    companyName: text("company_name"),
    /** CNPJ (numeric or alphanumeric) or CPF, normalized: digits and capital letters only */
    taxId: text("tax_id"),
    taxIdKind: text("tax_id_kind", { enum: ["cpf", "cnpj"] }),
    /** Onboarding choice of where the catalog is going, used as the default by the dashboard's pages */
    marketplace: text("marketplace"),
    category: text("category"),
  },
  (t) => [uniqueIndex("accounts_email_unique").on(t.email)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_unique").on(t.hash), index("api_keys_account_idx").on(t.accountId, t.id)],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    accountId: text("account_id").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    /** null while the first request is still in flight */
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] }), index("idempotency_created_idx").on(t.createdAt)],
);

