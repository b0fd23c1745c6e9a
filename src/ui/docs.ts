import type { Context, Hono } from "hono";
import type { AppEnv } from "../api/context";
import { ERROR_EXPLANATIONS, PROBLEMS, type ProblemCode, problemType } from "../api/problems";
import type { Env } from "../env";
import { DOCS_CSP, DOCS_PATHS, DOCS_SECURITY_HEADERS, escapeHtml, REFERENCE_CSP, renderDocsPage } from "./docs-shell";

/** Logical docs asset name → its current hashed URL, as scripts/build-docs.ts wrote them. */
interface DocsAssetUrls {
  "scalar.js": string;
  "reference.js": string;
  "docs.css": string;
}

let manifest: Promise<DocsAssetUrls> | undefined;

/** Read once per isolate through the ASSETS binding: a deploy ships new names with a new isolate. */
function docsAssetUrls(env: Env): Promise<DocsAssetUrls> {
  manifest ??= (async () => {
    const res = await env.ASSETS.fetch("https://assets.invalid/docs/manifest.json");
    if (!res.ok) throw new Error("dist/public/docs/manifest.json is missing: build the assets with `npx tsx scripts/build-assets.ts`");
    return (await res.json()) as DocsAssetUrls;
  })().catch((error) => {
    manifest = undefined;
    throw error;
  });
  return manifest;
}

function htmlPage(c: Context<AppEnv>, html: string, csp: string) {
  return c.body(html, 200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": csp,
    "Cache-Control": "no-cache",
    ...DOCS_SECURITY_HEADERS,
  });
}

/**
 * /docs is the API reference, rendered in the browser by Scalar from the OpenAPI document;
 * /docs/errors is the error catalogue, rendered here from the problem table. The guides are static
 * assets under /docs/guides and /docs/pt-BR/guides (scripts/build-docs.ts).
 */
export function mountDocs(app: Hono<AppEnv>) {
  app.get(DOCS_PATHS.reference, async (c) => {
    const assets = await docsAssetUrls(c.env);
    return htmlPage(c, renderReferencePage(assets), REFERENCE_CSP);
  });
  app.get(DOCS_PATHS.errors, async (c) => {
    const assets = await docsAssetUrls(c.env);
    return htmlPage(c, renderErrorsPage(assets), DOCS_CSP);
  });
}

function renderReferencePage(assets: DocsAssetUrls): string {
  return renderDocsPage({
    locale: "en",
    current: "reference",
    title: "Vitrine API reference",
    description: "Reference for the Vitrine API: every operation with examples and a console to try it, schemas and errors.",
    stylesheet: assets["docs.css"],
    scripts: [assets["scalar.js"], assets["reference.js"]],
    bodyClass: "docs-reference",
    main: `<div id="reference" data-openapi="${DOCS_PATHS.spec}"></div>
<noscript><p class="notice">The interactive reference needs JavaScript. The OpenAPI document is at
<a href="${DOCS_PATHS.spec}">${DOCS_PATHS.spec}</a>; the <a href="${DOCS_PATHS.errors}">error catalogue</a> and the
<a href="${DOCS_PATHS.guides("en")}">guides</a> work without it.</p></noscript>`,
  });
}

/** Escapes, then turns `code` spans into <code>. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** The fragment a problem's `type` URI points at, e.g. error-rate-limited. */
export function errorAnchor(code: ProblemCode): string {
  return problemType(code).split("#")[1];
}

function renderErrorsPage(assets: DocsAssetUrls): string {
  const codes = Object.keys(PROBLEMS) as ProblemCode[];
  const items = codes.map((code) => {
    const p = PROBLEMS[code];
    const id = errorAnchor(code);
    return `<article class="error-item" id="${id}">
  <span class="status s${String(p.status)[0]}">${p.status}</span>
  <div>
    <h2><a href="#${id}">${escapeHtml(p.en)}</a> <span class="code">${escapeHtml(code)}</span></h2>
    <p lang="pt-BR">pt-BR: ${escapeHtml(p.pt)}</p>
    <p>${inline(ERROR_EXPLANATIONS[code] ?? "")}</p>
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
  return renderDocsPage({
    locale: "en",
    current: "errors",
    title: "Errors · Vitrine API",
    description: "Every problem type the Vitrine API answers with: status, titles in English and Portuguese, and what to do.",
    stylesheet: assets["docs.css"],
    bodyClass: "docs-errors",
    main: `<main class="docs-content">
<h1>Errors</h1>
<p>Every error is an <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem, sent as <code>application/problem+json</code>
with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and <code>instance</code>; invalid input adds
<code>errors[]</code>, one entry per field, with a JSON <code>pointer</code> into the body or the <code>parameter</code> name.
<code>title</code> and <code>detail</code> follow <code>Accept-Language</code> (<code>en</code> or <code>pt-BR</code>).
Branch on <code>type</code>, which links to the entries below; show <code>detail</code> to people.</p>
<p>Example: a 400 response</p>
<pre tabindex="0"><code>${escapeHtml(example)}</code></pre>
${items.join("\n")}
</main>`,
  });
}
