import type { Client } from "openapi-fetch";
import { problemError } from "./errors.js";
import type { paths } from "./schema.js";
import { openSource, partsOf, type SizedSource, type StreamSource, type UploadSource } from "./sources.js";
import type { UploadPart, VitrineFile } from "./types.js";

const MIB = 1024 * 1024;

export interface UploadProgress {
  /** Bytes the API has acknowledged so far. */
  loaded: number;
  /** The file's size; null for a stream until it has been read to its end. */
  total: number | null;
}

export interface UploadOptions {
  /** The file name Vitrine keeps; default the path's or the File's name, else "upload". */
  name?: string;
  /** Default from the name's extension (.csv, .xlsx, .json, .ndjson), else application/octet-stream. */
  contentType?: string;
  /** `true` always sends parts, `false` never; default: parts above `multipartThreshold`. */
  multipart?: boolean;
  /** Default 64 MiB. A stream of unknown length goes in one request when it fits in one part. */
  multipartThreshold?: number;
  /** Bytes per part (at least 5 MiB); default the size the API suggests for the file (8 MiB or more). */
  partSize?: number;
  /** Parts in flight at once; default 3. Memory use is about `partSize × concurrency`. */
  concurrency?: number;
  /** Called after each acknowledged part (and once at the start and end of a single request). */
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

const CONTENT_TYPES: Record<string, string> = {
  csv: "text/csv",
  tsv: "text/csv",
  txt: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
  ndjson: "application/x-ndjson",
  jsonl: "application/x-ndjson",
};

function contentTypeFor(name: string): string {
  const extension = name.toLowerCase().split(".").pop() ?? "";
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}

// openapi-fetch's default serializer writes JSON; file bytes go as they are.
const rawBody = (body: unknown) => body as BodyInit;

type Api = Client<paths>;

async function createFile(api: Api, bytes: Uint8Array, name: string, contentType: string, signal?: AbortSignal): Promise<VitrineFile> {
  const { data, error, response } = await api.POST("/api/v1/files", {
    params: { query: { name } },
    body: bytes as unknown as string,
    bodySerializer: rawBody,
    headers: { "content-type": contentType },
    signal,
  });
  if (error !== undefined || !data) throw problemError(response, error);
  return data;
}

/** Runs `upload` on each part with at most `concurrency` in flight; stops at the first failure. */
async function uploadParts(
  parts: AsyncIterable<Uint8Array<ArrayBuffer>>,
  concurrency: number,
  upload: (partNumber: number, bytes: Uint8Array<ArrayBuffer>) => Promise<UploadPart>,
): Promise<UploadPart[]> {
  const running = new Set<Promise<void>>();
  const uploaded: UploadPart[] = [];
  let failure: { error: unknown } | undefined;
  let partNumber = 0;
  try {
    for await (const bytes of parts) {
      const number = ++partNumber;
      const task: Promise<void> = upload(number, bytes).then(
        (part) => void uploaded.push(part),
        (error: unknown) => void (failure ??= { error }),
      );
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= concurrency) await Promise.race(running);
      if (failure) break;
    }
  } finally {
    // Also when reading the source fails: no part may still be in flight when the upload is aborted.
    await Promise.all(running);
  }
  if (failure) throw failure.error;
  return uploaded.sort((a, b) => a.part_number - b.part_number);
}

async function multipartUpload(
  api: Api,
  source: SizedSource | StreamSource,
  parts: AsyncIterable<Uint8Array<ArrayBuffer>> | null,
  name: string,
  options: UploadOptions,
): Promise<VitrineFile> {
  const size = source.kind === "sized" ? source.size : undefined;
  const signal = options.signal;
  const created = await api.POST("/api/v1/files/uploads", { body: { name, size }, signal });
  if (created.error !== undefined || !created.data) throw problemError(created.response, created.error);
  const uploadId = created.data.upload_id;
  const partSize = options.partSize ?? created.data.part_size;
  let loaded = 0;
  try {
    const uploaded = await uploadParts(parts ?? partsOf(source, partSize), options.concurrency ?? 3, async (partNumber, bytes) => {
      const { data, error, response } = await api.PUT("/api/v1/files/uploads/{id}/parts/{n}", {
        params: { path: { id: uploadId, n: String(partNumber) } },
        body: bytes as unknown as string,
        bodySerializer: rawBody,
        headers: { "content-type": "application/octet-stream" },
        signal,
      });
      if (error !== undefined || !data) throw problemError(response, error);
      loaded += bytes.length;
      options.onProgress?.({ loaded, total: size ?? null });
      return data;
    });
    const completed = await api.POST("/api/v1/files/uploads/{id}/complete", {
      params: { path: { id: uploadId } },
      body: { parts: uploaded.map(({ part_number, etag }) => ({ part_number, etag })) },
      signal,
    });
    if (completed.error !== undefined || !completed.data) throw problemError(completed.response, completed.error);
    if (size === undefined) options.onProgress?.({ loaded, total: loaded });
    return completed.data;
  } catch (error) {
    // Discard the parts already stored; the original error is what the caller needs.
    await api.DELETE("/api/v1/files/uploads/{id}", { params: { path: { id: uploadId } } }).catch(() => undefined);
    throw error;
  }
}

/**
 * Uploads a catalog: one `POST /files` for small files, a multipart upload
 * (`/files/uploads`, parts in parallel, each retried by the client's fetch) for large ones.
 */
export async function uploadFile(api: Api, input: UploadSource, options: UploadOptions = {}): Promise<VitrineFile> {
  const source = await openSource(input);
  const name = options.name ?? source.name ?? "upload";
  const contentType = options.contentType ?? contentTypeFor(name);
  const threshold = options.multipartThreshold ?? 64 * MIB;
  try {
    if (source.kind === "sized") {
      if (options.multipart === true || (options.multipart !== false && source.size > threshold)) {
        return await multipartUpload(api, source, null, name, options);
      }
      options.onProgress?.({ loaded: 0, total: source.size });
      const file = await createFile(api, await source.read(0, source.size), name, contentType, options.signal);
      options.onProgress?.({ loaded: source.size, total: source.size });
      return file;
    }
    // A stream: read the first part, and look one part ahead to learn whether there is more.
    const partSize = options.partSize ?? 8 * MIB;
    const parts = partsOf(source, options.multipart === false ? Math.max(partSize, threshold) : partSize);
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (options.multipart !== true && second.done) {
      const bytes = first.done ? new Uint8Array(0) : first.value;
      const file = await createFile(api, bytes, name, contentType, options.signal);
      options.onProgress?.({ loaded: bytes.length, total: bytes.length });
      return file;
    }
    if (options.multipart === false) throw new RangeError(`the stream is longer than multipartThreshold (${threshold} bytes) and multipart is false`);
    async function* all() {
      if (!first.done) yield first.value;
      if (!second.done) yield second.value;
      yield* parts;
    }
    return await multipartUpload(api, source, all(), name, { ...options, partSize });
  } finally {
    if (source.kind === "sized") await source.close();
  }
}
