import type { RandomAccessReader } from "./types";

/** A random-access reader over bytes in memory (tests, small uploads). */
export function bytesReader(bytes: Uint8Array): RandomAccessReader {
  return {
    size: bytes.length,
    async read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > bytes.length) throw new RangeError("read out of bounds");
      return bytes.subarray(offset, offset + length);
    },
  };
}
