/** R2 multipart parts must be at least 5 MiB, except the last. */
const PART_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();

/**
 * Writes an object of unknown length to R2 in bounded memory: buffers up to one
 * part, uploads it, and completes the multipart upload on close. Tracks the byte
 * offset so callers can record row boundaries while they write.
 */
export class R2StreamWriter {
  private upload: R2MultipartUpload | null = null;
  private parts: R2UploadedPart[] = [];
  private buffer: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes written so far. */
  offset = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly contentType: string,
  ) {}

  async write(chunk: string | Uint8Array): Promise<void> {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    this.buffer.push(bytes);
    this.buffered += bytes.byteLength;
    this.offset += bytes.byteLength;
    if (this.buffered >= PART_BYTES) await this.flush();
  }

  private take(): Uint8Array {
    const out = new Uint8Array(this.buffered);
    let at = 0;
    for (const b of this.buffer) {
      out.set(b, at);
      at += b.byteLength;
    }
    this.buffer = [];
    this.buffered = 0;
    return out;
  }

  private async flush() {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: this.contentType } });
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, this.take()));
  }

  async close(): Promise<void> {
    if (!this.upload) {
      await this.bucket.put(this.key, this.take(), { httpMetadata: { contentType: this.contentType } });
      return;
    }
    if (this.buffered > 0) await this.flush();
    await this.upload.complete(this.parts);
  }

  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => undefined);
  }
}
