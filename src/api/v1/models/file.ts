import { z } from "zod";
import { Timestamp } from "../../schemas";

// A file is what uploads (single or multipart) produce and jobs read.

export const FileObject = z
  .object({
    id: z.string().describe("file_…"),
    name: z.string().describe("From ?name= or the Content-Disposition file name; without paths or control characters"),
    size: z.number().int().describe("Bytes"),
    sha256: z.string().describe("Hex SHA-256 of the stored bytes, computed while they streamed in"),
    // Detected from the bytes, never taken from the uploader's Content-Type: jobs read the file by it.
    format: z.enum(["csv", "xlsx", "json", "ndjson"]),
    encoding: z.enum(["utf-8", "windows-1252", "utf-16le", "utf-16be"]).optional().describe("Text formats: the detected character encoding"),
    delimiter: z.enum([",", ";", "\t", "|"]).optional().describe("CSV: the detected field delimiter"),
    content_type: z.string().describe("The Content-Type downloads are served with"),
    created_at: Timestamp,
  })
  .meta({ id: "File" });

/** Media types a file may be uploaded and downloaded as; the format is always detected from the bytes. */
export const FILE_MEDIA_TYPES = [
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/json",
  "application/x-ndjson",
  "application/octet-stream",
] as const;

const Binary = z.string().meta({ format: "binary" }).describe("The file's bytes");

/** OpenAPI content for a raw file body. */
export function binaryContent(types: readonly string[] = FILE_MEDIA_TYPES) {
  return Object.fromEntries(types.map((type) => [type, { schema: Binary }]));
}
