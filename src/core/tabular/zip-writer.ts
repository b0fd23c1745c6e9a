import { bytePieces } from "./bytes";
import { crc32 } from "./crc32";
import { type ZipArchive, type ZipEntry, readStoredBytes } from "./zip";
import type { ByteSource } from "./types";

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
/** Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8. */
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const VERSION = 20;
const MAX_32 = 0xffffffff;
/** Output is handed on in pieces of about this size, so headers and small deflate blocks do not each cost a write. */
const OUT_BYTES = 64 * 1024;
/** Input is deflated in pieces of at most this size, which bounds what the deflater holds. */
const PIECE_BYTES = 64 * 1024;
/** 1980-01-01 00:00, the earliest MS-DOS date: new entries carry it, so the same input gives the same bytes. */
const DOS_EPOCH = { time: 0, date: (0 << 9) | (1 << 5) | 1 };

interface Written {
  name: Uint8Array;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const utf8 = new TextEncoder();

/**
 * Writes a ZIP archive front to back without holding it: each new entry is deflated as its data
 * streams (CompressionStream "deflate-raw", CRC-32 computed on the way, sizes in a data
 * descriptor after the data), and entries of another archive can be copied as they are stored.
 * Memory: one output piece and the deflater's window. Archives stay under 4 GiB and 65,535
 * entries (no ZIP64), far above the reader's limits.
 */
export class ZipWriter {
  private readonly entries: Written[] = [];
  private readonly names = new Set<string>();
  private out = new Uint8Array(OUT_BYTES);
  private filled = 0;
  private finished = false;
  /** Bytes of the archive so far. */
  offset = 0;

  /** `sink` receives the archive's bytes in order; awaiting it is the writer's backpressure. */
  constructor(private readonly sink: (bytes: Uint8Array) => Promise<void>) {}

  /** Adds an entry, deflating `data` as it streams. */
  async add(name: string, data: ByteSource | string): Promise<void> {
    const entry = this.begin(name, { flags: FLAG_DESCRIPTOR | FLAG_UTF8, method: 8, ...DOS_EPOCH });
    await this.emit(localHeader(entry));
    let crc = 0;
    let size = 0;
    const compressed = { bytes: 0 };
    const deflate = new CompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>;
    const input = deflate.writable.getWriter();
    const output = deflate.readable.getReader();
    // The deflater queues its output without limit, so the pace is set here: a piece goes in
    // only once the output of the previous ones has been handed to the sink.
    let handedOn: Promise<void> = Promise.resolve();
    const pump = (async () => {
      for (;;) {
        const r = await output.read();
        if (r.done) return;
        compressed.bytes += r.value.length;
        handedOn = this.emit(r.value);
        await handedOn;
      }
    })();
    // Rejects if the output side fails, so a wait on a stalled deflater does not hang.
    const pumpFailed = pump.then(() => new Promise<never>(() => {}));
    // Both are awaited below on success; on failure the first error is the one reported.
    pump.catch(() => undefined);
    pumpFailed.catch(() => undefined);
    try {
      const source = typeof data === "string" ? utf8.encode(data) : data;
      for await (const piece of bytePieces(source, PIECE_BYTES)) {
        crc = crc32(piece, crc);
        size += piece.length;
        await Promise.race([input.write(piece), pumpFailed]);
        await Promise.race([handedOn, pumpFailed]);
      }
      await Promise.race([input.close(), pumpFailed]);
      await pump;
    } catch (error) {
      await input.abort(error).catch(() => undefined);
      await output.cancel(error).catch(() => undefined);
      throw error;
    }
    entry.crc = crc;
    entry.size = size;
    entry.compressedSize = compressed.bytes;
    if (size > MAX_32 || compressed.bytes > MAX_32) throw new RangeError(`ZIP entry ${name} is larger than 4 GiB`);
    const d = new DataView(new ArrayBuffer(16));
    d.setUint32(0, DESCRIPTOR, true);
    d.setUint32(4, crc, true);
    d.setUint32(8, entry.compressedSize, true);
    d.setUint32(12, size, true);
    await this.emit(new Uint8Array(d.buffer));
  }

  /** Copies an entry of another archive as stored: its compressed bytes, CRC, sizes, method and date. */
  async copy(zip: ZipArchive, source: ZipEntry): Promise<void> {
    if ((source.flags & 1) !== 0) throw new RangeError(`ZIP entry ${source.name} is encrypted`);
    if (source.compressedSize > MAX_32 || source.uncompressedSize > MAX_32) throw new RangeError(`ZIP entry ${source.name} is larger than 4 GiB`);
    const entry = this.begin(source.name, {
      // The reader decodes every name as UTF-8, so it is written back flagged as such.
      flags: FLAG_UTF8,
      method: source.method,
      time: source.dosTime,
      date: source.dosDate,
    });
    entry.crc = source.crc32;
    entry.size = source.uncompressedSize;
    entry.compressedSize = source.compressedSize;
    await this.emit(localHeader(entry));
    for await (const piece of readStoredBytes(zip, source)) await this.emit(piece);
  }

  /** Writes the central directory and hands on the last bytes. No entry may be added after. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error("ZIP archive already finished");
    this.finished = true;
    if (this.entries.length > 0xffff) throw new RangeError("more than 65,535 ZIP entries");
    const start = this.offset;
    for (const e of this.entries) await this.emit(centralHeader(e));
    const size = this.offset - start;
    if (this.offset > MAX_32) throw new RangeError("ZIP archive larger than 4 GiB");
    const d = new DataView(new ArrayBuffer(22));
    d.setUint32(0, EOCD, true);
    d.setUint16(8, this.entries.length, true);
    d.setUint16(10, this.entries.length, true);
    d.setUint32(12, size, true);
    d.setUint32(16, start, true);
    await this.emit(new Uint8Array(d.buffer));
    await this.flush();
  }

  private begin(name: string, fields: Pick<Written, "flags" | "method" | "time" | "date">): Written {
    if (this.finished) throw new Error("ZIP archive already finished");
    if (this.names.has(name)) throw new RangeError(`duplicate ZIP entry ${name}`);
    if (this.offset > MAX_32) throw new RangeError("ZIP archive larger than 4 GiB");
    this.names.add(name);
    const entry: Written = { name: utf8.encode(name), ...fields, crc: 0, compressedSize: 0, size: 0, offset: this.offset };
    this.entries.push(entry);
    return entry;
  }

  private async emit(bytes: Uint8Array): Promise<void> {
    this.offset += bytes.length;
    if (this.filled === 0 && bytes.length >= OUT_BYTES) {
      await this.sink(bytes);
      return;
    }
    let from = 0;
    while (from < bytes.length) {
      const take = Math.min(bytes.length - from, OUT_BYTES - this.filled);
      this.out.set(bytes.subarray(from, from + take), this.filled);
      this.filled += take;
      from += take;
      if (this.filled === OUT_BYTES) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.filled === 0) return;
    const piece = this.out.subarray(0, this.filled);
    this.out = new Uint8Array(OUT_BYTES);
    this.filled = 0;
    await this.sink(piece);
  }
}

function localHeader(e: Written): Uint8Array {
  const b = new Uint8Array(30 + e.name.length);
  const d = new DataView(b.buffer);
  d.setUint32(0, LOCAL, true);
  d.setUint16(4, VERSION, true);
  d.setUint16(6, e.flags, true);
  d.setUint16(8, e.method, true);
  d.setUint16(10, e.time, true);
  d.setUint16(12, e.date, true);
  // With a data descriptor these stay zero here.
  if ((e.flags & FLAG_DESCRIPTOR) === 0) {
    d.setUint32(14, e.crc, true);
    d.setUint32(18, e.compressedSize, true);
    d.setUint32(22, e.size, true);
  }
  d.setUint16(26, e.name.length, true);
  b.set(e.name, 30);
  return b;
}

function centralHeader(e: Written): Uint8Array {
  const b = new Uint8Array(46 + e.name.length);
  const d = new DataView(b.buffer);
  d.setUint32(0, CENTRAL, true);
  d.setUint16(4, VERSION, true);
  d.setUint16(6, VERSION, true);
  d.setUint16(8, e.flags, true);
  d.setUint16(10, e.method, true);
  d.setUint16(12, e.time, true);
  d.setUint16(14, e.date, true);
  d.setUint32(16, e.crc, true);
  d.setUint32(20, e.compressedSize, true);
  d.setUint32(24, e.size, true);
  d.setUint16(28, e.name.length, true);
  d.setUint32(42, e.offset, true);
  b.set(e.name, 46);
  return b;
}

/**
 * The bytes of an archive that `produce` writes, as a stream read at the consumer's pace: the
 * writer waits while the reader does not read. An error in `produce` errors the stream.
 */
export function zipStream(produce: (zip: ZipWriter) => Promise<void>): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 1 }, { highWaterMark: 0 });
  const writer = writable.getWriter();
  const zip = new ZipWriter((bytes) => writer.write(bytes));
  produce(zip)
    .then(() => zip.finish())
    .then(() => writer.close())
    .catch((error) => writer.abort(error).catch(() => undefined));
  return readable;
}
