/**
 * The OAuth pieces that need no platform: PKCE (RFC 7636, S256) and the signed `state` that binds
 * an authorization to one Vitrine account and connector for ten minutes.
 */

const encoder = new TextEncoder();

/** How long an authorize_url (its state and PKCE verifier) stays usable. */
export const STATE_TTL_MS = 10 * 60_000;

export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A PKCE code verifier: 64 characters from 48 random bytes (RFC 7636 allows 43–128). */
export function pkceVerifier(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(48)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(verifier))));
}

/** What a state carries; the nonce names the server-side record that makes it single use. */
export interface StatePayload {
  account: string;
  connector: string;
  nonce: string;
  /** Expiry, ms since the epoch. */
  expires: number;
}

export type StateCheck = { ok: true; payload: StatePayload } | { ok: false; reason: "malformed" | "signature" | "expired" };

function hmacKey(secret: Uint8Array<ArrayBuffer>, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** `base64url(payload JSON).base64url(HMAC-SHA256)`, opaque to the provider, which hands it back unchanged. */
export async function signState(secret: Uint8Array<ArrayBuffer>, payload: StatePayload): Promise<string> {
  const body = base64Url(encoder.encode(JSON.stringify([payload.account, payload.connector, payload.nonce, payload.expires])));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(body)));
  return `${body}.${base64Url(mac)}`;
}

/** Checks a state's signature (in constant time) and expiry; whether it was already used is the caller's record. */
export async function verifyState(secret: Uint8Array<ArrayBuffer>, state: string, now: number): Promise<StateCheck> {
  const [body, mac, extra] = state.split(".");
  if (!body || !mac || extra !== undefined || state.length > 1024) return { ok: false, reason: "malformed" };
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = fromBase64Url(mac);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), signature, encoder.encode(body));
  if (!valid) return { ok: false, reason: "signature" };
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!Array.isArray(fields) || fields.length !== 4) return { ok: false, reason: "malformed" };
  const [account, connector, nonce, expires] = fields;
  if (typeof account !== "string" || typeof connector !== "string" || typeof nonce !== "string" || typeof expires !== "number") {
    return { ok: false, reason: "malformed" };
  }
  if (expires <= now) return { ok: false, reason: "expired" };
  return { ok: true, payload: { account, connector, nonce, expires } };
}
