const LF = 10;

/** One line of a UTF-8 object and the byte offset just past its terminator (where the next line starts). */
export interface LineAt {
  text: string;
  next: number;
}

/**
 * The lines of a UTF-8 byte stream that starts at byte `start` of its object, each with the offset
 * of the line after it, so a reader can resume later with a ranged read from exactly there. Lines
 * are cut on LF bytes (never part of a multi-byte UTF-8 character); a final unterminated line is
 * included. Holds one stream piece and one partial line.
 */
export async function* linesWithOffsets(stream: ReadableStream<Uint8Array>, start = 0): AsyncGenerator<LineAt> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let carry: Uint8Array | null = null;
  let offset = start;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let from = 0;
      for (let lf = value.indexOf(LF); lf !== -1; lf = value.indexOf(LF, from)) {
        const piece = value.subarray(from, lf);
        const line: Uint8Array = carry ? concat(carry, piece) : piece;
        carry = null;
        offset += line.length + 1;
        yield { text: decoder.decode(line), next: offset };
        from = lf + 1;
      }
      if (from < value.length) carry = carry ? concat(carry, value.subarray(from)) : value.slice(from);
    }
    if (carry && carry.length > 0) yield { text: decoder.decode(carry), next: offset + carry.length };
  } finally {
    // A reader that stops early (a full page) lets go of the rest of the object.
    await reader.cancel().catch(() => undefined);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
