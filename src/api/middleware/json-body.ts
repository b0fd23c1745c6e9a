import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { ProblemError } from "../problems";

/** Largest JSON body accepted anywhere; file uploads stream through their own routes. */
export const MAX_JSON_BYTES = 5 * 1024 * 1024;

const HAS_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * Reads JSON bodies up front with a size cap and a clear error for malformed JSON.
 * chanfana would otherwise swallow a parse failure and validate `{}`, answering
 * with confusing "required" errors; the text is handed back so routes parse as usual.
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!HAS_BODY.has(c.req.method) || !/^application\/(.+\+)?json\b/i.test(type) || !c.req.raw.body) return next();
  const text = await readCapped(c.req.raw, MAX_JSON_BYTES);
  if (text.trim() !== "") {
    try {
      JSON.parse(text);
    } catch (error) {
      throw new ProblemError("malformed_json", {
        en: `The request body is not valid JSON: ${(error as Error).message}`,
        "pt-BR": `O corpo da requisição não é um JSON válido: ${(error as Error).message}`,
      });
    }
  }
  c.req.raw = new Request(c.req.raw, { body: text });
  return next();
};

export function tooLarge(limit: number): ProblemError {
  const mib = (limit / 1024 / 1024).toFixed(0);
  return new ProblemError("payload_too_large", {
    en: `The request body exceeds ${mib} MiB.`,
    "pt-BR": `O corpo da requisição passa de ${mib} MiB.`,
  }, { limit_bytes: limit });
}

/** Reads a body as text, failing fast when the declared or actual size exceeds the cap. */
export async function readCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) throw tooLarge(limit);
  const reader = request.body!.getReader();
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
