import type { MiddlewareHandler } from "hono";
import { VitrineError } from "../../core/errors";
import { formatBytes } from "../../core/sizes";
import { text } from "../../core/text";
import type { AppContext, AppEnv } from "../context";

/** Largest JSON body accepted anywhere; file uploads stream through their own routes. */
export const MAX_JSON_BYTES = 5 * 1024 * 1024;
/** Rule packs are small documents; larger ones are refused before parsing. */
export const MAX_PACK_BYTES = 256 * 1024;

/**
 * - `json`: an optional JSON body, at most 5 MiB;
 * - `pack`: a rule pack as YAML or JSON, at most 256 KiB;
 * - `stream`: file bytes the route streams to storage itself (its own limits apply).
 */
export type BodyKind = "json" | "pack" | "stream";

const JSON_TYPE = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const YAML_TYPE = /^\s*(?:application|text)\/(?:x-)?yaml\s*(?:;|$)/i;

export function tooLarge(limit: number): VitrineError {
  const size = formatBytes(limit);
  return new VitrineError(
    "payload_too_large",
    text(`The request body exceeds ${size}.`, `O corpo da requisição passa de ${size}.`),
    { limit_bytes: limit },
  );
}

/** Reads a body as text whatever its declared type, failing fast when the declared or actual size exceeds the cap. */
export async function readCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function unsupportedType(accepted: string): VitrineError {
  return new VitrineError(
    "unsupported_media_type",
    text(`Send the body as Content-Type: ${accepted}.`, `Envie o corpo como Content-Type: ${accepted}.`),
  );
}

async function readJson(c: AppContext) {
  const raw = await readCapped(c.req.raw, MAX_JSON_BYTES);
  c.set("rawBody", raw);
  if (raw.trim() === "") return;
  if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) throw unsupportedType("application/json");
  try {
    c.set("body", JSON.parse(raw));
  } catch (error) {
    const why = (error as Error).message;
    throw new VitrineError(
      "malformed_json",
      text(`The request body is not valid JSON: ${why}`, `O corpo da requisição não é um JSON válido: ${why}`),
    );
  }
}

async function readPack(c: AppContext) {
  const type = c.req.header("content-type") ?? "";
  const format = YAML_TYPE.test(type) ? "yaml" : JSON_TYPE.test(type) ? "json" : undefined;
  if (!format) throw unsupportedType("application/yaml or application/json");
  c.set("rawBody", await readCapped(c.req.raw, MAX_PACK_BYTES));
  c.set("bodyFormat", format);
}

/**
 * Reads the body before anything else looks at it, so every non-streaming route caps its size
 * whatever the declared type, refuses types it does not take (415), and answers malformed JSON
 * clearly; routes and the idempotency check use the text read here.
 */
export function bodyReader(kind: BodyKind): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (kind === "json") await readJson(c);
    else if (kind === "pack") await readPack(c);
    await next();
  };
}
