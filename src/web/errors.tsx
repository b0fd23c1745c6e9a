import type { ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { VitrineError } from "../core/errors";
import type { WebContext, WebEnv } from "./context";
import type { MessageKey } from "./messages";
import { renderPage } from "./render";

function ErrorPage(props: { title: string; body: string; home: string; homeLabel: string }) {
  return (
    <section class="panel narrow">
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      <p>
        <a href={props.home}>{props.homeLabel}</a>
      </p>
    </section>
  );
}

async function errorPage(c: WebContext, status: ContentfulStatusCode, title: MessageKey, body: string) {
  const i = c.get("i18n");
  return renderPage(c, {
    title: i.t(title),
    status,
    notice: "",
    body: <ErrorPage title={i.t(title)} body={body} home={c.get("session") ? "/app" : "/"} homeLabel={i.t("error.backHome")} />,
  });
}

/**
 * The 404 of the dashboard. Part of tenant isolation: a page for another account's object answers
 * exactly this, the same as for an object that does not exist.
 */
export function notFoundPage(c: WebContext): Promise<Response> {
  return errorPage(c, 404, "error.notFoundTitle", c.get("i18n").t("error.notFoundBody"));
}

/** A form post that failed the CSRF check: nothing was done. */
export function csrfRefusedPage(c: WebContext): Promise<Response> {
  return errorPage(c, 403, "error.csrfTitle", c.get("i18n").t("error.csrfBody"));
}

/**
 * Errors a page did not handle itself become an HTML page in the reader's language: a service's
 * own message for expected errors, a request id (and a log line) for anything else.
 */
export const webErrorHandler: ErrorHandler<WebEnv> = async (err, c) => {
  try {
    if (err instanceof VitrineError) {
      if (err.code === "not_found") return await notFoundPage(c);
      if (err.code === "rate_limited") {
        const res = await errorPage(c, 429, "error.tooManyTitle", c.get("i18n").text(err.detail));
        if (err.extra.retry_after !== undefined) res.headers.set("Retry-After", String(err.extra.retry_after));
        return res;
      }
    }
    console.error(JSON.stringify({ level: "error", msg: "unhandled", request_id: c.get("requestId"), error: String(err), stack: (err as Error)?.stack }));
    const i = c.get("i18n");
    return await errorPage(c, 500, "error.internalTitle", i.t("error.internalBody", { requestId: c.get("requestId") }));
  } catch (renderError) {
    console.error(JSON.stringify({ level: "error", msg: "error page failed", request_id: c.get("requestId"), error: String(renderError) }));
    return c.text(`Internal error (${c.get("requestId")})`, 500);
  }
};
