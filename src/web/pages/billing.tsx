import { config, type StripeConfig } from "../../config";
import { VitrineError } from "../../core/errors";
import { PLANS } from "../../core/plans";
import { openPortal, startCheckout } from "../../services/billing/checkout";
import { type InvoiceView, listInvoices } from "../../services/billing/invoices";
import { accountPlan, type PlanState } from "../../services/billing/plan-state";
import { listPlans, type PlanOffer } from "../../services/billing/plans";
import { getSpendCap, setSpendCap } from "../../services/billing/spend-cap";
import { subscriptionStanding, type SubscriptionStanding } from "../../services/billing/standing";
import { type UsageSummary, usageSummary } from "../../services/billing/usage";
import { ErrorSummary, Form, SubmitButton } from "../components/form";
import { LineChart } from "../components/line-chart";
import { currentSession, type Web, type WebContext } from "../context";
import { formValues } from "../forms";
import type { I18n, MessageKey } from "../i18n";
import { pageKit, renderPage } from "../render";
import { dashboardCspWithFormTarget } from "../security-headers";

export const BILLING_PATH = "/app/billing";
const INVOICES_PER_PAGE = 10;
/** The API's bound on a spend cap (src/api/v1/billing-stripe.ts), in cents. */
const MAX_SPEND_CAP_CENTS = 100_000_000;
const INVOICE_ID = /^in_[A-Za-z0-9_]{1,100}$/;

/**
 * The origins Stripe's hosted pages (Checkout, the billing portal) are served from, for the API
 * this deployment talks to: Stripe's own, a fake's `api.` host's siblings, or a local fake that
 * serves everything on its own origin. The page's forms may be redirected there, and nowhere else.
 */
export function stripeHostedOrigins(settings: StripeConfig): string[] {
  const { host, port, protocol } = settings.api;
  if (host === "api.stripe.com") return ["https://checkout.stripe.com", "https://billing.stripe.com"];
  const defaultPort = protocol === "https" ? 443 : 80;
  const origin = (hostname: string) => `${protocol}://${hostname}${port === defaultPort ? "" : `:${port}`}`;
  if (host.startsWith("api.")) return [origin(`checkout.${host.slice(4)}`), origin(`billing.${host.slice(4)}`)];
  return [origin(host)];
}

/** Where Checkout and the portal send the person back to: this page, on the deployment's own address. */
function siteOrigin(c: WebContext): string {
  return config(c.env).publicUrl ?? new URL(c.req.url).origin;
}

/** Minor units to a formatted amount ("US$ 49,00" in pt-BR). */
function money(i: I18n, cents: number, currency: string): string {
  return i.money(cents / 100, currency.toUpperCase());
}

/** An amount typed in the currency's major units ("49,90", "50", "1000.5") in cents; null when empty. */
export function parseSpendCap(raw: string): { cents: number | null } | { error: "invalid" | "tooHigh" } {
  const value = raw.trim().replace(/\s/g, "");
  if (value === "") return { cents: null };
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(value);
  if (!match) return { error: "invalid" };
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents > MAX_SPEND_CAP_CENTS ? { error: "tooHigh" } : { cents };
}

/** A cap in cents as the reader would type it back ("49,90" in pt-BR). */
function capInputValue(i: I18n, cents: number | null): string {
  if (cents === null) return "";
  const plain = cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
  return i.locale === "pt-BR" ? plain.replace(".", ",") : plain;
}

/** Only web addresses from Stripe's objects become links. */
function webLink(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

interface BillingForms {
  cap?: { value: string; error: string };
  /** What an action (checkout, portal) could not do, at the top of the page. */
  message?: string;
}

interface BillingData {
  state: PlanState;
  usage: UsageSummary;
  standing: SubscriptionStanding;
  plans: PlanOffer[];
  invoices: { data: InvoiceView[]; has_more: boolean };
  startingAfter: string | undefined;
  settings: StripeConfig | undefined;
  /** The spend cap in cents (null: none), and its currency: the subscription's, else the one plans are priced in. */
  cap: { cents: number | null; currency: string };
}

function noticeOf(i: I18n, query: string | undefined, data: BillingData): string | undefined {
  switch (query) {
    case "subscribed":
      return i.t("billing.subscribedNotice");
    case "canceled":
      return i.t("billing.canceledNotice");
    case "capSaved":
      return data.cap.cents === null ? i.t("billing.capRemoved") : i.t("billing.capSaved", { cap: money(i, data.cap.cents, data.cap.currency) });
    default:
      return undefined;
  }
}

function statusLine(i: I18n, data: BillingData): string[] {
  const { state, standing } = data;
  const lines: string[] = [];
  if (state.status === "past_due" && state.grace_until !== null) {
    lines.push(i.t(Date.now() < state.grace_until ? "billing.graceUntil" : "billing.graceOver", { date: i.dateTime(state.grace_until) }));
  }
  if (state.status === "canceled") lines.push(i.t("billing.canceledNote"));
  if (standing.cancel_at_period_end && (state.status === "active" || state.status === "past_due")) {
    lines.push(i.t("billing.cancelAtPeriodEnd", { date: i.date(state.period_end) }));
  }
  return lines;
}

function PlanPanel(props: { i: I18n; data: BillingData }) {
  const { i, data } = props;
  const { state } = data;
  return (
    <section class="panel" aria-labelledby="plan-heading">
      <h2 id="plan-heading">{i.t("billing.planHeading")}</h2>
      <dl class="facts">
        <dt>{i.t("billing.plan")}</dt>
        <dd>{PLANS[state.plan].name}</dd>
        <dt>{i.t("billing.status")}</dt>
        <dd>{i.t(`billing.status.${state.status}` as MessageKey)}</dd>
        <dt>{i.t("billing.period")}</dt>
        <dd>{i.t("billing.periodRange", { start: i.date(state.period_start), end: i.date(state.period_end - 1) })}</dd>
      </dl>
      {statusLine(i, data).map((line) => (
        <p class="warning">{line}</p>
      ))}
    </section>
  );
}

function UsagePanel(props: { i: I18n; data: BillingData }) {
  const { i, data } = props;
  const { usage } = data;
  const offer = data.plans.find((p) => p.id === usage.plan);
  const overagePrice = offer?.overage ?? null;
  const included = usage.included;
  return (
    <section class="panel" aria-labelledby="usage-heading">
      <h2 id="usage-heading">{i.t("billing.usageHeading")}</h2>
      {included === null ? (
        <p>{i.t("billing.usedUnlimited", { used: i.number(usage.used) })}</p>
      ) : (
        <p class="usage-meter">
          <label for="usage-meter">{i.t("billing.meterLabel")}</label>
          <meter id="usage-meter" min={0} max={Math.max(1, included)} value={Math.min(usage.used, Math.max(1, included))} high={Math.max(1, included) * 0.8} optimum={0}>
            {i.t("billing.usedOf", { used: i.number(usage.used), included: i.number(included) })}
          </meter>
          <span>{i.t("billing.usedOf", { used: i.number(usage.used), included: i.number(included) })}</span>
        </p>
      )}
      <dl class="facts">
        <dt>{i.t("billing.used")}</dt>
        <dd>{i.number(usage.used)}</dd>
        <dt>{i.t("billing.included")}</dt>
        <dd>{included === null ? i.t("billing.unlimited") : i.number(included)}</dd>
        {usage.remaining !== null && (
          <>
            <dt>{i.t("billing.remaining")}</dt>
            <dd>{i.number(usage.remaining)}</dd>
          </>
        )}
        {usage.reserved > 0 && (
          <>
            <dt>{i.t("billing.reserved")}</dt>
            <dd>{i.number(usage.reserved)}</dd>
          </>
        )}
        {overagePrice && (
          <>
            <dt>{i.t("billing.overage")}</dt>
            <dd>
              {i.t("billing.overageCost", {
                count: i.number(usage.overage),
                // Stripe's metered price counts whole thousands, rounding up (transform_quantity).
                cost: money(i, Math.ceil(usage.overage / overagePrice.per) * overagePrice.amount, overagePrice.currency),
                price: money(i, overagePrice.amount, overagePrice.currency),
              })}
            </dd>
          </>
        )}
      </dl>
      {offer?.hard_limit && usage.enforced && <p class="hint">{i.t("billing.freeStops")}</p>}
      <LineChart
        i={i}
        id="usage-chart"
        title={i.t("billing.chartTitle")}
        description={i.t("billing.chartDescription")}
        points={usage.by_day.map((d) => ({ label: i.date(Date.parse(`${d.date}T12:00:00Z`)), value: d.records }))}
        columns={{ label: i.t("billing.chartDay"), value: i.t("billing.chartValidations") }}
        tableSummary={i.t("billing.chartTable")}
      />
    </section>
  );
}

function PlanAction(props: { i: I18n; csrf: string; offer: PlanOffer; data: BillingData }) {
  const { i, csrf, offer, data } = props;
  if (offer.id === data.state.plan) return <strong>{i.t("billing.currentPlan")}</strong>;
  if (offer.id === "enterprise") {
    const contact = data.settings?.contact;
    return <span>{contact ? i.t("billing.enterpriseContact", { contact }) : i.t("billing.enterpriseOperator")}</span>;
  }
  if (!data.settings || offer.id === "free") return <span>—</span>;
  // A live subscription changes in the portal (a second Checkout would bill twice).
  if (data.standing.subscribed) {
    return (
      <Form action={`${BILLING_PATH}/portal`} csrf={csrf} class="inline-form">
        <SubmitButton class="button secondary">{i.t("billing.change", { plan: offer.name })}</SubmitButton>
      </Form>
    );
  }
  return (
    <Form action={`${BILLING_PATH}/checkout`} csrf={csrf} class="inline-form">
      <input type="hidden" name="plan" value={offer.id} />
      <SubmitButton>{i.t("billing.upgrade", { plan: offer.name })}</SubmitButton>
    </Form>
  );
}

function PlansPanel(props: { i: I18n; csrf: string; data: BillingData }) {
  const { i, csrf, data } = props;
  return (
    <section class="panel" aria-labelledby="plans-heading">
      <h2 id="plans-heading">{i.t("billing.plansHeading")}</h2>
      <div class="table-scroll">
        <table class="cards plans">
          <thead>
            <tr>
              <th scope="col">{i.t("billing.colPlan")}</th>
              <th scope="col" class="numeric">
                {i.t("billing.colIncluded")}
              </th>
              <th scope="col">{i.t("billing.colPrice")}</th>
              <th scope="col">{i.t("billing.colOverage")}</th>
              <th scope="col">{i.t("billing.colAction")}</th>
            </tr>
          </thead>
          <tbody>
            {data.plans.map((offer) => (
              <tr>
                <th scope="row">{offer.name}</th>
                <td class="numeric">
                  <span class="cell-label">{i.t("billing.colIncluded")}: </span>
                  {offer.included_validations === null ? i.t("billing.unlimited") : i.number(offer.included_validations)}
                </td>
                <td>
                  <span class="cell-label">{i.t("billing.colPrice")}: </span>
                  {offer.price === null
                    ? i.t("billing.custom")
                    : offer.price.amount === 0
                      ? i.t("billing.free")
                      : i.t("billing.perMonth", { price: money(i, offer.price.amount, offer.price.currency) })}
                </td>
                <td>
                  <span class="cell-label">{i.t("billing.colOverage")}: </span>
                  {offer.overage
                    ? i.t("billing.overagePer1000", { price: money(i, offer.overage.amount, offer.overage.currency) })
                    : offer.hard_limit
                      ? i.t("billing.hardLimit")
                      : i.t("billing.noOverage")}
                </td>
                <td>
                  <PlanAction i={i} csrf={csrf} offer={offer} data={data} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.settings && data.standing.subscribed && <p class="hint">{i.t("billing.changeHint")}</p>}
      {data.settings && (
        <Form action={`${BILLING_PATH}/portal`} csrf={csrf} class="stack compact">
          <p class="hint">{i.t("billing.portalHint")}</p>
          <SubmitButton class="button secondary">{i.t("billing.portal")}</SubmitButton>
        </Form>
      )}
    </section>
  );
}

function invoiceStatus(i: I18n, status: string): string {
  return ["draft", "open", "paid", "uncollectible", "void"].includes(status) ? i.t(`billing.invoice.${status}` as MessageKey) : status;
}

function InvoicesPanel(props: { i: I18n; data: BillingData }) {
  const { i, data } = props;
  const { invoices } = data;
  const last = invoices.data.at(-1);
  return (
    <section class="panel" aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">{i.t("billing.invoicesHeading")}</h2>
      {invoices.data.length === 0 ? (
        <p>{i.t(data.settings ? "billing.invoicesEmpty" : "billing.invoicesOff")}</p>
      ) : (
        <div class="table-scroll">
          <table class="cards invoices">
            <thead>
              <tr>
                <th scope="col">{i.t("billing.colNumber")}</th>
                <th scope="col">{i.t("billing.colStatus")}</th>
                <th scope="col" class="numeric">
                  {i.t("billing.colAmount")}
                </th>
                <th scope="col">{i.t("billing.colPeriod")}</th>
                <th scope="col">{i.t("billing.colLinks")}</th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.map((invoice) => {
                const number = invoice.number ?? i.t("billing.draft");
                const hosted = webLink(invoice.hosted_invoice_url);
                const pdf = webLink(invoice.invoice_pdf);
                return (
                  <tr>
                    <th scope="row">{number}</th>
                    <td>
                      <span class="cell-label">{i.t("billing.colStatus")}: </span>
                      {invoiceStatus(i, invoice.status)}
                    </td>
                    <td class="numeric">
                      <span class="cell-label">{i.t("billing.colAmount")}: </span>
                      {money(i, invoice.total, invoice.currency)}
                    </td>
                    <td>
                      <span class="cell-label">{i.t("billing.colPeriod")}: </span>
                      {i.t("billing.periodRange", { start: i.date(Date.parse(invoice.period.start)), end: i.date(Date.parse(invoice.period.end)) })}
                    </td>
                    <td>
                      {hosted && (
                        <a href={hosted} rel="noopener noreferrer">
                          {i.t("billing.viewInvoice", { number })}
                        </a>
                      )}{" "}
                      {pdf && (
                        <a href={pdf} rel="noopener noreferrer">
                          {i.t("billing.pdf", { number })}
                        </a>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(invoices.has_more || data.startingAfter) && (
        <nav class="pager" aria-label={i.t("billing.invoicesNav")}>
          {data.startingAfter && <a href={`${BILLING_PATH}#invoices-heading`}>{i.t("billing.first")}</a>}
          {invoices.has_more && last && (
            <a href={`${BILLING_PATH}?starting_after=${encodeURIComponent(last.id)}#invoices-heading`} rel="next">
              {i.t("billing.next")}
            </a>
          )}
        </nav>
      )}
    </section>
  );
}

function SpendCapPanel(props: { i: I18n; csrf: string; data: BillingData; form?: BillingForms["cap"] }) {
  const { i, csrf, data, form } = props;
  const cents = data.cap.cents;
  const currency = data.cap.currency.toUpperCase();
  const error = form?.error;
  const label = i.t("billing.capField", { currency });
  return (
    <section class="panel" aria-labelledby="cap-heading">
      <h2 id="cap-heading">{i.t("billing.capHeading")}</h2>
      <p>{i.t("billing.capLead")}</p>
      {data.state.plan === "free" && <p class="hint">{i.t("billing.capFree")}</p>}
      <p>{cents === null ? i.t("billing.capNone") : i.t("billing.capNow", { cap: money(i, cents, currency) })}</p>
      <Form action={`${BILLING_PATH}/spend-cap`} csrf={csrf} class="stack compact">
        <ErrorSummary i={i} errors={error ? { spend_cap: error } : {}} labels={{ spend_cap: label }} />
        <div class={error ? "field field-invalid" : "field"}>
          <label for="f-spend_cap">{label}</label>
          <p class="hint" id="f-spend_cap-hint">
            {i.t("billing.capHint")}
          </p>
          {error && (
            <p class="field-error" id="f-spend_cap-error">
              {error}
            </p>
          )}
          <input
            id="f-spend_cap"
            name="spend_cap"
            type="text"
            inputmode="decimal"
            maxlength={16}
            value={form?.value ?? capInputValue(i, cents)}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "f-spend_cap-hint f-spend_cap-error" : "f-spend_cap-hint"}
          />
        </div>
        <SubmitButton>{i.t("billing.capSave")}</SubmitButton>
      </Form>
    </section>
  );
}

async function billingData(c: WebContext): Promise<BillingData> {
  const env = c.env;
  const accountId = currentSession(c).account.id;
  const after = c.req.query("starting_after");
  let startingAfter = after && INVOICE_ID.test(after) ? after : undefined;
  const [state, usage, standing, cap] = await Promise.all([
    accountPlan(env, accountId),
    usageSummary(env, accountId),
    subscriptionStanding(env, accountId),
    getSpendCap(env, accountId),
  ]);
  let invoices;
  try {
    invoices = await listInvoices(env, accountId, { limit: INVOICES_PER_PAGE, startingAfter });
  } catch (error) {
    // Not an invoice of this account (or no longer one): the first page.
    if (!(error instanceof VitrineError) || error.code !== "invalid_request") throw error;
    startingAfter = undefined;
    invoices = await listInvoices(env, accountId, { limit: INVOICES_PER_PAGE });
  }
  const settings = config(env);
  return { state, usage, standing, plans: listPlans(env).data, invoices, startingAfter, settings: settings.stripe, cap: { cents: cap.spend_cap_cents, currency: cap.currency ?? settings.billing.currency } };
}

async function billingPage(c: WebContext, forms: BillingForms = {}, status: 200 | 409 | 422 | 501 | 502 = 200): Promise<Response> {
  const { i, csrf } = pageKit(c);
  const data = await billingData(c);
  const res = await renderPage(c, {
    title: i.t("billing.title"),
    status,
    notice: noticeOf(i, c.req.query("billing"), data),
    body: (
      <>
        <h1>{i.t("billing.title")}</h1>
        <p class="lead">{i.t("billing.lead")}</p>
        {!data.settings && <p class="notice">{i.t("billing.off")}</p>}
        {forms.message && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <p>{forms.message}</p>
          </div>
        )}
        <PlanPanel i={i} data={data} />
        <UsagePanel i={i} data={data} />
        <PlansPanel i={i} csrf={csrf} data={data} />
        {data.settings && <SpendCapPanel i={i} csrf={csrf} data={data} form={forms.cap} />}
        <InvoicesPanel i={i} data={data} />
      </>
    ),
  });
  // The checkout and portal forms answer with a redirect to Stripe: browsers check it against form-action.
  if (data.settings) res.headers.set("Content-Security-Policy", dashboardCspWithFormTarget(...stripeHostedOrigins(data.settings)));
  return res;
}

/** Errors the billing services answer for something the person can act on; the rest go to the error page. */
const ACTION_STATUS: Partial<Record<string, 409 | 422 | 501 | 502>> = {
  conflict: 409,
  unprocessable: 422,
  invalid_request: 422,
  billing_not_configured: 501,
  payment_provider_error: 502,
};

function actionFailed(c: WebContext, error: unknown): Promise<Response> {
  const status = error instanceof VitrineError ? ACTION_STATUS[error.code] : undefined;
  if (!status) throw error;
  return billingPage(c, { message: c.get("i18n").text((error as VitrineError).detail) }, status);
}

/**
 * Sends the browser on to the page Stripe made. Its origin is normally one this page's policy
 * already allows; one it does not (a Stripe custom domain, say) would be blocked by the browser as
 * a redirect, so the person gets a link to follow instead.
 */
async function leaveFor(c: WebContext, settings: StripeConfig, url: string): Promise<Response> {
  const target = new URL(url);
  if (stripeHostedOrigins(settings).includes(target.origin)) return c.redirect(target.href, 303);
  if (target.protocol !== "https:" && target.protocol !== "http:") throw new Error(`Stripe answered a non-web address: ${target.protocol}`);
  console.warn(JSON.stringify({ level: "warn", msg: "billing: Stripe page on an origin the billing page does not allow", origin: target.origin }));
  const i = c.get("i18n");
  return renderPage(c, {
    title: i.t("billing.continueTitle"),
    body: (
      <section class="panel narrow">
        <h1>{i.t("billing.continueTitle")}</h1>
        <p>{i.t("billing.continueBody", { origin: target.origin })}</p>
        <p>
          <a class="button" href={target.href}>
            {i.t("billing.continueLink")}
          </a>
        </p>
      </section>
    ),
  });
}

const PLAN_CHOICES = ["free", "pro", "business", "enterprise"] as const;

/** `/app/billing`: plan, usage, plans with Checkout, the portal, invoices and the spend cap. */
export function mountBilling(web: Web) {
  web.get(BILLING_PATH, (c) => billingPage(c));

  web.post(`${BILLING_PATH}/checkout`, async (c) => {
    const values = await formValues(c);
    const plan = PLAN_CHOICES.find((p) => p === values.plan);
    const settings = config(c.env).stripe;
    if (!plan) return billingPage(c, { message: c.get("i18n").t("billing.unknownPlan") }, 422);
    try {
      const origin = siteOrigin(c);
      const { checkout_url } = await startCheckout(
        c.env,
        currentSession(c).account.id,
        { plan, successUrl: `${origin}${BILLING_PATH}?billing=subscribed`, cancelUrl: `${origin}${BILLING_PATH}?billing=canceled` },
        { origin, locale: c.get("locale") },
      );
      return leaveFor(c, settings!, checkout_url);
    } catch (error) {
      return actionFailed(c, error);
    }
  });

  web.post(`${BILLING_PATH}/portal`, async (c) => {
    const settings = config(c.env).stripe;
    try {
      const origin = siteOrigin(c);
      const { url } = await openPortal(c.env, currentSession(c).account.id, { returnUrl: `${origin}${BILLING_PATH}` }, { origin, locale: c.get("locale") });
      return leaveFor(c, settings!, url);
    } catch (error) {
      return actionFailed(c, error);
    }
  });

  web.post(`${BILLING_PATH}/spend-cap`, async (c) => {
    const i = c.get("i18n");
    const value = (await formValues(c)).spend_cap ?? "";
    const parsed = parseSpendCap(value);
    if ("error" in parsed) {
      const currency = (await getSpendCap(c.env, currentSession(c).account.id)).currency ?? config(c.env).billing.currency;
      const error = parsed.error === "invalid" ? i.t("billing.capInvalid") : i.t("billing.capTooHigh", { max: money(i, MAX_SPEND_CAP_CENTS, currency) });
      return billingPage(c, { cap: { value, error } }, 422);
    }
    try {
      await setSpendCap(c.env, currentSession(c).account.id, parsed.cents);
    } catch (error) {
      return actionFailed(c, error);
    }
    return c.redirect(`${BILLING_PATH}?billing=capSaved#cap-heading`, 303);
  });
}
