import { importAesKey, open, rawAesKey, seal } from "../core/crypto/aes-gcm";
import type { Env } from "../env";

/**
 * Encryption at rest for credentials (webhook secrets, connector tokens).
 *
 * The key is the `ENCRYPTION_KEY` Worker secret (`openssl rand -base64 32`, then
 * `wrangler secret put ENCRYPTION_KEY`). So that `npm start` works on a fresh
 * clone, ENVIRONMENT = "development" without the secret falls back to a fixed,
 * publicly known key and says so loudly; every other environment refuses.
 */
export class MissingEncryptionKeyError extends Error {
  constructor() {
    super("ENCRYPTION_KEY is not set; run `wrangler secret put ENCRYPTION_KEY` with the output of `openssl rand -base64 32`");
  }
}

const DEV_KEY_SEED = "vitrine development-only encryption key; never protects real data";

let cached: { source: string; key: Promise<CryptoKey> } | undefined;
let warned = false;

function devKey(): Promise<CryptoKey> {
  if (!warned) {
    warned = true;
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "ENCRYPTION_KEY is not set: using the built-in DEVELOPMENT key. Secrets sealed with it are readable by anyone with this code. Set ENCRYPTION_KEY (see .dev.vars.example) before storing anything real.",
      }),
    );
  }
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(DEV_KEY_SEED)).then((d) => rawAesKey(new Uint8Array(d)));
}

/** True when secrets can be sealed and opened in this environment. */
export function encryptionConfigured(env: Pick<Env, "ENCRYPTION_KEY" | "ENVIRONMENT">): boolean {
  return Boolean(env.ENCRYPTION_KEY) || env.ENVIRONMENT === "development";
}

export function encryptionKey(env: Pick<Env, "ENCRYPTION_KEY" | "ENVIRONMENT">): Promise<CryptoKey> {
  const source = env.ENCRYPTION_KEY ? `secret:${env.ENCRYPTION_KEY}` : env.ENVIRONMENT === "development" ? "dev" : "";
  if (!source) return Promise.reject(new MissingEncryptionKeyError());
  if (cached?.source !== source) {
    const key = env.ENCRYPTION_KEY ? importAesKey(env.ENCRYPTION_KEY) : devKey();
    cached = { source, key };
    // A bad key must not stay cached as a rejected promise past the error it causes.
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
  }
  return cached.key;
}

/** Seals `plaintext`, bound to `context` (the owning row's id): it opens only for that row. */
export async function sealSecret(env: Env, plaintext: string, context: string): Promise<string> {
  return seal(await encryptionKey(env), plaintext, context);
}

export async function openSecret(env: Env, sealed: string, context: string): Promise<string> {
  return open(await encryptionKey(env), sealed, context);
}
