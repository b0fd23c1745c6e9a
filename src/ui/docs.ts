import type { Context, Hono } from "hono";
import type { AppEnv } from "../api/context";
import { ERROR_EXPLANATIONS, PROBLEMS, type ProblemCode, problemType } from "../api/problems";
import { sha256Hex } from "../core/hash";
import { DOCS_JS } from "./docs-script";
import { DOCS_CSS } from "./docs-style";

/** Everything the page loads comes from this Worker; the script only talks to the spec URL. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const ASSETS = {
  "docs.js": { body: DOCS_JS, type: "text/javascript; charset=utf-8" },
  "docs.css": { body: DOCS_CSS, type: "text/css; charset=utf-8" },
} as const;
type AssetName = keyof typeof ASSETS;

// Hashed once per isolate; the hash goes into the asset URLs and ETags.
let hashes: Promise<Record<AssetName, string>> | undefined;
function assetHashes() {
  hashes ??= (async () => ({
    "docs.js": (await sha256Hex(DOCS_JS)).slice(0, 16),
    "docs.css": (await sha256Hex(DOCS_CSS)).slice(0, 16),
  }))();
  return hashes;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export function mountDocs(app: Hono<AppEnv>) {
  app.get("/docs", async (c) => {
    const h = await assetHashes();
    const origin = new URL(c.req.url).origin;
    return c.body(renderPage(origin, h), 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": DOCS_CSP,
      "Cache-Control": "no-cache",
      ...SECURITY_HEADERS,
    });
  });
  app.get("/docs/assets/docs.js", (c) => serveAsset(c, "docs.js"));
  app.get("/docs/assets/docs.css", (c) => serveAsset(c, "docs.css"));
}

/**
 * A URL carrying the current hash (`?v=`) is immutable for a year; any other request
 * (no or stale `v`) gets a short, revalidated cache so a deploy is picked up quickly.
 */
async function serveAsset(c: Context<AppEnv>, name: AssetName) {
  const hash = (await assetHashes())[name];
  const etag = `"${hash}"`;
  const headers: Record<string, string> = {
    "Content-Type": ASSETS[name].type,
    ETag: etag,
    "Cache-Control": c.req.query("v") === hash ? "public, max-age=31536000, immutable" : "public, max-age=300, must-revalidate",
    ...SECURITY_HEADERS,
  };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(ASSETS[name].body, 200, headers);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/** Escapes, then turns `code` spans into <code>. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** The fragment a problem's `type` URI points at, e.g. error-rate-limited. */
export function errorAnchor(code: ProblemCode): string {
  return problemType(code).split("#")[1];
}

function renderErrors(): string {
  const codes = Object.keys(PROBLEMS) as ProblemCode[];
  const items = codes.map((code) => {
    const p = PROBLEMS[code];
    const id = errorAnchor(code);
    const explanation = ERROR_EXPLANATIONS[code] ?? "";
    return `<article class="error-item" id="${id}">
  <span class="status s${String(p.status)[0]}">${p.status}</span>
  <div>
    <h3><a href="#${id}">${escapeHtml(p.en)}</a> <span class="code">${escapeHtml(code)}</span></h3>
    <p class="pt" lang="pt-BR"><span>pt-BR</span>${escapeHtml(p.pt)}</p>
    <p class="explain">${inline(explanation)}</p>
    <div class="type-uri">type: ${escapeHtml(problemType(code))}</div>
  </div>
</article>`;
  });
  const example = JSON.stringify(
    {
      type: problemType("invalid_request"),
      title: PROBLEMS.invalid_request.en,
      status: PROBLEMS.invalid_request.status,
      detail: "The request has invalid fields; see errors.",
      instance: "/api/v1/signup",
      errors: [{ detail: "Invalid email address", pointer: "/email" }],
    },
    null,
    2,
  );
  return `<section class="doc" id="errors">
  <h2>Errors</h2>
  <div class="prose">
    <p>Every error is an <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem, sent as <code>application/problem+json</code>
    with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and <code>instance</code>; invalid input adds
    <code>errors[]</code>, one entry per field, with a JSON <code>pointer</code> into the body or the <code>parameter</code> name.
    <code>title</code> and <code>detail</code> follow <code>Accept-Language</code> (<code>en</code> or <code>pt-BR</code>).
    Branch on <code>type</code>, which links to the entries below; show <code>detail</code> to people.</p>
  </div>
  <div class="code-panel"><header><span>Example: 400 response</span></header><pre><code>${escapeHtml(example)}</code></pre></div>
  <h4>Problem types</h4>
  <div class="errors">
${items.join("\n")}
  </div>
</section>`;
}

function renderPage(origin: string, h: Record<AssetName, string>): string {
  const base = escapeHtml(origin);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vitrine API reference</title>
<meta name="description" content="Reference for the Vitrine API: operations, schemas, webhooks and errors.">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/docs.css?v=${h["docs.css"]}">
<script src="/docs/assets/docs.js?v=${h["docs.js"]}" defer></script>
</head>
<body>
<div class="layout">
<aside class="sidebar">
  <div class="brand"><a href="#introduction"><span class="logo"></span>Vitrine API</a><span class="version" id="api-version"></span></div>
  <div class="filter"><input id="filter" type="search" placeholder="Filter  ( / )" aria-label="Filter operations" autocomplete="off" spellcheck="false"></div>
  <nav id="nav" aria-label="Reference">
    <div class="nav-group"><h2>Overview</h2><ul>
      <li data-search="introduction overview conventions"><a href="#introduction"><span class="label">Introduction</span></a></li>
      <li data-search="authentication api keys bearer signup"><a href="#authentication"><span class="label">Authentication</span></a></li>
      <li data-search="errors problems problem+json status"><a href="#errors"><span class="label">Errors</span></a></li>
    </ul></div>
    <div id="nav-api"></div>
    <p class="nav-empty" id="nav-empty" hidden>Nothing matches.</p>
  </nav>
</aside>
<main>
<div class="content">
<section class="doc" id="introduction">
  <h1 id="api-title">Vitrine API</h1>
  <p class="lead" id="api-description">Validate, correct and move e-commerce product data for marketplaces.</p>
  <div class="facts">
    <span><strong>Base URL</strong><code>${base}/api/v1</code></span>
    <span><strong>OpenAPI</strong><a href="/api/v1/openapi.json">/api/v1/openapi.json</a></span>
    <span><strong>Format</strong>JSON, UTF-8</span>
  </div>
  <div class="prose">
    <ul>
      <li>Errors are <code>application/problem+json</code>; see <a href="#errors">Errors</a>.</li>
      <li>Lists use cursor pagination: pass <code>limit</code> (1–100) and <code>starting_after</code> (the last id you saw); responses are <code>{ "data": [...], "has_more": true }</code>.</li>
      <li>IDs are prefixed and time-sortable: <code>acct_…</code>, <code>key_…</code>, <code>job_…</code>, <code>file_…</code>.</li>
      <li>Send an <code>Idempotency-Key</code> header on a POST that creates something to retry it safely: the same key and body replay the first response for 24 hours.</li>
      <li>Every response carries <code>X-Request-Id</code> (yours, if you send one); quote it when you contact support.</li>
      <li>Messages follow <code>Accept-Language</code>: <code>en</code> (default) or <code>pt-BR</code>.</li>
    </ul>
  </div>
</section>
<section class="doc" id="authentication">
  <h2>Authentication</h2>
  <div class="prose">
    <p>Send an API key as a bearer token: <code>Authorization: Bearer vt_live_…</code>. Keys starting with <code>vt_live_</code> belong to
    production; <code>vt_test_</code> keys are minted by local and development deployments. A key is shown once, when it is created; we store
    only its hash, and its visible prefix identifies it in listings. Operations marked <span class="chip public">Public · no API key</span>
    need no key. A missing, unknown or revoked key gets <a href="#${errorAnchor("unauthorized")}">401</a>; each key has a per-minute request
    limit (<code>RateLimit-Limit</code> and <code>RateLimit-Remaining</code> headers), answered with <a href="#${errorAnchor("rate_limited")}">429</a> and <code>Retry-After</code> when exceeded.</p>
    <p>Get your first key by signing up with <code>POST /api/v1/signup</code>, then create and revoke more under <em>API keys</em>.</p>
  </div>
  <div class="code-panel"><header><span>Sign up and call the API</span></header><pre><code>curl -X POST "${base}/api/v1/signup" \\
  -H "Content-Type: application/json" \\
  -d '{ "email": "seller@example.com", "name": "Loja Exemplo" }'
# The response's api_key.key is shown only once.

export VITRINE_KEY=vt_test_…
curl "${base}/api/v1/account" -H "Authorization: Bearer $VITRINE_KEY"</code></pre></div>
</section>
<div id="reference">
  <p class="notice" id="loading">Loading the reference…</p>
  <noscript><p class="notice">The operation reference needs JavaScript. The raw OpenAPI document is at
  <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>; the error list below works without it.</p></noscript>
</div>
${renderErrors()}
<section class="doc" id="models" hidden></section>
</div>
</main>
</div>
</body>
</html>
`;
}
