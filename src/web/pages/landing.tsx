import { config } from "../../config";
import { VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import { signUpWithPassword } from "../../services/accounts";
import { consume } from "../../services/rate-limits";
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from "../components/form";
import type { Web, WebContext } from "../context";
import { formFailure, formValues } from "../forms";
import type { I18n } from "../i18n";
import { renderPage, pageKit } from "../render";
import { clientAddress, startSession } from "../session";

interface SignUpForm {
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}

function SignUpForm(props: { i: I18n; csrf: string; form: SignUpForm }) {
  const { i, form } = props;
  const labels = { name: i.t("field.name"), email: i.t("field.email"), password: i.t("field.password"), company_name: i.t("field.company"), tax_id: i.t("field.taxId") };
  return (
    <Form action="/signup" csrf={props.csrf} class="stack" aria-labelledby="signup-heading">
      <h2 id="signup-heading">{i.t("landing.signupHeading")}</h2>
      <ErrorSummary i={i} errors={form.errors} labels={labels} message={form.message} />
      <Field name="name" label={labels.name} value={form.values.name} error={form.errors.name} required autocomplete="name" maxlength={100} />
      <Field name="email" label={labels.email} type="email" value={form.values.email} error={form.errors.email} required autocomplete="email" maxlength={254} />
      <Field
        name="password"
        label={labels.password}
        type="password"
        hint={i.t("field.passwordHint")}
        error={form.errors.password}
        required
        autocomplete="new-password"
        reveal={{ label: i.t("field.showPassword") }}
      />
      <Field name="company_name" label={labels.company_name} value={form.values.company_name} error={form.errors.company_name} autocomplete="organization" maxlength={150} />
      <Field name="tax_id" label={labels.tax_id} hint={i.t("field.taxIdHint")} value={form.values.tax_id} error={form.errors.tax_id} maxlength={20} />
      <SubmitButton>{i.t("auth.signUp")}</SubmitButton>
      <p>
        {i.t("landing.haveAccount")} <a href="/login">{i.t("auth.signIn")}</a>
      </p>
      <p>
        {i.t("landing.apiAccount")} <a href="/password">{i.t("landing.apiAccountLink")}</a>
      </p>
    </Form>
  );
}

function landing(c: WebContext, form: SignUpForm, status: 200 | 401 | 409 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  return renderPage(c, {
    title: i.t("landing.title"),
    status,
    body: (
      <div class="landing">
        <section class="hero">
          <h1>{i.t("landing.heading")}</h1>
          <p class="lead">{i.t("landing.lead")}</p>
          <ul class="checks">
            <li>{i.t("landing.point1")}</li>
            <li>{i.t("landing.point2")}</li>
            <li>{i.t("landing.point3")}</li>
          </ul>
        </section>
        <section class="panel">
          <SignUpForm i={i} csrf={csrf} form={form} />
        </section>
      </div>
    ),
  });
}

/** `/`: what Vitrine does, and the sign-up form. Signed-in sellers go straight to their checklist. */
export function mountLanding(web: Web) {
  web.get("/", async (c) => (c.get("session") ? c.redirect("/app", 303) : landing(c, { values: {}, errors: {} })));

  web.post("/signup", async (c) => {
    const values = await formValues(c);
    // The API's signup limit, shared: one budget per client address whichever door is used.
    const decision = await consume(c.env, `signup:${clientAddress(c)}`, config(c.env).signupLimitPerHour, 3_600_000);
    if (!decision.allowed) {
      throw new VitrineError(
        "rate_limited",
        text(`Too many sign-ups from this address. Try again in ${Math.ceil(decision.retryAfter / 60)} min.`, `Cadastros demais a partir deste endereço. Tente de novo em ${Math.ceil(decision.retryAfter / 60)} min.`),
        { retry_after: decision.retryAfter },
      );
    }
    try {
      const account = await signUpWithPassword(c.env, {
        name: values.name ?? "",
        email: values.email ?? "",
        password: values.password ?? "",
        companyName: values.company_name,
        taxId: values.tax_id,
        locale: c.get("i18n").locale,
      });
      await startSession(c, account.id);
      return c.redirect("/app", 303);
    } catch (error) {
      const failure = formFailure(c, error);
      return landing(c, { values, errors: failure.errors, message: failure.message }, failure.status);
    }
  });
}
