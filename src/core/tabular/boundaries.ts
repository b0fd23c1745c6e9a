import { bytePieces, concatBytes } from "./bytes";
import { parseCsvText } from "./csv";
import { TabularError } from "./errors";
import type { ByteSource, Delimiter, TextEncodingName } from "./types";

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** A byte range of whole records that `parseCsvRange` reads on its own. */
export interface RowChunk {
  index: number;
  /** First byte of the range (a record start). */
  start: number;
  /** One past the last byte (after the last record's terminator, or end of file). */
  end: number;
  /** Record number of the first record in the range (1-based; the header is row 0). */
  firstRow: number;
  rows: number;
}

export interface RowBoundaries {
  header: string[];
  /** Bytes of the header record, BOM and terminator excluded. */
  headerRange: { start: number; end: number };
  chunks: RowChunk[];
  /** Data records, header excluded, empty lines not counted. */
  totalRows: number;
  totalBytes: number;
  /** Largest record seen, in bytes without its terminator (for sizing parser limits). */
  largestRecordBytes: number;
  /** A quote opened and never closed: the last record runs to end of file. */
  unterminatedQuote: boolean;
}

export interface BoundaryOptions {
  /** Cut a range after this many records. */
  rowsPerChunk: number;
  /** Also cut once a range reaches this many bytes (whole records only). Default: no cap. */
  maxChunkBytes?: number;
  encoding: TextEncodingName;
  /** Needed because a quote opens a quoted field only at a field start. */
  delimiter: Delimiter;
  /** Default 1 MiB. */
  maxHeaderBytes?: number;
}

/**
 * Finds record boundaries in one pass over the raw bytes, with the same quoting rules as the
 * CSV tokenizer, and cuts the data records into ranges of `rowsPerChunk`. Works on bytes because
 * `"`, CR, LF and the delimiters are single bytes in UTF-8 and Windows-1252.
 */
export async function scanRowBoundaries(source: ByteSource, opts: BoundaryOptions): Promise<RowBoundaries> {
  if (!(opts.rowsPerChunk >= 1)) throw new RangeError("rowsPerChunk must be at least 1");
  const maxChunkBytes = opts.maxChunkBytes ?? Number.POSITIVE_INFINITY;
  const maxHeaderBytes = opts.maxHeaderBytes ?? 1024 * 1024;
  const delim = opts.delimiter.charCodeAt(0);

  // Scanner state carried between buffers.
  let inQuotes = false;
  let quotePending = false;
  let crAtEnd = false;
  let fieldStart = true;
  let hasContent = false;
  let recStart = 0;
  let largest = 0;

  // Header and chunk bookkeeping. An object, because the closure below assigns it.
  const found: { header: { start: number; end: number } | null } = { header: null };
  let held: { base: number; bytes: Uint8Array }[] = [];
  let headerBytes: Uint8Array | null = null;
  const chunks: RowChunk[] = [];
  let chunkStart = 0;
  let chunkRows = 0;
  let totalRows = 0;

  const onRecord = (start: number, end: number, next: number): void => {
    if (end - start > largest) largest = end - start;
    if (found.header === null) {
      found.header = { start, end };
      chunkStart = next;
      return;
    }
    totalRows++;
    if (++chunkRows >= opts.rowsPerChunk || next - chunkStart >= maxChunkBytes) {
      chunks.push({ index: chunks.length, start: chunkStart, end: next, firstRow: totalRows - chunkRows + 1, rows: chunkRows });
      chunkStart = next;
      chunkRows = 0;
    }
  };

  let base = 0;
  let first = true;
  for await (const piece of firstBytesJoined(bytePieces(source, 8 * 1024 * 1024), 3)) {
    let b = piece;
    if (first) {
      first = false;
      if (opts.encoding === "utf-8" && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
        recStart = 3;
        b = b.subarray(3);
        base = 3;
      }
    }
    const bufBase = base;
    const n = b.length;
    let i = 0;
    if (crAtEnd && n > 0) {
      crAtEnd = false;
      // The previous buffer ended on a CR terminator: its LF belongs to the same cut.
      if (b[0] === LF) {
        i = 1;
        recStart = bufBase + 1;
        if (chunkStart === bufBase) chunkStart++;
        const last = chunks[chunks.length - 1];
        if (last !== undefined && last.end === bufBase) last.end++;
      }
    }
    if (quotePending && n > 0) {
      quotePending = false;
      if (b[0] === QUOTE) i = 1;
      else {
        inQuotes = false;
        fieldStart = false;
      }
    }
    let nLF = -1;
    let nCR = -1;
    let nQ = -1;
    while (i < n) {
      if (nQ < i) {
        nQ = b.indexOf(QUOTE, i);
        if (nQ < 0) nQ = n;
      }
      if (inQuotes) {
        const j = nQ;
        if (j >= n) {
          i = n;
          break;
        }
        if (j + 1 < n) {
          if (b[j + 1] === QUOTE) {
            i = j + 2;
            continue;
          }
          inQuotes = false;
          fieldStart = false;
          i = j + 1;
          continue;
        }
        quotePending = true;
        i = n;
        break;
      }
      if (nLF < i) {
        nLF = b.indexOf(LF, i);
        if (nLF < 0) nLF = n;
      }
      if (nCR < i) {
        nCR = b.indexOf(CR, i);
        if (nCR < 0) nCR = n;
      }
      const eol = nLF < nCR ? nLF : nCR;
      if (nQ < eol) {
        hasContent = true;
        const opens = nQ === i ? fieldStart : b[nQ - 1] === delim;
        i = nQ + 1;
        if (opens) inQuotes = true;
        else fieldStart = false;
        continue;
      }
      if (eol >= n) {
        if (i < n) {
          hasContent = true;
          fieldStart = b[n - 1] === delim;
        }
        break;
      }
      let next = eol + 1;
      // CRLF is one terminator (otherwise the LF would be an empty, uncounted record).
      if (b[eol] === CR) {
        if (next < n) {
          if (b[next] === LF) next++;
        } else {
          crAtEnd = true;
        }
      }
      if (hasContent || eol > i) onRecord(recStart, base + eol, base + next);
      i = next;
      recStart = base + next;
      hasContent = false;
      fieldStart = true;
    }
    base += n;

    if (headerBytes === null) {
      if (found.header !== null) {
        held.push({ base: bufBase, bytes: b });
        headerBytes = sliceHeld(held, found.header.start, found.header.end);
        held = [];
      } else {
        // Keep (a copy of) only the bytes from the pending header's start.
        const from = Math.max(recStart - bufBase, 0);
        if (from < n) held.push({ base: bufBase + from, bytes: b.slice(from) });
        if (base - recStart > maxHeaderBytes) {
          throw new TabularError("header_too_large", `The header record is larger than ${maxHeaderBytes} bytes.`);
        }
      }
    }
  }

  const totalBytes = base;
  const unterminatedQuote = inQuotes;
  if (hasContent) onRecord(recStart, totalBytes, totalBytes);
  const headerRange = found.header as { start: number; end: number } | null;
  if (headerRange !== null && headerBytes === null) headerBytes = sliceHeld(held, headerRange.start, headerRange.end);
  if (chunkRows > 0) {
    chunks.push({ index: chunks.length, start: chunkStart, end: totalBytes, firstRow: totalRows - chunkRows + 1, rows: chunkRows });
  }

  let header: string[] = [];
  if (headerBytes !== null) {
    if (headerBytes.length > maxHeaderBytes) {
      throw new TabularError("header_too_large", `The header record is larger than ${maxHeaderBytes} bytes.`);
    }
    const text = new TextDecoder(opts.encoding, { fatal: false, ignoreBOM: true }).decode(headerBytes);
    header = parseCsvText(text, { delimiter: opts.delimiter }).header ?? [];
  }
  return {
    header,
    headerRange: headerRange ?? { start: recStart, end: recStart },
    chunks,
    totalRows,
    totalBytes,
    largestRecordBytes: largest,
    unterminatedQuote,
  };
}

function sliceHeld(held: { base: number; bytes: Uint8Array }[], start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { base, bytes } of held) {
    const s = Math.max(start - base, 0);
    const e = Math.min(end - base, bytes.length);
    if (e > s) parts.push(bytes.subarray(s, e));
  }
  return concatBytes(parts);
}

/** Joins the first pieces until `n` bytes are available, so a BOM split across reads is seen. */
async function* firstBytesJoined(
  pieces: AsyncIterable<Uint8Array>,
  n: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  const head: Uint8Array[] = [];
  let have = 0;
  let joined = false;
  for await (const p of pieces) {
    if (joined) {
      yield p;
      continue;
    }
    head.push(p);
    have += p.length;
    if (have >= n) {
      joined = true;
      yield head.length === 1 ? p : concatBytes(head);
    }
  }
  if (!joined && have > 0) yield concatBytes(head);
}
