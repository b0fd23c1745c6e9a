import { TabularError } from "./errors";
import type { RandomAccessReader } from "./types";

/** Limits on what a client-supplied ZIP may make us read. Each breach is a `TabularError`. */
export interface ZipLimits {
  /** Entries in the central directory. Default 10,000. */
  maxEntries: number;
  /** Declared and actual inflated bytes of one entry. Default 1 GiB. */
  maxEntryBytes: number;
  /** Inflated bytes across all entries read through one archive. Default 2 GiB. */
  maxTotalBytes: number;
  /** Declared uncompressed ÷ compressed size, checked for entries above 1 MiB. Default 250. */
  maxCompressionRatio: number;
  /** Default 16 MiB. */
  maxCentralDirectoryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 1024 ** 3,
  maxTotalBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 250,
  maxCentralDirectoryBytes: 16 * 1024 ** 2,
};

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is refused when read. */
  method: number;
  /** General-purpose flags; bit 0 means encrypted. */
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** MS-DOS modification time and date, as stored (kept when the entry is copied). */
  dosTime: number;
  dosDate: number;
}

export interface ZipArchive {
  readonly reader: RandomAccessReader;
  readonly limits: ZipLimits;
  readonly entries: ReadonlyMap<string, ZipEntry>;
  /** Inflated bytes handed out so far (counted against `maxTotalBytes`). */
  inflatedBytes: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const RATIO_MIN_BYTES = 1024 * 1024;
/** Bytes per ranged read (one R2 request each). */
const READ_BYTES = 1024 * 1024;
/** Compressed bytes per write into the inflater: bounds what one write can expand into. */
const FEED_BYTES = 16 * 1024;

/** Reads the end-of-central-directory record (ZIP64 aware) and the central directory. */
export async function openZip(reader: RandomAccessReader, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const size = reader.size;
  if (size < 22) throw corrupt("too short to be a ZIP file");
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = await readExact(reader, size - tailLen, tailLen);
  const tv = view(tail);
  let at = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD && i + 22 + tv.getUint16(i + 20, true) <= tailLen) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt("no end-of-central-directory record");
  if (tv.getUint16(at + 4, true) !== 0 || tv.getUint16(at + 6, true) !== 0) {
    throw corrupt("multi-disk archives are not supported");
  }
  let count = tv.getUint16(at + 10, true);
  let cdSize = tv.getUint32(at + 12, true);
  let cdOffset = tv.getUint32(at + 16, true);

  const eocdPos = size - tailLen + at;
  if (eocdPos >= 20) {
    const loc = await readExact(reader, eocdPos - 20, 20);
    if (view(loc).getUint32(0, true) === ZIP64_LOCATOR) {
      const z64Pos = u64(view(loc), 8);
      if (z64Pos + 56 > size) throw corrupt("bad ZIP64 locator");
      const z = view(await readExact(reader, z64Pos, 56));
      if (z.getUint32(0, true) !== ZIP64_EOCD) throw corrupt("bad ZIP64 end-of-central-directory record");
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
  }
  if (count > lim.maxEntries) {
    throw new TabularError("zip_too_many_entries", `The archive has ${count} entries; the limit is ${lim.maxEntries}.`);
  }
  if (cdSize > lim.maxCentralDirectoryBytes) {
    throw new TabularError("zip_too_many_entries", `The central directory is larger than ${lim.maxCentralDirectoryBytes} bytes.`);
  }
  if (cdOffset + cdSize > size) throw corrupt("central directory out of bounds");

  const cd = await readExact(reader, cdOffset, cdSize);
  const cv = view(cd);
  const names = new TextDecoder("utf-8");
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdSize || cv.getUint32(p, true) !== CENTRAL) throw corrupt("bad central directory entry");
    const nameLen = cv.getUint16(p + 28, true);
    const extraLen = cv.getUint16(p + 30, true);
    const commentLen = cv.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdSize) throw corrupt("central directory entry out of bounds");
    const e: ZipEntry = {
      name: names.decode(cd.subarray(p + 46, p + 46 + nameLen)),
      flags: cv.getUint16(p + 8, true),
      method: cv.getUint16(p + 10, true),
      dosTime: cv.getUint16(p + 12, true),
      dosDate: cv.getUint16(p + 14, true),
      crc32: cv.getUint32(p + 16, true),
      compressedSize: cv.getUint32(p + 20, true),
      uncompressedSize: cv.getUint32(p + 24, true),
      localHeaderOffset: cv.getUint32(p + 42, true),
    };
    applyZip64Extra(e, cv, p + 46 + nameLen, extraLen);
    if (entries.has(e.name)) throw corrupt(`duplicate entry ${e.name}`);
    entries.set(e.name, e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.size > lim.maxEntries) {
    throw new TabularError("zip_too_many_entries", `The archive has more than ${lim.maxEntries} entries.`);
  }
  return { reader, limits: lim, entries, inflatedBytes: 0 };
}

/** ZIP64 extended information: 64-bit values for each 32-bit field saturated at 0xFFFFFFFF. */
function applyZip64Extra(e: ZipEntry, v: DataView, start: number, len: number): void {
  const end = start + len;
  let p = start;
  while (p + 4 <= end) {
    const id = v.getUint16(p, true);
    const size = v.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const take = (): number => {
        if (q + 8 > p + 4 + size) throw corrupt("truncated ZIP64 extra field");
        const n = u64(v, q);
        q += 8;
        return n;
      };
      if (e.uncompressedSize === 0xffffffff) e.uncompressedSize = take();
      if (e.compressedSize === 0xffffffff) e.compressedSize = take();
      if (e.localHeaderOffset === 0xffffffff) e.localHeaderOffset = take();
      return;
    }
    p += 4 + size;
  }
}

/** Refuses entries we must not inflate, before reading any of their data. */
export function checkEntry(zip: ZipArchive, e: ZipEntry): void {
  const lim = zip.limits;
  if ((e.flags & 1) !== 0 || e.method === 99) {
    throw new TabularError("encrypted_workbook", `Entry ${e.name} is encrypted.`);
  }
  if (e.method !== 0 && e.method !== 8) {
    throw new TabularError("unsupported_compression", `Entry ${e.name} uses compression method ${e.method}.`);
  }
  if (e.uncompressedSize > lim.maxEntryBytes) {
    throw new TabularError(
      "zip_entry_too_large",
      `Entry ${e.name} declares ${e.uncompressedSize} bytes; the limit is ${lim.maxEntryBytes}.`,
    );
  }
  if (zip.inflatedBytes + e.uncompressedSize > lim.maxTotalBytes) {
    throw new TabularError("zip_total_too_large", `The archive inflates to more than ${lim.maxTotalBytes} bytes.`);
  }
  if (
    e.uncompressedSize > RATIO_MIN_BYTES &&
    e.uncompressedSize > e.compressedSize * lim.maxCompressionRatio
  ) {
    throw new TabularError(
      "zip_compression_ratio",
      `Entry ${e.name} is compressed more than ${lim.maxCompressionRatio}:1.`,
    );
  }
  if (e.method === 0 && e.compressedSize !== e.uncompressedSize) throw corrupt(`stored entry ${e.name} has two sizes`);
}

/**
 * Streams an entry's inflated bytes. The declared size is a hard ceiling checked while
 * inflating: an entry that produces more is aborted at once (`zip_size_mismatch`), so a bomb
 * costs at most one small feed's worth of work past its declared size. CRC-32 is not verified
 * (the inflater already rejects corrupt deflate data).
 */
export async function* readEntry(zip: ZipArchive, e: ZipEntry): AsyncGenerator<Uint8Array, void, undefined> {
  checkEntry(zip, e);
  const reader = zip.reader;
  const { start, end } = await dataRange(zip, e);

  let produced = 0;
  const account = (n: number): void => {
    produced += n;
    zip.inflatedBytes += n;
    if (produced > e.uncompressedSize) {
      throw new TabularError("zip_size_mismatch", `Entry ${e.name} inflates past its declared size.`);
    }
    if (zip.inflatedBytes > zip.limits.maxTotalBytes) {
      throw new TabularError("zip_total_too_large", `The archive inflates to more than ${zip.limits.maxTotalBytes} bytes.`);
    }
  };

  if (e.method === 0) {
    for (let pos = start; pos < end; pos += READ_BYTES) {
      const b = await readExact(reader, pos, Math.min(READ_BYTES, end - pos));
      account(b.length);
      yield b;
    }
    return;
  }

  let pos = start;
  let buf: Uint8Array = new Uint8Array(0);
  let bi = 0;
  const compressed = new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (bi >= buf.length) {
          if (pos >= end) {
            ctrl.close();
            return;
          }
          buf = await readExact(reader, pos, Math.min(READ_BYTES, end - pos));
          pos += buf.length;
          bi = 0;
        }
        ctrl.enqueue(buf.subarray(bi, bi + FEED_BYTES));
        bi += FEED_BYTES;
      },
    },
    { highWaterMark: 0 },
  );
  // The cast bridges Node's and workerd's typings of DecompressionStream; both take and give bytes.
  const inflate = new DecompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>;
  const out = compressed.pipeThrough(inflate).getReader();
  let finished = false;
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await out.read();
      } catch (err) {
        if (err instanceof TabularError) throw err;
        throw corrupt(`entry ${e.name} is not valid deflate data`);
      }
      if (r.done) break;
      account(r.value.length);
      yield r.value;
    }
    finished = true;
  } finally {
    if (!finished) await out.cancel().catch(() => {});
  }
  if (produced !== e.uncompressedSize) {
    throw new TabularError("zip_size_mismatch", `Entry ${e.name} inflates to ${produced} bytes, not ${e.uncompressedSize}.`);
  }
}

/** Where an entry's stored (compressed) bytes are, from its local header. */
async function dataRange(zip: ZipArchive, e: ZipEntry): Promise<{ start: number; end: number }> {
  const local = view(await readExact(zip.reader, e.localHeaderOffset, 30));
  if (local.getUint32(0, true) !== LOCAL) throw corrupt(`bad local header for ${e.name}`);
  const start = e.localHeaderOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  const end = start + e.compressedSize;
  if (end > zip.reader.size) throw corrupt(`entry ${e.name} out of bounds`);
  return { start, end };
}

/** An entry's bytes exactly as stored (still compressed), for copying it into another archive. */
export async function* readStoredBytes(zip: ZipArchive, e: ZipEntry): AsyncGenerator<Uint8Array, void, undefined> {
  const { start, end } = await dataRange(zip, e);
  for (let pos = start; pos < end; pos += READ_BYTES) yield await readExact(zip.reader, pos, Math.min(READ_BYTES, end - pos));
}

/** Reads a whole (small) entry, refusing one that declares more than `maxBytes`. */
export async function readEntryBytes(zip: ZipArchive, e: ZipEntry, maxBytes: number): Promise<Uint8Array> {
  if (e.uncompressedSize > maxBytes) {
    throw new TabularError("zip_entry_too_large", `Entry ${e.name} is larger than ${maxBytes} bytes.`);
  }
  const out = new Uint8Array(e.uncompressedSize);
  let o = 0;
  for await (const b of readEntry(zip, e)) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

async function readExact(reader: RandomAccessReader, offset: number, length: number): Promise<Uint8Array> {
  if (length === 0) return new Uint8Array(0);
  const b = await reader.read(offset, length);
  if (b.length !== length) throw corrupt("unexpected end of file");
  return b;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(v: DataView, at: number): number {
  const n = v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(n)) throw corrupt("64-bit value out of range");
  return n;
}

function corrupt(detail: string): TabularError {
  return new TabularError("corrupt_zip", `Not a readable ZIP archive: ${detail}.`);
}
