import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from "../components/form";
import { SecretOnce } from "../components/secret-once";
import { currentSession, type Web, type WebContext } from "../context";
import { notFoundPage } from "../errors";
import { formFailure, formValues } from "../forms";
import { pageKit, renderPage } from "../render";

const KEYS_PER_PAGE = 50;
const NAME_MAX = 100;

interface KeysPageState {
  /** The key just created: its secret is shown in this answer only. */
  created?: { name: string; key: string };
  form?: { errors: FieldErrors; message?: string; name: string };
  status?: 200 | 409 | 422;
}

/** Ids in the paging link come back in the query; only our own id shape is passed on to the service. */
function cursorFrom(c: WebContext): string | undefined {
  const after = c.req.query("after");
  return after && /^key_[0-9A-Za-z]{1,60}$/.test(after) ? after : undefined;
}

async function keysPage(c: WebContext, state: KeysPageState = {}) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const page = await listApiKeys(c.env, account.id, { limit: KEYS_PER_PAGE, startingAfter: cursorFrom(c) });
  const errors = state.form?.errors ?? {};
  const last = page.data.at(-1);
  return renderPage(c, {
    title: i.t("apiKeys.title"),
    status: state.status ?? 200,
    body: (
      <>
        <h1>{i.t("apiKeys.title")}</h1>
        <p class="lead">{i.t("apiKeys.lead")}</p>
        {state.created && (
          <SecretOnce
            i={i}
            id="new-key"
            title={i.t("apiKeys.createdTitle", { name: state.created.name })}
            lead={i.t("apiKeys.shownOnce")}
            secret={state.created.key}
          />
        )}
        <section class="panel" aria-labelledby="create-key-heading">
          <h2 id="create-key-heading">{i.t("apiKeys.create")}</h2>
          <Form action="/app/api-keys" csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={errors} labels={{ name: i.t("apiKeys.name") }} message={state.form?.message} />
            <Field
              name="name"
              label={i.t("apiKeys.name")}
              hint={i.t("apiKeys.nameHint")}
              value={state.form?.name}
              error={errors.name}
              required
              maxlength={NAME_MAX}
              autocomplete="off"
            />
            <SubmitButton>{i.t("apiKeys.create")}</SubmitButton>
          </Form>
        </section>
        <section class="panel" aria-labelledby="keys-heading">
          <h2 id="keys-heading">{i.t("apiKeys.list")}</h2>
          {page.data.length === 0 ? (
            <p>{i.t("apiKeys.none")}</p>
          ) : (
            <div class="table-scroll">
              <table class="cards">
                <thead>
                  <tr>
                    <th scope="col">{i.t("apiKeys.name")}</th>
                    <th scope="col">{i.t("apiKeys.prefix")}</th>
                    <th scope="col">{i.t("apiKeys.created")}</th>
                    <th scope="col">{i.t("apiKeys.lastUsed")}</th>
                    <th scope="col">{i.t("apiKeys.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((key) => (
                    <tr>
                      <td>{key.name}</td>
                      <td>
                        <span class="cell-label">{i.t("apiKeys.prefix")}: </span>
                        <code>{key.prefix}…</code>
                      </td>
                      <td>
                        <span class="cell-label">{i.t("apiKeys.created")}: </span>
                        {i.dateTime(Date.parse(key.created_at))}
                      </td>
                      <td>
                        <span class="cell-label">{i.t("apiKeys.lastUsed")}: </span>
                        {key.last_used_at ? i.dateTime(Date.parse(key.last_used_at)) : i.t("apiKeys.never")}
                      </td>
                      <td>
                        {key.revoked_at ? (
                          i.t("apiKeys.revokedOn", { date: i.dateTime(Date.parse(key.revoked_at)) })
                        ) : (
                          <Form action={`/app/api-keys/${key.id}/revoke`} csrf={csrf} confirm={i.t("apiKeys.revokeConfirm")} class="inline-form">
                            <span class="status-ok">{i.t("apiKeys.active")}</span>{" "}
                            <SubmitButton class="button danger small" aria-label={i.t("apiKeys.revokeLabel", { name: key.name, prefix: key.prefix })}>
                              {i.t("apiKeys.revoke")}
                            </SubmitButton>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.has_more && last && <a href={`/app/api-keys?after=${encodeURIComponent(last.id)}`}>{i.t("apiKeys.older")}</a>}
        </section>
      </>
    ),
  });
}

/** `/app/api-keys`: create a key (its secret shown once), list the account's keys, revoke one. */
export function mountApiKeysPage(web: Web) {
  web.get("/app/api-keys", (c) => keysPage(c));

  web.post("/app/api-keys", async (c) => {
    const values = await formValues(c);
    const i = c.get("i18n");
    const name = (values.name ?? "").trim();
    if (name.length === 0 || name.length > NAME_MAX) {
      return keysPage(c, { form: { errors: { name: i.t("apiKeys.nameRequired") }, name: values.name ?? "" }, status: 422 });
    }
    try {
      const created = await createApiKey(c.env, currentSession(c).account.id, name);
      // The secret goes in this answer's body only: never in a URL, a redirect or a log.
      return keysPage(c, { created: { name: created.name, key: created.key } });
    } catch (error) {
      const failure = formFailure(c, error);
      return keysPage(c, { form: { ...failure, name }, status: failure.status === 409 ? 409 : 422 });
    }
  });

  web.post("/app/api-keys/:id/revoke", async (c) => {
    const revoked = await revokeApiKey(c.env, currentSession(c).account.id, c.req.param("id"));
    if (!revoked) return notFoundPage(c);
    return c.redirect("/app/api-keys?notice=apiKeyRevoked", 303);
  });
}
