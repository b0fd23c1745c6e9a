import { describe, expect, it } from "vitest";
import { hmacSha256Hex, signatureBase, signedQuery } from "../../../src/core/connectors/shopee/sign";

// Vectors computed outside this code, with the shell and Python:
//   printf '%s' '<base>' | openssl dgst -sha256 -hmac '<key>' -hex
//   python3 -c "import hmac,hashlib; print(hmac.new(b'<key>', b'<base>', hashlib.sha256).hexdigest())"
const KEY = "shpk4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5";
const app = { partnerId: "2001887", partnerKey: KEY };

describe("Shopee signing", () => {
  it("builds the public base string: partner_id + path + timestamp", () => {
    expect(signatureBase("2001887", "/api/v2/shop/auth_partner", 1655714431)).toBe("2001887/api/v2/shop/auth_partner1655714431");
  });

  it("builds the shop base string: … + access_token + shop_id", () => {
    expect(signatureBase("2001887", "/api/v2/product/get_item_list", 1655714431, { accessToken: "acc3ss70k3n", shopId: "88881234" })).toBe(
      "2001887/api/v2/product/get_item_list1655714431acc3ss70k3n88881234",
    );
  });

  it("signs a public call like openssl does", async () => {
    const q = await signedQuery(app, "/api/v2/shop/auth_partner", 1655714431);
    expect(q).toEqual({ partner_id: "2001887", timestamp: "1655714431", sign: "44cbca24649c4026b53b808038e5ac1318e755a89c6dcc8a1e14ccc4dcbf8407" });
  });

  it("signs a shop call like openssl does, and carries access_token and shop_id", async () => {
    const q = await signedQuery(app, "/api/v2/product/get_item_list", 1655714431, { accessToken: "acc3ss70k3n", shopId: "88881234" });
    expect(q.sign).toBe("4f82fd35f3d29d3eebd2b6b9315da0f08eef11c2738665564072e69450d0752f");
    expect(q.access_token).toBe("acc3ss70k3n");
    expect(q.shop_id).toBe("88881234");
  });

  it("signs the token call like Python's hmac does", async () => {
    expect(await hmacSha256Hex(KEY, "2001887/api/v2/auth/token/get1700000000")).toBe("805ff4a38735204faf74076b4da919715ac6dadbecefd1f9d55fb9b096caa38d");
  });

  it("changes with any part of the base string", async () => {
    const a = await signedQuery(app, "/api/v2/product/get_item_list", 1655714431, { accessToken: "acc3ss70k3n", shopId: "88881234" });
    const b = await signedQuery(app, "/api/v2/product/get_item_list", 1655714432, { accessToken: "acc3ss70k3n", shopId: "88881234" });
    const c = await signedQuery(app, "/api/v2/product/get_item_list", 1655714431, { accessToken: "acc3ss70k3n", shopId: "88881235" });
    expect(new Set([a.sign, b.sign, c.sign]).size).toBe(3);
  });
});
