const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A prefixed, random, time-sortable identifier such as `job_01jf3k…`: 48 bits of
 * millisecond time then 80 random bits, Crockford base32 (ULID layout, lower case).
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (let i = 0; i < 16; i++) rand += CROCKFORD[random[i] & 31];
  return `${prefix}_${time}${rand}`;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random base62 string; each character carries ~5.95 bits (rejection sampling keeps it uniform). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      if (bytes[i] < 248) out += BASE62[bytes[i] % 62];
    }
  }
  return out;
}
