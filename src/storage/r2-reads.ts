/** Random access over an R2 object through ranged reads (for the XLSX reader). */
export function r2RandomAccess(bucket: R2Bucket, key: string, size: number) {
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const object = await bucket.get(key, { range: { offset, length } });
      if (!object) throw new Error(`object ${key} disappeared`);
      return new Uint8Array(await object.arrayBuffer());
    },
  };
}

/**
 * An object's bytes as a sequence of large ranged reads: one streaming pass at the speed of
 * a few big reads rather than many small stream pieces, in bounded memory.
 */
export async function* rangedReads(bucket: R2Bucket, key: string, size: number, step = 8 * 1024 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < size; offset += step) {
    const object = await bucket.get(key, { range: { offset, length: Math.min(step, size - offset) } });
    if (!object) throw new Error(`object ${key} disappeared`);
    yield new Uint8Array(await object.arrayBuffer());
  }
}

/** Every key under a prefix, in key order (R2 lists at most 1,000 per page). */
export async function listKeys(bucket: R2Bucket, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}
