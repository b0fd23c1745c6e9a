import { VitrineError } from "../core/errors";
import { text } from "../core/text";
import type { AppContext } from "./context";

/**
 * The length of a streamed body. R2 must know it before the first byte is stored, so a
 * body without Content-Length (chunked) is refused with 411. Form posts and compressed
 * bodies are refused too: what is stored must be the file itself.
 */
export function streamedBodyLength(c: AppContext): number {
  const type = c.req.header("content-type") ?? "";
  if (/^\s*multipart\/form-data/i.test(type)) {
    throw new VitrineError(
      "unsupported_media_type",
      text(
        "Send the file's raw bytes as the request body (curl --data-binary @file.csv), not a multipart/form-data form.",
        "Envie os bytes do arquivo como corpo da requisição (curl --data-binary @arquivo.csv), não um formulário multipart/form-data.",
      ),
    );
  }
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    throw new VitrineError(
      "unsupported_media_type",
      text(`Content-Encoding ${encoding} is not accepted; send the file uncompressed.`, `Content-Encoding ${encoding} não é aceito; envie o arquivo sem compressão.`),
    );
  }
  const raw = c.req.header("content-length");
  if (raw === undefined) {
    throw new VitrineError(
      "length_required",
      text(
        "Send the body with a Content-Length header; uploads are streamed to storage, which needs the size up front.",
        "Envie o corpo com o cabeçalho Content-Length; uploads vão direto para o armazenamento, que precisa do tamanho antes.",
      ),
    );
  }
  if (!/^\s*\d{1,16}\s*$/.test(raw)) {
    throw new VitrineError("invalid_request", text("Content-Length must be a number of bytes.", "Content-Length deve ser um número de bytes."), {
      errors: [{ detail: text("not a number of bytes", "não é um número de bytes"), parameter: "Content-Length" }],
    });
  }
  return Number(raw);
}

/** Header values are byte strings: a raw UTF-8 file name arrives as Latin-1 characters. */
function utf8FromLatin1(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(value, (ch) => ch.charCodeAt(0)));
  } catch {
    // Not UTF-8 after all: the client really sent Latin-1, which is what the header already holds.
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
