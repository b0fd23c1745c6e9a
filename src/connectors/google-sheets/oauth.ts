import type { GoogleConfig } from "../../config";
import { base64Url } from "../../core/connectors/oauth";
import { postTokenForm } from "../token-endpoint";
import { GrantRefusedError, type OAuthClient, ProviderUnavailableError, type TokenGrant } from "../types";

/** Read and write access to the seller's spreadsheets, nothing else (no Drive, no profile). */
export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";
/** Google's access tokens live an hour (expires_in 3599). */
const DEFAULT_EXPIRES_S = 3599;

/**
 * Google's token endpoint → { access_token, expires_in, refresh_token?, scope, token_type }.
 * Errors are { error, error_description } with 400 (invalid_grant: used, expired or revoked code or
 * refresh token) or 401 (invalid_client).
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 */
async function tokenRequest(tokenUrl: string, form: Record<string, string>, keepRefresh: string): Promise<TokenGrant> {
  const body = await postTokenForm(tokenUrl, form);
  if (typeof body.access_token !== "string") throw new ProviderUnavailableError("token endpoint answered without access_token");
  // A refresh answers no new refresh token: the one the seller granted stays valid until revoked.
  const refresh = typeof body.refresh_token === "string" ? body.refresh_token : keepRefresh;
  return {
    accessToken: body.access_token,
    refreshToken: refresh,
    expiresIn: typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_S,
    // Without the openid scope Google names no user; the connector names its spreadsheet instead.
    userId: "",
    scope: typeof body.scope === "string" ? body.scope : SHEETS_SCOPE,
  };
}

/**
 * Google's OAuth 2.0 for web server applications: authorization code with PKCE (S256),
 * access_type=offline for a refresh token, prompt=consent so a second authorization grants one
 * again, scope limited to spreadsheets.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
export function googleOAuth(config: GoogleConfig): OAuthClient {
  const client = config.oauth;
  const need = () => {
    if (!client) throw new ProviderUnavailableError("Google OAuth is not configured (GOOGLE_CLIENT_ID)");
    return client;
  };
  return {
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(config.authUrl);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", need().clientId);
      url.searchParams.set("redirect_uri", redirectUri);
      url.searchParams.set("scope", SHEETS_SCOPE);
      url.searchParams.set("access_type", "offline");
      url.searchParams.set("prompt", "consent");
      url.searchParams.set("include_granted_scopes", "false");
      url.searchParams.set("state", state);
      url.searchParams.set("code_challenge", codeChallenge);
      url.searchParams.set("code_challenge_method", "S256");
      return url.href;
    },
    exchange: ({ code, codeVerifier, redirectUri }) =>
      tokenRequest(
        config.tokenUrl,
        { grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: redirectUri, client_id: need().clientId, client_secret: need().clientSecret },
        "",
      ).then((grant) => {
        if (!grant.refreshToken) throw new GrantRefusedError("no_refresh_token", "Google granted no refresh token (access_type=offline was not honoured)");
        return grant;
      }),
    refresh: (refreshToken) =>
      tokenRequest(config.tokenUrl, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: need().clientId, client_secret: need().clientSecret }, refreshToken),
  };
}

const encoder = new TextEncoder();

function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const b64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The JWT a service account signs (RS256) to ask for an access token: iss, scope, aud = the token endpoint, iat, exp ≤ 1 h. */
export async function serviceAccountAssertion(account: { email: string; privateKeyPem: string }, tokenUrl: string, nowS: number): Promise<string> {
  const segment = (value: unknown) => base64Url(encoder.encode(JSON.stringify(value)));
  const unsigned = `${segment({ alg: "RS256", typ: "JWT" })}.${segment({ iss: account.email, scope: SHEETS_SCOPE, aud: tokenUrl, iat: nowS, exp: nowS + 3600 })}`;
  const key = await crypto.subtle.importKey("pkcs8", pemToPkcs8(account.privateKeyPem), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, encoder.encode(unsigned)));
  return `${unsigned}.${base64Url(signature)}`;
}

/**
 * A service account's access token: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with
 * the signed assertion. No refresh token: a new assertion is signed when the token runs out.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
export function serviceAccountTokens(config: GoogleConfig) {
  return {
    async token(): Promise<TokenGrant> {
      const account = config.serviceAccount;
      if (!account) throw new ProviderUnavailableError("no Google service account is configured (GOOGLE_SERVICE_ACCOUNT_JSON)");
      const assertion = await serviceAccountAssertion(account, config.tokenUrl, Math.floor(Date.now() / 1000));
      const grant = await tokenRequest(config.tokenUrl, { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }, "");
      return { ...grant, userId: account.email };
    },
  };
}
