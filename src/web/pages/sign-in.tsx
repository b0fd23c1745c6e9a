import { revokeSession } from "../../services/sessions";
import { signIn } from "../../services/sign-in";
import { ErrorSummary, Field, Form, SubmitButton } from "../components/form";
import type { Web, WebContext } from "../context";
import { formFailure, formValues } from "../forms";
import { pageKit, renderPage } from "../render";
import { clientAddress, endSession, safeNext, startSession } from "../session";

function signInPage(c: WebContext, form: { email?: string; next: string; message?: string }, status: 200 | 401 | 409 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  return renderPage(c, {
    title: i.t("signin.title"),
    status,
    body: (
      <section class="panel narrow">
        <h1>{i.t("signin.title")}</h1>
        <Form action="/login" csrf={csrf} class="stack">
          <ErrorSummary i={i} errors={{}} labels={{}} message={form.message} />
          <input type="hidden" name="next" value={form.next} />
          <Field name="email" label={i.t("field.email")} type="email" value={form.email} required autocomplete="username" maxlength={254} />
          <Field name="password" label={i.t("field.password")} type="password" required autocomplete="current-password" reveal={{ label: i.t("field.showPassword") }} />
          <SubmitButton>{i.t("auth.signIn")}</SubmitButton>
        </Form>
        <p>
          {i.t("signin.forgot")} <a href="/password">{i.t("signin.forgotLink")}</a>
        </p>
        <p>
          {i.t("signin.noAccount")} <a href="/">{i.t("auth.signUp")}</a>
        </p>
      </section>
    ),
  });
}

/** `/login` and `/logout`. Wrong address, wrong password and no password all read the same. */
export function mountSignIn(web: Web) {
  web.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    return c.get("session") ? c.redirect(next, 303) : signInPage(c, { next });
  });

  web.post("/login", async (c) => {
    const values = await formValues(c);
    const next = safeNext(values.next);
    try {
      const session = await signIn(c.env, {
        email: values.email ?? "",
        password: values.password ?? "",
        clientAddress: clientAddress(c),
        userAgent: c.req.header("user-agent"),
      });
      await startSession(c, session.accountId, session.token);
      return c.redirect(next, 303);
    } catch (error) {
      const failure = formFailure(c, error);
      return signInPage(c, { email: values.email, next, message: failure.message }, failure.status);
    }
  });

  web.post("/logout", async (c) => {
    const session = c.get("session");
    if (session) await revokeSession(c.env, session.account.id, session.sessionId);
    endSession(c);
    return c.redirect("/login?notice=signedOut", 303);
  });
}
