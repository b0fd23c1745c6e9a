import { describe, expect, it } from "vitest";
import { signInInBrowser, signUpInBrowser } from "./helpers";

describe("sign-in attempts per client address", () => {
  it("allow 50 attempts per 15 minutes from one address, whichever emails they try", async () => {
    const seller = await signUpInBrowser();
    for (let i = 0; i < 50; i++) {
      const { res } = await signInInBrowser(`guess-${i}@example.com`, "some password");
      expect(res.status).toBe(401);
    }
    const { res } = await signInInBrowser(seller.email);
    expect(res.status).toBe(429);
  });
});
