import { z } from "zod";
import { FileError } from "../services/files";
import type { AppContext } from "./context";
import { type ProblemCode, ProblemError } from "./problems";

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

const FILE_PROBLEMS: Record<FileError["code"], ProblemCode> = {
  too_large: "payload_too_large",
  unsupported: "unsupported_media_type",
  empty: "unprocessable",
  invalid_parts: "unprocessable",
  wrong_length: "invalid_request",
  upload_state: "conflict",
  in_use: "conflict",
};

/** Runs a files/uploads service call, turning its FileErrors into problems. */
export async function fileErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof FileError) throw new ProblemError(FILE_PROBLEMS[error.code], error.detail, error.extra);
    throw error;
  }
}

/**
 * The length of a streamed body. R2 must know it before the first byte is stored, so a
 * body without Content-Length (chunked) is refused with 411. Form posts and compressed
 * bodies are refused too: what is stored must be the file itself.
 */
export function streamedBodyLength(c: AppContext): number {
  const type = c.req.header("content-type") ?? "";
  if (/^\s*multipart\/form-data/i.test(type)) {
    throw new ProblemError("unsupported_media_type", {
      en: "Send the file's raw bytes as the request body (curl --data-binary @file.csv), not a multipart/form-data form.",
      "pt-BR": "Envie os bytes do arquivo como corpo da requisição (curl --data-binary @arquivo.csv), não um formulário multipart/form-data.",
    });
  }
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    throw new ProblemError("unsupported_media_type", {
      en: `Content-Encoding ${encoding} is not accepted; send the file uncompressed.`,
      "pt-BR": `Content-Encoding ${encoding} não é aceito; envie o arquivo sem compressão.`,
    });
  }
  const raw = c.req.header("content-length");
  if (raw === undefined) {
    throw new ProblemError("length_required", {
      en: "Send the body with a Content-Length header; uploads are streamed to storage, which needs the size up front.",
      "pt-BR": "Envie o corpo com o cabeçalho Content-Length; uploads vão direto para o armazenamento, que precisa do tamanho antes.",
    });
  }
  if (!/^\s*\d{1,16}\s*$/.test(raw)) {
    throw new ProblemError("invalid_request", {
      en: "Content-Length must be a number of bytes.",
      "pt-BR": "Content-Length deve ser um número de bytes.",
    }, { errors: [{ detail: "not a number of bytes", parameter: "Content-Length" }] });
  }
  return Number(raw);
}

/** Header values are byte strings: a raw UTF-8 file name arrives as Latin-1 characters. */
function utf8FromLatin1(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(value, (ch) => ch.charCodeAt(0)));
  } catch {
    return value;
  }
}

/** The file name of a Content-Disposition header (RFC 6266): `filename*` first, then `filename`. */
export function filenameFromDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^;]*)/i.exec(header)?.[1].trim();
  const parts = extended ? /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(extended) : null;
  if (parts) {
    try {
      const charset = parts[1].toLowerCase();
      if (charset === "utf-8") return decodeURIComponent(parts[2]);
      if (charset === "iso-8859-1") return unescape(parts[2]);
    } catch {
      // Malformed percent-encoding: fall back to the plain parameter.
    }
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
  if (!plain) return undefined;
  return utf8FromLatin1(plain[1] !== undefined ? plain[1].replace(/\\(.)/g, "$1") : plain[2].trim());
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 8187). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * A single `bytes=` range of a file of `size` bytes (RFC 9110 §14.2). Null means "send the
 * whole file": no header, a malformed one, or several ranges (which a server may ignore).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  const m = header ? /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(m[1]);
  if (m[2] !== "" && Number(m[2]) < start) return null;
  if (start >= size) return "unsatisfiable";
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { offset: start, length: end - start + 1 };
}
