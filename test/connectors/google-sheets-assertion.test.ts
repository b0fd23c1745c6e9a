import { describe, expect, it } from "vitest";
import { serviceAccountAssertion } from "../../src/connectors/google-sheets/oauth";
import { FAKE_SERVICE_ACCOUNT_EMAIL, FAKE_SERVICE_ACCOUNT_JSON } from "../fakes/google-sheets";

const decode = (part: string) => JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4)));

describe("the service account's JWT assertion", () => {
  it("is RS256 with iss, scope, aud = the token endpoint and a one-hour exp; Google's token endpoint (the fake) accepts it, and refuses it changed", async () => {
    const key = JSON.parse(FAKE_SERVICE_ACCOUNT_JSON).private_key as string;
    const assertion = await serviceAccountAssertion({ email: FAKE_SERVICE_ACCOUNT_EMAIL, privateKeyPem: key }, "https://oauth2.googleapis.test/token", Math.floor(Date.now() / 1000));
    const [header, claims] = assertion.split(".").map((p, i) => (i < 2 ? decode(p) : p));
    expect(header).toEqual({ alg: "RS256", typ: "JWT" });
    expect(claims).toMatchObject({ iss: FAKE_SERVICE_ACCOUNT_EMAIL, scope: "https://www.googleapis.com/auth/spreadsheets", aud: "https://oauth2.googleapis.test/token" });
    expect(claims.exp - claims.iat).toBe(3600);

    const grant = (assertion: string) =>
      fetch("https://oauth2.googleapis.test/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
      });
    const ok = await grant(assertion);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).access_token).toMatch(/^ya29\./);
    // The fake checks the signature with the key's public half (its own code, not ours): a changed claim is refused.
    const [h, , s] = assertion.split(".");
    const forged = btoa(JSON.stringify({ ...claims, iss: "someone@else.iam.gserviceaccount.com" })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const refused = await grant(`${h}.${forged}.${s}`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error).toBe("invalid_grant");
  });
});
