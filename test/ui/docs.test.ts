import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ERROR_EXPLANATIONS, PROBLEMS, type ProblemCode, problemType } from "../../src/api/problems";

const get = (path: string, init?: RequestInit) => exports.default.fetch(`http://x${path}`, init);
/** What the asset server answers (static files are served before the Worker runs). */
const asset = (path: string, init?: RequestInit) => env.ASSETS.fetch(`http://x${path}`, init);

async function page(path = "/docs") {
  const res = await get(path);
  return { res, html: await res.text() };
}

interface DocsManifest {
  "scalar.js": string;
  "reference.js": string;
  "docs.css": string;
  guides: string[];
}

async function docsManifest(): Promise<DocsManifest> {
  return (await asset("/docs/manifest.json")).json();
}

/** The text of an element found by id, tags stripped and entities decoded. */
function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<article[^>]*id="${id}"[^>]*>([\\s\\S]*?)</article>`).exec(html);
  if (!match) return undefined;
  return match[1]
    .replace(/<\/?code>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Every URL the markup loads (scripts, stylesheets, images, frames). */
function loadedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
}

function directive(csp: string, name: string): string | undefined {
  return csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
}

/** Only the same origin anywhere; scripts strictly 'self'; nothing can frame, post or be embedded. */
function expectSameOriginPolicy(csp: string) {
  expect(csp).toContain("default-src 'self'");
  expect(directive(csp, "script-src")).toBe("script-src 'self'");
  expect(directive(csp, "connect-src")).toBe("connect-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("form-action 'none'");
  expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
}

function expectSecurityHeaders(headers: Headers) {
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("referrer-policy")).toBe("no-referrer");
  expect(headers.get("x-frame-options")).toBe("DENY");
}

/** Markup with nothing inline for a CSP to refuse: scripts have a src and no body, no style elements or attributes, no handlers. */
function expectNothingInline(html: string) {
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    expect(m[1]).toMatch(/\ssrc="\/docs\/assets\//);
    expect(m[2].trim()).toBe("");
  }
  expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  for (const url of loadedUrls(html)) expect(url).toMatch(/^(\/(?!\/)|data:,$)/);
}

describe("GET /docs (the API reference)", () => {
  it("serves an HTML page whose policy loosens only style-src, for the renderer's injected styles", async () => {
    const { res } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expectSameOriginPolicy(csp);
    expect(directive(csp, "style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(csp.match(/unsafe-inline/g)).toHaveLength(1);
    expectSecurityHeaders(res.headers);
  });

  it("loads the renderer and its starter script from this origin, and has no inline script or style", async () => {
    const { html } = await page();
    const manifest = await docsManifest();
    const loaded = loadedUrls(html);
    expect(loaded).toEqual(expect.arrayContaining([manifest["scalar.js"], manifest["reference.js"], manifest["docs.css"]]));
    // Scalar first: the starter script calls it (both deferred, so they run in document order).
    expect(loaded.indexOf(manifest["scalar.js"])).toBeLessThan(loaded.indexOf(manifest["reference.js"]));
    expectNothingInline(html);
  });

  it("points the renderer at the OpenAPI document and links the guides and the error catalogue", async () => {
    const { html } = await page();
    expect(html).toContain('id="reference" data-openapi="/api/v1/openapi.json"');
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain('href="/docs/guides"');
    expect(html).toContain('href="/docs/errors"');
    expect(html).toMatch(/<a href="\/docs" aria-current="page">/);
  });
});

describe("the docs assets", () => {
  it("are served under content-hashed names with immutable caching and their content types", async () => {
    const manifest = await docsManifest();
    const expected = [
      [manifest["scalar.js"], /^\/docs\/assets\/scalar-[0-9a-f]{10}\.js$/, /javascript/],
      [manifest["reference.js"], /^\/docs\/assets\/reference-[0-9a-f]{10}\.js$/, /javascript/],
      [manifest["docs.css"], /^\/docs\/assets\/docs-[0-9a-f]{10}\.css$/, /^text\/css/],
    ] as const;
    for (const [url, name, type] of expected) {
      expect(url).toMatch(name);
      const res = await asset(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(500);
    }
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const manifest = await docsManifest();
    const first = await asset(manifest["reference.js"]);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await asset(manifest["reference.js"], { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("the starter script uses the spec URL from the page, sends old error anchors to the catalogue and never inserts HTML", async () => {
    const js = await (await asset((await docsManifest())["reference.js"])).text();
    expect(js).toContain("createApiReference");
    expect(js).toContain("dataset.openapi");
    expect(js).toContain("/docs/errors");
    expect(js).toContain("bearerAuth");
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
    // It fetches nothing itself; no dynamic imports or workers pulling code in.
    expect(js).not.toMatch(/\bfetch\(|\bimport\(|importScripts|new Worker|XMLHttpRequest/);
  });

  it("the stylesheet pulls in nothing external", async () => {
    const css = await (await asset((await docsManifest())["docs.css"])).text();
    expect(css).not.toMatch(/@import|url\(|https?:\/\//);
  });

  it("the renderer asks for no web fonts from a CDN (they are turned off in its configuration)", async () => {
    const js = await (await asset((await docsManifest())["reference.js"])).text();
    expect(js).toMatch(/withDefaultFonts:\s*!1|withDefaultFonts:\s*false/);
    expect(js).toMatch(/telemetry:\s*!1|telemetry:\s*false/);
  });
});

describe("the guides", () => {
  it("are listed in the manifest, indexes in both languages included", async () => {
    const { guides } = await docsManifest();
    expect(guides).toEqual(expect.arrayContaining(["/docs/guides", "/docs/pt-BR/guides"]));
    for (const url of guides) expect(url).toMatch(/^\/docs\/(pt-BR\/)?guides(\/[a-z0-9-]+)?$/);
  });

  it("every guide page is served as a static page with the strict docs policy and the site's navigation", async () => {
    for (const url of (await docsManifest()).guides) {
      const res = await asset(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expectSameOriginPolicy(csp);
      expect(directive(csp, "style-src")).toBe("style-src 'self'");
      expectSecurityHeaders(res.headers);
      const html = await res.text();
      expect(html).toContain(`<html lang="${url.startsWith("/docs/pt-BR/") ? "pt-BR" : "en"}">`);
      expect(html).toContain('href="/docs"');
      expect(html).toContain('href="/docs/errors"');
      expect(html).toMatch(/hreflang="(en|pt-BR)"/);
      expectNothingInline(html);
    }
  });
});

describe("GET /docs/errors (the error catalogue)", () => {
  const codes = Object.keys(PROBLEMS) as ProblemCode[];

  it("is a server-rendered page under the strict docs policy", async () => {
    const { res, html } = await page("/docs/errors");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expectSameOriginPolicy(csp);
    expect(directive(csp, "style-src")).toBe("style-src 'self'");
    expectSecurityHeaders(res.headers);
    expectNothingInline(html);
    expect(html).not.toMatch(/<script\b/);
  });

  it("has an explanation for every problem code, and none for codes that no longer exist", () => {
    for (const code of codes) expect(ERROR_EXPLANATIONS[code]?.trim(), code).toBeTruthy();
    expect(Object.keys(ERROR_EXPLANATIONS).sort()).toEqual([...codes].sort());
  });

  it("renders every problem type at the anchor its type URI names, with status, titles and explanation", async () => {
    const { html } = await page("/docs/errors");
    for (const code of codes) {
      const [path, fragment] = problemType(code).split("#");
      // Type URIs are part of the API contract: they keep naming /docs, whose script forwards #error-… here.
      expect(path).toBe("/docs");
      expect(fragment).toBe(`error-${code.replaceAll("_", "-")}`);
      const text = textOf(html, fragment);
      expect(text, code).toBeDefined();
      const { status, en, pt } = PROBLEMS[code];
      expect(text).toContain(String(status));
      expect(text).toContain(en);
      expect(text).toContain(pt);
      expect(text).toContain(ERROR_EXPLANATIONS[code].replaceAll("`", "").replace(/\s+/g, " "));
    }
  });

  it("resolves the type of a real error response", async () => {
    const res = await get("/api/v1/account");
    expect(res.status).toBe(401);
    const body = await res.json<{ type: string }>();
    expect(body.type).toBe("/docs#error-unauthorized");
    const { html } = await page("/docs/errors");
    expect(html).toContain(`id="${body.type.split("#")[1]}"`);
  });
});

describe("OpenAPI operations", () => {
  it("each has an operationId usable as an anchor", async () => {
    const spec = await (await get("/api/v1/openapi.json")).json<{ paths: Record<string, Record<string, { operationId?: string }>> }>();
    const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const ids = Object.values(spec.paths).flatMap((item) =>
      Object.entries(item).filter(([method]) => methods.includes(method)).map(([, op]) => op.operationId),
    );
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("GET /", () => {
  // Issue 13 made `/` the dashboard's landing page (it used to redirect here); the docs stay one link away.
  it("is the landing page, which links to the docs", async () => {
    const res = await get("/", { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('href="/docs"');
  });
});
