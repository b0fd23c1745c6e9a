import { base64ToBytes, bytesToBase64 } from "./base64";

/**
 * Authenticated encryption for small secrets at rest (AES-256-GCM, WebCrypto).
 *
 * A sealed value reads `v1.<iv>.<ciphertext+tag>` (base64). The caller passes
 * `context` (e.g. the owning row's id) as additional authenticated data, so a
 * ciphertext copied onto another row fails to open instead of leaking there.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class DecryptionError extends Error {}

/** Imports a 32-byte AES key given as base64 (what `openssl rand -base64 32` prints). */
export async function importAesKey(base64Key: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = base64ToBytes(base64Key.trim());
  } catch {
    throw new Error("encryption key is not base64");
  }
  if (raw.byteLength !== 32) throw new Error(`encryption key must be 32 bytes, got ${raw.byteLength}`);
  return rawAesKey(raw);
}

export function rawAesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

export async function seal(key: CryptoKey, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    key,
    encoder.encode(plaintext),
  );
  return `${VERSION}.${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(ciphertext))}`;
}

export async function open(key: CryptoKey, sealed: string, context: string): Promise<string> {
  const [version, iv, ciphertext, extra] = sealed.split(".");
  if (version !== VERSION || !iv || !ciphertext || extra !== undefined) throw new DecryptionError("unrecognized sealed value");
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64ToBytes(iv), additionalData: encoder.encode(context) },
      key,
      base64ToBytes(ciphertext),
    );
    return decoder.decode(plaintext);
  } catch {
    throw new DecryptionError("sealed value does not open with this key and context");
  }
}
