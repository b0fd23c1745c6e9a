import { VitrineError } from "../../core/errors";
import { explainRule } from "../../core/report";
import { PackError, type RuleInfo } from "../../core/rules";
import { describePack, deletePack, listPackRevisions, listPacks, packRevisionSource, type PackSummary, savePack } from "../../services/rule-packs";
import { Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext } from "../context";
import { formValues } from "../forms";
import type { I18n } from "../i18n";
import { pageKit, renderPage } from "../render";

/** What a new pack starts from: a working example that extends a marketplace's pack. */
const STARTER = `id: minha-loja
name: Minha loja
version: "1"
extends: mercadolivre
rules:
  - id: loja.brand.required
    field: brand
    check: required
    severity: error
    message:
      pt-BR: Informe a marca
      en: Give the brand
`;

/** One problem of a refused pack, in the reader's language, with its line when the compiler knows it. */
interface PackFailure {
  line?: number;
  message: string;
}

function packFailures(i: I18n, error: unknown): PackFailure[] {
  if (error instanceof PackError) {
    return error.problems.map((p) => ({ line: p.line, message: p.pack ? `${p.pack}: ${i.text(p.text)}` : i.text(p.text) }));
  }
  if (error instanceof VitrineError && ["conflict", "invalid_request", "payload_too_large"].includes(error.code)) return [{ message: i.text(error.detail) }];
  throw error;
}

function PacksTable(props: { i: I18n; packs: PackSummary[] }) {
  const { i } = props;
  return (
    <div class="table-scroll">
      <table class="records">
        <thead>
          <tr>
            <th scope="col">{i.t("packs.name")}</th>
            <th scope="col">{i.t("packs.rules")}</th>
            <th scope="col">{i.t("packs.categories")}</th>
          </tr>
        </thead>
        <tbody>
          {props.packs.map((p) => (
            <tr>
              <td>
                <a href={`/app/rule-packs/${encodeURIComponent(p.id)}`}>{p.name}</a> <code>{p.id}</code>
                {p.problem && <p class="field-error">{i.t("packs.broken", { problem: i.text(p.problem) })}</p>}
              </td>
              <td>
                <span class="cell-label">{i.t("packs.rules")}: </span>
                {p.rule_count === null ? "—" : i.number(p.rule_count)}
              </td>
              <td>
                <span class="cell-label">{i.t("packs.categories")}: </span>
                {i.number(p.categories.length)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function listPage(c: WebContext) {
  const { i } = pageKit(c);
  const packs = await listPacks(c.env, currentSession(c).account.id);
  const builtin = packs.filter((p) => p.builtin);
  const custom = packs.filter((p) => !p.builtin);
  return renderPage(c, {
    title: i.t("packs.title"),
    body: (
      <>
        <h1>{i.t("packs.title")}</h1>
        <p class="lead">{i.t("packs.lead")}</p>
        <section class="panel" aria-labelledby="builtin-heading">
          <h2 id="builtin-heading">{i.t("packs.builtin")}</h2>
          <PacksTable i={i} packs={builtin} />
        </section>
        <section class="panel" aria-labelledby="custom-heading">
          <h2 id="custom-heading">{i.t("packs.custom")}</h2>
          {custom.length === 0 ? <p>{i.t("packs.customEmpty")}</p> : <PacksTable i={i} packs={custom} />}
          <p>
            <a class="button" href="/app/rule-packs/new">
              {i.t("packs.new")}
            </a>
          </p>
        </section>
      </>
    ),
  });
}

function ruleMessage(i: I18n, rule: RuleInfo): string {
  return rule.message?.[i.locale] ?? rule.message?.en ?? rule.message?.["pt-BR"] ?? i.text(explainRule(rule.id, rule, rule.field));
}

/** Only http(s) addresses become links; anything else a pack says is shown as text. */
function safeLink(source: string): string | undefined {
  try {
    const url = new URL(source);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function RulesTable(props: { i: I18n; rules: RuleInfo[] }) {
  const { i } = props;
  return (
    <div class="table-scroll">
      <table class="records rules">
        <thead>
          <tr>
            <th scope="col">{i.t("packs.ruleId")}</th>
            <th scope="col">{i.t("packs.field")}</th>
            <th scope="col">{i.t("packs.severity")}</th>
            <th scope="col">{i.t("packs.message")}</th>
            <th scope="col">{i.t("packs.source")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rules.map((r) => {
            const link = r.source ? safeLink(r.source) : undefined;
            return (
              <tr id={`rule-${r.id}`}>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  <span class="cell-label">{i.t("packs.field")}: </span>
                  <code>{r.field}</code>
                </td>
                <td>
                  <span class="cell-label">{i.t("packs.severity")}: </span>
                  <span class={`severity severity-${r.severity}`}>{i.t(`severity.${r.severity}`)}</span>
                </td>
                <td>{ruleMessage(i, r)}</td>
                <td>
                  {link ? (
                    <a href={link} rel="noopener noreferrer" aria-label={`${i.t("packs.sourceLink")}: ${r.id}`}>
                      {i.t("packs.sourceLink")}
                    </a>
                  ) : (
                    r.source ?? ""
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The YAML editor. After a refused save the problems are listed with their line, each linking to
 * that line in a numbered copy of the source where it is marked.
 */
function YamlEditor(props: { i: I18n; csrf: string; action: string; source: string; failures: PackFailure[] }) {
  const { i, failures } = props;
  const bad = new Set(failures.map((f) => f.line).filter((l): l is number => l !== undefined));
  return (
    <Form action={props.action} csrf={props.csrf} class="stack" id="pack-form">
      {failures.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} id="pack-errors">
          <p>{i.t("packs.errorsTitle")}</p>
          <ul>
            {failures.map((f) => (
              <li class="pack-problem">
                {f.line !== undefined ? (
                  <>
                    <a href={`#line-${f.line}`}>{i.t("packs.line", { line: f.line })}</a>: {f.message}
                  </>
                ) : (
                  f.message
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class={failures.length > 0 ? "field field-invalid" : "field"}>
        <label for="f-source">{i.t("packs.yaml")}</label>
        <p class="hint" id="f-source-hint">
          {i.t("packs.yamlHint")}
        </p>
        <textarea
          id="f-source"
          name="source"
          class="code"
          rows={Math.min(40, Math.max(12, props.source.split("\n").length + 2))}
          spellcheck={false}
          required
          aria-invalid={failures.length > 0 ? "true" : undefined}
          aria-describedby={failures.length > 0 ? "f-source-hint pack-errors" : "f-source-hint"}
        >
          {props.source}
        </textarea>
      </div>
      <SubmitButton>{i.t("packs.save")}</SubmitButton>
      {bad.size > 0 && (
        <section aria-labelledby="numbered-heading">
          <h2 id="numbered-heading">{i.t("packs.sourceWithErrors")}</h2>
          <ol class="numbered-source">
            {props.source.split(/\r?\n/).map((line, n) => (
              <li id={`line-${n + 1}`} class={bad.has(n + 1) ? "line-bad" : undefined}>
                <code>{line || " "}</code>
                {failures
                  .filter((f) => f.line === n + 1)
                  .map((f) => (
                    <span class="line-problem">{f.message}</span>
                  ))}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Form>
  );
}

async function newPage(c: WebContext, source = STARTER, failures: PackFailure[] = []) {
  const { i, csrf } = pageKit(c);
  return renderPage(c, {
    title: i.t("packs.new"),
    status: failures.length > 0 ? 422 : 200,
    body: (
      <>
        <p class="breadcrumb">
          <a href="/app/rule-packs">{i.t("packs.title")}</a>
        </p>
        <h1>{i.t("packs.new")}</h1>
        <YamlEditor i={i} csrf={csrf} action="/app/rule-packs" source={source} failures={failures} />
      </>
    ),
  });
}

const wholeNumber = (raw: string | undefined) => (raw && /^\d{1,7}$/.test(raw) ? Number(raw) : undefined);

async function packPage(c: WebContext, edit?: { source: string; failures: PackFailure[] }) {
  const { i, csrf } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const id = c.req.param("id")!;
  const packs = await listPacks(c.env, accountId);
  const summary = packs.find((p) => p.id === id);
  if (!summary) throw new VitrineError("not_found", { en: "Rule pack not found.", "pt-BR": "Pacote de regras não encontrado." });
  const categoryId = c.req.query("category");
  const category = summary.categories.find((cat) => cat.id === categoryId);
  // A pack whose parents changed no longer compiles: it is still shown, to be fixed or deleted.
  const described = summary.problem ? undefined : await describePack(c.env, accountId, id, category?.id);
  const revisions = summary.builtin ? [] : await listPackRevisions(c.env, accountId, id);
  const wanted = wholeNumber(c.req.query("revision"));
  const latest = revisions[0]?.revision;
  const old = wanted !== undefined && wanted !== latest ? await packRevisionSource(c.env, accountId, id, wanted) : undefined;
  const source = edit?.source ?? described?.source ?? (latest !== undefined ? (await packRevisionSource(c.env, accountId, id, latest)).source : "");
  const failures = edit?.failures ?? (summary.problem ? [{ message: i.text(summary.problem) }] : []);
  const rules = described?.rules.filter((r) => (category ? r.category === category.id : r.category === undefined)) ?? [];
  return renderPage(c, {
    title: summary.name,
    status: edit && edit.failures.length > 0 ? 422 : 200,
    body: (
      <>
        <p class="breadcrumb">
          <a href="/app/rule-packs">{i.t("packs.title")}</a>
        </p>
        <h1>{summary.name}</h1>
        <p>
          {i.t("packs.summary", { id: summary.id, version: summary.version })}
          {summary.revision !== null && ` · ${i.t("packs.revisionN", { n: summary.revision })}`}
        </p>
        {summary.description && <p>{summary.description}</p>}
        {summary.extends.length > 0 && <p>{i.t("packs.extends", { packs: summary.extends.join(", ") })}</p>}
        {summary.categories.length > 0 && (
          <nav aria-label={i.t("packs.categories")} class="panel">
            <h2>{i.t("packs.categories")}</h2>
            <ul class="category-list">
              <li>
                <a href={`/app/rule-packs/${encodeURIComponent(id)}`} aria-current={category ? undefined : "page"}>
                  {i.t("packs.allRules")}
                </a>
              </li>
              {summary.categories.map((cat) => (
                <li>
                  <a href={`/app/rule-packs/${encodeURIComponent(id)}?category=${encodeURIComponent(cat.id)}`} aria-current={cat.id === category?.id ? "page" : undefined}>
                    {cat.name} <code>{cat.id}</code>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {described && (
          <section aria-labelledby="rules-heading">
            <h2 id="rules-heading">{category ? i.t("packs.categoryRules", { name: category.name }) : i.t("packs.allRules")}</h2>
            <RulesTable i={i} rules={rules} />
          </section>
        )}
        {!summary.builtin && (
          <>
            {old ? (
              <section class="panel" aria-labelledby="old-heading">
                <h2 id="old-heading">{i.t("packs.oldRevision", { n: wanted!, latest: latest! })}</h2>
                <pre class="code-block">
                  <code>{old.source}</code>
                </pre>
              </section>
            ) : (
              <section class="panel" aria-labelledby="edit-heading">
                <h2 id="edit-heading">{i.t("packs.editHeading")}</h2>
                <YamlEditor i={i} csrf={csrf} action={`/app/rule-packs/${encodeURIComponent(id)}`} source={source} failures={failures} />
              </section>
            )}
            <section class="panel" aria-labelledby="revisions-heading">
              <h2 id="revisions-heading">{i.t("packs.revisions")}</h2>
              <ul class="versions">
                {revisions.map((r, n) => (
                  <li>
                    <a
                      href={n === 0 ? `/app/rule-packs/${encodeURIComponent(id)}` : `/app/rule-packs/${encodeURIComponent(id)}?revision=${r.revision}`}
                      aria-current={(old ? wanted : latest) === r.revision ? "page" : undefined}
                    >
                      {i.t("packs.revisionN", { n: r.revision })}
                    </a>{" "}
                    · {i.dateTime(Date.parse(r.created_at))}
                  </li>
                ))}
              </ul>
            </section>
            <section class="panel" aria-labelledby="delete-heading">
              <h2 id="delete-heading">{i.t("packs.delete")}</h2>
              <Form action={`/app/rule-packs/${encodeURIComponent(id)}/delete`} csrf={csrf} confirm={i.t("packs.deleteConfirm", { id })} class="stack compact">
                <p class="hint">{i.t("packs.deleteHint")}</p>
                <SubmitButton class="button danger">{i.t("packs.delete")}</SubmitButton>
              </Form>
            </section>
          </>
        )}
      </>
    ),
  });
}

/** `/app/rule-packs`: built-in packs to browse, the account's own packs edited as YAML. */
export function mountRulePacks(web: Web) {
  web.get("/app/rule-packs", (c) => listPage(c));
  web.get("/app/rule-packs/new", (c) => newPage(c));
  web.post("/app/rule-packs", async (c) => {
    const source = (await formValues(c)).source ?? "";
    try {
      const pack = await savePack(c.env, currentSession(c).account.id, source, "yaml");
      return c.redirect(`/app/rule-packs/${encodeURIComponent(pack.id)}?notice=packSaved`, 303);
    } catch (error) {
      return newPage(c, source, packFailures(c.get("i18n"), error));
    }
  });
  web.get("/app/rule-packs/:id", (c) => packPage(c));
  web.post("/app/rule-packs/:id", async (c) => {
    const accountId = currentSession(c).account.id;
    const id = c.req.param("id");
    // Another account's pack (or a built-in one) is not there to edit: the 404 page.
    await listPackRevisions(c.env, accountId, id);
    const source = (await formValues(c)).source ?? "";
    try {
      await savePack(c.env, accountId, source, "yaml", id);
      return c.redirect(`/app/rule-packs/${encodeURIComponent(id)}?notice=packSaved`, 303);
    } catch (error) {
      return packPage(c, { source, failures: packFailures(c.get("i18n"), error) });
    }
  });
  web.post("/app/rule-packs/:id/delete", async (c) => {
    const accountId = currentSession(c).account.id;
    const id = c.req.param("id");
    await listPackRevisions(c.env, accountId, id);
    try {
      await deletePack(c.env, accountId, id);
    } catch (error) {
      if (!(error instanceof VitrineError) || error.code !== "conflict") throw error;
      return packPage(c, { source: (await describePack(c.env, accountId, id)).source, failures: [{ message: c.get("i18n").text(error.detail) }] });
    }
    return c.redirect("/app/rule-packs?notice=packDeleted", 303);
  });
}
