import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** An uploaded file: metadata only; the bytes are the R2 object at `r2Key`. */
export const files = sqliteTable(
  "files",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    format: text("format", { enum: ["csv", "xlsx", "json", "ndjson"] }).notNull(),
    /** Text formats only */
    encoding: text("encoding", { enum: ["utf-8", "windows-1252", "utf-16le", "utf-16be"] }),
    /** CSV only */
    delimiter: text("delimiter"),
    /** What downloads are served as, derived from the detected format (never the uploader's header) */
    contentType: text("content_type").notNull(),
    r2Key: text("r2_key").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("files_account_idx").on(t.accountId, t.id)],
);

/**
 * A multipart upload in progress. The file id is chosen up front so the R2 object
 * is written at its final key; the `files` row appears only on completion.
 */
export const uploads = sqliteTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    fileId: text("file_id").notNull(),
    name: text("name").notNull(),
    /** Total size announced by the client, checked at completion */
    declaredSize: integer("declared_size"),
    partSize: integer("part_size").notNull(),
    r2Key: text("r2_key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    /** `completing` guards against two concurrent completions */
    status: text("status", { enum: ["open", "completing", "completed", "aborted"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("uploads_account_idx").on(t.accountId, t.id), index("uploads_status_expiry_idx").on(t.status, t.expiresAt)],
);

/** The latest upload of each part number; re-uploading a part replaces its row. */
export const uploadParts = sqliteTable(
  "upload_parts",
  {
    uploadId: text("upload_id").notNull(),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    uploadedAt: integer("uploaded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);
