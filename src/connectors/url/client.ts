import { checkFeedUrl, type FeedErrorCode, feedErrorText, feedUrlRefusal } from "../../core/connectors/feed";
import type { Text } from "../../core/text";

/** A feed that could not be read: the sync fails with `feed.<code>` and this message. */
export class FeedError extends Error {
  constructor(
    readonly code: FeedErrorCode,
    readonly text: Text,
  ) {
    super(text.en);
  }
}

const MAX_REDIRECTS = 5;
/** Retries of a feed that answered a server error or could not be reached. */
const SERVER_RETRIES = 2;

export interface FeedRequest {
  url: string;
  /** The seller's header (basic auth, a token), sent only to the configured URL's origin. */
  header?: { name: string; value: string };
  /** The validators of the last feed validated: a 304 answer means it has not changed. */
  validators?: { etag: string | null; lastModified: string | null };
  development: boolean;
  signal: AbortSignal;
  timeoutSeconds: number;
}

export type FeedAnswer = { unchanged: true } | { unchanged: false; response: Response };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function checked(raw: string, development: boolean): URL {
  const check = checkFeedUrl(raw, development);
  if (!check.ok) throw new FeedError("url_refused", feedErrorText("url_refused", { reason: feedUrlRefusal(check.reason) }));
  return check.url;
}

/**
 * GETs a feed, following redirects by hand so every hop passes the SSRF policy, with the
 * conditional headers of the last validated copy. The seller's header goes only to the configured
 * URL's origin: a redirect elsewhere is followed without it.
 */
export async function requestFeed(req: FeedRequest): Promise<FeedAnswer> {
  const origin = checked(req.url, req.development).origin;
  let url = checked(req.url, req.development);
  let failures = 0;
  for (let hop = 0; ; ) {
    const headers: Record<string, string> = { accept: "text/csv, application/json, application/x-ndjson, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, */*;q=0.5", "user-agent": "Vitrine-Feed/1" };
    if (req.header && url.origin === origin) headers[req.header.name] = req.header.value;
    if (req.validators?.etag) headers["if-none-match"] = req.validators.etag;
    if (req.validators?.lastModified) headers["if-modified-since"] = req.validators.lastModified;
    let res: Response;
    try {
      res = await fetch(url, { method: "GET", headers, redirect: "manual", signal: req.signal });
    } catch (error) {
      if (req.signal.aborted) throw new FeedError("timeout", feedErrorText("timeout", { seconds: req.timeoutSeconds }));
      if (++failures > SERVER_RETRIES) throw new FeedError("unavailable", feedErrorText("unavailable", {}));
      await sleep(300 * failures);
      continue;
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      const location = res.headers.get("location");
      await res.body?.cancel();
      if (!location) throw new FeedError("http_error", feedErrorText("http_error", { status: res.status }));
      if (++hop > MAX_REDIRECTS) throw new FeedError("too_many_redirects", feedErrorText("too_many_redirects", {}));
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new FeedError("url_refused", feedErrorText("url_refused", { reason: feedUrlRefusal("invalid_url") }));
      }
      url = checked(next, req.development);
      continue;
    }
    if (res.status === 304) {
      await res.body?.cancel();
      // Not Modified answers a conditional request only; without one there is no copy it could refer to.
      if (!req.validators?.etag && !req.validators?.lastModified) throw new FeedError("http_error", feedErrorText("http_error", { status: 304 }));
      return { unchanged: true };
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      if (++failures > SERVER_RETRIES) throw new FeedError("unavailable", feedErrorText("unavailable", { status: res.status }));
      await sleep(300 * failures);
      continue;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new FeedError("http_error", feedErrorText("http_error", { status: res.status }));
    }
    const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type === "text/html" || type === "application/xhtml+xml") {
      await res.body?.cancel();
      throw new FeedError("not_a_catalog", feedErrorText("not_a_catalog", { type }));
    }
    return { unchanged: false, response: res };
  }
}
