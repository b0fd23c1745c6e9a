/**
 * The docs site's shell, shared by the pages the Worker renders (/docs, /docs/errors) and the guide
 * pages scripts/build-docs.ts writes as static assets: the same header and navigation everywhere.
 * Pure string functions, so both workerd and Node can use them.
 */

export type DocsLocale = "en" | "pt-BR";
export type DocsSection = "reference" | "guides" | "errors";

/** Where the docs site's pages live. Guides: /docs/guides/<slug> (English), /docs/pt-BR/guides/<slug>. */
export const DOCS_PATHS = {
  reference: "/docs",
  errors: "/docs/errors",
  spec: "/api/v1/openapi.json",
  guides: (locale: DocsLocale) => (locale === "en" ? "/docs/guides" : "/docs/pt-BR/guides"),
  guide: (locale: DocsLocale, slug: string) => `${DOCS_PATHS.guides(locale)}/${slug}`,
} as const;

/**
 * Guides and the error catalogue: our own markup and files only, nothing inline, no forms. The same
 * directives as the dashboard's DASHBOARD_CSP but `form-action 'none'`; written out rather than
 * imported because this module also runs in Node (scripts/build-docs.ts), where src/web does not.
 */
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

/**
 * The reference page runs Scalar, a Vue app that injects its component styles as <style> elements
 * at runtime (their content varies by version and theme, so hashes cannot list them): styles, and
 * only styles, may be inline. Scripts stay 'self'; connect-src 'self' keeps "try it" on this origin.
 */
export const REFERENCE_CSP = DOCS_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

/** Headers every docs page carries besides its CSP (the asset server adds them through _headers too). */
export const DOCS_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const LABELS = {
  en: { home: "Vitrine docs", reference: "API reference", guides: "Guides", errors: "Errors", nav: "Documentation" },
  "pt-BR": { home: "Docs da Vitrine", reference: "Referência da API", guides: "Guias", errors: "Erros", nav: "Documentação" },
} as const;

export interface ShellOptions {
  locale: DocsLocale;
  current: DocsSection;
  /** The same page in the other language, when there is one (guides). */
  alternate?: { locale: DocsLocale; href: string };
}

/** The header every docs page starts with: reference, guides, errors and the language switch. */
export function docsHeader({ locale, current, alternate }: ShellOptions): string {
  const l = LABELS[locale];
  const link = (section: DocsSection, href: string, label: string) =>
    `<a href="${href}"${section === current ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`;
  const other: DocsLocale = locale === "en" ? "pt-BR" : "en";
  const switchTo = alternate ?? { locale: other, href: DOCS_PATHS.guides(other) };
  const switchLabel = switchTo.locale === "en" ? "English" : "Português";
  return `<header class="docs-bar">
  <a class="docs-home" href="${DOCS_PATHS.reference}">${escapeHtml(l.home)}</a>
  <nav aria-label="${escapeHtml(l.nav)}">
    ${link("reference", DOCS_PATHS.reference, l.reference)}
    ${link("guides", DOCS_PATHS.guides(locale), l.guides)}
    ${link("errors", DOCS_PATHS.errors, l.errors)}
    <a class="docs-lang" href="${escapeHtml(switchTo.href)}" hreflang="${switchTo.locale}" lang="${switchTo.locale}">${switchLabel}</a>
  </nav>
</header>`;
}

export interface DocsPage extends ShellOptions {
  title: string;
  description: string;
  stylesheet: string;
  scripts?: string[];
  bodyClass: string;
  main: string;
}

/** A whole docs page; every URL it loads is same-origin and nothing is inline. */
export function renderDocsPage(page: DocsPage): string {
  const scripts = (page.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join("\n");
  return `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<meta name="description" content="${escapeHtml(page.description)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(page.stylesheet)}">
${scripts}
</head>
<body class="${page.bodyClass}">
${docsHeader(page)}
${page.main}
</body>
</html>
`;
}
