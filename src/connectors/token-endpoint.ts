import { GrantRefusedError, ProviderUnavailableError } from "./types";

/**
 * POSTs a form to an OAuth 2.0 token endpoint (RFC 6749 §4.1.3, §6) and returns its JSON body.
 * Unreachable, 5xx and 429 mean the provider is unavailable (retry later); any other refusal
 * is the grant's ({ error, error_description }: a used, expired or revoked code or refresh token,
 * or a wrong client).
 */
export async function postTokenForm(tokenUrl: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  } catch (error) {
    throw new ProviderUnavailableError(`token endpoint unreachable: ${String(error)}`);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 500 || res.status === 429) throw new ProviderUnavailableError(`token endpoint answered ${res.status}`);
  if (!res.ok) throw new GrantRefusedError(String(body.error ?? `http_${res.status}`), String(body.error_description ?? body.message ?? ""));
  return body;
}
