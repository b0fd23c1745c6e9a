import { describe, expect, it } from "vitest";
import { importAesKey, open, seal } from "../../../src/core/crypto/aes-gcm";
import { bytesToBase64 } from "../../../src/core/crypto/base64";

const newKey = () => bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));

describe("AES-GCM sealing", () => {
  it("round-trips, with a fresh IV every time", async () => {
    const key = await importAesKey(newKey());
    const a = await seal(key, "whsec_secret", "whk_1");
    const b = await seal(key, "whsec_secret", "whk_1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("whsec_secret");
    expect(await open(key, a, "whk_1")).toBe("whsec_secret");
  });

  it("refuses another key, another context, or a tampered ciphertext", async () => {
    const key = await importAesKey(newKey());
    const sealed = await seal(key, "whsec_secret", "whk_1");
    await expect(open(await importAesKey(newKey()), sealed, "whk_1")).rejects.toThrow();
    await expect(open(key, sealed, "whk_2")).rejects.toThrow();
    const [v, iv, ct] = sealed.split(".");
    const flipped = ct.slice(0, 5) + (ct[5] === "A" ? "B" : "A") + ct.slice(6);
    await expect(open(key, `${v}.${iv}.${flipped}`, "whk_1")).rejects.toThrow();
    await expect(open(key, "garbage", "whk_1")).rejects.toThrow();
  });

  it("accepts only a base64 key of exactly 32 bytes", async () => {
    await expect(importAesKey(bytesToBase64(new Uint8Array(16)))).rejects.toThrow(/32 bytes/);
    await expect(importAesKey("not base64!")).rejects.toThrow(/base64/);
  });
});
