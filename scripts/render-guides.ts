/**
 * Renders docs/guides/<slug>.md (English) and <slug>.pt-BR.md (Portuguese) into the docs site's
 * guide pages, at build time. The Markdown stays the source and stays readable on GitHub; here:
 * - raw HTML in the Markdown is shown as text, never passed through (the pages' CSP allows no
 *   inline anything, and a guide is prose and code);
 * - code blocks are escaped by marked;
 * - headings get GitHub-style ids, so `#fragment` links written for GitHub keep working;
 * - relative links to another guide become that guide's page (in the language of the file linked);
 *   a link to another repository file, which the site does not serve, becomes its text followed by
 *   the file's path in the repository, e.g. "the rules reference (docs/rules.md)".
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Marked, type Tokens } from "marked";
import { DOCS_PATHS, type DocsLocale, escapeHtml, renderDocsPage } from "../src/ui/docs-shell.js";

export interface GuideSource {
  slug: string;
  locale: DocsLocale;
  file: string;
}

export interface RenderedPage {
  /** Where the page is written, relative to the public directory, e.g. docs/guides/webhooks.html. */
  file: string;
  /** The URL it is served at, e.g. /docs/guides/webhooks. */
  url: string;
  html: string;
}

const GUIDE_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)(\.pt-BR)?\.md$/;

/** Every guide file in the directory, sorted by slug then language; files not named <slug>[.pt-BR].md are ignored. */
export function listGuides(dir: string): GuideSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const match = GUIDE_FILE.exec(name);
      return match ? [{ slug: match[1], locale: (match[2] ? "pt-BR" : "en") as DocsLocale, file: path.join(dir, name) }] : [];
    });
}

/** The file name a guide has in the directory, for resolving links written against GitHub. */
function sourceName(slug: string, locale: DocsLocale): string {
  return locale === "en" ? `${slug}.md` : `${slug}.pt-BR.md`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function slugger() {
  const seen = new Map<string, number>();
  return (text: string) => {
    const base = text
      .toLowerCase()
      .trim()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * What a link in a guide points to on the site: unchanged (absolute, site path, fragment), another
 * guide's page, or — for a repository file the site does not serve — that file's path in the repository.
 */
export function rewriteLink(href: string, guides: readonly GuideSource[]): { href: string } | { repositoryPath: string } {
  if (SCHEME.test(href) || href.startsWith("/") || href.startsWith("#")) return { href };
  const [target, fragment] = href.split("#", 2);
  const resolved = path.posix.normalize(path.posix.join("docs/guides", target));
  const suffix = fragment ? `#${fragment}` : "";
  const guide = guides.find((g) => `docs/guides/${sourceName(g.slug, g.locale)}` === resolved);
  return guide ? { href: DOCS_PATHS.guide(guide.locale, guide.slug) + suffix } : { repositoryPath: resolved };
}

interface RenderedGuide {
  title: string;
  summary: string;
  body: string;
}

/** One guide's Markdown as HTML, with its title (first heading) and summary (first paragraph) as plain text. */
export function renderGuideMarkdown(markdown: string, guides: readonly GuideSource[]): RenderedGuide {
  const headingId = slugger();
  let title = "";
  let summary = "";
  const marked = new Marked({
    gfm: true,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const plain = this.parser.parseInline(tokens, this.parser.textRenderer);
        if (!title && depth === 1) title = plain;
        return `<h${depth} id="${escapeHtml(headingId(plain))}">${inner}</h${depth}>\n`;
      },
      paragraph({ tokens }: Tokens.Paragraph) {
        if (!summary) summary = this.parser.parseInline(tokens, this.parser.textRenderer);
        return `<p>${this.parser.parseInline(tokens)}</p>\n`;
      },
      link({ href, title: linkTitle, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const target = rewriteLink(href, guides);
        if ("repositoryPath" in target) return `${inner} (<code>${escapeHtml(target.repositoryPath)}</code>)`;
        const titleAttribute = linkTitle ? ` title="${escapeHtml(linkTitle)}"` : "";
        return `<a href="${escapeHtml(target.href)}"${titleAttribute}>${inner}</a>`;
      },
    },
  });
  // A code block wider than the page scrolls by itself; keyboard users need to be able to focus it to scroll it.
  const body = marked.parse(markdown, { async: false }).replaceAll("<pre><code", '<pre tabindex="0"><code');
  return { title, summary, body };
}

const INDEX_TEXT = {
  en: {
    title: "Guides",
    description: "Guides to the Vitrine API: from sign-up to marketplaces, mappings, jobs and webhooks.",
    intro: "Step-by-step guides to the Vitrine API. The operations themselves are in the API reference.",
    empty: "There are no guides yet.",
    otherLanguage: "in Portuguese",
  },
  "pt-BR": {
    title: "Guias",
    description: "Guias da API da Vitrine: do cadastro aos marketplaces, mapeamentos, jobs e webhooks.",
    intro: "Guias passo a passo da API da Vitrine. As operações estão na referência da API.",
    empty: "Ainda não há guias.",
    otherLanguage: "em inglês",
  },
} as const;

/**
 * Every guide page plus each language's index. A guide missing in one language is listed in that
 * language's index with a link to the language it exists in.
 */
export function renderGuides(dir: string, stylesheet: string): RenderedPage[] {
  const guides = listGuides(dir);
  const pages: RenderedPage[] = [];
  const listed: Record<DocsLocale, { slug: string; locale: DocsLocale; title: string; summary: string }[]> = { en: [], "pt-BR": [] };
  for (const guide of guides) {
    const rendered = renderGuideMarkdown(readFileSync(guide.file, "utf8"), guides);
    const title = rendered.title || guide.slug;
    const other: DocsLocale = guide.locale === "en" ? "pt-BR" : "en";
    const translated = guides.some((g) => g.slug === guide.slug && g.locale === other);
    const url = DOCS_PATHS.guide(guide.locale, guide.slug);
    pages.push({
      file: `${url.slice(1)}.html`,
      url,
      html: renderDocsPage({
        locale: guide.locale,
        current: "guides",
        alternate: { locale: other, href: translated ? DOCS_PATHS.guide(other, guide.slug) : DOCS_PATHS.guides(other) },
        title: `${title} · Vitrine`,
        description: rendered.summary.slice(0, 200),
        stylesheet,
        bodyClass: "docs-guide",
        main: `<main class="docs-content">\n${rendered.body}</main>`,
      }),
    });
    listed[guide.locale].push({ slug: guide.slug, locale: guide.locale, title, summary: rendered.summary });
  }
  for (const locale of ["en", "pt-BR"] as const) {
    const text = INDEX_TEXT[locale];
    const other: DocsLocale = locale === "en" ? "pt-BR" : "en";
    const own = new Set(listed[locale].map((g) => g.slug));
    const entries = [...listed[locale], ...listed[other].filter((g) => !own.has(g.slug))].sort((a, b) => a.slug.localeCompare(b.slug));
    const items = entries.map((g) => {
      const translated = g.locale === locale;
      const lang = translated ? "" : ` lang="${g.locale}"`;
      const note = translated ? "" : ` (${text.otherLanguage})`;
      return `<li><a href="${DOCS_PATHS.guide(g.locale, g.slug)}" hreflang="${g.locale}"${lang}>${escapeHtml(g.title)}</a>${note}<p${lang}>${escapeHtml(g.summary)}</p></li>`;
    });
    const url = DOCS_PATHS.guides(locale);
    pages.push({
      file: `${url.slice(1)}.html`,
      url,
      html: renderDocsPage({
        locale,
        current: "guides",
        alternate: { locale: other, href: DOCS_PATHS.guides(other) },
        title: `${text.title} · Vitrine`,
        description: text.description,
        stylesheet,
        bodyClass: "docs-guides",
        main: `<main class="docs-content">
<h1>${text.title}</h1>
<p>${escapeHtml(text.intro).replace(/referência da API|API reference/, (m) => `<a href="${DOCS_PATHS.reference}">${m}</a>`)}</p>
${items.length ? `<ul class="guide-list">\n${items.join("\n")}\n</ul>` : `<p>${text.empty}</p>`}
</main>`,
      }),
    });
  }
  return pages;
}
