import { config } from "../../config";
import { PUSHABLE_FIELDS } from "../../core/connectors/mercadolivre/items";
import { VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import type { ConnectorPushItemRow, ConnectorPushRow, ConnectorRow } from "../../db/schema";
import {
  authorizeConnector,
  type ConnectorSettings,
  createConnector,
  deleteConnector,
  findConnector,
  listConnectors,
  MAX_CONNECTORS_PER_ACCOUNT,
  updateConnector,
} from "../../services/connectors/connectors";
import { listSyncs } from "../../services/connectors/delta";
import { createPush, listPushes, pushItems, requirePush, revertPush } from "../../services/connectors/push";
import { startSync } from "../../services/connectors/sync";
import { getJobRow } from "../../services/jobs/jobs";
import { listPacks, type PackSummary } from "../../services/rule-packs";
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext } from "../context";
import { notFoundPage } from "../errors";
import type { I18n } from "../i18n";
import type { MessageKey } from "../messages";
import { pageKit, renderPage } from "../render";
import { SYNCS_SHOWN, SyncHistory } from "./connector-history";
import { dashboardCspWithFormTarget } from "../security-headers";

const PUSH_ITEMS_PER_PAGE = 50;
const PUSHES_SHOWN = 10;
const NAME_MAX = 100;
/** What a seller may allow a push to write: the pushable fields plus every attribute. */
const PUSH_FIELD_CHOICES = [...PUSHABLE_FIELDS, "attributes"] as const;

type SettingsValues = { name: string; rule_pack: string; category: string; schedule: string; push_fields: string[] };

interface SettingsForm {
  values: SettingsValues;
  errors: FieldErrors;
  message?: string;
}

const base = (id: string) => `/app/connectors/${id}`;

/** Ids taken from the path or the query reach the services only in our own shapes. */
const ID = /^[a-z]{3}_[0-9A-Za-z]{1,60}$/;
const ITEM_CURSOR = /^MLB\d{1,20}$/;

/** The packs a connector can validate with: every pack the account sees that compiles, but the shared base `common`. */
async function connectorPacks(c: WebContext, accountId: string): Promise<PackSummary[]> {
  return (await listPacks(c.env, accountId)).filter((p) => p.id !== "common" && p.rule_count !== null);
}

async function settingsForm(c: WebContext): Promise<SettingsValues> {
  const body = await c.req.parseBody({ all: true });
  const one = (name: string) => (typeof body[name] === "string" ? (body[name] as string).trim() : "");
  const fields = [body.push_fields].flat().filter((v): v is string => typeof v === "string");
  return { name: one("name").slice(0, NAME_MAX), rule_pack: one("rule_pack"), category: one("category"), schedule: one("schedule"), push_fields: fields };
}

function settingsOf(values: SettingsValues): ConnectorSettings {
  return {
    name: values.name,
    rule_pack: values.rule_pack,
    category: values.category || null,
    schedule: values.schedule || null,
    push_fields: values.push_fields.filter((f) => (PUSH_FIELD_CHOICES as readonly string[]).includes(f)),
  };
}

const valuesOf = (row: ConnectorRow): SettingsValues => ({
  name: row.name,
  rule_pack: row.rulePack,
  category: row.category ?? "",
  schedule: row.schedule ?? "",
  push_fields: row.pushFields,
});

/**
 * A service's refusal of the form, by field ("/push_fields/2" → push_fields), or one message.
 * Anything that is not about the input goes on to the error page.
 */
function settingsFailure(c: WebContext, error: unknown): { errors: FieldErrors; message?: string; status: 409 | 422 } {
  if (!(error instanceof VitrineError) || !["invalid_request", "conflict", "unprocessable"].includes(error.code)) throw error;
  const i = c.get("i18n");
  const errors: FieldErrors = {};
  for (const p of error.extra.errors ?? []) {
    const name = p.pointer?.replace(/^\//, "").split("/")[0];
    if (name && !errors[name]) errors[name] = i.text(p.detail);
  }
  return { errors, message: Object.keys(errors).length ? undefined : i.text(error.detail), status: error.code === "conflict" ? 409 : 422 };
}

function statusBadge(i: I18n, status: ConnectorRow["status"]) {
  const tone = status === "active" ? "badge badge-ok" : status === "pending_authorization" || status === "pending_verification" ? "badge" : "badge badge-off";
  return <strong class={tone}>{i.t(`connectors.status.${status}`)}</strong>;
}

function SettingsFields(props: { i: I18n; packs: PackSummary[]; form: SettingsForm }) {
  const { i, form } = props;
  const chosen = new Set(form.values.push_fields);
  return (
    <>
      <Field name="name" label={i.t("connectors.name")} hint={i.t("connectors.nameHint")} value={form.values.name} error={form.errors.name} maxlength={NAME_MAX} autocomplete="off" />
      <div class={form.errors.rule_pack ? "field field-invalid" : "field"}>
        <label for="f-rule_pack">{i.t("connectors.rulePack")}</label>
        {form.errors.rule_pack && (
          <p class="field-error" id="f-rule_pack-error">
            {form.errors.rule_pack}
          </p>
        )}
        <select id="f-rule_pack" name="rule_pack" aria-describedby={form.errors.rule_pack ? "f-rule_pack-error" : undefined}>
          {props.packs.map((p) => (
            <option value={p.id} selected={p.id === form.values.rule_pack}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <Field name="category" label={i.t("connectors.category")} hint={i.t("connectors.categoryHint")} value={form.values.category} error={form.errors.category} maxlength={40} autocomplete="off" />
      <Field name="schedule" label={i.t("connectors.schedule")} hint={i.t("connectors.scheduleHint")} value={form.values.schedule} error={form.errors.schedule} maxlength={100} autocomplete="off" />
      <fieldset
        id="f-push_fields"
        class={form.errors.push_fields ? "field checkbox-group push-fields field-invalid" : "field checkbox-group push-fields"}
        aria-describedby={form.errors.push_fields ? "f-push_fields-hint f-push_fields-error" : "f-push_fields-hint"}
      >
        <legend>{i.t("connectors.pushFields")}</legend>
        <p class="hint" id="f-push_fields-hint">
          {i.t("connectors.pushFieldsHint")}
        </p>
        {form.errors.push_fields && (
          <p class="field-error" id="f-push_fields-error">
            {form.errors.push_fields}
          </p>
        )}
        {PUSH_FIELD_CHOICES.map((field) => (
          <label class="checkbox">
            <input type="checkbox" name="push_fields" value={field} checked={chosen.has(field)} />
            <span>{i.t(`connectors.field.${field}`)}</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}

function settingsLabels(i: I18n): Record<string, string> {
  return {
    name: i.t("connectors.name"),
    rule_pack: i.t("connectors.rulePack"),
    category: i.t("connectors.category"),
    schedule: i.t("connectors.schedule"),
    push_fields: i.t("connectors.pushFields"),
  };
}

async function LastSync(props: { c: WebContext; i: I18n; connector: ConnectorRow }) {
  const { c, i, connector } = props;
  if (connector.runningJobId) {
    return (
      <span>
        {i.t("connectors.running")} · <a href={`/app/jobs/${connector.runningJobId}`}>{i.t("connectors.openJob")}</a>
      </span>
    );
  }
  if (!connector.lastSyncJobId || connector.lastSyncAt === null) return <span>{i.t("connectors.never")}</span>;
  const job = await getJobRow(c.env, connector.accountId, connector.lastSyncJobId);
  const summary = job?.summary;
  return (
    <span>
      {i.dateTime(connector.lastSyncAt)}
      {connector.lastSyncStatus && <> · {i.t(`connectors.syncStatus.${connector.lastSyncStatus}`)}</>}
      {summary && (
        <>
          {" · "}
          {i.t("connectors.syncCounts", { records: i.number(summary.records), invalid: i.number(summary.invalid), corrected: i.number(summary.corrected) })}
        </>
      )}
      {" · "}
      <a href={`/app/jobs/${connector.lastSyncJobId}`}>{i.t("connectors.openJob")}</a>
    </span>
  );
}

function scheduleText(i: I18n, connector: ConnectorRow): string {
  if (!connector.schedule) return i.t("connectors.scheduleNone");
  return connector.nextSyncAt ? `${connector.schedule} (${i.t("connectors.nextSync", { date: i.dateTime(connector.nextSyncAt) })})` : connector.schedule;
}

async function listPage(c: WebContext, form?: SettingsForm, status: 200 | 409 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const [page, packs] = await Promise.all([listConnectors(c.env, account.id, { limit: MAX_CONNECTORS_PER_ACCOUNT }), connectorPacks(c, account.id)]);
  const configured = config(c.env).mercadolivre !== undefined;
  const values = form?.values ?? { name: "", rule_pack: packs.some((p) => p.id === "mercadolivre") ? "mercadolivre" : (packs[0]?.id ?? ""), category: "", schedule: "", push_fields: [] };
  return mayGoToMarketplace(c, await renderPage(c, {
    title: i.t("connectors.title"),
    status,
    body: (
      <>
        <h1>{i.t("connectors.title")}</h1>
        <p class="lead">{i.t("connectors.lead")}</p>
        <section class="panel" aria-labelledby="connectors-heading">
          <h2 id="connectors-heading">{i.t("connectors.list")}</h2>
          {page.data.length === 0 ? (
            <p>{i.t("connectors.none")}</p>
          ) : (
            <ul class="connector-list">
              {page.data.map((row) => (
                <li>
                  <p class="connector-head">
                    <a href={base(row.id)} aria-label={i.t("connectors.open", { name: row.name })}>
                      {row.name}
                    </a>{" "}
                    {statusBadge(i, row.status)}
                  </p>
                  <dl class="facts">
                    <dt>{i.t("connectors.lastSync")}</dt>
                    <dd>
                      <LastSync c={c} i={i} connector={row} />
                    </dd>
                    <dt>{i.t("connectors.scheduleLabel")}</dt>
                    <dd>{scheduleText(i, row)}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="panel" aria-labelledby="connect-heading">
          <h2 id="connect-heading">{i.t("connectors.connect")}</h2>
          {configured ? (
            <Form action="/app/connectors" csrf={csrf} class="stack">
              <p>{i.t("connectors.connectLead")}</p>
              <ErrorSummary i={i} errors={form?.errors ?? {}} labels={settingsLabels(i)} message={form?.message} />
              <input type="hidden" name="type" value="mercadolivre" />
              <p>
                {i.t("connectors.type")}: <strong>Mercado Livre</strong>
              </p>
              <SettingsFields i={i} packs={packs} form={{ values, errors: form?.errors ?? {} }} />
              <SubmitButton>{i.t("connectors.connectSubmit")}</SubmitButton>
            </Form>
          ) : (
            <div class="warning">
              <p>
                <strong>{i.t("connectors.notConfigured")}</strong>
              </p>
              <p>{i.t("connectors.notConfiguredHow")}</p>
            </div>
          )}
        </section>
      </>
    ),
  }));
}

/**
 * Pages whose forms answer with a redirect to Mercado Livre's authorization page (connect,
 * authorize again): their policy lets forms go on to that origin, and to no other.
 */
function mayGoToMarketplace(c: WebContext, res: Response): Response {
  const app = config(c.env).mercadolivre;
  if (app) res.headers.set("Content-Security-Policy", dashboardCspWithFormTarget(new URL(app.authUrl).origin));
  return res;
}

interface DetailState {
  form?: SettingsForm;
  /** A refusal of an action (a sync already running, nothing to push), shown above the page. */
  message?: string;
  status?: 200 | 409 | 422;
}

async function detailPage(c: WebContext, id: string, state: DetailState = {}) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const connector = ID.test(id) ? await findConnector(c.env, account.id, id) : null;
  if (!connector) return notFoundPage(c);
  const [packs, pushes, syncs] = await Promise.all([
    connectorPacks(c, account.id),
    listPushes(c.env, connector, { limit: PUSHES_SHOWN }),
    listSyncs(c.env, connector.id, { limit: SYNCS_SHOWN }),
  ]);
  const lastJob = connector.lastSyncJobId ? await getJobRow(c.env, account.id, connector.lastSyncJobId) : null;
  const reviewable = lastJob && lastJob.status === "completed" && lastJob.applyFixes ? lastJob : null;
  const form = state.form ?? { values: valuesOf(connector), errors: {} };
  const url = base(connector.id);
  const needsAuthorization = connector.status !== "active";
  return mayGoToMarketplace(c, await renderPage(c, {
    title: `${i.t("connectors.detailTitle")} — ${connector.name}`,
    status: state.status ?? 200,
    body: (
      <>
        <p>
          <a href="/app/connectors">{i.t("connectors.back")}</a>
        </p>
        <h1>
          {connector.name} {statusBadge(i, connector.status)}
        </h1>
        {state.message && (
          <div class="error-summary" role="alert">
            <p>{state.message}</p>
          </div>
        )}
        <section class="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">{i.t("connectors.status")}</h2>
          <dl class="facts">
            <dt>{i.t("connectors.type")}</dt>
            <dd>Mercado Livre</dd>
            {connector.providerUserId && (
              <>
                <dt>{i.t("connectors.storeAccount")}</dt>
                <dd>
                  <code>{connector.providerUserId}</code>
                </dd>
              </>
            )}
            {connector.problem && (
              <>
                <dt>{i.t("connectors.problem")}</dt>
                <dd>{i.text(connector.problem.message)}</dd>
              </>
            )}
            <dt>{i.t("connectors.lastSync")}</dt>
            <dd>
              <LastSync c={c} i={i} connector={connector} />
            </dd>
            <dt>{i.t("connectors.scheduleLabel")}</dt>
            <dd>{scheduleText(i, connector)}</dd>
          </dl>
          {connector.status === "pending_authorization" && <p class="hint">{i.t("connectors.pendingHint")}</p>}
          <div class="actions">
            {needsAuthorization && (
              <Form action={`${url}/authorize`} csrf={csrf} class="inline-form">
                <SubmitButton>{connector.status === "pending_authorization" ? i.t("connectors.authorize") : i.t("connectors.reauthorize")}</SubmitButton>
              </Form>
            )}
          </div>
        </section>
        {(connector.status === "active" || connector.status === "error") && (
          <section class="panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading">{i.t("connectors.syncNow")}</h2>
            <p>{i.t("connectors.syncLead")}</p>
            <Form action={`${url}/sync`} csrf={csrf} class="stack compact">
              <label class="checkbox">
                <input type="checkbox" name="apply_fixes" value="on" checked />
                <span>{i.t("connectors.applyFixes")}</span>
              </label>
              <SubmitButton>{i.t("connectors.syncNow")}</SubmitButton>
            </Form>
          </section>
        )}
        <SyncHistory i={i} syncs={syncs.data} />
        <section class="panel" aria-labelledby="review-heading">
          <h2 id="review-heading">{i.t("connectors.review")}</h2>
          {connector.pushFields.length === 0 ? (
            <p>{i.t("connectors.reviewNoFields")}</p>
          ) : reviewable ? (
            <Form action={`${url}/push`} csrf={csrf} class="stack compact">
              <p>{i.t("connectors.reviewLead", { date: i.dateTime(reviewable.finishedAt ?? reviewable.createdAt) })}</p>
              <input type="hidden" name="job_id" value={reviewable.id} />
              <SubmitButton>{i.t("connectors.reviewSubmit")}</SubmitButton>
            </Form>
          ) : (
            <p>{i.t("connectors.reviewNoJob")}</p>
          )}
          <h3 class="small-heading">{i.t("connectors.pushes")}</h3>
          {pushes.data.length === 0 ? (
            <p>{i.t("connectors.pushesNone")}</p>
          ) : (
            <ul class="push-list">
              {pushes.data.map((p) => (
                <li>
                  <a href={`${url}/pushes/${p.id}`}>{pushKindLabel(i, p)}</a> · {i.dateTime(p.createdAt)} · {i.t(`connectors.pushStatus.${p.status}`)}
                  <p class="hint">{countsText(i, p)}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">{i.t("connectors.settings")}</h2>
          <Form action={`${url}/settings`} csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={form.errors} labels={settingsLabels(i)} message={form.message} />
            <SettingsFields i={i} packs={packs} form={form} />
            <SubmitButton>{i.t("connectors.save")}</SubmitButton>
          </Form>
        </section>
        <section class="panel" aria-labelledby="delete-heading">
          <h2 id="delete-heading">{i.t("connectors.delete")}</h2>
          <Form action={`${url}/delete`} csrf={csrf} confirm={i.t("connectors.deleteConfirm")} class="inline-form">
            <SubmitButton class="button danger">{i.t("connectors.delete")}</SubmitButton>
          </Form>
        </section>
      </>
    ),
  }));
}

function pushKindLabel(i: I18n, push: ConnectorPushRow): string {
  if (push.kind === "revert") return i.t("connectors.kind.revert");
  return push.dryRun ? i.t("connectors.kind.dryRun") : i.t("connectors.kind.push");
}

function countsText(i: I18n, push: ConnectorPushRow): string {
  const n = push.counts;
  if (push.dryRun) return i.t("connectors.previewCounts", { items: i.number(n.items), sent: i.number(n.sent), skipped: i.number(n.skipped) });
  return i.t("connectors.pushCounts", { items: i.number(n.items), accepted: i.number(n.accepted), refused: i.number(n.refused), skipped: i.number(n.skipped) });
}

/** A field's value as a seller reads it: text as is, pictures by their address, anything else as compact JSON. */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => v && typeof v === "object" && ("source" in v || "secure_url" in v || "url" in v))) {
    return value.map((v) => String(v.source ?? v.secure_url ?? v.url)).join("\n");
  }
  const json = JSON.stringify(value);
  return json.length > 500 ? `${json.slice(0, 500)}…` : json;
}

function fieldLabel(i: I18n, field: string): string {
  return (PUSH_FIELD_CHOICES as readonly string[]).includes(field) ? `${i.t(`connectors.field.${field as (typeof PUSH_FIELD_CHOICES)[number]}`)} (${field})` : field;
}

const SKIP_REASONS = new Set(["not_allowed", "variation_field", "read_only", "has_sales", "not_active", "changed_on_marketplace", "conflicting_fixes", "item_unavailable"]);

function PushItem(props: { i: I18n; item: ConnectorPushItemRow; revert: boolean }) {
  const { i, item, revert } = props;
  const left = new Set(item.skipped.map((s) => s.field));
  const changes = item.changes.filter((change) => !left.has(change.field));
  const before = item.before ?? {};
  const tone = item.status === "accepted" ? "badge badge-ok" : item.status === "refused" ? "badge badge-off" : "badge";
  return (
    <li class={`push-item push-item-${item.status}`}>
      <p class="push-item-head">
        <strong>{i.t("connectors.item", { id: item.itemId })}</strong> <span class={tone}>{i.t(`connectors.itemStatus.${item.status}`)}</span>
      </p>
      {changes.length > 0 && (
        <div class="table-scroll">
          <table class="diff">
            <caption class="connectors-sr-only">{i.t("connectors.changesCaption", { id: item.itemId })}</caption>
            <thead>
              <tr>
                <th scope="col">{i.t("connectors.colField")}</th>
                <th scope="col">{revert ? i.t("connectors.colBeforeRevert") : i.t("connectors.colBefore")}</th>
                <th scope="col">{revert ? i.t("connectors.colAfterRevert") : i.t("connectors.colAfter")}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr>
                  <th scope="row">{fieldLabel(i, change.field)}</th>
                  <td class="diff-before">{shown(change.field in before ? before[change.field] : change.from)}</td>
                  <td class="diff-after">{shown(change.to)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {item.skipped.length > 0 && (
        <p class="hint">
          {i.t("connectors.leftOut")}{" "}
          {item.skipped
            .map((s) => `${fieldLabel(i, s.field)} — ${SKIP_REASONS.has(s.reason) ? i.t(`connectors.skip.${s.reason}` as MessageKey) : s.reason}`)
            .join("; ")}
        </p>
      )}
      {item.cause && item.cause.length > 0 && (
        <div class="warning">
          <p>{i.t("connectors.cause")}</p>
          <ul>
            {item.cause.map((cause) => (
              <li>
                {cause.code && <code>{cause.code}</code>} {cause.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

async function pushPage(c: WebContext, id: string, pushId: string) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const connector = ID.test(id) && ID.test(pushId) ? await findConnector(c.env, account.id, id) : null;
  if (!connector) return notFoundPage(c);
  const push = await requirePush(c.env, connector, pushId);
  const after = c.req.query("after");
  const items = await pushItems(c.env, push, { limit: PUSH_ITEMS_PER_PAGE, startingAfter: after && ITEM_CURSOR.test(after) ? after : undefined });
  const url = base(connector.id);
  const finished = push.status === "completed" || push.status === "failed";
  const title = push.kind === "revert" ? i.t("connectors.revertTitle") : push.dryRun ? i.t("connectors.previewTitle") : i.t("connectors.pushTitle");
  const last = items.data.at(-1);
  return renderPage(c, {
    title: `${title} — ${connector.name}`,
    body: (
      <>
        <p>
          <a href={url}>{i.t("connectors.backToConnector")}</a>
        </p>
        <h1>{title}</h1>
        <dl class="facts">
          <dt>{i.t("connectors.detailTitle")}</dt>
          <dd>{connector.name}</dd>
          <dt>{i.t("connectors.fromJob")}</dt>
          <dd>
            <a href={`/app/jobs/${push.jobId}`}>{push.jobId}</a>
          </dd>
          <dt>{i.t("connectors.status")}</dt>
          <dd>
            {i.t(`connectors.pushStatus.${push.status}`)} · {countsText(i, push)}
          </dd>
          {push.error && (
            <>
              <dt>{i.t("connectors.problem")}</dt>
              <dd>{i.text(push.error.message)}</dd>
            </>
          )}
        </dl>
        {!finished && (
          <p class="notice" role="status">
            {i.t("connectors.inProgress")} <a href={`${url}/pushes/${push.id}`}>{i.t("connectors.reload")}</a>
          </p>
        )}
        {finished && items.data.length === 0 && !after && <p>{i.t("connectors.nothingToSend")}</p>}
        {items.data.length > 0 && (
          <ol class="push-items">
            {items.data.map((item) => (
              <PushItem i={i} item={item} revert={push.kind === "revert"} />
            ))}
          </ol>
        )}
        {items.has_more && last && <a href={`${url}/pushes/${push.id}?after=${encodeURIComponent(last.itemId)}`}>{i.t("connectors.olderItems")}</a>}
        {push.kind === "push" && push.dryRun && push.status === "completed" && push.counts.sent > 0 && (
          <section class="panel" aria-labelledby="apply-heading">
            <h2 id="apply-heading">{i.t("connectors.apply")}</h2>
            <p>{i.t("connectors.applyLead")}</p>
            <Form action={`${url}/pushes/${push.id}/apply`} csrf={csrf} confirm={i.t("connectors.applyConfirm")} class="inline-form">
              <SubmitButton>{i.t("connectors.apply")}</SubmitButton>
            </Form>
          </section>
        )}
        {push.kind === "push" && !push.dryRun && push.status === "completed" && push.counts.accepted > 0 && (
          <section class="panel" aria-labelledby="revert-heading">
            <h2 id="revert-heading">{i.t("connectors.revert")}</h2>
            <Form action={`${url}/pushes/${push.id}/revert`} csrf={csrf} confirm={i.t("connectors.revertConfirm")} class="inline-form">
              <SubmitButton class="button secondary">{i.t("connectors.revert")}</SubmitButton>
            </Form>
          </section>
        )}
      </>
    ),
  });
}

/** The account's connector named in the path, or null (another account's is the same as none). */
async function ownConnector(c: WebContext): Promise<ConnectorRow | null> {
  const id = c.req.param("id") ?? "";
  return ID.test(id) ? findConnector(c.env, currentSession(c).account.id, id) : null;
}

/** An action refused for a reason the seller can act on (a sync already running, nothing to push): shown on the connector's page. */
function refusal(c: WebContext, error: unknown): { message: string; status: 409 | 422 } {
  if (!(error instanceof VitrineError) || !["conflict", "unprocessable", "invalid_request"].includes(error.code)) throw error;
  return { message: c.get("i18n").text(error.detail), status: error.code === "conflict" ? 409 : 422 };
}

/**
 * `/app/connectors`: the account's store connections and the connect form (→ Mercado Livre's
 * authorization); `/app/connectors/<id>`: status, sync now, settings, delete, and push review —
 * a dry run shown as a per-item diff, its confirmation, per-item results and the undo.
 */
export function mountConnectorsPage(web: Web) {
  web.get("/app/connectors", (c) => listPage(c));

  web.post("/app/connectors", async (c) => {
    const values = await settingsForm(c);
    const { account } = currentSession(c);
    const packs = await connectorPacks(c, account.id);
    if (!packs.some((p) => p.id === values.rule_pack)) return listPage(c, { values, errors: { rule_pack: c.get("i18n").t("job.unknownPack") } }, 422);
    try {
      const { row, authorizeUrl } = await createConnector(c.env, account.id, { type: "mercadolivre", ...settingsOf(values) }, new URL(c.req.url).origin);
      return c.redirect(authorizeUrl ?? base(row.id), 303);
    } catch (error) {
      const failure = settingsFailure(c, error);
      return listPage(c, { values, errors: failure.errors, message: failure.message }, failure.status);
    }
  });

  web.get("/app/connectors/:id", (c) => detailPage(c, c.req.param("id")));

  web.post("/app/connectors/:id/settings", async (c) => {
    const connector = await ownConnector(c);
    if (!connector) return notFoundPage(c);
    const values = await settingsForm(c);
    const packs = await connectorPacks(c, connector.accountId);
    if (!packs.some((p) => p.id === values.rule_pack)) return detailPage(c, connector.id, { form: { values, errors: { rule_pack: c.get("i18n").t("job.unknownPack") } }, status: 422 });
    try {
      await updateConnector(c.env, connector.accountId, connector.id, settingsOf(values));
    } catch (error) {
      const failure = settingsFailure(c, error);
      return detailPage(c, connector.id, { form: { values, errors: failure.errors, message: failure.message }, status: failure.status });
    }
    return c.redirect(`${base(connector.id)}?notice=connectorSaved`, 303);
  });

  web.post("/app/connectors/:id/authorize", async (c) => {
    const connector = await ownConnector(c);
    if (!connector) return notFoundPage(c);
    try {
      // A service-account sheet has no consent page: its verification already ran; its page shows the outcome.
      const { authorizeUrl } = await authorizeConnector(c.env, connector.accountId, connector.id, new URL(c.req.url).origin);
      return c.redirect(authorizeUrl ?? base(connector.id), 303);
    } catch (error) {
      return detailPage(c, connector.id, refusal(c, error));
    }
  });

  web.post("/app/connectors/:id/sync", async (c) => {
    const connector = await ownConnector(c);
    if (!connector) return notFoundPage(c);
    const body = await c.req.parseBody();
    try {
      const job = await startSync(c.env, connector.accountId, connector.id, {
        applyFixes: body.apply_fixes === "on",
        push: "none",
        trigger: "api",
        locale: c.get("locale"),
      });
      return c.redirect(`/app/jobs/${job.id}`, 303);
    } catch (error) {
      return detailPage(c, connector.id, refusal(c, error));
    }
  });

  web.post("/app/connectors/:id/delete", async (c) => {
    const connector = await ownConnector(c);
    if (!connector) return notFoundPage(c);
    await deleteConnector(c.env, connector.accountId, connector.id);
    return c.redirect("/app/connectors?notice=connectorDeleted", 303);
  });

  // Push review: a dry run first (what would be sent, item by item), then the same push for real.
  web.post("/app/connectors/:id/push", async (c) => {
    const connector = await ownConnector(c);
    if (!connector) return notFoundPage(c);
    const jobId = (await c.req.parseBody()).job_id;
    if (typeof jobId !== "string" || !ID.test(jobId)) return notFoundPage(c);
    try {
      const push = await createPush(c.env, connector, { jobId, dryRun: true });
      return c.redirect(`${base(connector.id)}/pushes/${push.id}`, 303);
    } catch (error) {
      return detailPage(c, connector.id, refusal(c, error));
    }
  });

  web.get("/app/connectors/:id/pushes/:pushId", (c) => pushPage(c, c.req.param("id"), c.req.param("pushId")));

  web.post("/app/connectors/:id/pushes/:pushId/apply", async (c) => {
    const connector = await ownConnector(c);
    const pushId = c.req.param("pushId");
    if (!connector || !ID.test(pushId)) return notFoundPage(c);
    const preview = await requirePush(c.env, connector, pushId);
    try {
      if (preview.kind !== "push" || !preview.dryRun) throw new VitrineError("unprocessable", text("Only a preview can be confirmed.", "Só uma prévia pode ser confirmada."));
      // The same job and fields as the preview the seller read; each item is planned again against the marketplace as it is now.
      const push = await createPush(c.env, connector, { jobId: preview.jobId, fields: preview.fields, dryRun: false });
      return c.redirect(`${base(connector.id)}/pushes/${push.id}`, 303);
    } catch (error) {
      return detailPage(c, connector.id, refusal(c, error));
    }
  });

  web.post("/app/connectors/:id/pushes/:pushId/revert", async (c) => {
    const connector = await ownConnector(c);
    const pushId = c.req.param("pushId");
    if (!connector || !ID.test(pushId)) return notFoundPage(c);
    try {
      const revert = await revertPush(c.env, connector, pushId, false);
      return c.redirect(`${base(connector.id)}/pushes/${revert.id}`, 303);
    } catch (error) {
      return detailPage(c, connector.id, refusal(c, error));
    }
  });
}
