import { describe, expect, it } from "vitest";
import { PASSWORD, signInInBrowser, signUpInBrowser } from "./helpers";

// Every local request counts as one client address (only Cloudflare's CF-Connecting-IP is trusted),
// so the per-address limit is tested in its own file (each file has its own limiter storage).
describe("sign-in attempts per email", () => {
  it("allow 10 attempts per 15 minutes for one address, then refuse even the right password", async () => {
    const seller = await signUpInBrowser();
    for (let i = 0; i < 10; i++) {
      const { res } = await signInInBrowser(seller.email, `wrong password ${i}`);
      expect(res.status).toBe(401);
    }
    const { res, browser } = await signInInBrowser(seller.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.text()).toContain("Tentativas de entrar demais");
    expect(browser.signedIn()).toBe(false);
  });

  it("count per address: another account signs in meanwhile", async () => {
    const other = await signUpInBrowser();
    expect((await signInInBrowser(other.email)).res.status).toBe(303);
  });
});
