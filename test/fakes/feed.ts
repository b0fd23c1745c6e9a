import type { FakeHost } from "./router.js";

/**
 * A fake web server that publishes sellers' catalog feeds, answering like any HTTP origin:
 *
 *   https://shop.feeds.test/{name}      the feed (GET), as configured below
 *   https://mirror.feeds.test/{name}    the same feeds on another origin (a redirect target)
 *   https://control.feeds.test/feeds/{name}   PUT (publish or replace), GET (the requests it received)
 *
 * Behaviour, per the HTTP documentation:
 * - Conditional GET: `If-None-Match` with the current ETag answers `304 Not Modified` with no body and
 *   the ETag again; when `If-None-Match` is present `If-Modified-Since` is ignored, otherwise a date at
 *   or after `Last-Modified` answers 304 (RFC 9110 §13.1.2 and §13.1.3;
 *   https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/If-None-Match,
 *   https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/If-Modified-Since,
 *   https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/304).
 * - Redirects: `302 Found` with a `Location` header, absolute or relative
 *   (https://developer.mozilla.org/en-US/docs/Web/HTTP/Redirections).
 * - A protected feed answers `401 Unauthorized` with `WWW-Authenticate: Basic` unless the configured
 *   header is sent (https://developer.mozilla.org/en-US/docs/Web/HTTP/Authentication).
 *
 * State lives in this Node process, keyed by feed name (tests use random names).
 */

export interface FakeFeed {
  body: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Answer 401 unless this header is sent with this value. */
  requireHeader?: { name: string; value: string };
  /** Answer 302 to this location instead of the body. */
  redirect?: string;
  /** Answer this status (e.g. 404, 503) instead of the body. */
  status?: number;
}

interface Seen {
  host: string;
  status: number;
  headers: Record<string, string>;
}

const feeds = new Map<string, FakeFeed>();
const seen = new Map<string, Seen[]>();

function serve(request: Request, url: URL): Response {
  const name = decodeURIComponent(url.pathname.slice(1));
  const feed = feeds.get(name);
  const log = (status: number) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    (seen.get(name) ?? seen.set(name, []).get(name)!).push({ host: url.hostname, status, headers });
    return status;
  };
  if (!feed) return new Response("not found", { status: log(404) });
  if (feed.redirect) return new Response(null, { status: log(302), headers: { location: feed.redirect } });
  if (feed.status) return new Response("failing on purpose", { status: log(feed.status) });
  if (feed.requireHeader && request.headers.get(feed.requireHeader.name) !== feed.requireHeader.value) {
    return new Response("unauthorized", { status: log(401), headers: { "www-authenticate": 'Basic realm="feed"' } });
  }
  const validators: Record<string, string> = {
    ...(feed.etag && { etag: feed.etag }),
    ...(feed.lastModified && { "last-modified": feed.lastModified }),
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  const ifModifiedSince = request.headers.get("if-modified-since");
  const notModified =
    ifNoneMatch !== null
      ? feed.etag !== undefined && ifNoneMatch.split(",").map((t) => t.trim().replace(/^W\//, "")).includes(feed.etag.replace(/^W\//, ""))
      : ifModifiedSince !== null && feed.lastModified !== undefined && Date.parse(feed.lastModified) <= Date.parse(ifModifiedSince);
  if (notModified) return new Response(null, { status: log(304), headers: validators });
  return new Response(feed.body, { status: log(200), headers: { "content-type": feed.contentType ?? "text/csv; charset=utf-8", ...validators } });
}

async function control(request: Request, url: URL): Promise<Response> {
  const match = /^\/feeds\/(.+)$/.exec(url.pathname);
  if (!match) return new Response("not found", { status: 404 });
  const name = decodeURIComponent(match[1]);
  if (request.method === "PUT") {
    feeds.set(name, (await request.json()) as FakeFeed);
    return new Response(null, { status: 204 });
  }
  return Response.json({ requests: seen.get(name) ?? [] });
}

export const feedServer: FakeHost = {
  name: "feed server",
  matches: (hostname) => ["shop.feeds.test", "mirror.feeds.test", "control.feeds.test"].includes(hostname),
  fetch(request) {
    const url = new URL(request.url);
    return url.hostname === "control.feeds.test" ? control(request, url) : serve(request, url);
  },
};
