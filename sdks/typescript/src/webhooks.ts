import type { WebhookEvent } from "./types.js";

export type WebhookVerificationFailure =
  | "missing_header"
  | "invalid_timestamp"
  | "stale_timestamp"
  | "invalid_secret"
  | "invalid_signature"
  | "invalid_payload";

/** A delivery that must not be trusted; `reason` says why. Answer it with a 400. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  constructor(
    readonly reason: WebhookVerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A Fetch `Headers`, or a plain object such as Node's `req.headers`. */
export type HeadersLike = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The endpoint's `whsec_…` secret; during a rotation both secrets may be given. */
  secret: string | readonly string[];
  headers: HeadersLike;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Uint8Array | ArrayBuffer;
  /** How far `webhook-timestamp` may be from `now`, in seconds; default 300 (replays older than that are refused). */
  toleranceSeconds?: number;
  /** The current time; default the clock. */
  now?: Date | number;
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function bytesOf(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

/**
 * Verifies a delivery per Standard Webhooks — HMAC-SHA256 over `id.timestamp.body` with the
 * secret's bytes, any one `v1,` signature matching, the timestamp within the tolerance — and
 * returns the event. Web Crypto only, so it runs in Node ≥ 18, Workers, Deno and browsers;
 * `crypto.subtle.verify` compares in constant time.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const id = header(options.headers, "webhook-id");
  const timestamp = header(options.headers, "webhook-timestamp");
  const signatures = header(options.headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError("missing_header", "webhook-id, webhook-timestamp and webhook-signature are required");
  }
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("invalid_timestamp", `webhook-timestamp is not Unix seconds: ${timestamp}`);
  const nowSeconds = Math.floor(Number(options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError("stale_timestamp", `webhook-timestamp is more than ${tolerance} s from now`);
  }

  const body = bytesOf(options.body);
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);

  const given = signatures
    .split(" ")
    .map((entry) => entry.split(","))
    .filter(([version, value]) => version === "v1" && value)
    .map(([, value]) => base64Bytes(value))
    .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== null);

  const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
  for (const secret of secrets) {
    const keyBytes = base64Bytes(secret.startsWith("whsec_") ? secret.slice(6) : secret);
    if (!keyBytes || keyBytes.length === 0) throw new WebhookVerificationError("invalid_secret", "the secret is not a whsec_ base64 secret");
    const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    for (const signature of given) {
      if (await crypto.subtle.verify("HMAC", key, signature, signed)) return parse(body);
    }
  }
  throw new WebhookVerificationError("invalid_signature", "no webhook-signature matches the body with this secret");
}

function parse(body: Uint8Array): WebhookEvent {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError("invalid_payload", "the body is not JSON");
  }
}
