import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDocs, docsHeaderRules } from "../../scripts/build-docs";
import { listGuides, type RenderedPage, renderGuides, rewriteLink } from "../../scripts/render-guides";

const FIXTURES = path.join(import.meta.dirname, "../fixtures/guides");
const STYLESHEET = "/docs/assets/docs-0123456789.css";
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-docs-"));
  temporary.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function pageAt(pages: RenderedPage[], url: string): string {
  const page = pages.find((p) => p.url === url);
  expect(page, url).toBeDefined();
  return page!.html;
}

describe("guide rendering", () => {
  const pages = renderGuides(FIXTURES, STYLESHEET);

  it("finds each guide in each language it is written in", () => {
    expect(listGuides(FIXTURES).map((g) => `${g.slug} ${g.locale}`)).toEqual([
      "first-request en",
      "first-request pt-BR",
      "webhook-check en",
    ]);
  });

  it("writes one page per guide file plus an index per language, at the URLs they are served at", () => {
    expect(pages.map((p) => [p.url, p.file])).toEqual([
      ["/docs/guides/first-request", "docs/guides/first-request.html"],
      ["/docs/pt-BR/guides/first-request", "docs/pt-BR/guides/first-request.html"],
      ["/docs/guides/webhook-check", "docs/guides/webhook-check.html"],
      ["/docs/guides", "docs/guides.html"],
      ["/docs/pt-BR/guides", "docs/pt-BR/guides.html"],
    ]);
  });

  it("renders the Markdown inside the docs shell, in the guide's language, with its title", () => {
    const en = pageAt(pages, "/docs/guides/first-request");
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("<title>Your first request · Vitrine</title>");
    expect(en).toContain('<h1 id="your-first-request">Your first request</h1>');
    expect(en).toContain('<link rel="stylesheet" href="/docs/assets/docs-0123456789.css">');
    expect(en).toMatch(/<header class="docs-bar">[\s\S]*href="\/docs"[\s\S]*href="\/docs\/guides" aria-current="page"[\s\S]*href="\/docs\/errors"/);
    const pt = pageAt(pages, "/docs/pt-BR/guides/first-request");
    expect(pt).toContain('<html lang="pt-BR">');
    expect(pt).toContain('<h2 id="próximos-passos">Próximos passos</h2>');
    expect(pt).toContain("Referência da API");
  });

  it("escapes code blocks and shows raw HTML as text", () => {
    const html = pageAt(pages, "/docs/guides/first-request");
    expect(html).toContain("&lt;script&gt;alert(&quot;not run&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;div class=&quot;raw&quot;&gt;");
    expect(html).not.toContain('<div class="raw">');
    expect(html.match(/<script\b/g) ?? []).toEqual([]);
    expect(html).toContain("-d &#39;{ &quot;email&quot;: &quot;ana@example.com&quot;");
    // Code blocks scroll sideways on a phone; focusable so keyboards can scroll them too.
    expect(html).toContain('<pre tabindex="0"><code class="language-sh">curl -X POST');
    expect(html).not.toContain("<pre><code");
  });

  it("points links between guides at their pages, keeping fragments and the language of the file linked", () => {
    const en = pageAt(pages, "/docs/guides/first-request");
    expect(en).toContain('<a href="/docs/guides/webhook-check#verify-the-signature">checking webhooks</a>');
    expect(en).toContain('<a href="/docs/pt-BR/guides/first-request">primeira requisição</a>');
    const pt = pageAt(pages, "/docs/pt-BR/guides/first-request");
    expect(pt).toContain('<a href="/docs/guides/webhook-check#verify-the-signature">verificando webhooks</a>');
    expect(pt).toContain('<a href="/docs/guides/first-request">first request</a>');
  });

  it("gives headings GitHub's anchors, so those fragments land", () => {
    const html = pageAt(pages, "/docs/guides/webhook-check");
    expect(html).toContain('<h2 id="verify-the-signature">');
    expect(html).toContain('<h2 id="verify-the-signature-1">');
  });

  it("keeps absolute and site links, and names the repository path of files the site does not serve", () => {
    const html = pageAt(pages, "/docs/guides/first-request");
    expect(html).toContain('<a href="/docs">reference</a>');
    expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc9457" title="Problem details">RFC 9457</a>');
    expect(html).toContain("Every rule: the rules reference (<code>docs/rules.md</code>).");
    expect(html).not.toContain('href="../rules.md"');
    const guides = listGuides(FIXTURES);
    expect(rewriteLink("mailto:ajuda@example.com", guides)).toEqual({ href: "mailto:ajuda@example.com" });
    expect(rewriteLink("#get-a-key", guides)).toEqual({ href: "#get-a-key" });
    expect(rewriteLink("./webhook-check.md", guides)).toEqual({ href: "/docs/guides/webhook-check" });
    expect(rewriteLink("../guides/first-request.pt-BR.md#x", guides)).toEqual({ href: "/docs/pt-BR/guides/first-request#x" });
    expect(rewriteLink("missing.md", guides)).toEqual({ repositoryPath: "docs/guides/missing.md" });
    expect(rewriteLink("../../samples/catalogo.csv", guides)).toEqual({ repositoryPath: "samples/catalogo.csv" });
  });

  it("switches language to the same guide when it is translated, and to the other index when it is not", () => {
    expect(pageAt(pages, "/docs/guides/first-request")).toContain('<a class="docs-lang" href="/docs/pt-BR/guides/first-request" hreflang="pt-BR" lang="pt-BR">Português</a>');
    expect(pageAt(pages, "/docs/pt-BR/guides/first-request")).toContain('<a class="docs-lang" href="/docs/guides/first-request" hreflang="en" lang="en">English</a>');
    expect(pageAt(pages, "/docs/guides/webhook-check")).toContain('<a class="docs-lang" href="/docs/pt-BR/guides" hreflang="pt-BR" lang="pt-BR">Português</a>');
  });

  it("lists every guide in each index, pointing to the other language where a translation is missing", () => {
    const en = pageAt(pages, "/docs/guides");
    expect(en).toContain('<a href="/docs/guides/first-request" hreflang="en">Your first request</a>');
    expect(en).toContain("<p>Sign up, keep the key &amp; call the API with it.</p>");
    expect(en).toContain('<a href="/docs/guides/webhook-check" hreflang="en">Checking webhooks</a><p>');
    const pt = pageAt(pages, "/docs/pt-BR/guides");
    expect(pt).toContain('<a href="/docs/pt-BR/guides/first-request" hreflang="pt-BR">Sua primeira requisição</a><p>');
    expect(pt).toContain('<a href="/docs/guides/webhook-check" hreflang="en" lang="en">Checking webhooks</a> (em inglês)<p lang="en">Every delivery');
  });

  it("works with no guides at all, or no guides directory", () => {
    const empty = tempDir();
    for (const dir of [empty, path.join(empty, "missing")]) {
      const pages = renderGuides(dir, STYLESHEET);
      expect(pages.map((p) => p.url)).toEqual(["/docs/guides", "/docs/pt-BR/guides"]);
      expect(pageAt(pages, "/docs/guides")).toContain("There are no guides yet.");
      expect(pageAt(pages, "/docs/pt-BR/guides")).toContain("Ainda não há guias.");
    }
  });
});

describe("buildDocs", () => {
  it("writes the renderer, the starter, the stylesheet and the guides, and removes what a later build no longer has", async () => {
    const publicDir = tempDir();
    const guides = tempDir();
    cpSync(FIXTURES, guides, { recursive: true });
    const first = await buildDocs(publicDir, guides);
    expect(first.guides).toHaveLength(5);
    for (const url of [first["scalar.js"], first["reference.js"], first["docs.css"]]) expect(existsSync(path.join(publicDir, url))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(publicDir, "docs/manifest.json"), "utf8"))).toEqual(first);
    expect(existsSync(path.join(publicDir, "docs/guides/webhook-check.html"))).toBe(true);

    rmSync(path.join(guides, "webhook-check.md"));
    writeFileSync(path.join(publicDir, "docs/assets/docs-ffffffffff.css"), "/* an older build */");
    mkdirSync(path.join(publicDir, "docs/pt-BR/guides"), { recursive: true });
    const second = await buildDocs(publicDir, guides);
    expect(second.guides).toHaveLength(4);
    expect(existsSync(path.join(publicDir, "docs/guides/webhook-check.html"))).toBe(false);
    expect(existsSync(path.join(publicDir, "docs/assets/docs-ffffffffff.css"))).toBe(false);
    expect(second["scalar.js"]).toBe(first["scalar.js"]);
  });

  it("states caching and the security headers for the asset server, which answers those paths without the Worker", () => {
    const rules = docsHeaderRules();
    expect(rules).toContain("/docs/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Content-Type-Options: nosniff\n");
    for (const pattern of ["/docs/guides", "/docs/guides/*", "/docs/pt-BR/*"]) {
      expect(rules).toContain(`${pattern}\n  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';`);
    }
  });
});
