import { MARKETPLACES } from "../../core/marketplaces";
import type { Plan } from "../../core/plans";
import { accountPlan } from "../../services/billing/plan-state";
import { onboardingFacts, type OnboardingFacts } from "../../services/onboarding";
import { chooseMarketplace } from "../../services/profile";
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext } from "../context";
import { formFailure, formValues } from "../forms";
import type { I18n, MessageKey } from "../i18n";
import { pageKit, renderPage } from "../render";

export const MARKETPLACE_NAMES: Record<(typeof MARKETPLACES)[number], string> = {
  mercadolivre: "Mercado Livre",
  shopee: "Shopee",
  "google-merchant": "Google Merchant Center",
};

/**
 * Where each step's own page lives. Part 2 builds these pages; until then the links lead to the
 * dashboard's 404, and each step is still ticked by what the account has really done.
 */
export const STEP_PATHS = {
  upload: "/app/upload",
  mappings: "/app/mappings",
  jobs: "/app/jobs",
  job: (id: string) => `/app/jobs/${id}`,
  apiKeys: "/app/api-keys",
  webhooks: "/app/webhooks",
  connectors: "/app/connectors",
  billing: "/app/billing",
} as const;

interface Step {
  title: MessageKey;
  body: MessageKey;
  done: boolean;
  links: { href: string; label: MessageKey }[];
}

/**
 * Step 6 is ticked by an API key, a webhook, a store connection or a paid plan (Pro, Business, or
 * Enterprise set by the operator): staying on Free is not a choice the account's state can show.
 */
function steps(facts: OnboardingFacts, plan: Plan): Step[] {
  return [
    { title: "onboarding.step1", body: "onboarding.step1Body", done: facts.hasFile, links: [{ href: STEP_PATHS.upload, label: "onboarding.step1Link" }] },
    { title: "onboarding.step2", body: "onboarding.step2Body", done: facts.marketplace !== null || facts.hasJob, links: [] },
    { title: "onboarding.step3", body: "onboarding.step3Body", done: facts.hasMapping || facts.hasJob, links: [{ href: STEP_PATHS.mappings, label: "onboarding.step3Link" }] },
    { title: "onboarding.step4", body: "onboarding.step4Body", done: facts.hasJob, links: [{ href: STEP_PATHS.jobs, label: "onboarding.step4Link" }] },
    {
      title: "onboarding.step5",
      body: "onboarding.step5Body",
      done: facts.completedJobId !== null,
      links: [{ href: facts.completedJobId ? STEP_PATHS.job(facts.completedJobId) : STEP_PATHS.jobs, label: "onboarding.step5Link" }],
    },
    {
      title: "onboarding.step6",
      body: "onboarding.step6Body",
      done: facts.hasApiKey || facts.hasWebhook || facts.hasConnector || plan !== "free",
      links: [
        { href: STEP_PATHS.apiKeys, label: "nav.apiKeys" },
        { href: STEP_PATHS.webhooks, label: "nav.webhooks" },
        { href: STEP_PATHS.connectors, label: "nav.connectors" },
        { href: STEP_PATHS.billing, label: "onboarding.step6Plan" },
      ],
    },
  ];
}

function MarketplaceForm(props: { i: I18n; csrf: string; facts: OnboardingFacts; errors: FieldErrors; values: Record<string, string> }) {
  const { i } = props;
  const chosen = props.values.marketplace ?? props.facts.marketplace ?? "";
  return (
    <Form action="/app/onboarding/marketplace" csrf={props.csrf} class="stack compact">
      <ErrorSummary i={i} errors={props.errors} labels={{ marketplace: i.t("field.marketplace"), category: i.t("field.category") }} />
      <div class={props.errors.marketplace ? "field field-invalid" : "field"}>
        <label for="f-marketplace">{i.t("field.marketplace")}</label>
        <select id="f-marketplace" name="marketplace" required aria-invalid={props.errors.marketplace ? "true" : undefined}>
          {MARKETPLACES.map((m) => (
            <option value={m} selected={m === chosen}>
              {MARKETPLACE_NAMES[m]}
            </option>
          ))}
        </select>
      </div>
      <Field
        name="category"
        label={i.t("field.category")}
        hint={i.t("field.categoryHint")}
        value={props.values.category ?? props.facts.category ?? ""}
        error={props.errors.category}
        maxlength={40}
      />
      <SubmitButton>{i.t("onboarding.step2Submit")}</SubmitButton>
    </Form>
  );
}

async function onboardingPage(c: WebContext, form: { errors: FieldErrors; values: Record<string, string> } = { errors: {}, values: {} }, status: 200 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const [facts, planState] = await Promise.all([onboardingFacts(c.env, account.id), accountPlan(c.env, account.id)]);
  const list = steps(facts, planState.plan);
  const done = list.filter((s) => s.done).length;
  return renderPage(c, {
    title: i.t("onboarding.title"),
    status,
    body: (
      <>
        <h1>{i.t("onboarding.welcome", { name: account.name })}</h1>
        <p class="lead">{i.t("onboarding.lead")}</p>
        <p class="progress-text">
          <progress max={list.length} value={done} aria-labelledby="progress-label"></progress>{" "}
          <span id="progress-label">{i.t("onboarding.progress", { done, total: list.length })}</span>
        </p>
        <ol class="checklist">
          {list.map((step, n) => (
            <li class={step.done ? "step step-done" : "step"} id={`step-${n + 1}`}>
              <h2>
                <span class="step-status">{i.t(step.done ? "onboarding.done" : "onboarding.todo")}</span> {i.t(step.title)}
              </h2>
              <p>{i.t(step.body)}</p>
              {n === 1 && <MarketplaceForm i={i} csrf={csrf} facts={facts} errors={form.errors} values={form.values} />}
              {step.links.length > 0 && (
                <p class="step-links">
                  {step.links.map((link) => (
                    <a class="button secondary" href={link.href}>
                      {i.t(link.label)}
                    </a>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ol>
      </>
    ),
  });
}

/** `/app`: the onboarding checklist, the first page after sign-up. */
export function mountOnboarding(web: Web) {
  web.get("/app", (c) => onboardingPage(c));

  web.post("/app/onboarding/marketplace", async (c) => {
    const values = await formValues(c);
    try {
      await chooseMarketplace(c.env, currentSession(c).account.id, values.marketplace ?? "", values.category ?? "");
      return c.redirect("/app?notice=marketplaceSaved#step-2", 303);
    } catch (error) {
      return onboardingPage(c, { errors: formFailure(c, error).errors, values }, 422);
    }
  });
}
