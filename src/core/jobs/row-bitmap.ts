/**
 * A set of row numbers at one bit per row up to the largest added: what the finalize step's merge
 * keeps to count each row once across partitions, bounded by the job's rows rather than by how
 * many duplicates they hold (a Set costs tens of bytes per entry).
 */
export class RowBitmap {
  private bits = new Uint8Array(1024);

  /** Adds `row` (a non-negative integer); whether it was new. */
  add(row: number): boolean {
    if (!Number.isSafeInteger(row) || row < 0 || row > 0xffffffff) throw new RangeError(`not a row number: ${row}`);
    const byte = row >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (row & 7);
    if (this.bits[byte] & mask) return false;
    this.bits[byte] |= mask;
    return true;
  }

  has(row: number): boolean {
    const byte = row >>> 3;
    return byte < this.bits.length && (this.bits[byte] & (1 << (row & 7))) !== 0;
  }

  /** Bytes held: one bit per row up to the largest added, at most twice that after growth. */
  get bytes(): number {
    return this.bits.length;
  }
}
