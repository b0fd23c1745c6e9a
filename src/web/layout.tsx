import type { Child } from "hono/jsx";
import type { AssetUrls } from "./assets";
import { Form } from "./components/form";
import { Notice } from "./components/notice";
import type { I18n } from "./i18n";
import { activeEntry, NAV, PLANNED } from "./nav";

export interface LayoutProps {
  i: I18n;
  title: string;
  assets: AssetUrls;
  csrf: string;
  signedIn: boolean;
  /** The page's path: marks the current navigation entry and is where the language switch returns. */
  path: string;
  notice?: string;
  children: Child;
}

/** The other language, named in itself. */
const SWITCH_TO = { en: { locale: "pt-BR", name: "Português" }, "pt-BR": { locale: "en", name: "English" } } as const;

/** The shell of every dashboard page: skip link, header with navigation and language switch, main, footer. */
export function Layout(props: LayoutProps) {
  const { i } = props;
  const current = activeEntry(props.path);
  const other = SWITCH_TO[i.locale];
  return (
    <html lang={i.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Vitrine`}</title>
        <link rel="stylesheet" href={props.assets["app.css"]} />
        <script type="module" src={props.assets["app.js"]}></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          {i.t("layout.skip")}
        </a>
        <header class="site-header">
          <div class="site-header-bar">
            <a class="brand" href={props.signedIn ? "/app" : "/"}>
              Vitrine
            </a>
            <div class="header-actions">
              <Form action="/language" csrf={props.csrf} class="inline-form">
                <input type="hidden" name="locale" value={other.locale} />
                <input type="hidden" name="next" value={props.path} />
                <button type="submit" class="link-button" lang={other.locale} aria-label={`${i.t("layout.languageLabel")}: ${other.name}`}>
                  {other.name}
                </button>
              </Form>
              {props.signedIn ? (
                <Form action="/logout" csrf={props.csrf} class="inline-form">
                  <button type="submit" class="link-button">
                    {i.t("auth.signOut")}
                  </button>
                </Form>
              ) : (
                <a href="/login">{i.t("auth.signIn")}</a>
              )}
            </div>
          </div>
          {props.signedIn && (
            <nav class="site-nav" aria-label={i.t("layout.navLabel")}>
              <ul>
                {NAV.map((entry) => (
                  <li>
                    <a href={entry.path} aria-current={entry === current ? "page" : undefined}>
                      {i.t(entry.label)}
                    </a>
                  </li>
                ))}
                {PLANNED.map((label) => (
                  <li class="planned">
                    {i.t(label)} <span class="badge">{i.t("nav.soon")}</span>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </header>
        <main id="main" tabindex={-1}>
          <Notice message={props.notice} />
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            Vitrine · {i.t("layout.tagline")} · <a href="/docs">{i.t("layout.apiReference")}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
