import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { base64ToBytes } from "../../src/core/crypto/base64";
import { hashPassword, PASSWORD_HASHING, passwordProblem, verifyPassword } from "../../src/services/passwords";
import { PASSWORD, signInInBrowser, signUpInBrowser } from "./helpers";

describe("password hashing", () => {
  it("stores PBKDF2-SHA256 with today's iterations, a fresh 16-byte salt and a 32-byte hash per password", async () => {
    const stored = await hashPassword(PASSWORD);
    const [algorithm, iterations, salt, hash] = stored.split("$");
    expect(algorithm).toBe("pbkdf2-sha256");
    expect(Number(iterations)).toBe(100_000);
    expect(PASSWORD_HASHING.iterations).toBe(100_000);
    expect(base64ToBytes(salt).length).toBe(16);
    expect(base64ToBytes(hash).length).toBe(32);
    expect(stored).not.toContain(PASSWORD);
    // Same password, new salt, new hash.
    expect(await hashPassword(PASSWORD)).not.toBe(stored);
  });

  it("accepts the password and refuses any other, or a damaged hash", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword(PASSWORD + " ", stored)).ok).toBe(false);
    expect((await verifyPassword(PASSWORD, stored.replace("pbkdf2-sha256", "md5"))).ok).toBe(false);
    expect((await verifyPassword(PASSWORD, "garbage")).ok).toBe(false);
  });

  it("asks for a rehash of hashes made with fewer iterations, and only when the password is right", async () => {
    const old = await hashPassword(PASSWORD, 20_000);
    expect(await verifyPassword(PASSWORD, old)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("wrong password!", old)).toEqual({ ok: false, needsRehash: false });
  });

  it("upgrades a stored hash to today's parameters at the next sign-in", async () => {
    const seller = await signUpInBrowser();
    await env.DB.prepare("UPDATE accounts SET password_hash = ? WHERE id = ?").bind(await hashPassword(PASSWORD, 20_000), seller.accountId).run();
    const { res } = await signInInBrowser(seller.email);
    expect(res.status).toBe(303);
    const row = await env.DB.prepare("SELECT password_hash FROM accounts WHERE id = ?").bind(seller.accountId).first<{ password_hash: string }>();
    expect(row!.password_hash.split("$")[1]).toBe("100000");
    expect((await signInInBrowser(seller.email)).res.status).toBe(303);
  });

  it("wants at least 10 characters and not the email address", () => {
    expect(passwordProblem("short")).not.toBeNull();
    expect(passwordProblem("voce@loja.com.br", "Voce@Loja.com.br")).not.toBeNull();
    expect(passwordProblem("uma frase longa o bastante")).toBeNull();
  });
});
