import { completePasswordLink, peekPasswordLink, requestPasswordLink } from "../../services/email-links";
import { ErrorSummary, Field, Form, SubmitButton } from "../components/form";
import type { Web, WebContext } from "../context";
import { formFailure, formValues } from "../forms";
import { pageKit, renderPage } from "../render";
import { clientAddress, endSession } from "../session";

function requestPage(c: WebContext, state: { email?: string; sentTo?: string; devLink?: string }) {
  const { i, csrf } = pageKit(c);
  return renderPage(c, {
    title: i.t("password.title"),
    body: (
      <section class="panel narrow">
        <h1>{i.t("password.title")}</h1>
        {state.sentTo ? (
          <div role="status" class="notice">
            <p>{i.t("password.sent", { email: state.sentTo })}</p>
            {state.devLink && (
              <p class="dev-link">
                {i.t("password.devLink")} <a href={state.devLink}>{state.devLink}</a>
              </p>
            )}
          </div>
        ) : (
          <>
            <p>{i.t("password.lead")}</p>
            <Form action="/password" csrf={csrf} class="stack">
              <Field name="email" label={i.t("field.email")} type="email" value={state.email} required autocomplete="email" maxlength={254} />
              <SubmitButton>{i.t("password.submit")}</SubmitButton>
            </Form>
          </>
        )}
      </section>
    ),
  });
}

async function newPasswordPage(c: WebContext, token: string, error?: { errors: Record<string, string>; message?: string; status: 401 | 409 | 422 }) {
  const { i, csrf } = pageKit(c);
  const link = await peekPasswordLink(c.env, token);
  if (!link) {
    return renderPage(c, {
      title: i.t("passwordNew.invalid"),
      status: 410,
      body: (
        <section class="panel narrow">
          <h1>{i.t("passwordNew.invalid")}</h1>
          <p>
            <a href="/password">{i.t("passwordNew.askAgain")}</a>
          </p>
        </section>
      ),
    });
  }
  const title = i.t(link.purpose === "set_password" ? "passwordNew.titleSet" : "passwordNew.titleReset");
  return renderPage(c, {
    title,
    status: error?.status ?? 200,
    body: (
      <section class="panel narrow">
        <h1>{title}</h1>
        <p>{i.t("passwordNew.for", { email: link.email })}</p>
        <p>{i.t(link.purpose === "set_password" ? "passwordNew.takeover" : "passwordNew.reset")}</p>
        <Form action="/password/new" csrf={csrf} class="stack">
          <ErrorSummary i={i} errors={error?.errors ?? {}} labels={{ password: i.t("field.newPassword") }} message={error?.message} />
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="username" value={link.email} autocomplete="username" />
          <Field
            name="password"
            label={i.t("field.newPassword")}
            type="password"
            hint={i.t("field.passwordHint")}
            error={error?.errors.password}
            required
            autocomplete="new-password"
            reveal={{ label: i.t("field.showPassword") }}
          />
          <SubmitButton>{i.t("passwordNew.submit")}</SubmitButton>
        </Form>
      </section>
    ),
  });
}

/**
 * `/password`: ask for a one-time link (first password for accounts created through the API, or a
 * reset); `/password/new?token=…`: use it. The answer never tells whether an account exists.
 */
export function mountPasswordLinks(web: Web) {
  web.get("/password", (c) => requestPage(c, {}));

  web.post("/password", async (c) => {
    const values = await formValues(c);
    const email = (values.email ?? "").trim();
    if (!email) return requestPage(c, {});
    const { devLink } = await requestPasswordLink(c.env, { email, clientAddress: clientAddress(c), requestOrigin: new URL(c.req.url).origin });
    return requestPage(c, { sentTo: email, devLink });
  });

  web.get("/password/new", (c) => newPasswordPage(c, c.req.query("token") ?? ""));

  web.post("/password/new", async (c) => {
    const values = await formValues(c);
    const token = values.token ?? "";
    try {
      const outcome = await completePasswordLink(c.env, token, values.password ?? "");
      // Every session of the account just ended, this browser's included.
      endSession(c);
      const notice = outcome.tookOver
        ? `tookOver&keys=${outcome.tookOver.apiKeys}&sessions=${outcome.tookOver.sessions}`
        : "passwordSet";
      return c.redirect(`/login?notice=${notice}`, 303);
    } catch (error) {
      return newPasswordPage(c, token, formFailure(c, error));
    }
  });
}
