import type { MercadoLivreConfig } from "../../config";
import { postTokenForm } from "../token-endpoint";
import { type OAuthClient, ProviderUnavailableError, type TokenGrant } from "../types";

/**
 * Mercado Livre's OAuth 2.0 authorization code flow with PKCE (S256):
 *   GET  {AUTH_URL}/authorization?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256
 *   POST {API_URL}/oauth/token (form-encoded) grant_type=authorization_code | refresh_token
 *   → { access_token, token_type, expires_in (21600), scope, user_id, refresh_token }
 * A refresh token is single use: reusing one answers 400 invalid_grant.
 * https://developers.mercadolivre.com.br/pt_br/autenticacao-e-autorizacao
 */
export function mercadoLivreOAuth(config: MercadoLivreConfig): OAuthClient {
  const tokenUrl = `${config.apiUrl}/oauth/token`;

  async function grant(form: Record<string, string>): Promise<TokenGrant> {
    const body = await postTokenForm(tokenUrl, form);
    const { access_token, refresh_token, expires_in, user_id, scope } = body;
    if (typeof access_token !== "string" || typeof refresh_token !== "string" || (typeof user_id !== "number" && typeof user_id !== "string")) {
      throw new ProviderUnavailableError("token endpoint answered without access_token, refresh_token or user_id");
    }
    return {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresIn: typeof expires_in === "number" && expires_in > 0 ? expires_in : 21600,
      userId: String(user_id),
      scope: typeof scope === "string" ? scope : "",
    };
  }

  return {
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(`${config.authUrl}/authorization`);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("redirect_uri", redirectUri);
      url.searchParams.set("state", state);
      url.searchParams.set("code_challenge", codeChallenge);
      url.searchParams.set("code_challenge_method", "S256");
      return url.href;
    },
    exchange: ({ code, codeVerifier, redirectUri }) =>
      grant({
        grant_type: "authorization_code",
        client_id: config.clientId,
        client_secret: config.clientSecret,
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      }),
    refresh: (refreshToken) =>
      grant({ grant_type: "refresh_token", client_id: config.clientId, client_secret: config.clientSecret, refresh_token: refreshToken }),
  };
}
