import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { R2_MIN_PART_BYTES, R2StreamWriter } from "../../src/storage/multipart-writer";
import { pattern } from "../fixtures/files";

const PART = R2_MIN_PART_BYTES;
const MIB = 1024 * 1024;
const bucket = env.FILES as unknown as R2Bucket;

async function sha256(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The test bucket, recording each part's size as the writer uploads it, to show how an object was cut. */
function watchedBucket(parts: number[]): R2Bucket {
  return {
    put: (...args: Parameters<R2Bucket["put"]>) => bucket.put(...args),
    createMultipartUpload: async (...args: Parameters<R2Bucket["createMultipartUpload"]>) => {
      const upload = await bucket.createMultipartUpload(...args);
      return {
        uploadPart: (n: number, body: Uint8Array) => {
          parts.push(body.byteLength);
          return upload.uploadPart(n, body);
        },
        complete: (uploaded: R2UploadedPart[]) => upload.complete(uploaded),
        abort: () => upload.abort(),
      };
    },
  } as unknown as R2Bucket;
}

/** Writes `total` bytes in pieces whose sizes cycle through `sizes`, then reads the object back. */
async function roundTrip(key: string, total: number, sizes: readonly number[]) {
  const data = pattern(total, total);
  const parts: number[] = [];
  const watched = watchedBucket(parts);
  const writer = new R2StreamWriter(watched, key, "application/octet-stream", PART);
  let at = 0;
  for (let k = 0; at < total; k++) {
    const n = Math.min(sizes[k % sizes.length], total - at);
    await writer.write(data.subarray(at, at + n));
    at += n;
    expect(writer.offset).toBe(at);
  }
  await writer.close();
  const object = await bucket.get(key);
  expect(object).not.toBeNull();
  const back = await object!.arrayBuffer();
  expect(back.byteLength).toBe(total);
  expect(await sha256(back)).toBe(await sha256(data));
  expect(object!.httpMetadata?.contentType).toBe("application/octet-stream");
  return parts;
}

describe("R2StreamWriter", () => {
  it("writes an object smaller than a part with one put", async () => {
    expect(await roundTrip("mp/one", 3 * MIB + 17, [64 * 1024 + 3, 1])).toEqual([]);
  });

  it("cuts two parts at exactly the part size", async () => {
    expect(await roundTrip("mp/two", PART + 12345, [3 * MIB + 1, 7])).toEqual([PART, 12345]);
  });

  it("completes three parts when writes straddle the cuts (the size that used to fail)", async () => {
    // Flushing once the buffer held "at least a part" cut these writes into 7, 5 and 1 MiB parts, which R2 refuses.
    const sizes = [7 * MIB, 3 * MIB, 2 * MIB, MIB];
    expect(await roundTrip("mp/three", 13 * MIB, sizes)).toEqual([PART, PART, 13 * MIB - 2 * PART]);
  });

  it("writes many parts of equal size from small, odd-sized writes and strings", async () => {
    const total = 7 * PART + 999;
    const parts = await roundTrip("mp/many", total, [65_537, 1, 250_000, 4093]);
    expect(parts).toEqual([...Array(7).fill(PART), 999]);

    const writer = new R2StreamWriter(bucket, "mp/text", "text/csv", PART);
    const line = "SKU-1;Camiseta algodão;10,50\r\n";
    const lines = Math.ceil((2 * PART) / new TextEncoder().encode(line).length) + 10;
    for (let i = 0; i < lines; i++) await writer.write(line);
    await writer.close();
    const text = await (await bucket.get("mp/text"))!.text();
    expect(text.length).toBe(line.length * lines);
    expect(text.endsWith(line)).toBe(true);
  });

  it("cuts text exactly inside 2-, 3- and 4-byte characters, and counts bytes, not characters", async () => {
    const encoder = new TextEncoder();
    // Line lengths of 1–4 bytes more than a multiple of 3 move the cuts across every byte of a character.
    const lines = ["ã€😀\n", "aã€😀\n", "aaã€😀\n", "aaaã€😀\n", "x\uD800y\n"];
    const parts: number[] = [];
    const watched = watchedBucket(parts);
    const writer = new R2StreamWriter(watched, "mp/utf8", "text/plain", PART);
    const written: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 2 * PART + 100; i++) {
      const line = lines[i % lines.length];
      await writer.write(line);
      written.push(line);
      bytes += encoder.encode(line).length;
      expect(writer.offset).toBe(bytes);
    }
    await writer.close();
    expect(parts).toEqual([PART, PART, bytes - 2 * PART]);
    const back = new Uint8Array(await (await bucket.get("mp/utf8"))!.arrayBuffer());
    expect(await sha256(back)).toBe(await sha256(encoder.encode(written.join(""))));
  });

  it("does not send an empty last part when the object is a multiple of the part size", async () => {
    expect(await roundTrip("mp/exact", 2 * PART, [MIB + 1])).toEqual([PART, PART]);
  });

  it("refuses parts R2 would refuse, and aborts an unfinished upload", async () => {
    expect(() => new R2StreamWriter(bucket, "mp/x", "text/plain", MIB)).toThrow(RangeError);
    const writer = new R2StreamWriter(bucket, "mp/aborted", "text/plain", PART);
    await writer.write(pattern(PART + 1, 1));
    await writer.abort();
    expect(await bucket.get("mp/aborted")).toBeNull();
  });
});
