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
  /**
   * With `sheetRows`: the spreadsheet row of the range's first line (blank lines count, a quoted
   * multi-line cell is one row). Pass the chunk to `parseCsvRange` to number its rows.
   */
  startSheetRow?: number;
}

export interface RowBoundaries {
  header: string[];
  /** Bytes of the header record, BOM and terminator excluded. */
  headerRange: { start: number; end: number };
  /** The spreadsheet row of the header (1 unless blank lines come first). */
  headerSheetRow: number;
  /** In file order. Bytes after the last chunk's end, if any, are blank lines. */
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
  /** Record each chunk's `startSheetRow`. Default false. */
  sheetRows?: boolean;
  /** Records before the header that are neither header nor data (a title row; see `preambleLength`). Default 0. */
  skipRecords?: number;
  /** With `sheetRows`: records after the header that start before this spreadsheet row (help text) are neither header nor data. */
  firstDataRow?: number;
}

/** Code units of the source: bytes, or UTF-16 code units (see `utf16Units`). */
type Units = Uint8Array | Uint16Array;

/**
 * Finds record boundaries in one pass over the raw bytes, with the same quoting rules as the
 * CSV tokenizer, and cuts the data records into ranges of `rowsPerChunk`. Works on code units
 * because `"`, CR, LF and the delimiters are one unit each: a byte in UTF-8 and Windows-1252, a
 * 16-bit unit in UTF-16 (ranges then hold whole units, so each decodes on its own).
 */
export async function scanRowBoundaries(source: ByteSource, opts: BoundaryOptions): Promise<RowBoundaries> {
  if (!(opts.rowsPerChunk >= 1)) throw new RangeError("rowsPerChunk must be at least 1");
  const unitBytes = opts.encoding === "utf-16le" || opts.encoding === "utf-16be" ? 2 : 1;
  // Limits are given in bytes; the scan counts units.
  const maxChunkUnits = (opts.maxChunkBytes ?? Number.POSITIVE_INFINITY) / unitBytes;
  const maxHeaderBytes = opts.maxHeaderBytes ?? 1024 * 1024;
  const maxHeaderUnits = maxHeaderBytes / unitBytes;
  const delim = opts.delimiter.charCodeAt(0);
  const sheetRows = opts.sheetRows ?? false;
  // Line ends consumed outside quotes (a CRLF is one), for spreadsheet row numbers.
  let lines = 0;

  // Scanner state carried between buffers.
  let inQuotes = false;
  let quotePending = false;
  let crAtEnd = false;
  let fieldStart = true;
  let hasContent = false;
  let recStart = 0;
  let largest = 0;

  // Header and chunk bookkeeping (positions in units). An object, because the closure below assigns it.
  const found: { header: { start: number; end: number } | null } = { header: null };
  let held: { base: number; units: Units }[] = [];
  let headerUnits: Units | null = null;
  let headerSheetRow = 1;
  const chunks: { start: number; end: number; firstRow: number; rows: number; startSheetRow: number }[] = [];
  let chunkStart = 0;
  let chunkStartRow = 1;
  let chunkRows = 0;
  let totalRows = 0;

  // Called before the record's own line end is counted: its row is `lines + 1`, the next line's `lines + 2`.
  let preamble = opts.skipRecords ?? 0;
  const onRecord = (start: number, end: number, next: number): void => {
    if (end - start > largest) largest = end - start;
    if (preamble > 0) {
      preamble--;
      return;
    }
    if (found.header === null) {
      found.header = { start, end };
      headerSheetRow = lines + 1;
      chunkStart = next;
      chunkStartRow = lines + 2;
      return;
    }
    if (totalRows === 0 && opts.firstDataRow !== undefined && lines + 1 < opts.firstDataRow) {
      // Kept out of every chunk: the corrected file copies these rows from the source as they are.
      chunkStart = next;
      chunkStartRow = lines + 2;
      return;
    }
    totalRows++;
    if (++chunkRows >= opts.rowsPerChunk || next - chunkStart >= maxChunkUnits) {
      chunks.push({ start: chunkStart, end: next, firstRow: totalRows - chunkRows + 1, rows: chunkRows, startSheetRow: chunkStartRow });
      chunkStart = next;
      chunkStartRow = lines + 2;
      chunkRows = 0;
    }
  };

  let base = 0;
  let first = true;
  const pieces = bytePieces(source, 8 * 1024 * 1024);
  const units: AsyncIterable<Units> = unitBytes === 2 ? utf16Units(pieces, opts.encoding === "utf-16le") : firstBytesJoined(pieces, 3);
  for await (const piece of units) {
    let b = piece;
    if (first) {
      first = false;
      const bom =
        unitBytes === 2
          ? b[0] === 0xfeff
            ? 1
            : 0
          : opts.encoding === "utf-8" && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf
            ? 3
            : 0;
      if (bom > 0) {
        recStart = bom;
        b = b.subarray(bom);
        base = bom;
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
      lines++;
      i = next;
      recStart = base + next;
      hasContent = false;
      fieldStart = true;
    }
    base += n;

    if (headerUnits === null) {
      if (found.header !== null) {
        held.push({ base: bufBase, units: b });
        headerUnits = sliceHeld(held, found.header.start, found.header.end);
        held = [];
      } else {
        // Keep (a copy of) only the units from the pending header's start.
        const from = Math.max(recStart - bufBase, 0);
        if (from < n) held.push({ base: bufBase + from, units: b.slice(from) });
        if (base - recStart > maxHeaderUnits) {
          throw new TabularError("header_too_large", `The header record is larger than ${maxHeaderBytes} bytes.`);
        }
      }
    }
  }

  const totalUnits = base;
  // A UTF-16 file may end in a stray odd byte: the last range still runs to the end of the file.
  const totalBytes = unitBytes === 2 ? (units as Utf16Units).bytes : totalUnits;
  const toBytes = (u: number): number => (u === totalUnits ? totalBytes : u * unitBytes);
  const unterminatedQuote = inQuotes;
  if (hasContent) onRecord(recStart, totalUnits, totalUnits);
  const headerRange = found.header as { start: number; end: number } | null;
  if (headerRange !== null && headerUnits === null) headerUnits = sliceHeld(held, headerRange.start, headerRange.end);
  if (chunkRows > 0) {
    chunks.push({ start: chunkStart, end: totalUnits, firstRow: totalRows - chunkRows + 1, rows: chunkRows, startSheetRow: chunkStartRow });
  }

  let header: string[] = [];
  if (headerUnits !== null) {
    if (headerUnits.length > maxHeaderUnits) {
      throw new TabularError("header_too_large", `The header record is larger than ${maxHeaderBytes} bytes.`);
    }
    header = parseCsvText(decodeUnits(headerUnits, opts.encoding), { delimiter: opts.delimiter }).header ?? [];
  }
  const headerUnitRange = headerRange ?? { start: recStart, end: recStart };
  return {
    header,
    headerRange: { start: toBytes(headerUnitRange.start), end: toBytes(headerUnitRange.end) },
    headerSheetRow,
    chunks: chunks.map((c, index) => {
      const chunk: RowChunk = { index, start: toBytes(c.start), end: toBytes(c.end), firstRow: c.firstRow, rows: c.rows };
      if (sheetRows) chunk.startSheetRow = c.startSheetRow;
      return chunk;
    }),
    totalRows,
    totalBytes,
    largestRecordBytes: largest * unitBytes,
    unterminatedQuote,
  };
}

function decodeUnits(units: Units, encoding: TextEncodingName): string {
  if (units instanceof Uint8Array) return new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(units);
  let text = "";
  for (let i = 0; i < units.length; i += 8192) text += String.fromCharCode(...units.subarray(i, i + 8192));
  return text;
}

function sliceHeld(held: { base: number; units: Units }[], start: number, end: number): Units {
  const parts: Units[] = [];
  for (const { base, units } of held) {
    const s = Math.max(start - base, 0);
    const e = Math.min(end - base, units.length);
    if (e > s) parts.push(units.subarray(s, e));
  }
  if (parts.length > 0 && parts[0] instanceof Uint16Array) {
    const out = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
  return concatBytes(parts as Uint8Array[]);
}

/** UTF-16 bytes as 16-bit code units, an odd byte carried to the next piece; counts the bytes seen. */
interface Utf16Units extends AsyncIterable<Uint16Array> {
  readonly bytes: number;
}

function utf16Units(pieces: AsyncIterable<Uint8Array>, littleEndian: boolean): Utf16Units {
  const state = { bytes: 0 };
  return {
    get bytes() {
      return state.bytes;
    },
    async *[Symbol.asyncIterator]() {
      let odd = -1;
      for await (const p of pieces) {
        state.bytes += p.length;
        const have = p.length + (odd >= 0 ? 1 : 0);
        const out = new Uint16Array(have >> 1);
        let i = 0;
        let k = 0;
        if (odd >= 0 && p.length > 0) {
          out[k++] = littleEndian ? odd | (p[0] << 8) : (odd << 8) | p[0];
          i = 1;
          odd = -1;
        }
        if (littleEndian) for (; i + 1 < p.length; i += 2) out[k++] = p[i] | (p[i + 1] << 8);
        else for (; i + 1 < p.length; i += 2) out[k++] = (p[i] << 8) | p[i + 1];
        if (i < p.length) odd = p[i];
        if (k > 0) yield out;
      }
    },
  };
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
