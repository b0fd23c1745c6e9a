import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { sanitizeFileName } from "../../services/files";
import { abortUpload, completeUpload, createUpload, getUpload, MAX_PARTS, uploadPart } from "../../services/uploads";
import { type AppContext, caller } from "../context";
import { streamedBodyLength } from "../file-transfer";
import { type Api, ApiRoute, mount, StreamedBodyRoute } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, Timestamp, wholeNumber } from "../schemas";
import { binaryContent, FileObject } from "./models/file";

const uploadNotFound = (id: string) => notFound(text("Upload", "O upload"), id);

const Part = z
  .object({
    part_number: z.number().int().describe("1–10,000"),
    // R2's ETag of the part; pass it back to complete when listing parts explicitly.
    etag: z.string(),
    size: z.number().int().describe("Bytes"),
  })
  .meta({ id: "UploadPart" });

export const Upload = z
  .object({
    upload_id: z.string().describe("upl_…"),
    name: z.string(),
    size: z.number().int().nullable().describe("The total size announced at creation, checked at completion"),
    part_size: z.number().int().describe("Suggested size of every part but the last"),
    // R2's rules, so clients can split without trial and error.
    min_part_size: z.number().int().describe("Every part but the last must be at least this big (5 MiB), all of one size"),
    max_parts: z.number().int(),
    status: z.enum(["open", "completing", "completed", "aborted"]),
    parts: z.array(Part).describe("Parts uploaded so far, by part number"),
    created_at: Timestamp,
    expires_at: Timestamp.describe("After this, parts and completion are refused and the upload is discarded"),
  })
  .meta({ id: "Upload" });

const UploadId = z.object({ id: z.string().max(64) });

export class CreateUpload extends ApiRoute {
  schema = {
    operationId: "createUpload",
    tags: ["Files"],
    summary: "Start a multipart upload for a large file",
    description:
      "Then PUT each part (parts of at least 5 MiB, all the same size except a smaller last one, at most 10,000) and complete the upload " +
      "to get the file. Parts may be sent in parallel and retried.",
    request: {
      headers: IdempotencyHeaders,
      body: {
        content: {
          "application/json": {
            schema: z.object({
              name: z.string().min(1).max(1000).describe("File name (paths and control characters are removed; at most 200 characters kept)"),
              size: z.number().int().min(1).optional().describe("Total size in bytes, if known: checked against the limit now and at completion"),
            }),
          },
        },
      },
    },
    responses: {
      "201": jsonResponse("The upload", Upload),
      ...problemResponses(...AUTHED, 409, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const upload = await createUpload(c.env, caller(c).accountId, { name: sanitizeFileName(body.name), size: body.size });
    return c.json(upload, 201, { Location: `/api/v1/files/uploads/${upload.upload_id}` });
  }
}

export class GetUpload extends ApiRoute {
  schema = {
    operationId: "getUpload",
    tags: ["Files"],
    summary: "Get a multipart upload and the parts received so far",
    description: "Useful to resume an interrupted upload: send only the parts missing here.",
    request: { params: UploadId },
    responses: { "200": jsonResponse("The upload", Upload), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const upload = await getUpload(c.env, caller(c).accountId, params.id);
    if (!upload) throw uploadNotFound(params.id);
    return upload;
  }
}

export class UploadPart extends StreamedBodyRoute {
  schema = {
    operationId: "uploadPart",
    tags: ["Files"],
    summary: "Upload one part of a multipart upload",
    description: "The body is the part's raw bytes, with Content-Length. Sending a part number again replaces that part.",
    request: {
      params: UploadId.extend({ n: wholeNumber(1, MAX_PARTS).describe("Part number, 1–10,000") }),
      body: { required: true, content: binaryContent(["application/octet-stream"]) },
    },
    responses: {
      "200": jsonResponse("The stored part", Part),
      ...problemResponses(...AUTHED, 404, 409, 411, 413, 422),
    },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const size = streamedBodyLength(c);
    const body = c.req.raw.body ?? new ReadableStream({ start: (stream) => stream.close() });
    const part = await uploadPart(c.env, caller(c).accountId, params.id, params.n, { size, body });
    if (!part) throw uploadNotFound(params.id);
    return part;
  }
}

export class CompleteUpload extends ApiRoute {
  schema = {
    operationId: "completeUpload",
    tags: ["Files"],
    summary: "Complete a multipart upload into a file",
    description:
      "Assembles the listed parts (or, without a body, every uploaded part in order), then checks the whole file once " +
      "(SHA-256, format). Completing an already completed upload answers 200 with the same file.",
    request: {
      params: UploadId,
      body: {
        required: false,
        content: {
          "application/json": {
            schema: z.object({
              parts: z
                .array(z.object({ part_number: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1).max(1024) }))
                .min(1)
                .max(MAX_PARTS)
                .optional()
                .describe("The parts to assemble, in ascending order; defaults to every uploaded part"),
            }),
          },
        },
      },
    },
    responses: {
      "201": jsonResponse("The new file", FileObject),
      "200": jsonResponse("The file this upload already became", FileObject),
      ...problemResponses(...AUTHED, 404, 409, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const done = await completeUpload(c.env, caller(c).accountId, params.id, body?.parts);
    if (!done) throw uploadNotFound(params.id);
    return c.json(done.file, done.created ? 201 : 200, { Location: `/api/v1/files/${done.file.id}` });
  }
}

export class AbortUpload extends ApiRoute {
  schema = {
    operationId: "abortUpload",
    tags: ["Files"],
    summary: "Abort a multipart upload and discard its parts",
    description: "Discards the parts received so far. An upload that was already completed cannot be aborted (409); its file stays.",
    request: { params: UploadId },
    responses: { "204": { description: "Aborted (also when it already was)" }, ...problemResponses(...AUTHED, 404, 409) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    if (!(await abortUpload(c.env, caller(c).accountId, params.id))) throw uploadNotFound(params.id);
    return c.body(null, 204);
  }
}

export function mountUploads(api: Api) {
  mount(api, "post", "/files/uploads", CreateUpload, { idempotent: true });
  mount(api, "get", "/files/uploads/:id", GetUpload);
  mount(api, "put", "/files/uploads/:id/parts/:n", UploadPart, { body: "stream" });
  mount(api, "post", "/files/uploads/:id/complete", CompleteUpload);
  mount(api, "delete", "/files/uploads/:id", AbortUpload);
}
