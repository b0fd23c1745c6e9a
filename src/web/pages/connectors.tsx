import { config } from "../../config";
import { verificationCode, VERIFICATION_SHEET } from "../../core/connectors/google-sheets/sheet";
import { PUSHABLE_FIELDS } from "../../core/connectors/mercadolivre/items";
import { SHOPEE_PUSHABLE_FIELDS } from "../../core/connectors/shopee/items";
import type { ConnectorType } from "../../core/connectors/types";
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
import type { Env } from "../../env";
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

/**
 * The form's values: the settings every connector has, and the config of a feed (url, header_name;
 * the header's value is never shown again) or of a sheet (spreadsheet, sheet, auth).
 */
type SettingsValues = {
  type: ConnectorType;
  name: string;
  rule_pack: string;
  category: string;
  schedule: string;
  push_fields: string[];
  url: string;
  header_name: string;
  spreadsheet: string;
  sheet: string;
  auth: string;
};

/** The fields a push may write, by type, as the form offers them (a sheet's are its column names: set through the API). */
const PUSH_CHOICES: Partial<Record<ConnectorType, readonly string[]>> = { mercadolivre: PUSH_FIELD_CHOICES, shopee: SHOPEE_PUSHABLE_FIELDS };

function pushChoiceLabel(i: I18n, type: ConnectorType, field: string): string {
  return type === "shopee" ? i.t(`connectors.shopeeField.${field as (typeof SHOPEE_PUSHABLE_FIELDS)[number]}`) : i.t(`connectors.field.${field as (typeof PUSH_FIELD_CHOICES)[number]}`);
}

const typeName = (i: I18n, type: ConnectorType) => i.t(`connectors.typeName.${type}`);
/** Where a connector's products live, as a phrase ("on Shopee", "in the sheet") for the texts about pushes. */
const where = (i: I18n, type: ConnectorType) => ({ where: i.t(`connectors.where.${type}`) });

/** The types this deployment can connect, in the order the form offers them; a feed needs no configuration. */
function availableTypes(env: Env): ConnectorType[] {
  const settings = config(env);
  const types: ConnectorType[] = [];
  if (settings.mercadolivre) types.push("mercadolivre");
  if (settings.shopee) types.push("shopee");
  if (settings.google) types.push("google_sheets");
  types.push("url");
  return types;
}

function sheetAuths(env: Env): ("oauth" | "service_account")[] {
  const google = config(env).google;
  return [...(google?.oauth ? (["oauth"] as const) : []), ...(google?.serviceAccount ? (["service_account"] as const) : [])];
}

/**
 * Where a form about a connector of this type may send the browser next: the marketplace's or
 * Google's authorization page. Browsers check a form's redirect against `form-action` too.
 */
function formTargets(env: Env, type: ConnectorType): string[] {
  const settings = config(env);
  if (type === "mercadolivre" && settings.mercadolivre) return [new URL(settings.mercadolivre.authUrl).origin];
  if (type === "shopee" && settings.shopee) return [new URL(settings.shopee.apiUrl).origin];
  if (type === "google_sheets" && settings.google?.oauth) return [new URL(settings.google.authUrl).origin];
  return [];
}

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
async function connectorPacks(c: WebContext, accountId: string, type: ConnectorType): Promise<PackSummary[]> {
  // A sheet or a feed may hold any catalog: the shared base `common` is its default.
  const withCommon = type === "url" || type === "google_sheets";
  return (await listPacks(c.env, accountId)).filter((p) => (withCommon || p.id !== "common") && p.rule_count !== null);
}

function defaultPack(type: ConnectorType, packs: PackSummary[]): string {
  const preferred = type === "mercadolivre" || type === "shopee" ? type : "common";
  return packs.some((p) => p.id === preferred) ? preferred : (packs[0]?.id ?? "");
}

const isType = (value: string): value is ConnectorType => (["mercadolivre", "shopee", "google_sheets", "url"] as string[]).includes(value);

/**
 * The submitted form; the header's value apart, as it is never rendered back. The type is the
 * connector's, or for a new one the form's (null when it is not one this deployment offers).
 */
async function settingsForm(c: WebContext, connectorType?: ConnectorType): Promise<{ values: SettingsValues; headerValue: string; removeHeader: boolean } | null> {
  const body = await c.req.parseBody({ all: true });
  const one = (name: string) => (typeof body[name] === "string" ? (body[name] as string).trim() : "");
  const asked = one("type");
  const type = connectorType ?? (isType(asked) && availableTypes(c.env).includes(asked) ? asked : null);
  if (!type) return null;
  const fields = [body.push_fields].flat().filter((v): v is string => typeof v === "string");
  // A sheet's push fields are its column names, one a line in a text area.
  const pushFields = type === "google_sheets" ? fields.flatMap((f) => f.split(/\r?\n/)).map((f) => f.trim()).filter(Boolean) : fields;
  return {
    values: {
      type,
      name: one("name").slice(0, NAME_MAX),
      rule_pack: one("rule_pack"),
      category: one("category"),
      schedule: one("schedule"),
      push_fields: pushFields,
      url: one("url"),
      header_name: one("header_name"),
      spreadsheet: one("spreadsheet"),
      sheet: one("sheet"),
      auth: one("auth"),
    },
    headerValue: typeof body.header_value === "string" ? body.header_value : "",
    removeHeader: body.remove_header === "on",
  };
}

/** The settings of the form; push fields only for a type that can push (a feed cannot). */
function settingsOf(values: SettingsValues): ConnectorSettings {
  const choices = PUSH_CHOICES[values.type];
  return {
    name: values.name,
    rule_pack: values.rule_pack,
    category: values.category || null,
    schedule: values.schedule || null,
    ...(choices && { push_fields: values.push_fields.filter((f) => choices.includes(f)) }),
    ...(values.type === "google_sheets" && { push_fields: values.push_fields }),
  };
}

/**
 * A feed's new config from its settings form. The header's value is never shown, so an empty value
 * keeps the stored header (left out of the patch) — only under its stored name, since the value was
 * sealed for it; a new name needs its value typed again. Null when that is missing.
 */
function feedConfigOf(connector: ConnectorRow, values: SettingsValues, headerValue: string, removeHeader: boolean): Record<string, unknown> | null {
  if (removeHeader) return { url: values.url, header: null };
  if (headerValue) return { url: values.url, header: { name: values.header_name, value: headerValue } };
  const stored = typeof connector.config.header_name === "string" ? connector.config.header_name : "";
  return values.header_name === stored ? { url: values.url } : null;
}

/** A new connector from the connect form: the settings, and the config of a feed or a sheet. */
function connectInput(values: SettingsValues, headerValue: string): ConnectorSettings & { type: ConnectorType } {
  const settings = { type: values.type, ...settingsOf(values) };
  if (values.type === "url") {
    const header = values.header_name || headerValue ? { header: { name: values.header_name, value: headerValue } } : {};
    return { ...settings, config: { url: values.url, ...header } };
  }
  if (values.type === "google_sheets") return { ...settings, config: { spreadsheet: values.spreadsheet, ...(values.sheet && { sheet: values.sheet }), auth: values.auth } };
  return settings;
}

const EMPTY_CONFIG = { url: "", header_name: "", spreadsheet: "", sheet: "", auth: "" };

const valuesOf = (row: ConnectorRow): SettingsValues => ({
  ...EMPTY_CONFIG,
  ...(row.type === "url" && { url: String(row.config.url ?? ""), header_name: typeof row.config.header_name === "string" ? row.config.header_name : "" }),
  type: row.type,
  name: row.name,
  rule_pack: row.rulePack,
  category: row.category ?? "",
  schedule: row.schedule ?? "",
  push_fields: row.pushFields,
});

/** Config problems ("/config/header") belong to the form's field of that name. */
const CONFIG_FIELDS: Record<string, string> = { url: "url", header: "header_name", spreadsheet: "spreadsheet", sheet: "sheet", auth: "auth" };

/**
 * A service's refusal of the form, by field ("/push_fields/2" → push_fields), or one message.
 * Anything that is not about the input goes on to the error page.
 */
function settingsFailure(c: WebContext, error: unknown): { errors: FieldErrors; message?: string; status: 409 | 422 } {
  if (!(error instanceof VitrineError) || !["invalid_request", "conflict", "unprocessable"].includes(error.code)) throw error;
  const i = c.get("i18n");
  const errors: FieldErrors = {};
  for (const p of error.extra.errors ?? []) {
    const [first, second] = (p.pointer ?? "").replace(/^\//, "").split("/");
    const name = first === "config" ? CONFIG_FIELDS[second ?? ""] : first;
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
  const type = form.values.type;
  const choices = PUSH_CHOICES[type];
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
      <Field name="category" label={i.t("connectors.category")} hint={type === "mercadolivre" ? i.t("connectors.categoryHint") : i.t("connectors.categoryHint.other")} value={form.values.category} error={form.errors.category} maxlength={40} autocomplete="off" />
      <Field name="schedule" label={i.t("connectors.schedule")} hint={i.t("connectors.scheduleHint")} value={form.values.schedule} error={form.errors.schedule} maxlength={100} autocomplete="off" />
      {type === "google_sheets" && (
        <div class={form.errors.push_fields ? "field field-invalid" : "field"}>
          <label for="f-push_fields">{i.t("connectors.pushFields.google_sheets")}</label>
          <p class="hint" id="f-push_fields-hint">
            {i.t("connectors.pushFieldsHint.google_sheets")}
          </p>
          {form.errors.push_fields && (
            <p class="field-error" id="f-push_fields-error">
              {form.errors.push_fields}
            </p>
          )}
          <textarea
            id="f-push_fields"
            name="push_fields"
            rows={4}
            autocomplete="off"
            aria-invalid={form.errors.push_fields ? "true" : undefined}
            aria-describedby={form.errors.push_fields ? "f-push_fields-hint f-push_fields-error" : "f-push_fields-hint"}
          >
            {form.values.push_fields.join("\n")}
          </textarea>
        </div>
      )}
      {choices && (
      <fieldset
        id="f-push_fields"
        class={form.errors.push_fields ? "field checkbox-group push-fields field-invalid" : "field checkbox-group push-fields"}
        aria-describedby={form.errors.push_fields ? "f-push_fields-hint f-push_fields-error" : "f-push_fields-hint"}
      >
        <legend>{type === "shopee" ? i.t("connectors.pushFields.shopee") : i.t("connectors.pushFields")}</legend>
        <p class="hint" id="f-push_fields-hint">
          {i.t("connectors.pushFieldsHint")}
        </p>
        {form.errors.push_fields && (
          <p class="field-error" id="f-push_fields-error">
            {form.errors.push_fields}
          </p>
        )}
        {choices.map((field) => (
          <label class="checkbox">
            <input type="checkbox" name="push_fields" value={field} checked={chosen.has(field)} />
            <span>{pushChoiceLabel(i, type, field)}</span>
          </label>
        ))}
      </fieldset>
      )}
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
    url: i.t("connectors.feedUrl"),
    header_name: i.t("connectors.headerName"),
    header_value: i.t("connectors.headerValue"),
    spreadsheet: i.t("connectors.spreadsheet"),
    sheet: i.t("connectors.sheet"),
    auth: i.t("connectors.auth"),
  };
}

/** The config part of the connect form: a feed's address and header, or a sheet's address, tab and way of reading it. */
function ConfigFields(props: { c: WebContext; i: I18n; form: SettingsForm }) {
  const { c, i, form } = props;
  if (form.values.type === "url") {
    return (
      <>
        <Field name="url" type="url" label={i.t("connectors.feedUrl")} hint={i.t("connectors.feedUrlHint")} value={form.values.url} error={form.errors.url} required autocomplete="url" />
        <Field name="header_name" label={i.t("connectors.headerName")} hint={i.t("connectors.headerNameHint")} value={form.values.header_name} error={form.errors.header_name} maxlength={64} autocomplete="off" />
        <Field name="header_value" type="password" label={i.t("connectors.headerValue")} hint={i.t("connectors.headerValueHint")} autocomplete="off" />
      </>
    );
  }
  if (form.values.type !== "google_sheets") return null;
  const auths = sheetAuths(c.env);
  const chosen = auths.includes(form.values.auth as "oauth") ? form.values.auth : auths[0];
  return (
    <>
      <Field name="spreadsheet" type="url" label={i.t("connectors.spreadsheet")} hint={i.t("connectors.spreadsheetHint")} value={form.values.spreadsheet} error={form.errors.spreadsheet} required autocomplete="off" />
      <Field name="sheet" label={i.t("connectors.sheet")} hint={i.t("connectors.sheetHint")} value={form.values.sheet} error={form.errors.sheet} maxlength={100} autocomplete="off" />
      <fieldset id="f-auth" class={form.errors.auth ? "field checkbox-group field-invalid" : "field checkbox-group"} aria-describedby={form.errors.auth ? "f-auth-error" : undefined}>
        <legend>{i.t("connectors.auth")}</legend>
        {form.errors.auth && (
          <p class="field-error" id="f-auth-error">
            {form.errors.auth}
          </p>
        )}
        {auths.map((auth) => (
          <label class="checkbox">
            <input type="radio" name="auth" value={auth} checked={auth === chosen} />
            <span>{i.t(`connectors.auth.${auth}`)}</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** A feed's address and header on its settings form; the stored header's value is never shown. */
function FeedSettingsFields(props: { i: I18n; form: SettingsForm; headerStored: boolean }) {
  const { i, form } = props;
  return (
    <>
      <Field name="url" type="url" label={i.t("connectors.feedUrl")} hint={i.t("connectors.feedUrlHint")} value={form.values.url} error={form.errors.url} required autocomplete="url" />
      <Field name="header_name" label={i.t("connectors.headerName")} hint={i.t("connectors.headerNameHint")} value={form.values.header_name} error={form.errors.header_name} maxlength={64} autocomplete="off" />
      <Field
        name="header_value"
        type="password"
        label={i.t("connectors.headerValue")}
        hint={props.headerStored ? i.t("connectors.headerValueKeep") : i.t("connectors.headerValueHint")}
        error={form.errors.header_value}
        autocomplete="off"
      />
      {props.headerStored && (
        <label class="checkbox">
          <input type="checkbox" name="remove_header" value="on" />
          <span>{i.t("connectors.headerRemove")}</span>
        </label>
      )}
    </>
  );
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
  const types = availableTypes(c.env);
  const asked = form?.values.type ?? c.req.query("type") ?? "";
  const type = types.find((t) => t === asked) ?? types[0];
  const [page, packs] = await Promise.all([listConnectors(c.env, account.id, { limit: MAX_CONNECTORS_PER_ACCOUNT }), connectorPacks(c, account.id, type)]);
  const values: SettingsValues = form?.values ?? { ...EMPTY_CONFIG, type, name: "", rule_pack: defaultPack(type, packs), category: "", schedule: "", push_fields: [] };
  return mayLeaveFor(c, formTargets(c.env, type), await renderPage(c, {
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
          <h2 id="connect-heading">{i.t("connectors.connectAny")}</h2>
          {types.length > 1 && (
            <nav aria-labelledby="connect-type-heading" class="connect-types">
              <h3 id="connect-type-heading" class="small-heading">
                {i.t("connectors.chooseType")}
              </h3>
              <ul>
                {types.map((t) => (
                  <li>
                    <a href={`/app/connectors?type=${t}#connect-heading`} aria-current={t === type ? "true" : undefined}>
                      {typeName(i, t)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <Form action="/app/connectors" csrf={csrf} class="stack">
            <p>{type === "mercadolivre" ? i.t("connectors.connectLead") : i.t(`connectors.connectLead.${type}`)}</p>
            <ErrorSummary i={i} errors={form?.errors ?? {}} labels={settingsLabels(i)} message={form?.message} />
            <input type="hidden" name="type" value={type} />
            <p>
              {i.t("connectors.source")}: <strong>{typeName(i, type)}</strong>
            </p>
            <ConfigFields c={c} i={i} form={{ values, errors: form?.errors ?? {} }} />
            <SettingsFields i={i} packs={packs} form={{ values, errors: form?.errors ?? {} }} />
            <SubmitButton>{type === "mercadolivre" ? i.t("connectors.connectSubmit") : i.t(`connectors.connectSubmit.${type}`)}</SubmitButton>
          </Form>
        </section>
      </>
    ),
  }));
}

/**
 * Pages whose forms answer with a redirect to an authorization page (connect, authorize again):
 * their policy lets forms go on to that origin, and to no other.
 */
function mayLeaveFor(c: WebContext, origins: string[], res: Response): Response {
  if (origins.length) res.headers.set("Content-Security-Policy", dashboardCspWithFormTarget(...origins));
  return res;
}

function authorizeLabel(i: I18n, connector: ConnectorRow, serviceAccount: boolean): string {
  if (serviceAccount) return i.t("connectors.verify");
  if (connector.type === "mercadolivre") return connector.status === "pending_authorization" ? i.t("connectors.authorize") : i.t("connectors.reauthorize");
  return i.t(`connectors.authorize.${connector.type as "shopee" | "google_sheets"}`);
}

/** Where a feed or a sheet is read from (a feed's header value is sealed: only its name is shown). */
function ConfigFacts(props: { i: I18n; connector: ConnectorRow }) {
  const { i, connector } = props;
  const config = connector.config;
  if (connector.type === "url") {
    return (
      <>
        <dt>{i.t("connectors.feedUrl")}</dt>
        <dd class="break">
          <code>{String(config.url ?? "")}</code>
        </dd>
        {typeof config.header_name === "string" && (
          <>
            <dt>{i.t("connectors.headerSet")}</dt>
            <dd>
              <code>{config.header_name}</code>
            </dd>
          </>
        )}
      </>
    );
  }
  if (connector.type !== "google_sheets") return null;
  return (
    <>
      <dt>{i.t("connectors.spreadsheet")}</dt>
      <dd class="break">
        <code>{String(config.spreadsheet ?? "")}</code>
      </dd>
      {typeof config.sheet === "string" && (
        <>
          <dt>{i.t("connectors.sheet")}</dt>
          <dd>{config.sheet}</dd>
        </>
      )}
    </>
  );
}

/** A service-account sheet waits for its verification code: what to share, where to put the code, and the button that checks. */
function Verification(props: { c: WebContext; i: I18n; csrf: string; connector: ConnectorRow }) {
  const { c, i, csrf, connector } = props;
  const email = config(c.env).google?.serviceAccount?.email;
  return (
    <section class="panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">{i.t("connectors.verifyTitle")}</h2>
      <ol class="stack compact">
        {email && (
          <li>
            {i.t("connectors.verifyShare")} <code class="break">{email}</code>
          </li>
        )}
        <li>
          {i.t("connectors.verifyCode", { sheet: VERIFICATION_SHEET })} <code class="break verification-code">{verificationCode(connector.id)}</code>
        </li>
      </ol>
      <p class="hint">{i.t("connectors.verifyWhy")}</p>
      <Form action={`${base(connector.id)}/authorize`} csrf={csrf} class="inline-form">
        <SubmitButton>{i.t("connectors.verify")}</SubmitButton>
      </Form>
    </section>
  );
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
    connectorPacks(c, account.id, connector.type),
    listPushes(c.env, connector, { limit: PUSHES_SHOWN }),
    listSyncs(c.env, connector.id, { limit: SYNCS_SHOWN }),
  ]);
  const lastJob = connector.lastSyncJobId ? await getJobRow(c.env, account.id, connector.lastSyncJobId) : null;
  const reviewable = lastJob && lastJob.status === "completed" && lastJob.applyFixes ? lastJob : null;
  const form = state.form ?? { values: valuesOf(connector), errors: {} };
  const url = base(connector.id);
  const serviceAccount = connector.type === "google_sheets" && connector.config.auth === "service_account";
  // A feed has nothing to authorize; a service-account sheet is verified instead.
  const needsAuthorization = connector.status !== "active" && connector.type !== "url";
  return mayLeaveFor(c, serviceAccount ? [] : formTargets(c.env, connector.type), await renderPage(c, {
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
            <dt>{i.t("connectors.source")}</dt>
            <dd>{typeName(i, connector.type)}</dd>
            <ConfigFacts i={i} connector={connector} />
            {connector.providerUserId && (
              <>
                <dt>{connector.type === "mercadolivre" ? i.t("connectors.storeAccount") : i.t("connectors.providerAccount")}</dt>
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
          {connector.status === "pending_authorization" && <p class="hint">{connector.type === "mercadolivre" ? i.t("connectors.pendingHint") : i.t("connectors.pendingHint.other")}</p>}
          {needsAuthorization && !(serviceAccount && connector.status === "pending_verification") && (
            <div class="actions">
              <Form action={`${url}/authorize`} csrf={csrf} class="inline-form">
                <SubmitButton>{authorizeLabel(i, connector, serviceAccount)}</SubmitButton>
              </Form>
            </div>
          )}
        </section>
        {serviceAccount && connector.status === "pending_verification" && <Verification c={c} i={i} csrf={csrf} connector={connector} />}
        {(connector.status === "active" || connector.status === "error") && (
          <section class="panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading">{i.t("connectors.syncNow")}</h2>
            <p>{connector.type === "google_sheets" || connector.type === "url" ? i.t(`connectors.syncLead.${connector.type}`) : i.t("connectors.syncLead", where(i, connector.type))}</p>
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
        {connector.type !== "url" && (
        <section class="panel" aria-labelledby="review-heading">
          <h2 id="review-heading">{i.t("connectors.review")}</h2>
          {connector.pushFields.length === 0 ? (
            <p>{i.t("connectors.reviewNoFields")}</p>
          ) : reviewable ? (
            <Form action={`${url}/push`} csrf={csrf} class="stack compact">
              <p>{i.t("connectors.reviewLead", { date: i.dateTime(reviewable.finishedAt ?? reviewable.createdAt), ...where(i, connector.type) })}</p>
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
        )}
        <section class="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">{i.t("connectors.settings")}</h2>
          <Form action={`${url}/settings`} csrf={csrf} class="stack">
            <ErrorSummary i={i} errors={form.errors} labels={settingsLabels(i)} message={form.message} />
            {connector.type === "url" && <FeedSettingsFields i={i} form={form} headerStored={typeof connector.config.header_name === "string"} />}
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

function PushItem(props: { i: I18n; item: ConnectorPushItemRow; revert: boolean; type: ConnectorType }) {
  const { i, item, revert } = props;
  const at = where(i, props.type);
  const left = new Set(item.skipped.map((s) => s.field));
  const changes = item.changes.filter((change) => !left.has(change.field));
  const before = item.before ?? {};
  const tone = item.status === "accepted" ? "badge badge-ok" : item.status === "refused" ? "badge badge-off" : "badge";
  // A sheet's items are its rows, numbered as the sheet shows them.
  const sheet = props.type === "google_sheets";
  return (
    <li class={`push-item push-item-${item.status}`}>
      <p class="push-item-head">
        <strong>{i.t(sheet ? "connectors.sheetRow" : "connectors.item", { id: item.itemId })}</strong> <span class={tone}>{i.t(`connectors.itemStatus.${item.status}`)}</span>
      </p>
      {changes.length > 0 && (
        <div class="table-scroll">
          <table class="diff">
            <caption class="connectors-sr-only">{i.t(sheet ? "connectors.sheetRowChangesCaption" : "connectors.changesCaption", { id: item.itemId })}</caption>
            <thead>
              <tr>
                <th scope="col">{i.t("connectors.colField")}</th>
                <th scope="col">{revert ? i.t("connectors.colBeforeRevert", at) : i.t("connectors.colBefore", at)}</th>
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
            .map((s) => `${fieldLabel(i, s.field)} — ${SKIP_REASONS.has(s.reason) ? i.t(`connectors.skip.${s.reason}` as MessageKey, at) : s.reason}`)
            .join("; ")}
        </p>
      )}
      {item.cause && item.cause.length > 0 && (
        <div class="warning">
          <p>{i.t("connectors.cause", at)}</p>
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
  const at = where(i, connector.type);
  const title = push.kind === "revert" ? i.t("connectors.revertTitle") : push.dryRun ? i.t("connectors.previewTitle", at) : i.t("connectors.pushTitle", at);
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
              <PushItem i={i} item={item} revert={push.kind === "revert"} type={connector.type} />
            ))}
          </ol>
        )}
        {items.has_more && last && <a href={`${url}/pushes/${push.id}?after=${encodeURIComponent(last.itemId)}`}>{i.t("connectors.olderItems")}</a>}
        {push.kind === "push" && push.dryRun && push.status === "completed" && push.counts.sent > 0 && (
          <section class="panel" aria-labelledby="apply-heading">
            <h2 id="apply-heading">{i.t("connectors.apply", at)}</h2>
            <p>{i.t("connectors.applyLead", at)}</p>
            <Form action={`${url}/pushes/${push.id}/apply`} csrf={csrf} confirm={i.t("connectors.applyConfirm", at)} class="inline-form">
              <SubmitButton>{i.t("connectors.apply", at)}</SubmitButton>
            </Form>
          </section>
        )}
        {push.kind === "push" && !push.dryRun && push.status === "completed" && push.counts.accepted > 0 && (
          <section class="panel" aria-labelledby="revert-heading">
            <h2 id="revert-heading">{i.t("connectors.revert")}</h2>
            <Form action={`${url}/pushes/${push.id}/revert`} csrf={csrf} confirm={i.t("connectors.revertConfirm", at)} class="inline-form">
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
 * `/app/connectors`: the account's store connections and the connect form, for each type the
 * deployment has configured (→ the marketplace's or Google's authorization; a feed is active at once;
 * a service-account sheet lands on its page with the verification code); `/app/connectors/<id>`:
 * status, sync now, what changed since the last sync and the trend of open problems, settings,
 * delete, and push review — a dry run shown as a per-item diff, its confirmation, per-item results and the undo.
 */
export function mountConnectorsPage(web: Web) {
  web.get("/app/connectors", (c) => listPage(c));

  web.post("/app/connectors", async (c) => {
    const form = await settingsForm(c);
    if (!form) return listPage(c, undefined, 422);
    const { values, headerValue } = form;
    const { account } = currentSession(c);
    const packs = await connectorPacks(c, account.id, values.type);
    if (!packs.some((p) => p.id === values.rule_pack)) return listPage(c, { values, errors: { rule_pack: c.get("i18n").t("job.unknownPack") } }, 422);
    try {
      const { row, authorizeUrl } = await createConnector(c.env, account.id, connectInput(values, headerValue), new URL(c.req.url).origin);
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
    const { values, headerValue, removeHeader } = (await settingsForm(c, connector.type))!;
    const i = c.get("i18n");
    const packs = await connectorPacks(c, connector.accountId, connector.type);
    if (!packs.some((p) => p.id === values.rule_pack)) return detailPage(c, connector.id, { form: { values, errors: { rule_pack: i.t("job.unknownPack") } }, status: 422 });
    const feedConfig = connector.type === "url" ? feedConfigOf(connector, values, headerValue, removeHeader) : undefined;
    if (feedConfig === null) return detailPage(c, connector.id, { form: { values, errors: { header_value: i.t("connectors.headerValueNeeded") } }, status: 422 });
    try {
      await updateConnector(c.env, connector.accountId, connector.id, { ...settingsOf(values), ...(feedConfig && { config: feedConfig }) });
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
