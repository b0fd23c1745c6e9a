import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ERROR_EXPLANATIONS, PROBLEMS, type ProblemCode, problemType } from "../../src/api/problems";

const get = (path: string, init?: RequestInit) => exports.default.fetch(`http://x${path}`, init);

async function page() {
  const res = await get("/docs");
  return { res, html: await res.text() };
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

function assetUrls(html: string) {
  const script = /<script[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  const style = /<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/.exec(html)?.[1];
  return { script, style };
}

describe("GET /docs", () => {
  it("serves an HTML page with a strict Content-Security-Policy", async () => {
    const { res } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("loads only same-origin assets and has no inline script or style", async () => {
    const { html } = await page();
    const loaded = [...html.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(loaded.length).toBeGreaterThanOrEqual(2);
    for (const url of loaded) expect(url).toMatch(/^(\/(?!\/)|data:,$)/);
    // Every <script> has a src and an empty body; nothing inline for the CSP to refuse.
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\ssrc="\/docs\/assets\//);
      expect(m[2].trim()).toBe("");
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  });

  it("links the operation reference to the OpenAPI document", async () => {
    const { html } = await page();
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain('id="reference"');
    expect(html).toContain('id="authentication"');
    expect(html).toContain("POST /api/v1/signup");
  });
});

describe("GET /docs/assets/*", () => {
  it("serves the script and stylesheet with their content types and immutable, hash-keyed caching", async () => {
    const { html } = await page();
    const { script, style } = assetUrls(html);
    expect(script).toMatch(/^\/docs\/assets\/docs\.js\?v=[0-9a-f]{16}$/);
    expect(style).toMatch(/^\/docs\/assets\/docs\.css\?v=[0-9a-f]{16}$/);
    for (const [url, type] of [[script!, /^text\/javascript/], [style!, /^text\/css/]] as const) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(res.headers.get("cache-control")).toContain("immutable");
      expect(res.headers.get("etag")).toBe(`"${url.split("v=")[1]}"`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
  });

  it("answers 304 to a matching If-None-Match and revalidates URLs without the current hash", async () => {
    const first = await get("/docs/assets/docs.js");
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).not.toContain("immutable");
    const again = await get("/docs/assets/docs.js", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const stale = await get("/docs/assets/docs.css?v=0000000000000000");
    expect(stale.headers.get("cache-control")).not.toContain("immutable");
  });

  it("the script parses, fetches the spec from this origin and never inserts HTML", async () => {
    const js = await (await get("/docs/assets/docs.js")).text();
    expect(() => new Function(js)).not.toThrow();
    expect(js).toContain('"/api/v1/openapi.json"');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
    // One request, to a same-origin path; no dynamic imports or workers pulling code in.
    expect(js.match(/\bfetch\(/g)).toHaveLength(1);
    expect(js).toContain("fetch(SPEC_URL");
    expect(js).not.toMatch(/\bimport\(|importScripts|new Worker|XMLHttpRequest/);
  });

  it("the stylesheet pulls in nothing external", async () => {
    const css = await (await get("/docs/assets/docs.css")).text();
    expect(css).not.toMatch(/@import|url\(|https?:\/\//);
  });
});

describe("Errors section", () => {
  const codes = Object.keys(PROBLEMS) as ProblemCode[];

  it("has an explanation for every problem code, and none for codes that no longer exist", () => {
    for (const code of codes) expect(ERROR_EXPLANATIONS[code]?.trim(), code).toBeTruthy();
    expect(Object.keys(ERROR_EXPLANATIONS).sort()).toEqual([...codes].sort());
  });

  it("renders every problem type at the anchor its type URI points to, with status, titles and explanation", async () => {
    const { html } = await page();
    for (const code of codes) {
      const [path, fragment] = problemType(code).split("#");
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
    const { html } = await page();
    expect(html).toContain(`id="${body.type.split("#")[1]}"`);
  });
});

describe("OpenAPI operations", () => {
  it("each has an operationId usable as an #op- anchor", async () => {
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
