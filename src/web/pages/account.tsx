import { config } from "../../config";
import { VitrineError } from "../../core/errors";
import { exportAccountData } from "../../services/account-data";
import { confirmAccountDeletion, deleteAccount } from "../../services/account-deletion";
import { changePassword, updateProfile } from "../../services/profile";
import { listSessions, revokeAllSessions, revokeSession } from "../../services/sessions";
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext } from "../context";
import { writeCookie } from "../cookies";
import { formFailure, formValues } from "../forms";
import { isLocale } from "../i18n";
import { pageKit, renderPage } from "../render";
import { endSession } from "../session";

const LANGUAGES = [
  { value: "pt-BR", name: "Português (Brasil)" },
  { value: "en", name: "English" },
] as const;

interface AccountForms {
  profile?: { errors: FieldErrors; values: Record<string, string> };
  password?: { errors: FieldErrors };
  deletion?: { errors: FieldErrors };
}

/** "Chrome 131 on Linux"-like summary, short enough for a table cell on a phone. */
function browserName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = /(Edg|OPR|Firefox|Chrome|Chromium|Safari)\/(\d+)/.exec(userAgent);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent);
  if (!browser) return userAgent.slice(0, 60);
  const name = { Edg: "Edge", OPR: "Opera" }[browser[1]] ?? browser[1];
  return os ? `${name} ${browser[2]} · ${os[1].replace("Mac OS X", "macOS")}` : `${name} ${browser[2]}`;
}

async function accountPage(c: WebContext, forms: AccountForms = {}, status: 200 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  const { account, sessionId } = currentSession(c);
  const sessions = await listSessions(c.env, account.id);
  const profile = forms.profile?.values ?? {
    name: account.name,
    company_name: account.companyName ?? "",
    tax_id: account.taxId ?? "",
    locale: account.locale ?? i.locale,
  };
  const profileErrors = forms.profile?.errors ?? {};
  const passwordErrors = forms.password?.errors ?? {};
  const profileLabels = { name: i.t("field.name"), company_name: i.t("field.company"), tax_id: i.t("field.taxId"), locale: i.t("field.language") };
  return renderPage(c, {
    title: i.t("account.title"),
    status,
    body: (
      <>
        <h1>{i.t("account.title")}</h1>
        <section class="panel" aria-labelledby="profile-heading">
          <h2 id="profile-heading">{i.t("account.profile")}</h2>
          <p>{i.t("account.emailIs", { email: account.email })}</p>
          <Form action="/app/account/profile" csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={profileErrors} labels={profileLabels} />
            <Field name="name" label={profileLabels.name} value={profile.name} error={profileErrors.name} required autocomplete="name" maxlength={100} />
            <Field name="company_name" label={profileLabels.company_name} value={profile.company_name} error={profileErrors.company_name} autocomplete="organization" maxlength={150} />
            <Field name="tax_id" label={profileLabels.tax_id} hint={i.t("field.taxIdHint")} value={profile.tax_id} error={profileErrors.tax_id} maxlength={20} />
            <div class="field">
              <label for="f-locale">{profileLabels.locale}</label>
              <select id="f-locale" name="locale">
                {LANGUAGES.map((l) => (
                  <option value={l.value} selected={l.value === profile.locale} lang={l.value}>
                    {l.name}
                  </option>
                ))}
              </select>
            </div>
            <SubmitButton>{i.t("account.saveProfile")}</SubmitButton>
          </Form>
        </section>

        <section class="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">{i.t("account.password")}</h2>
          <Form action="/app/account/password" csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={passwordErrors} labels={{ current_password: i.t("field.currentPassword"), new_password: i.t("field.newPassword") }} />
            <input type="hidden" name="username" value={account.email} autocomplete="username" />
            <Field name="current_password" label={i.t("field.currentPassword")} type="password" error={passwordErrors.current_password} required autocomplete="current-password" />
            <Field
              name="new_password"
              label={i.t("field.newPassword")}
              type="password"
              hint={i.t("field.passwordHint")}
              error={passwordErrors.new_password}
              required
              autocomplete="new-password"
              reveal={{ label: i.t("field.showPassword") }}
            />
            <SubmitButton>{i.t("account.changePassword")}</SubmitButton>
          </Form>
        </section>

        <section class="panel" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">{i.t("account.sessions")}</h2>
          <p>{i.t("account.sessionsLead")}</p>
          <div class="table-scroll">
            <table class="sessions">
              <thead>
                <tr>
                  <th scope="col">{i.t("account.sessionBrowser")}</th>
                  <th scope="col">{i.t("account.sessionStarted")}</th>
                  <th scope="col">{i.t("account.sessionLastSeen")}</th>
                  <th scope="col">{i.t("account.sessionActions")}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr>
                    <td>
                      {browserName(s.userAgent) ?? i.t("account.sessionUnknown")}
                      {s.id === sessionId && <strong class="badge">{i.t("account.sessionCurrent")}</strong>}
                    </td>
                    <td>
                      <span class="cell-label">{i.t("account.sessionStarted")}: </span>
                      {i.dateTime(s.createdAt)}
                    </td>
                    <td>
                      <span class="cell-label">{i.t("account.sessionLastSeen")}: </span>
                      {i.dateTime(s.lastSeenAt)}
                    </td>
                    <td>
                      <Form action={`/app/account/sessions/${s.id}/revoke`} csrf={csrf} class="inline-form">
                        <SubmitButton class="button secondary small" aria-label={i.t("account.sessionRevokeLabel", { date: i.dateTime(s.createdAt) })}>
                          {i.t("account.sessionRevoke")}
                        </SubmitButton>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Form action="/app/account/sessions/revoke-all" csrf={csrf} confirm={i.t("account.revokeAllConfirm")} class="stack compact">
            <p class="hint" id="revoke-all-hint">
              {i.t("account.revokeAllHint")}
            </p>
            <SubmitButton class="button danger">{i.t("account.revokeAll")}</SubmitButton>
          </Form>
        </section>

        <AccountDataSection c={c} errors={forms.deletion?.errors ?? {}} />
      </>
    ),
  });
}

/** The LGPD section: how long files and results are kept, a copy of everything, and deleting the account. */
function AccountDataSection(props: { c: WebContext; errors: FieldErrors }) {
  const { i, csrf } = pageKit(props.c);
  const { account } = currentSession(props.c);
  const confirmLabel = i.t("account.deleteConfirmField", { email: account.email });
  return (
    <section class="panel" aria-labelledby="lgpd-heading">
      <h2 id="lgpd-heading">{i.t("account.lgpd")}</h2>
      <p>{i.t("account.lgpdLead")}</p>
      <p>{i.t("account.retention", { days: i.number(config(props.c.env).retentionDays) })}</p>
      <h3 class="small-heading">{i.t("account.export")}</h3>
      <p class="hint" id="export-hint">
        {i.t("account.exportHint")}
      </p>
      <p>
        <a class="button secondary" href="/app/account/export" download aria-describedby="export-hint">
          {i.t("account.export")}
        </a>
      </p>
      <h3 class="small-heading" id="delete-heading">
        {i.t("account.delete")}
      </h3>
      <Form action="/app/account/delete" csrf={csrf} confirm={i.t("account.deleteConfirm")} class="stack compact" aria-labelledby="delete-heading">
        <p class="warning">{i.t("account.deleteWarning")}</p>
        <ErrorSummary i={i} errors={props.errors} labels={{ confirm: confirmLabel }} />
        <Field name="confirm" type="email" label={confirmLabel} error={props.errors.confirm} required autocomplete="off" maxlength={254} />
        <SubmitButton class="button danger">{i.t("account.delete")}</SubmitButton>
      </Form>
    </section>
  );
}

/** What a browser sees once its account is gone: signed out, told what happened. */
function accountDeletedPage(c: WebContext) {
  const i = c.get("i18n");
  return renderPage(c, {
    title: i.t("account.deletedTitle"),
    notice: "",
    body: (
      <section class="panel narrow" aria-labelledby="deleted-heading">
        <h1 id="deleted-heading">{i.t("account.deletedTitle")}</h1>
        <p>{i.t("account.deletedBody")}</p>
        <p>
          <a href="/">{i.t("account.deletedHome")}</a>
        </p>
      </section>
    ),
  });
}

/** `/app/account`: profile, password and sessions (revoke one, sign out everywhere). */
export function mountAccountPage(web: Web) {
  web.get("/app/account", (c) => accountPage(c));

  web.post("/app/account/profile", async (c) => {
    const values = await formValues(c);
    const locale = isLocale(values.locale) ? values.locale : c.get("i18n").locale;
    try {
      await updateProfile(c.env, currentSession(c).account.id, {
        name: values.name ?? "",
        companyName: values.company_name ?? "",
        taxId: values.tax_id ?? "",
        locale,
      });
      writeCookie(c, "vt_lang", locale, 365 * 24 * 3600);
      return c.redirect("/app/account?notice=profileSaved", 303);
    } catch (error) {
      return accountPage(c, { profile: { errors: formFailure(c, error).errors, values } }, 422);
    }
  });

  web.post("/app/account/password", async (c) => {
    const values = await formValues(c);
    const { account, sessionId } = currentSession(c);
    try {
      await changePassword(c.env, account.id, values.current_password ?? "", values.new_password ?? "", sessionId);
      return c.redirect("/app/account?notice=passwordChanged", 303);
    } catch (error) {
      return accountPage(c, { password: { errors: formFailure(c, error).errors } }, 422);
    }
  });

  web.post("/app/account/sessions/:id/revoke", async (c) => {
    const { account, sessionId } = currentSession(c);
    const id = c.req.param("id");
    // Another account's session id is treated like an unknown one: nothing happens, nothing is told.
    await revokeSession(c.env, account.id, id);
    if (id === sessionId) {
      endSession(c);
      return c.redirect("/login?notice=signedOut", 303);
    }
    return c.redirect("/app/account?notice=sessionRevoked", 303);
  });

  // The same archive as GET /api/v1/account/export, for the signed-in browser.
  web.get("/app/account/export", (c) => {
    const { account } = currentSession(c);
    const name = `vitrine-${account.id}-${new Date().toISOString().slice(0, 10)}.zip`;
    return new Response(exportAccountData(c.env, account.id, c.get("i18n").locale), {
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store" },
    });
  });

  // The same deletion as DELETE /api/v1/account, confirmed the same way (the account's email).
  web.post("/app/account/delete", async (c) => {
    const values = await formValues(c);
    const { account } = currentSession(c);
    try {
      await confirmAccountDeletion(c.env, account.id, values.confirm ?? "");
    } catch (error) {
      if (!(error instanceof VitrineError) || error.code !== "invalid_request") throw error;
      return accountPage(c, { deletion: { errors: { confirm: c.get("i18n").t("account.deleteConfirmWrong") } } }, 422);
    }
    await deleteAccount(c.env, account.id);
    endSession(c);
    c.set("session", undefined);
    return accountDeletedPage(c);
  });

  web.post("/app/account/sessions/revoke-all", async (c) => {
    await revokeAllSessions(c.env, currentSession(c).account.id);
    endSession(c);
    return c.redirect("/login?notice=signedOut", 303);
  });
}
