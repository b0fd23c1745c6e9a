import { base64ToBytes, bytesToBase64 } from "../core/crypto/base64";
import { constantTimeEqual } from "../core/crypto/constant-time";
import { type Text, text } from "../core/text";

/**
 * How new passwords are hashed. Workers cap PBKDF2 at 100,000 iterations, so that is the
 * current setting; every hash records its own parameters, so raising them later only needs a
 * new number here: the next sign-in with the old hash stores a new one (`needsRehash`).
 */
export const PASSWORD_HASHING = { algorithm: "pbkdf2-sha256", iterations: 100_000, saltBytes: 16, hashBytes: 32 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" */
export async function hashPassword(password: string, iterations: number = PASSWORD_HASHING.iterations): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_HASHING.saltBytes));
  const hash = await derive(password, salt, iterations, PASSWORD_HASHING.hashBytes);
  return [PASSWORD_HASHING.algorithm, iterations, bytesToBase64(salt), bytesToBase64(hash)].join("$");
}

interface StoredHash {
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array;
}

function parseStored(stored: string): StoredHash | null {
  const [algorithm, iterations, salt, hash, extra] = stored.split("$");
  if (algorithm !== PASSWORD_HASHING.algorithm || extra !== undefined || !/^\d{1,7}$/.test(iterations ?? "")) return null;
  try {
    return { iterations: Number(iterations), salt: base64ToBytes(salt), hash: base64ToBytes(hash) };
  } catch {
    return null;
  }
}

export interface PasswordCheck {
  ok: boolean;
  /** The hash was made with weaker parameters than today's: store a new one now that the password is known. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parsed = parseStored(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const derived = await derive(password, parsed.salt, parsed.iterations, parsed.hash.length);
  const ok = constantTimeEqual(derived, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations < PASSWORD_HASHING.iterations };
}

// An unknown address costs as much as a wrong password, so response times do not tell which accounts exist.
let decoy: Promise<string> | undefined;
export async function spendPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await decoy);
}

/** Why a new password is not acceptable, or null. Long passphrases are welcome; no composition rules. */
export function passwordProblem(password: string, email?: string): Text | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return text(`Use at least ${PASSWORD_MIN_LENGTH} characters.`, `Use pelo menos ${PASSWORD_MIN_LENGTH} caracteres.`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return text(`Use at most ${PASSWORD_MAX_LENGTH} characters.`, `Use no máximo ${PASSWORD_MAX_LENGTH} caracteres.`);
  }
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return text("The password cannot be your email address.", "A senha não pode ser o seu e-mail.");
  }
  return null;
}
