import { text, type Text } from "../text";
import { checkWebhookUrl, URL_REFUSALS, type UrlCheck, type UrlRefusal } from "../webhooks/url-policy";

/** What a feed URL sync's fetch found, kept on the sync for the next conditional request. */
export interface FeedFetch {
  /** The feed answered 304 Not Modified: nothing was downloaded or validated again. */
  unchanged: boolean;
  etag: string | null;
  last_modified: string | null;
  /** Bytes stored (0 when unchanged). */
  bytes: number;
}

/**
 * The SSRF policy for feed URLs — the webhooks' one (no private, link-local, shared or reserved
 * address, no internal name, no credentials in the URL), https only. In local development plain
 * http and loopback are allowed too, for a feed served from the developer's machine. Checked at
 * creation, before every fetch and on every redirect hop.
 */
export function checkFeedUrl(raw: string, development: boolean): UrlCheck {
  if (development && /^http:/i.test(raw)) {
    const check = checkWebhookUrl(`https:${raw.slice(5)}`, { allowLoopback: true });
    return check.ok ? { ok: true, url: new URL(raw) } : check;
  }
  return checkWebhookUrl(raw, { allowLoopback: development });
}

export function feedUrlRefusal(reason: UrlRefusal): Text {
  if (reason === "credentials") {
    return text(
      "must not contain a user name or password; put them in config.header (for example Authorization: Basic …), which is stored encrypted",
      "não deve conter usuário ou senha; coloque-os em config.header (por exemplo Authorization: Basic …), que é guardado criptografado",
    );
  }
  return text(URL_REFUSALS[reason].en, URL_REFUSALS[reason]["pt-BR"]);
}

/** An HTTP header name (RFC 9110 token) a seller may set; headers that steer the request itself are refused. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "if-none-match", "if-modified-since", "accept-encoding", "upgrade"]);
export const MAX_HEADER_VALUE = 4096;

export function checkFeedHeader(name: unknown, value: unknown): Text | null {
  if (typeof name !== "string" || !HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
    return text("config.header.name must be an HTTP header name such as Authorization (not Host, Content-Length or a conditional header).", "config.header.name deve ser um nome de cabeçalho HTTP como Authorization (não Host, Content-Length nem um cabeçalho condicional).");
  }
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_HEADER_VALUE || /[\r\n\0]/.test(value)) {
    return text(`config.header.value must be text of 1 to ${MAX_HEADER_VALUE} characters on one line.`, `config.header.value deve ser um texto de 1 a ${MAX_HEADER_VALUE} caracteres em uma linha.`);
  }
  return null;
}

/** Why a feed could not be read; each code names one cause the seller can act on. */
export type FeedErrorCode = "url_refused" | "too_many_redirects" | "http_error" | "unavailable" | "timeout" | "too_large" | "not_a_catalog";

export function feedErrorText(code: FeedErrorCode, detail: { status?: number; reason?: Text; limit?: number; seconds?: number; type?: string }): Text {
  switch (code) {
    case "url_refused":
      return text(`The feed URL (or a redirect it answered) was refused: it ${detail.reason?.en ?? "is not allowed"}.`, `A URL do feed (ou um redirecionamento que ela respondeu) foi recusada: ela ${detail.reason?.["pt-BR"] ?? "não é permitida"}.`);
    case "too_many_redirects":
      return text("The feed redirected more than 5 times.", "O feed redirecionou mais de 5 vezes.");
    case "http_error": {
      const s = detail.status ?? 0;
      if (s === 401 || s === 403) return text(`The feed refused access (HTTP ${s}): check config.header (for example the password of a protected feed).`, `O feed recusou o acesso (HTTP ${s}): confira config.header (por exemplo a senha de um feed protegido).`);
      if (s === 404 || s === 410) return text(`The feed was not found (HTTP ${s}): check the URL.`, `O feed não foi encontrado (HTTP ${s}): confira a URL.`);
      return text(`The feed answered HTTP ${s}.`, `O feed respondeu HTTP ${s}.`);
    }
    case "unavailable":
      return text(`The feed's server could not be reached or failed${detail.status ? ` (HTTP ${detail.status})` : ""}; the next sync tries again.`, `O servidor do feed não pôde ser alcançado ou falhou${detail.status ? ` (HTTP ${detail.status})` : ""}; a próxima sincronização tenta de novo.`);
    case "timeout":
      return text(`The feed took longer than ${detail.seconds} seconds to download.`, `O feed levou mais de ${detail.seconds} segundos para baixar.`);
    case "too_large":
      return text(`The feed is larger than ${detail.limit} bytes (FEED_MAX_BYTES).`, `O feed tem mais de ${detail.limit} bytes (FEED_MAX_BYTES).`);
    case "not_a_catalog":
      return text(`The feed answered ${detail.type ?? "a web page"}, not a catalog (CSV, XLSX, JSON or NDJSON).`, `O feed respondeu ${detail.type ?? "uma página web"}, não um catálogo (CSV, XLSX, JSON ou NDJSON).`);
  }
}
