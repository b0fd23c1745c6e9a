import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inspectStored } from "../../src/storage/streams";
import { MIB, pattern, sha256 } from "../fixtures/files";

const bucket = env.FILES as unknown as R2Bucket;

async function stored(key: string, bytes: Uint8Array): Promise<R2ObjectBody> {
  await bucket.put(key, bytes);
  return (await bucket.get(key))!;
}

describe("inspectStored", () => {
  it("hashes every byte of an object larger than the head, and keeps exactly the head", async () => {
    const data = pattern(3 * MIB + 12_345, 7);
    let seen: Uint8Array | undefined;
    const result = await inspectStored(await stored("inspect/large", data), 64 * 1024, (head) => {
      seen = head.slice();
    });
    expect(result.size).toBe(data.byteLength);
    expect(result.sha256).toBe(await sha256(data));
    expect(result.head).toEqual(data.slice(0, 64 * 1024));
    expect(seen).toEqual(data.slice(0, 64 * 1024));
  });

  it("hashes an object shorter than the head, handing the whole object to onHead", async () => {
    const data = pattern(1000, 3);
    let seen: Uint8Array | undefined;
    const result = await inspectStored(await stored("inspect/small", data), 64 * 1024, (head) => {
      seen = head.slice();
    });
    expect(result).toEqual({ size: 1000, sha256: await sha256(data), head: data });
    expect(seen).toEqual(data);
  });

  it("stops at the head when onHead throws, with onHead's error", async () => {
    const object = await stored("inspect/refused", pattern(2 * MIB, 5));
    const refused = new Error("not a spreadsheet");
    await expect(
      inspectStored(object, 1024, () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
  });
});
