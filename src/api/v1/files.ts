import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { createFile, deleteFile, fileView, getFile, listFiles, readFileContent, sanitizeFileName } from "../../services/files";
import { type AppContext, caller } from "../context";
import { notFound } from "../error-handler";
import {
  attachmentDisposition,
  binaryContent,
  fileErrors,
  filenameFromDisposition,
  parseRange,
  streamedBodyLength,
} from "../file-transfer";
import { ProblemError } from "../problems";
import { AUTHED, jsonResponse, ListQuery, listOf, problemResponses, Timestamp } from "../schemas";
import { StreamedBodyRoute } from "../streamed-body-route";

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

const FileId = z.object({ id: z.string().max(64) });

/** Bodies of these requests are file bytes streamed to storage; the JSON body middleware must leave them alone. */
export function streamsBody(method: string, path: string): boolean {
  return (
    (method === "POST" && /^\/api\/v1\/files\/?$/.test(path)) ||
    (method === "PUT" && /^\/api\/v1\/files\/uploads\/[^/]+\/parts\/[^/]+\/?$/.test(path))
  );
}

export class CreateFile extends StreamedBodyRoute {
  schema = {
    operationId: "createFile",
    tags: ["Files"],
    summary: "Upload a file (CSV, XLSX, JSON or NDJSON)",
    description:
      "Send the file's raw bytes as the body, with Content-Length (411 without it), up to MAX_FILE_BYTES (1 GiB by default). " +
      "The format, encoding and delimiter are detected from the bytes; other content is refused with 415. " +
      "Files over ~100 MB are better sent in parts: POST /api/v1/files/uploads.",
    request: {
      query: z.object({
        name: z.string().max(1000).optional().describe("File name; otherwise Content-Disposition's filename, otherwise \"upload\""),
      }),
      headers: z.object({
        // chanfana hands absent headers over as null
        "content-disposition": z.string().max(2000).nullish().describe('e.g. attachment; filename="catalogo.csv"'),
      }),
      body: { required: true, content: binaryContent() },
    },
    responses: {
      "201": {
        ...jsonResponse("The stored file", FileObject),
        headers: { Location: { description: "The file's URL", schema: { type: "string" as const } } },
      },
      ...problemResponses(...AUTHED, 411, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { query, headers } = await this.getValidatedData<typeof this.schema>();
    const size = streamedBodyLength(c);
    const name = sanitizeFileName(query.name ?? filenameFromDisposition(headers["content-disposition"]));
    const body = c.req.raw.body ?? new ReadableStream({ start: (stream) => stream.close() });
    const file = await fileErrors(createFile(c.env, caller(c).accountId, { name, size, body }));
    return c.json(file, 201, { Location: `/api/v1/files/${file.id}` });
  }
}

export class ListFiles extends OpenAPIRoute {
  schema = {
    operationId: "listFiles",
    tags: ["Files"],
    summary: "List the account's files",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of files, newest first", listOf(FileObject)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listFiles(c.env, caller(c).accountId, query.limit, query.starting_after);
  }
}

export class GetFile extends OpenAPIRoute {
  schema = {
    operationId: "getFile",
    tags: ["Files"],
    summary: "Get a file's metadata",
    request: { params: FileId },
    responses: { "200": jsonResponse("The file", FileObject), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const file = await getFile(c.env, caller(c).accountId, params.id);
    if (!file) throw notFound("File", params.id);
    return fileView(file);
  }
}

export class DownloadFile extends OpenAPIRoute {
  schema = {
    operationId: "downloadFile",
    tags: ["Files"],
    summary: "Download a file's bytes",
    description: "Streams the file as an attachment. A single `Range: bytes=…` is honoured with 206 (`If-Range` with the ETag is respected).",
    request: {
      params: FileId,
      headers: z.object({
        range: z.string().max(200).nullish().describe("e.g. bytes=0-1023, bytes=1024- or bytes=-500"),
        "if-range": z.string().max(200).nullish().describe("The ETag of a previous download; the range applies only if it still matches"),
      }),
    },
    responses: {
      "200": { description: "The whole file", content: binaryContent() },
      "206": { description: "The requested range, described by Content-Range", content: binaryContent() },
      ...problemResponses(...AUTHED, 404, 416),
    },
  };

  async handle(c: AppContext) {
    const { params, headers } = await this.getValidatedData<typeof this.schema>();
    const file = await getFile(c.env, caller(c).accountId, params.id);
    if (!file) throw notFound("File", params.id);
    const etag = `"${file.sha256}"`;
    const ifRange = headers["if-range"];
    const range = ifRange && ifRange !== etag ? null : parseRange(headers.range ?? undefined, file.size);
    if (range === "unsatisfiable") {
      throw new ProblemError("range_not_satisfiable", {
        en: `The file has ${file.size} bytes; the requested range starts beyond its end.`,
        "pt-BR": `O arquivo tem ${file.size} bytes; o intervalo pedido começa depois do fim.`,
      }, { headers: { "Content-Range": `bytes */${file.size}` } });
    }
    const body = await readFileContent(c.env, file, range ?? undefined);
    if (!body) throw notFound("File", params.id);
    const responseHeaders: Record<string, string> = {
      "Content-Type": file.contentType,
      "Content-Length": String(range ? range.length : file.size),
      "Content-Disposition": attachmentDisposition(file.name),
      "Accept-Ranges": "bytes",
      ETag: etag,
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    };
    if (range) responseHeaders["Content-Range"] = `bytes ${range.offset}-${range.offset + range.length - 1}/${file.size}`;
    return new Response(body, { status: range ? 206 : 200, headers: responseHeaders });
  }
}

export class DeleteFile extends OpenAPIRoute {
  schema = {
    operationId: "deleteFile",
    tags: ["Files"],
    summary: "Delete a file and its bytes",
    description: "A file that a queued or running job still reads cannot be deleted (409).",
    request: { params: FileId },
    responses: { "204": { description: "Deleted" }, ...problemResponses(...AUTHED, 404, 409) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    if (!(await fileErrors(deleteFile(c.env, caller(c).accountId, params.id)))) throw notFound("File", params.id);
    return c.body(null, 204);
  }
}
