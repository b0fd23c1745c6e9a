import type { ShopeeConfig } from "../../config";
import { signedQuery } from "../../core/connectors/shopee/sign";
import { GrantRefusedError, type OAuthClient, ProviderUnavailableError, type TokenGrant } from "../types";
import { shopeeError } from "./api";

const AUTH_PARTNER = "/api/v2/shop/auth_partner";
const TOKEN_GET = "/api/v2/auth/token/get";
const ACCESS_TOKEN_GET = "/api/v2/auth/access_token/get";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Shopee's shop authorization (Open Platform v2, https://open.shopee.com/developer-guide/20):
 *   GET  {API_URL}/api/v2/shop/auth_partner?partner_id&timestamp&sign&redirect=…   (public signature)
 *   → the seller approves; Shopee sends the browser to `redirect` adding only `code` and `shop_id`,
 *     so Vitrine's signed, single-use `state` travels inside the redirect URL's own query;
 *   POST /api/v2/auth/token/get         { code, shop_id, partner_id }          → access_token (4 h), refresh_token (30 days)
 *   POST /api/v2/auth/access_token/get  { refresh_token, shop_id, partner_id } → a new pair; the new refresh token replaces the old.
 * Errors come as `{ error, message, request_id }`, often with HTTP 200.
 * Shopee has no PKCE: the verifier Vitrine keeps is simply not sent.
 */
export function shopeeOAuth(config: ShopeeConfig): OAuthClient {
  const app = { partnerId: config.partnerId, partnerKey: config.partnerKey };

  async function grant(path: string, body: Record<string, unknown>, shopId: string): Promise<TokenGrant> {
    const url = new URL(config.apiUrl + path);
    for (const [k, v] of Object.entries(await signedQuery(app, path, nowSeconds()))) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...body, partner_id: Number(config.partnerId) }),
        redirect: "manual",
      });
    } catch (error) {
      throw new ProviderUnavailableError(`token endpoint unreachable: ${String(error)}`);
    }
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 500 || res.status === 429) throw new ProviderUnavailableError(`token endpoint answered ${res.status}`);
    const error = shopeeError(answer);
    if (error) {
      // A used, expired or unknown code or refresh token, or a shop that withdrew the authorization.
      throw new GrantRefusedError(error.error, `${error.message}${error.requestId ? ` (request_id ${error.requestId})` : ""}`);
    }
    if (!res.ok) throw new GrantRefusedError(`http_${res.status}`, "");
    const { access_token, refresh_token, expire_in } = answer;
    if (typeof access_token !== "string" || typeof refresh_token !== "string") {
      throw new ProviderUnavailableError("token endpoint answered without access_token or refresh_token");
    }
    return {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresIn: typeof expire_in === "number" && expire_in > 0 ? expire_in : 4 * 3600,
      userId: shopId,
      scope: "",
    };
  }

  return {
    async authorizeUrl({ state, redirectUri }) {
      const redirect = new URL(redirectUri);
      redirect.searchParams.set("state", state);
      const url = new URL(config.apiUrl + AUTH_PARTNER);
      for (const [k, v] of Object.entries(await signedQuery(app, AUTH_PARTNER, nowSeconds()))) url.searchParams.set(k, v);
      url.searchParams.set("redirect", redirect.href);
      return url.href;
    },
    async exchange({ code, sellerId }) {
      if (!sellerId) throw new GrantRefusedError("missing_shop_id", "Shopee sent the code without shop_id");
      return grant(TOKEN_GET, { code, shop_id: Number(sellerId) }, sellerId);
    },
    refresh: (refreshToken, sellerId) => grant(ACCESS_TOKEN_GET, { refresh_token: refreshToken, shop_id: Number(sellerId) }, sellerId),
  };
}
