import { describe, expect, it } from "vitest";
import { base64Url, pkceChallenge, pkceVerifier, signState, verifyState } from "../../../src/core/connectors/oauth";

const key = new TextEncoder().encode("k".repeat(32)) as Uint8Array<ArrayBuffer>;
const other = new TextEncoder().encode("x".repeat(32)) as Uint8Array<ArrayBuffer>;
const payload = { account: "acct_1", connector: "con_1", nonce: "n0nce", expires: 2_000_000 };

describe("PKCE (RFC 7636, S256)", () => {
  it("makes verifiers of the allowed length and alphabet, and the RFC's challenge for its example", async () => {
    const v = pkceVerifier();
    expect(v).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(pkceVerifier()).not.toBe(v);
    // RFC 7636 appendix B.
    expect(await pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});

describe("signed state", () => {
  it("round-trips the account, connector, nonce and expiry", async () => {
    const state = await signState(key, payload);
    expect(await verifyState(key, state, 1_000_000)).toEqual({ ok: true, payload });
  });

  it("refuses a state signed with another key, changed in transit, or expired", async () => {
    const state = await signState(key, payload);
    expect(await verifyState(other, state, 1_000_000)).toEqual({ ok: false, reason: "signature" });
    const [body, mac] = state.split(".");
    const forged = base64Url(new TextEncoder().encode(JSON.stringify(["acct_attacker", "con_1", "n0nce", 2_000_000])));
    expect(await verifyState(key, `${forged}.${mac}`, 1_000_000)).toEqual({ ok: false, reason: "signature" });
    expect(await verifyState(key, `${body}.${mac.slice(0, -2)}xx`, 1_000_000)).toMatchObject({ ok: false });
    expect(await verifyState(key, state, 2_000_000)).toEqual({ ok: false, reason: "expired" });
    for (const junk of ["", "abc", "a.b.c", "%%%.%%%"]) expect((await verifyState(key, junk, 0)).ok).toBe(false);
  });
});
