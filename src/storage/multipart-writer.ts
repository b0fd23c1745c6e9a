/** R2 refuses multipart parts under 5 MiB, except the last. */
export const R2_MIN_PART_BYTES = 5 * 1024 * 1024;
const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();

/**
 * Writes an object of unknown length to R2 in bounded memory: fills one part, uploads it, and
 * completes the multipart upload on close (an object smaller than one part is a single put).
 * R2 requires every part but the last to have the same size, so parts are cut at exactly
 * `partBytes`, whatever the sizes of the writes; the last part holds the remainder. Tracks the
 * byte offset so callers can record row boundaries while they write.
 */
export class R2StreamWriter {
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];
  /** Grows up to one part, so a small object does not cost a whole part's buffer. */
  private part = new Uint8Array(0);
  private filled = 0;
  /** Bytes written so far. */
  offset = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly contentType: string,
    private readonly partBytes = DEFAULT_PART_BYTES,
  ) {
    if (!Number.isInteger(partBytes) || partBytes < R2_MIN_PART_BYTES) {
      throw new RangeError(`partBytes must be an integer of at least ${R2_MIN_PART_BYTES}`);
    }
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (typeof chunk === "string") return this.writeText(chunk);
    const bytes = chunk;
    this.offset += bytes.byteLength;
    let from = 0;
    while (from < bytes.byteLength) {
      const take = Math.min(bytes.byteLength - from, this.partBytes - this.filled);
      this.reserve(this.filled + take);
      this.part.set(bytes.subarray(from, from + take), this.filled);
      this.filled += take;
      from += take;
      if (this.filled === this.partBytes) await this.flush();
    }
  }

  /**
   * Encodes text straight into the part, without an array of its own per write: callers such as a
   * sheet's conversion write one short line at a time, a million times.
   */
  private async writeText(text: string): Promise<void> {
    let rest = text;
    while (rest.length > 0) {
      // Three bytes per UTF-16 unit is the most UTF-8 can take.
      this.reserve(Math.min(this.partBytes, this.filled + rest.length * 3));
      const { read, written } = encoder.encodeInto(rest, this.part.subarray(this.filled));
      this.filled += written;
      this.offset += written;
      if (read === rest.length) break;
      rest = rest.slice(read);
      if (this.filled === this.partBytes) {
        await this.flush();
        continue;
      }
      // The next character's bytes do not fit in what is left of the part: the byte path cuts it exactly.
      const units = (rest.codePointAt(0) as number) > 0xffff ? 2 : 1;
      await this.write(encoder.encode(rest.slice(0, units)));
      rest = rest.slice(units);
    }
    if (this.filled === this.partBytes) await this.flush();
  }

  private reserve(capacity: number): void {
    if (capacity <= this.part.length) return;
    const grown = new Uint8Array(Math.min(this.partBytes, Math.max(capacity, this.part.length * 2, 64 * 1024)));
    grown.set(this.part.subarray(0, this.filled));
    this.part = grown;
  }

  private async flush(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: this.contentType } });
    const body = this.part.length === this.filled ? this.part : this.part.subarray(0, this.filled);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, body));
    // A fresh whole part (the object is large): the uploaded buffer is the runtime's until collected.
    this.part = new Uint8Array(this.partBytes);
    this.filled = 0;
  }

  async close(): Promise<void> {
    if (!this.upload) {
      await this.bucket.put(this.key, this.part.subarray(0, this.filled), { httpMetadata: { contentType: this.contentType } });
      return;
    }
    if (this.filled > 0) await this.flush();
    await this.upload.complete(this.parts);
  }

  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => undefined);
  }
}
