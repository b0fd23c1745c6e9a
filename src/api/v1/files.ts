import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { createFile, deleteFile, fileView, getFile, listFiles, readFileContent, sanitizeFileName } from "../../services/files";
import { type AppContext, caller } from "../context";
import { attachmentDisposition, filenameFromDisposition, parseRange, streamedBodyLength } from "../file-transfer";
import { ApiProblem } from "../problems";
import { type Api, ApiRoute, mount, StreamedBodyRoute } from "../route";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";
import { binaryContent, FileObject } from "./models/file";
import { ListQuery, listOf } from "./models/pagination";

const FileId = z.object({ id: z.string().max(64) });

const fileNotFound = (id: string) => notFound(text("File", "O arquivo"), id);

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
    const file = await createFile(c.env, caller(c).accountId, { name, size, body });
    return c.json(file, 201, { Location: `/api/v1/files/${file.id}` });
  }
}

export class ListFiles extends ApiRoute {
  schema = {
    operationId: "listFiles",
    tags: ["Files"],
    summary: "List the account's files",
    description: "Uploaded and sample files, newest first, with the format, encoding and delimiter detected from their bytes. Page with `limit` and `starting_after`.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of files, newest first", listOf(FileObject)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listFiles(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
  }
}

export class GetFile extends ApiRoute {
  schema = {
    operationId: "getFile",
    tags: ["Files"],
    summary: "Get a file's metadata",
    description: "The file's name, size, SHA-256 and detected format; download the bytes from /api/v1/files/{id}/content.",
    request: { params: FileId },
    responses: { "200": jsonResponse("The file", FileObject), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const file = await getFile(c.env, caller(c).accountId, params.id);
    if (!file) throw fileNotFound(params.id);
    return fileView(file);
  }
}

export class DownloadFile extends ApiRoute {
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
    if (!file) throw fileNotFound(params.id);
    const etag = `"${file.sha256}"`;
    const ifRange = headers["if-range"];
    const range = ifRange && ifRange !== etag ? null : parseRange(headers.range ?? undefined, file.size);
    if (range === "unsatisfiable") {
      throw new ApiProblem(
        "range_not_satisfiable",
        text(`The file has ${file.size} bytes; the requested range starts beyond its end.`, `O arquivo tem ${file.size} bytes; o intervalo pedido começa depois do fim.`),
        {},
        { size: file.size },
      );
    }
    const body = await readFileContent(c.env, file, range ?? undefined);
    if (!body) throw fileNotFound(params.id);
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

export class DeleteFile extends ApiRoute {
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
    if (!(await deleteFile(c.env, caller(c).accountId, params.id))) throw fileNotFound(params.id);
    return c.body(null, 204);
  }
}

export function mountFiles(api: Api) {
  mount(api, "get", "/files", ListFiles);
  mount(api, "post", "/files", CreateFile, { body: "stream" });
  mount(api, "get", "/files/:id", GetFile);
  mount(api, "get", "/files/:id/content", DownloadFile);
  mount(api, "delete", "/files/:id", DeleteFile);
}
