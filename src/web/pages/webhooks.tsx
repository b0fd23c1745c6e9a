import { VitrineError } from "../../core/errors";
import { ALL_EVENTS, SUBSCRIBABLE_EVENT_TYPES } from "../../core/webhooks/events";
import { MAX_URL_LENGTH } from "../../core/webhooks/url-policy";
import { type DeliveryView, listDeliveries, retryDelivery } from "../../services/webhook-deliveries";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateSecret,
  sendTestEvent,
  type TestResult,
  updateWebhook,
  type WebhookView,
} from "../../services/webhooks";
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from "../components/form";
import { SecretOnce } from "../components/secret-once";
import { currentSession, type Web, type WebContext } from "../context";
import { notFoundPage } from "../errors";
import { formFailure } from "../forms";
import type { I18n } from "../i18n";
import type { MessageKey } from "../messages";
import { pageKit, renderPage } from "../render";

const ENDPOINTS_PER_PAGE = 20;
const DELIVERIES_PER_PAGE = 20;
const DESCRIPTION_MAX = 200;

/** Event types in the seller's words; a type added later without a label shows its code alone. */
const EVENT_LABELS: Partial<Record<string, MessageKey>> = {
  "validation.completed": "webhooks.event.validationCompleted",
  "correction.applied": "webhooks.event.correctionApplied",
  "job.status_changed": "webhooks.event.jobStatusChanged",
  "connector.synced": "webhooks.event.connectorSynced",
  "billing.quota_warning": "webhooks.event.quotaWarning",
  "webhook.test": "webhooks.event.test",
  [ALL_EVENTS]: "webhooks.allEvents",
};

function eventLabel(i: I18n, type: string): string {
  const key = EVENT_LABELS[type];
  return key ? i.t(key) : type;
}

const at = (iso: string) => Date.parse(iso);

/** Ids in paging links come back in the query; only our own id shapes reach the services. */
function cursor(c: WebContext, prefix: "whk" | "dlv"): string | undefined {
  const after = c.req.query("after");
  return after && new RegExp(`^${prefix}_[0-9A-Za-z]{1,60}$`).test(after) ? after : undefined;
}

/** The submitted form, with every checked box of a group (the `events` checkboxes). */
async function endpointForm(c: WebContext) {
  const body = await c.req.parseBody({ all: true });
  const one = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
  const many = [body.events].flat().filter((v): v is string => typeof v === "string");
  return { url: one("url").trim(), description: one("description").trim(), events: many };
}

interface CreateForm {
  errors: FieldErrors;
  message?: string;
  values: { url: string; description: string; events: string[] };
}

async function listPage(c: WebContext, form?: CreateForm, status: 200 | 409 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const page = await listWebhooks(c.env, account.id, { limit: ENDPOINTS_PER_PAGE, startingAfter: cursor(c, "whk") });
  const errors = form?.errors ?? {};
  const chosen = new Set(form?.values.events ?? []);
  const last = page.data.at(-1);
  const labels = { url: i.t("webhooks.url"), description: i.t("webhooks.description"), events: i.t("webhooks.events") };
  return renderPage(c, {
    title: i.t("webhooks.title"),
    status,
    body: (
      <>
        <h1>{i.t("webhooks.title")}</h1>
        <p class="lead">{i.t("webhooks.lead")}</p>
        <section class="panel" aria-labelledby="endpoints-heading">
          <h2 id="endpoints-heading">{i.t("webhooks.list")}</h2>
          {page.data.length === 0 ? (
            <p>{i.t("webhooks.none")}</p>
          ) : (
            <ul class="endpoint-list">
              {page.data.map((w) => (
                <li>
                  <a href={`/app/webhooks/${w.id}`} aria-label={i.t("webhooks.open", { url: w.url })}>
                    <code>{w.url}</code>
                  </a>
                  <EnabledBadge i={i} webhook={w} />
                  {w.description && <p class="hint">{w.description}</p>}
                  <p class="hint">{w.events.map((e) => eventLabel(i, e)).join(" · ")}</p>
                </li>
              ))}
            </ul>
          )}
          {page.has_more && last && <a href={`/app/webhooks?after=${encodeURIComponent(last.id)}`}>{i.t("webhooks.older")}</a>}
        </section>
        <section class="panel" aria-labelledby="create-webhook-heading">
          <h2 id="create-webhook-heading">{i.t("webhooks.create")}</h2>
          <Form action="/app/webhooks" csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={errors} labels={labels} message={form?.message} />
            <Field
              name="url"
              type="url"
              label={labels.url}
              hint={i.t("webhooks.urlHint")}
              value={form?.values.url}
              error={errors.url}
              required
              maxlength={MAX_URL_LENGTH}
              autocomplete="off"
            />
            <Field name="description" label={labels.description} value={form?.values.description} error={errors.description} maxlength={DESCRIPTION_MAX} autocomplete="off" />
            <fieldset id="f-events" class={errors.events ? "field checkbox-group field-invalid" : "field checkbox-group"} aria-describedby={errors.events ? "f-events-error" : undefined}>
              <legend>{labels.events}</legend>
              {errors.events && (
                <p class="field-error" id="f-events-error">
                  {errors.events}
                </p>
              )}
              {[ALL_EVENTS, ...SUBSCRIBABLE_EVENT_TYPES].map((type) => (
                <label class="checkbox">
                  <input type="checkbox" name="events" value={type} checked={chosen.has(type)} />
                  <span>
                    {eventLabel(i, type)} {type !== ALL_EVENTS && <code class="event-code">{type}</code>}
                  </span>
                </label>
              ))}
            </fieldset>
            <SubmitButton>{i.t("webhooks.create")}</SubmitButton>
          </Form>
        </section>
      </>
    ),
  });
}

function EnabledBadge(props: { i: I18n; webhook: WebhookView }) {
  const { i, webhook } = props;
  return <strong class={webhook.enabled ? "badge badge-ok" : "badge badge-off"}>{webhook.enabled ? i.t("webhooks.enabled") : i.t("webhooks.disabled")}</strong>;
}

function disabledWhy(i: I18n, w: WebhookView): string | null {
  if (w.enabled || !w.disabled_at) return null;
  const date = i.dateTime(at(w.disabled_at));
  if (w.disabled_reason === "gone") return i.t("webhooks.disabledGone", { date });
  if (w.disabled_reason === "failing") return i.t("webhooks.disabledFailing", { date });
  return i.t("webhooks.disabledManual", { date });
}

interface DetailState {
  /** A signing secret to show once: at creation or after a rotation. */
  secret?: string;
  test?: TestResult;
  /** A service's refusal (such as retrying on a disabled endpoint), shown above the actions. */
  message?: string;
  status?: 200 | 409;
}

async function detailPage(c: WebContext, id: string, state: DetailState = {}) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const webhook = await getWebhook(c.env, account.id, id);
  if (!webhook) return notFoundPage(c);
  const deliveries = await listDeliveries(c.env, account.id, id, { limit: DELIVERIES_PER_PAGE, startingAfter: cursor(c, "dlv") });
  const base = `/app/webhooks/${webhook.id}`;
  const why = disabledWhy(i, webhook);
  const last = deliveries.data.at(-1);
  return renderPage(c, {
    title: `${i.t("webhooks.detailTitle")} — ${webhook.url}`,
    status: state.status ?? 200,
    body: (
      <>
        <p>
          <a href="/app/webhooks">{i.t("webhooks.back")}</a>
        </p>
        <h1>
          {i.t("webhooks.detailTitle")} <EnabledBadge i={i} webhook={webhook} />
        </h1>
        <p class="endpoint-url">
          <code>{webhook.url}</code>
        </p>
        {webhook.description && <p>{webhook.description}</p>}
        {state.message && (
          <div class="error-summary" role="alert">
            <p>{state.message}</p>
          </div>
        )}
        {state.secret && <SecretOnce i={i} id="signing-secret" title={i.t("webhooks.secretTitle")} lead={i.t("webhooks.secretShownOnce")} secret={state.secret} />}
        {state.test && <TestPanel i={i} result={state.test} />}
        <section class="panel" aria-labelledby="endpoint-heading">
          <h2 id="endpoint-heading">{i.t("webhooks.actions")}</h2>
          <dl class="facts">
            <dt>{i.t("webhooks.events")}</dt>
            <dd>{webhook.events.map((e) => eventLabel(i, e)).join(" · ")}</dd>
            <dt>{i.t("webhooks.created")}</dt>
            <dd>{i.dateTime(at(webhook.created_at))}</dd>
          </dl>
          {why && <p class="warning">{why}</p>}
          {webhook.enabled && webhook.failing_since && <p class="warning">{i.t("webhooks.failingSince", { date: i.dateTime(at(webhook.failing_since)) })}</p>}
          {webhook.previous_secret_expires_at && <p class="hint">{i.t("webhooks.secretOverlap", { date: i.dateTime(at(webhook.previous_secret_expires_at)) })}</p>}
          <div class="actions">
            <Form action={`${base}/test`} csrf={csrf} class="inline-form">
              <SubmitButton>{i.t("webhooks.test")}</SubmitButton>
            </Form>
            <Form action={`${base}/rotate`} csrf={csrf} confirm={i.t("webhooks.rotateConfirm")} class="inline-form">
              <SubmitButton class="button secondary">{i.t("webhooks.rotate")}</SubmitButton>
            </Form>
            <Form action={`${base}/${webhook.enabled ? "disable" : "enable"}`} csrf={csrf} class="inline-form">
              <SubmitButton class="button secondary">{webhook.enabled ? i.t("webhooks.disable") : i.t("webhooks.enable")}</SubmitButton>
            </Form>
            <Form action={`${base}/delete`} csrf={csrf} confirm={i.t("webhooks.deleteConfirm")} class="inline-form">
              <SubmitButton class="button danger">{i.t("webhooks.delete")}</SubmitButton>
            </Form>
          </div>
        </section>
        <section class="panel" aria-labelledby="deliveries-heading">
          <h2 id="deliveries-heading">{i.t("webhooks.deliveries")}</h2>
          {deliveries.data.length === 0 ? (
            <p>{i.t("webhooks.deliveriesNone")}</p>
          ) : (
            <ol class="deliveries">
              {deliveries.data.map((d) => (
                <DeliveryItem i={i} csrf={csrf} base={base} delivery={d} />
              ))}
            </ol>
          )}
          {deliveries.has_more && last && <a href={`${base}?after=${encodeURIComponent(last.id)}`}>{i.t("webhooks.olderDeliveries")}</a>}
        </section>
      </>
    ),
  });
}

/** How the receiver answered the test event. Its body is the receiver's text: escaped like any other. */
function TestPanel(props: { i: I18n; result: TestResult }) {
  const { i, result } = props;
  return (
    <section class={result.succeeded ? "panel test-result test-ok" : "panel test-result test-failed"} aria-labelledby="test-heading" role="status">
      <h2 id="test-heading">{i.t("webhooks.testResult")}</h2>
      <p>
        <strong>{result.succeeded ? i.t("webhooks.testOk") : i.t("webhooks.testFailed")}</strong>
      </p>
      <dl class="facts">
        <dt>{i.t("webhooks.responseStatus")}</dt>
        <dd>{result.status_code ?? i.t("webhooks.noResponse")}</dd>
        {result.latency_ms !== null && (
          <>
            <dt>{i.t("webhooks.latency")}</dt>
            <dd>{i.t("webhooks.latencyMs", { ms: i.number(result.latency_ms) })}</dd>
          </>
        )}
        {result.error && (
          <>
            <dt>{i.t("webhooks.error")}</dt>
            <dd>
              <code>{result.error}</code>
            </dd>
          </>
        )}
      </dl>
      {result.response_excerpt && (
        <>
          <h3 class="small-heading">{i.t("webhooks.responseBody")}</h3>
          <pre class="excerpt">{result.response_excerpt}</pre>
        </>
      )}
    </section>
  );
}

function DeliveryItem(props: { i: I18n; csrf: string; base: string; delivery: DeliveryView }) {
  const { i, csrf, base, delivery: d } = props;
  const when = i.dateTime(at(d.created_at));
  return (
    <li class={`delivery delivery-${d.status}`}>
      <p class="delivery-head">
        <strong>{eventLabel(i, d.event_type)}</strong> <code class="event-code">{d.event_type}</code>
        <span class="badge">{i.t(`webhooks.deliveryStatus.${d.status}`)}</span>
      </p>
      <p class="hint">
        {when}
        {d.next_attempt_at && <> · {i.t("webhooks.nextAttempt", { date: i.dateTime(at(d.next_attempt_at)) })}</>}
      </p>
      {d.attempts.length > 0 && (
        <div class="table-scroll">
          <table class="attempts">
            <caption>{i.t("webhooks.attempts", { count: d.attempts.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{i.t("webhooks.attempt")}</th>
                <th scope="col">{i.t("webhooks.attemptTime")}</th>
                <th scope="col">{i.t("webhooks.responseStatus")}</th>
                <th scope="col">{i.t("webhooks.latency")}</th>
                <th scope="col">{i.t("webhooks.error")}</th>
              </tr>
            </thead>
            <tbody>
              {d.attempts.map((a) => (
                <tr>
                  <td>{a.attempt}</td>
                  <td>{i.dateTime(at(a.started_at))}</td>
                  <td>{a.status_code ?? i.t("webhooks.noResponse")}</td>
                  <td>{i.t("webhooks.latencyMs", { ms: i.number(a.latency_ms) })}</td>
                  <td>{a.error ? <code>{a.error}</code> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.status === "failed" && (
        <Form action={`${base}/deliveries/${d.id}/retry`} csrf={csrf} class="inline-form">
          <SubmitButton class="button secondary small" aria-label={i.t("webhooks.retryLabel", { event: d.event_type, date: when })}>
            {i.t("webhooks.retry")}
          </SubmitButton>
        </Form>
      )}
    </li>
  );
}

/** A service refusal worth telling the seller (a conflict); anything else goes to the error page. */
function conflictMessage(c: WebContext, error: unknown): string {
  if (error instanceof VitrineError && error.code === "conflict") return c.get("i18n").text(error.detail);
  throw error;
}

/**
 * `/app/webhooks`: endpoints (create, list) and `/app/webhooks/<id>`: one endpoint with its test
 * event, secret rotation (shown once), on/off, deletion and delivery log with retries.
 */
export function mountWebhooksPage(web: Web) {
  web.get("/app/webhooks", (c) => listPage(c));

  web.post("/app/webhooks", async (c) => {
    const values = await endpointForm(c);
    const i = c.get("i18n");
    if (values.events.length === 0) {
      return listPage(c, { errors: { events: i.t("webhooks.eventsRequired") }, values }, 422);
    }
    const known = new Set<string>([ALL_EVENTS, ...SUBSCRIBABLE_EVENT_TYPES]);
    try {
      const created = await createWebhook(c.env, currentSession(c).account.id, {
        url: values.url,
        events: values.events.filter((e) => known.has(e)),
        description: values.description.slice(0, DESCRIPTION_MAX) || null,
      });
      // The secret is in this answer's body only; the endpoint's own page never shows it again.
      return detailPage(c, created.id, { secret: created.secret });
    } catch (error) {
      const failure = formFailure(c, error);
      // The service names the field as a JSON pointer ("/url"); the form's fields have plain names.
      const errors = Object.fromEntries(Object.entries(failure.errors).map(([k, v]) => [k.replace(/^\//, ""), v]));
      return listPage(c, { errors, message: failure.message, values }, failure.status === 409 ? 409 : 422);
    }
  });

  web.get("/app/webhooks/:id", (c) => detailPage(c, c.req.param("id")));

  web.post("/app/webhooks/:id/test", async (c) => {
    const result = await sendTestEvent(c.env, currentSession(c).account.id, c.req.param("id"));
    if (!result) return notFoundPage(c);
    return detailPage(c, c.req.param("id"), { test: result });
  });

  web.post("/app/webhooks/:id/rotate", async (c) => {
    const rotated = await rotateSecret(c.env, currentSession(c).account.id, c.req.param("id"));
    if (!rotated) return notFoundPage(c);
    return detailPage(c, rotated.id, { secret: rotated.secret });
  });

  for (const [action, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    web.post(`/app/webhooks/:id/${action}`, async (c) => {
      const id = c.req.param("id");
      const updated = await updateWebhook(c.env, currentSession(c).account.id, id, { enabled });
      if (!updated) return notFoundPage(c);
      return c.redirect(`/app/webhooks/${updated.id}?notice=${enabled ? "webhookEnabled" : "webhookDisabled"}`, 303);
    });
  }

  web.post("/app/webhooks/:id/delete", async (c) => {
    if (!(await deleteWebhook(c.env, currentSession(c).account.id, c.req.param("id")))) return notFoundPage(c);
    return c.redirect("/app/webhooks?notice=webhookDeleted", 303);
  });

  web.post("/app/webhooks/:id/deliveries/:deliveryId/retry", async (c) => {
    const id = c.req.param("id");
    const { account } = currentSession(c);
    // Another account's endpoint (or none) is the same 404, before anything about deliveries is said.
    const webhook = await getWebhook(c.env, account.id, id);
    if (!webhook) return notFoundPage(c);
    if (!webhook.enabled) return detailPage(c, id, { message: c.get("i18n").t("webhooks.retryDisabled"), status: 409 });
    try {
      await retryDelivery(c.env, account.id, id, c.req.param("deliveryId"));
    } catch (error) {
      if (error instanceof VitrineError && error.code === "not_found") return notFoundPage(c);
      return detailPage(c, id, { message: conflictMessage(c, error), status: 409 });
    }
    return c.redirect(`/app/webhooks/${id}?notice=deliveryRetried`, 303);
  });
}
