import type { ByteSource, TextEncodingName } from "./types";

const DEFAULT_PIECE = 256 * 1024;

/**
 * Iterates a byte source in pieces of at most `maxPiece` bytes (views, not copies), so one
 * decoded string never spans a huge input buffer. Cancels a stream the caller stops early.
 */
export async function* bytePieces(
  source: ByteSource,
  maxPiece = DEFAULT_PIECE,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += maxPiece) yield source.subarray(i, i + maxPiece);
    return;
  }
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let finished = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          finished = true;
          return;
        }
        yield* split(r.value, maxPiece);
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  for await (const chunk of source) yield* split(chunk, maxPiece);
}

function* split(chunk: Uint8Array, maxPiece: number): Generator<Uint8Array> {
  if (chunk.length <= maxPiece) {
    if (chunk.length > 0) yield chunk;
    return;
  }
  for (let i = 0; i < chunk.length; i += maxPiece) yield chunk.subarray(i, i + maxPiece);
}

function isReadableStream(s: ByteSource): s is ReadableStream<Uint8Array> {
  return typeof (s as ReadableStream<Uint8Array>).getReader === "function";
}

/**
 * Decodes a byte source into strings of at least `minChars` (except the last), so a parser's
 * per-batch cost is amortized even when the stream delivers a few bytes at a time. A UTF-8 BOM
 * is dropped; characters split across pieces are joined by the streaming decoder.
 */
export async function* decodeText(
  source: ByteSource,
  encoding: TextEncodingName,
  minChars = 64 * 1024,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder(encoding);
  let parts: string[] = [];
  let total = 0;
  for await (const piece of bytePieces(source)) {
    const text = decoder.decode(piece, { stream: true });
    if (text.length === 0) continue;
    parts.push(text);
    total += text.length;
    if (total >= minChars) {
      yield parts.length === 1 ? parts[0] : parts.join("");
      parts = [];
      total = 0;
    }
  }
  const tail = decoder.decode();
  if (tail.length > 0) parts.push(tail);
  if (parts.length > 0) yield parts.join("");
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Returns a copy of `s` that does not share memory with the string it was sliced from. V8 keeps
 * a whole parent string alive for each substring of 13+ characters; values that outlive a batch
 * must not pin it.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}
