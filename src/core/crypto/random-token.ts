import { bytesToBase64 } from "./base64";

/** 32 random bytes as URL-safe base64 (43 characters): a bearer secret for a cookie or a link. */
export function randomToken(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(32))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export const RANDOM_TOKEN = /^[A-Za-z0-9_-]{43}$/;
