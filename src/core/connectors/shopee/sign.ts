/**
 * Shopee Open Platform v2 request signing. Every call carries `partner_id`, `timestamp` (seconds)
 * and `sign`: the lower-case hex HMAC-SHA256, keyed with the partner key, of
 *   partner_id + api path + timestamp                           (public calls: auth, token)
 *   partner_id + api path + timestamp + access_token + shop_id  (shop calls: product, …)
 * Shopee refuses a timestamp more than 5 minutes old.
 * https://open.shopee.com/developer-guide/16 ("API calls", "Signature")
 */

const encoder = new TextEncoder();

/** How long Shopee accepts a signed timestamp. */
export const SIGNATURE_MAX_AGE_S = 300;

export interface ShopCredentials {
  accessToken: string;
  shopId: string;
}

/** The text that is signed, in the documented order. */
export function signatureBase(partnerId: string, path: string, timestamp: number, shop?: ShopCredentials): string {
  const base = `${partnerId}${path}${timestamp}`;
  return shop ? `${base}${shop.accessToken}${shop.shopId}` : base;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hex HMAC-SHA256 of `base` with the partner key. */
export async function hmacSha256Hex(key: string, base: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(base)));
}

/** The common query parameters of a signed call: partner_id, timestamp, sign (+ access_token and shop_id for shop calls). */
export async function signedQuery(
  app: { partnerId: string; partnerKey: string },
  path: string,
  timestamp: number,
  shop?: ShopCredentials,
): Promise<Record<string, string>> {
  const sign = await hmacSha256Hex(app.partnerKey, signatureBase(app.partnerId, path, timestamp, shop));
  return {
    partner_id: app.partnerId,
    timestamp: String(timestamp),
    sign,
    ...(shop && { access_token: shop.accessToken, shop_id: shop.shopId }),
  };
}
