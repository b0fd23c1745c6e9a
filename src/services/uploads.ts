import { and, asc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { type FieldProblem, VitrineError } from "../core/errors";
import { newId } from "../core/ids";
import { text } from "../core/text";
import { database } from "../db/client";
import { files, uploadParts, uploads } from "../db/schema";
import type { Env } from "../env";
import { objectKeys } from "../storage/keys";
import { SNIFF_BYTES } from "../core/tabular";
import { inspectStored, pipeline } from "../storage/streams";
import { type DetectedFormat, detectFormat, type FileView, fileRow, fileView, maxFileBytes, tooLarge, wrongLength } from "./files";

const MIB = 1024 * 1024;
/** R2's multipart rules: parts of at least 5 MiB, all but the last of one size, at most 10,000. */
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PARTS = 10_000;
const DEFAULT_PART_BYTES = 8 * MIB;
/** Open uploads expire after a day (R2 itself drops incomplete ones after 7 days). */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

type UploadRow = typeof uploads.$inferSelect;
type PartRow = typeof uploadParts.$inferSelect;

export interface PartView {
  part_number: number;
  etag: string;
  size: number;
}

export interface UploadView {
  upload_id: string;
  name: string;
  size: number | null;
  part_size: number;
  min_part_size: number;
  max_parts: number;
  status: "open" | "completing" | "completed" | "aborted";
  parts: PartView[];
  created_at: string;
  expires_at: string;
}

const partView = (p: PartRow): PartView => ({ part_number: p.partNumber, etag: p.etag, size: p.size });

function uploadView(row: UploadRow, parts: PartRow[]): UploadView {
  return {
    upload_id: row.id,
    name: row.name,
    size: row.declaredSize,
    part_size: row.partSize,
    min_part_size: MIN_PART_BYTES,
    max_parts: MAX_PARTS,
    status: row.status,
    parts: parts.map(partView),
    created_at: new Date(row.createdAt).toISOString(),
    expires_at: new Date(row.expiresAt).toISOString(),
  };
}

/** The suggested part size: 8 MiB, or more when that would need over 10,000 parts. */
function partSizeFor(size: number | undefined): number {
  if (!size) return DEFAULT_PART_BYTES;
  return Math.max(DEFAULT_PART_BYTES, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

async function loadUpload(env: Env, accountId: string, uploadId: string): Promise<UploadRow | null> {
  const [row] = await database(env.DB)
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

async function loadParts(env: Env, uploadId: string): Promise<PartRow[]> {
  return database(env.DB).select().from(uploadParts).where(eq(uploadParts.uploadId, uploadId)).orderBy(asc(uploadParts.partNumber));
}

/** Throws unless the upload still accepts parts and completion. */
function assertOpen(row: UploadRow, now = Date.now()): void {
  const states: Record<Exclude<UploadRow["status"], "open">, [string, string]> = {
    completing: ["is being completed by another request", "está sendo concluído por outra requisição"],
    completed: ["is already completed", "já foi concluído"],
    aborted: ["was aborted", "foi cancelado"],
  };
  const state = row.status === "open" ? (now > row.expiresAt ? (["expired; start a new upload", "expirou; comece um novo upload"] as const) : null) : states[row.status];
  if (state) {
    throw new VitrineError("conflict", text(`Upload ${row.id} ${state[0]}.`, `O upload ${row.id} ${state[1]}.`));
  }
}

/** Starts a multipart upload; the bytes go to R2 under the file id they will have once completed. */
export async function createUpload(env: Env, accountId: string, input: { name: string; size?: number }): Promise<UploadView> {
  const limit = maxFileBytes(env);
  if (input.size !== undefined && input.size > limit) throw tooLarge(limit);
  const now = Date.now();
  const fileId = newId("file", now);
  const key = objectKeys.upload(accountId, fileId);
  const multipart = await env.FILES.createMultipartUpload(key);
  const row: UploadRow = {
    id: newId("upl", now),
    accountId,
    fileId,
    name: input.name,
    declaredSize: input.size ?? null,
    partSize: partSizeFor(input.size),
    r2Key: key,
    r2UploadId: multipart.uploadId,
    status: "open",
    createdAt: now,
    expiresAt: now + UPLOAD_TTL_MS,
    completedAt: null,
  };
  try {
    await database(env.DB).insert(uploads).values(row);
  } catch (error) {
    await multipart.abort().catch(() => undefined);
    throw error;
  }
  return uploadView(row, []);
}

export async function getUpload(env: Env, accountId: string, uploadId: string): Promise<UploadView | null> {
  const row = await loadUpload(env, accountId, uploadId);
  return row ? uploadView(row, await loadParts(env, row.id)) : null;
}

/** Streams one part into R2; re-sending a part number replaces it. Null when there is no such upload. */
export async function uploadPart(
  env: Env,
  accountId: string,
  uploadId: string,
  partNumber: number,
  input: { size: number; body: ReadableStream<Uint8Array> },
): Promise<PartView | null> {
  const row = await loadUpload(env, accountId, uploadId);
  if (!row) return null;
  assertOpen(row);
  if (input.size === 0) throw new VitrineError("unprocessable", text("The part is empty.", "A parte está vazia."));
  const limit = maxFileBytes(env);
  const [others] = await database(env.DB)
    .select({ bytes: sql<number>`coalesce(sum(${uploadParts.size}), 0)` })
    .from(uploadParts)
    .where(and(eq(uploadParts.uploadId, row.id), ne(uploadParts.partNumber, partNumber)));
  if (others.bytes + input.size > limit) throw tooLarge(limit);

  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > input.size) throw wrongLength(input.size, received);
      controller.enqueue(chunk);
    },
    flush() {
      if (received !== input.size) throw wrongLength(input.size, received);
    },
  });
  let uploaded: R2UploadedPart;
  try {
    const multipart = env.FILES.resumeMultipartUpload(row.r2Key, row.r2UploadId);
    uploaded = await multipart.uploadPart(partNumber, pipeline(input.body, counter, new FixedLengthStream(input.size)));
  } catch (error) {
    throw received !== input.size ? wrongLength(input.size, received) : error;
  }
  const part: PartRow = { uploadId: row.id, partNumber, etag: uploaded.etag, size: input.size, uploadedAt: Date.now() };
  await database(env.DB)
    .insert(uploadParts)
    .values(part)
    .onConflictDoUpdate({ target: [uploadParts.uploadId, uploadParts.partNumber], set: { etag: part.etag, size: part.size, uploadedAt: part.uploadedAt } });
  return partView(part);
}

const invalidParts = (en: string, pt: string, errors?: FieldProblem[]) => new VitrineError("unprocessable", text(en, pt), errors ? { errors } : {});

/** The parts to assemble: those the client listed (checked against what was uploaded), else all uploaded ones. */
function chooseParts(recorded: PartRow[], listed?: { part_number: number; etag: string }[]): PartRow[] {
  if (!listed) {
    if (recorded.length === 0) throw invalidParts("No part has been uploaded yet.", "Nenhuma parte foi enviada ainda.");
    return recorded;
  }
  const byNumber = new Map(recorded.map((p) => [p.partNumber, p]));
  const errors: FieldProblem[] = [];
  listed.forEach((p, i) => {
    const found = byNumber.get(p.part_number);
    if (i > 0 && p.part_number <= listed[i - 1].part_number) {
      errors.push({
        detail: text("part numbers must be listed in ascending order, without repeats", "os números das partes devem vir em ordem crescente, sem repetição"),
        pointer: `/parts/${i}/part_number`,
      });
    } else if (!found) {
      errors.push({ detail: text(`part ${p.part_number} was not uploaded`, `a parte ${p.part_number} não foi enviada`), pointer: `/parts/${i}/part_number` });
    } else if (found.etag !== p.etag.replaceAll('"', "")) {
      errors.push({
        detail: text(`etag does not match the last upload of part ${p.part_number}`, `o etag não corresponde ao último envio da parte ${p.part_number}`),
        pointer: `/parts/${i}/etag`,
      });
    }
  });
  if (errors.length > 0) {
    throw invalidParts("Some listed parts cannot be used; see errors.", "Algumas partes listadas não podem ser usadas; veja errors.", errors);
  }
  return listed.map((p) => byNumber.get(p.part_number)!);
}

/** R2 assembles only parts of ≥ 5 MiB, all but the last of one size, the last no larger. */
function checkSizes(parts: PartRow[]): void {
  const body = parts.slice(0, -1);
  const last = parts[parts.length - 1];
  const small = body.find((p) => p.size < MIN_PART_BYTES);
  if (small) {
    throw invalidParts(
      `Part ${small.partNumber} is ${small.size} bytes; every part except the last must be at least 5 MiB (${MIN_PART_BYTES} bytes).`,
      `A parte ${small.partNumber} tem ${small.size} bytes; toda parte exceto a última precisa ter pelo menos 5 MiB (${MIN_PART_BYTES} bytes).`,
    );
  }
  const uneven = body.find((p) => p.size !== body[0].size);
  if (uneven) {
    throw invalidParts(
      `Part ${uneven.partNumber} is ${uneven.size} bytes but part ${body[0].partNumber} is ${body[0].size}; every part except the last must have the same size.`,
      `A parte ${uneven.partNumber} tem ${uneven.size} bytes, mas a parte ${body[0].partNumber} tem ${body[0].size}; toda parte exceto a última precisa ter o mesmo tamanho.`,
    );
  }
  if (body.length > 0 && last.size > body[0].size) {
    throw invalidParts(
      `The last part (${last.partNumber}) is ${last.size} bytes, larger than the other parts (${body[0].size}); it may only be the same size or smaller.`,
      `A última parte (${last.partNumber}) tem ${last.size} bytes, mais que as outras (${body[0].size}); ela só pode ter o mesmo tamanho ou menos.`,
    );
  }
}

/**
 * Assembles the parts into the file, then reads the object back once to hash and sniff it.
 * Completing an already completed upload returns its file again (`created: false`), so a
 * client may safely retry. Null when there is no such upload.
 */
export async function completeUpload(
  env: Env,
  accountId: string,
  uploadId: string,
  listed?: { part_number: number; etag: string }[],
): Promise<{ file: FileView; created: boolean } | null> {
  const row = await loadUpload(env, accountId, uploadId);
  if (!row) return null;
  const db = database(env.DB);
  if (row.status === "completed") {
    const [file] = await db.select().from(files).where(and(eq(files.id, row.fileId), eq(files.accountId, accountId))).limit(1);
    if (file) return { file: fileView(file), created: false };
  }
  assertOpen(row);
  const parts = chooseParts(await loadParts(env, row.id), listed);
  checkSizes(parts);
  const total = parts.reduce((n, p) => n + p.size, 0);
  const limit = maxFileBytes(env);
  if (total > limit) throw tooLarge(limit);
  if (row.declaredSize !== null && total !== row.declaredSize) {
    throw invalidParts(
      `The parts add up to ${total} bytes but the upload was started with size ${row.declaredSize}.`,
      `As partes somam ${total} bytes, mas o upload foi iniciado com tamanho ${row.declaredSize}.`,
    );
  }

  const claimed = await db
    .update(uploads)
    .set({ status: "completing" })
    .where(and(eq(uploads.id, row.id), eq(uploads.status, "open")))
    .returning({ id: uploads.id });
  if (claimed.length === 0) assertOpen({ ...row, status: "completing" });

  const multipart = env.FILES.resumeMultipartUpload(row.r2Key, row.r2UploadId);
  try {
    await multipart.complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (error) {
    await db.update(uploads).set({ status: "open" }).where(eq(uploads.id, row.id));
    throw error;
  }

  // From here the object exists: any failure deletes it and ends the upload.
  try {
    const object = await env.FILES.get(row.r2Key);
    if (!object) throw new Error(`completed object ${row.r2Key} is missing`);
    let detected: DetectedFormat | undefined;
    const seen = await inspectStored(object, SNIFF_BYTES, (head) => {
      detected = detectFormat(head);
    });
    const file = fileRow(accountId, row.fileId, row.name, seen, detected!);
    await db.batch([
      db.insert(files).values(file),
      db.update(uploads).set({ status: "completed", completedAt: file.createdAt }).where(eq(uploads.id, row.id)),
      db.delete(uploadParts).where(eq(uploadParts.uploadId, row.id)),
    ]);
    return { file: fileView(file), created: true };
  } catch (error) {
    await env.FILES.delete(row.r2Key).catch(() => undefined);
    await db.batch([
      db.update(uploads).set({ status: "aborted" }).where(eq(uploads.id, row.id)),
      db.delete(uploadParts).where(eq(uploadParts.uploadId, row.id)),
    ]);
    throw error;
  }
}

/** Aborts an open upload and discards its parts; aborting twice is a no-op. False when there is no such upload. */
export async function abortUpload(env: Env, accountId: string, uploadId: string): Promise<boolean> {
  const row = await loadUpload(env, accountId, uploadId);
  if (!row) return false;
  if (row.status === "aborted") return true;
  if (row.status !== "open") assertOpen(row);
  await discardUpload(env, row);
  return true;
}

async function discardUpload(env: Env, row: UploadRow): Promise<void> {
  // An upload R2 already dropped (its 7-day lifecycle) cannot be aborted again; that is fine.
  await env.FILES.resumeMultipartUpload(row.r2Key, row.r2UploadId).abort().catch(() => undefined);
  const db = database(env.DB);
  await db.batch([
    db.update(uploads).set({ status: "aborted" }).where(and(eq(uploads.id, row.id), inArray(uploads.status, ["open", "completing"]))),
    db.delete(uploadParts).where(eq(uploadParts.uploadId, row.id)),
  ]);
}

/**
 * Aborts uploads past their expiry (and completions that died midway), oldest first, at most
 * `limit` per call: meant for the scheduled sweep. Returns how many were aborted.
 */
export async function abortExpiredUploads(env: Env, now = Date.now(), limit = 50): Promise<number> {
  const expired = await database(env.DB)
    .select()
    .from(uploads)
    .where(and(inArray(uploads.status, ["open", "completing"]), lt(uploads.expiresAt, now)))
    .orderBy(asc(uploads.expiresAt))
    .limit(limit);
  for (const row of expired) await discardUpload(env, row);
  return expired.length;
}
