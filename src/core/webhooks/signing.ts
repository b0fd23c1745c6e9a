import { base64ToBytes, bytesToBase64 } from "../crypto/base64";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signature is
 * base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)) where key is the
 * base64-decoded part of a `whsec_` secret, sent as `webhook-signature: v1,<sig>`.
 * While a rotated secret overlaps, one `v1,…` entry per secret, space-separated.
 */
export const SECRET_PREFIX = "whsec_";
/** Standard Webhooks recommends 24–64 random bytes. */
const SECRET_BYTES = 32;
/** Receivers should reject messages older (or newer) than this. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

const encoder = new TextEncoder();

export function generateSecret(): string {
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

function secretKey(secret: string): Promise<CryptoKey> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("webhook secret must start with whsec_");
  const raw = base64ToBytes(secret.slice(SECRET_PREFIX.length));
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** One `v1,<base64>` signature of the message. */
export async function signature(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await secretKey(secret);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** The three Standard Webhooks headers, signed with every given secret (newest first). */
export async function signedHeaders(secrets: string[], id: string, timestampSeconds: number, body: string): Promise<SignedHeaders> {
  if (secrets.length === 0) throw new Error("at least one secret is needed to sign");
  const signatures = await Promise.all(secrets.map((s) => signature(s, id, timestampSeconds, body)));
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": signatures.join(" ") };
}

/**
 * Verifies headers as a receiver would: a matching v1 signature and a timestamp within
 * the tolerance of `nowSeconds`. Constant-time comparison of the base64 text.
 */
export async function verifySignature(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const timestamp = Number(headers.timestamp);
  if (!/^\d+$/.test(headers.timestamp) || Math.abs(nowSeconds - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) return false;
  const expected = await signature(secret, headers.id, timestamp, body);
  return headers.signature.split(" ").some((candidate) => constantTimeEqual(candidate, expected));
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
