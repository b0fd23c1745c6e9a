import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { assetUrls } from "./assets";
import { noticeFrom } from "./components/notice";
import type { WebContext } from "./context";
import { Layout } from "./layout";

export interface PageOptions {
  title: string;
  body: Child;
  status?: ContentfulStatusCode;
  /** A notice to show above the page; by default the one the query names (`?notice=`). */
  notice?: string;
}

/** Renders a page inside the layout, in the reader's language. Pages return this from their handlers. */
export async function renderPage(c: WebContext, options: PageOptions): Promise<Response> {
  const i = c.get("i18n");
  const html = await (
    <Layout
      i={i}
      title={options.title}
      assets={await assetUrls(c.env)}
      csrf={c.get("csrfToken")}
      signedIn={!!c.get("session")}
      path={new URL(c.req.url).pathname}
      notice={options.notice ?? noticeFrom(i, c.req.query())}
    >
      {options.body}
    </Layout>
  ).toString();
  return c.html(`<!DOCTYPE html>${html}`, options.status ?? 200);
}

/** What every page component needs: the reader's language and the form token. */
export function pageKit(c: WebContext) {
  return { i: c.get("i18n"), csrf: c.get("csrfToken") };
}
