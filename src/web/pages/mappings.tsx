import { MappingError, type Suggestion } from "../../core/mapping";
import { CANONICAL_FIELDS } from "../../core/rules";
import { VitrineError } from "../../core/errors";
import { getFile, listFiles, readSample } from "../../services/files";
import {
  createMapping,
  deleteMapping,
  getMapping,
  listMappings,
  listMappingVersions,
  listTemplates,
  type MappingView,
  suggest,
  updateMapping,
} from "../../services/mappings";
import { listPacks, type PackSummary } from "../../services/rule-packs";
import { previewMapping } from "../../services/validation";
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext } from "../context";
import { formValues } from "../forms";
import type { I18n } from "../i18n";
import { cellName, fieldsFromRows, isEmptyRow, locatePointer, type MappingRow, type RowKey, rowsFromFields, rowsFromForm } from "../mapping-form";
import { pageKit, renderPage } from "../render";

const PREVIEW_ROWS = 20;

type RowErrors = Record<number, Partial<Record<RowKey | "row", string>>>;

interface EditorState {
  values: { name: string; marketplace: string; category: string };
  rows: MappingRow[];
  errors: FieldErrors;
  rowErrors: RowErrors;
  message?: string;
}

/** Fields offered as targets: the canonical ones, the pack's own (attributes.*), and any already written. */
async function targetOptions(c: WebContext, marketplace: string, category: string, rows: MappingRow[]) {
  const i = c.get("i18n");
  const labels = new Map<string, string>();
  try {
    const [template] = await listTemplates(c.env, currentSession(c).account.id, marketplace, category || undefined);
    for (const f of template?.fields ?? []) labels.set(f.field, `${f.label[i.locale]} (${f.field})`);
  } catch (error) {
    if (!(error instanceof VitrineError)) throw error;
  }
  const options = new Map<string, string>();
  for (const f of CANONICAL_FIELDS) if (f !== "attributes") options.set(f, labels.get(f) ?? f);
  for (const [f, label] of labels) options.set(f, label);
  for (const r of rows) if (r.target && !options.has(r.target)) options.set(r.target, r.target);
  return [...options];
}

function RowsEditor(props: { i: I18n; rows: MappingRow[]; rowErrors: RowErrors; targets: [string, string][] }) {
  const { i } = props;
  return (
    <ol class="mapping-rows">
      {props.rows.map((r, n) => {
        const errors = props.rowErrors[n] ?? {};
        const cell = (key: RowKey) => ({
          id: `f-${cellName(key, n)}`,
          name: cellName(key, n),
          "aria-invalid": errors[key] ? "true" : undefined,
          "aria-describedby": errors[key] ? `f-${cellName(key, n)}-error` : undefined,
        });
        const error = (key: RowKey) =>
          errors[key] && (
            <p class="field-error" id={`f-${cellName(key, n)}-error`}>
              {errors[key]}
            </p>
          );
        return (
          <li class={Object.keys(errors).length > 0 ? "mapping-row row-invalid" : "mapping-row"} id={`row-${n}`}>
            <fieldset>
              <legend>
                {i.t("mappings.rowLegend", { n: n + 1 })}
                {r.confidence !== undefined && <span class="badge">{i.t("mappings.confidence", { percent: Math.round(r.confidence * 100) })}</span>}
              </legend>
              {errors.row && <p class="field-error">{errors.row}</p>}
              <div class="field">
                <label for={`f-${cellName("target", n)}`}>{i.t("mappings.target")}</label>
                {error("target")}
                <select {...cell("target")}>
                  <option value="" selected={r.target === ""}>
                    {i.t("mappings.targetNone")}
                  </option>
                  {props.targets.map(([value, label]) => (
                    <option value={value} selected={value === r.target}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for={`f-${cellName("columns", n)}`}>{i.t("mappings.columns")}</label>
                {error("columns")}
                <textarea {...cell("columns")} rows={Math.max(1, r.columns.split("\n").length)}>
                  {r.columns}
                </textarea>
              </div>
              <div class="field">
                <label for={`f-${cellName("transforms", n)}`}>{i.t("mappings.transforms")}</label>
                {error("transforms")}
                <textarea {...cell("transforms")} rows={Math.max(1, r.transforms.split("\n").length)} spellcheck={false}>
                  {r.transforms}
                </textarea>
              </div>
              <div class="field">
                <label for={`f-${cellName("fallback", n)}`}>{i.t("mappings.fallback")}</label>
                {error("fallback")}
                <input type="text" {...cell("fallback")} value={r.fallback} />
              </div>
              <label class="checkbox">
                <input type="checkbox" name={`remove-${n}`} value="1" /> {i.t("mappings.removeRow")}
              </label>
            </fieldset>
          </li>
        );
      })}
    </ol>
  );
}

function CategorySelect(props: { i: I18n; packs: PackSummary[]; value: string; error?: string }) {
  const { i } = props;
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for="f-category">{i.t("mappings.category")}</label>
      {props.error && (
        <p class="field-error" id="f-category-error">
          {props.error}
        </p>
      )}
      <select id="f-category" name="category" aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? "f-category-error" : undefined}>
        <option value="" selected={props.value === ""}>
          {i.t("mappings.categoryNone")}
        </option>
        {props.packs
          .filter((p) => p.categories.length > 0)
          .map((p) => (
            <optgroup label={p.name}>
              {p.categories.map((cat) => (
                <option value={cat.id} selected={cat.id === props.value}>
                  {`${cat.name} (${cat.id})`}
                </option>
              ))}
            </optgroup>
          ))}
      </select>
    </div>
  );
}

function PackSelect(props: { i: I18n; packs: PackSummary[]; name: string; label: string; value: string; error?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <select id={id} name={props.name} aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `${id}-error` : undefined}>
        {props.packs.map((p) => (
          <option value={p.id} selected={p.id === props.value}>
            {`${p.name} (${p.id})`}
          </option>
        ))}
      </select>
    </div>
  );
}

async function FilesSelect(props: { c: WebContext; name: string; value: string; error?: string }) {
  const i = props.c.get("i18n");
  const files = await listFiles(props.c.env, currentSession(props.c).account.id, { limit: 100 });
  const id = `f-${props.name}`;
  if (files.data.length === 0) return <p class="hint">{i.t("mappings.noFiles")}</p>;
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{i.t("mappings.file")}</label>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <select id={id} name={props.name} required aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `${id}-error` : undefined}>
        {files.data.map((f) => (
          <option value={f.id} selected={f.id === props.value}>
            {`${f.name} · ${i.dateTime(Date.parse(f.created_at))}`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The editor form: name, marketplace, category and the rows; "add a row" re-renders it with one more. */
async function MappingEditor(props: { c: WebContext; action: string; state: EditorState; packs: PackSummary[] }) {
  const { i, csrf } = pageKit(props.c);
  const { values, rows, errors, rowErrors } = props.state;
  const targets = await targetOptions(props.c, values.marketplace, values.category, rows);
  const labels = { name: i.t("mappings.name"), marketplace: i.t("mappings.marketplace"), category: i.t("mappings.category") };
  const rowProblemCount = Object.keys(rowErrors).length;
  return (
    <Form action={props.action} csrf={csrf} class="stack mapping-editor" id="mapping-form">
      <ErrorSummary i={i} errors={errors} labels={labels} message={props.state.message ?? (rowProblemCount > 0 ? i.t("mappings.rowsHaveProblems", { count: rowProblemCount }) : undefined)} />
      <Field name="name" label={labels.name} value={values.name} error={errors.name} required maxlength={100} />
      <PackSelect i={i} packs={props.packs} name="marketplace" label={labels.marketplace} value={values.marketplace} error={errors.marketplace} />
      <CategorySelect i={i} packs={props.packs} value={values.category} error={errors.category} />
      <h2 id="rows-heading">{i.t("mappings.rowsHeading")}</h2>
      <p class="hint">{i.t("mappings.rowsHint")}</p>
      <RowsEditor i={i} rows={rows} rowErrors={rowErrors} targets={targets} />
      <p class="button-row">
        <button type="submit" class="button" name="intent" value="save">
          {i.t("mappings.save")}
        </button>
        <button type="submit" class="button secondary" name="intent" value="add-row">
          {i.t("mappings.addRow")}
        </button>
      </p>
    </Form>
  );
}

function editorFailure(c: WebContext, error: unknown, rowOf: number[], defaultFirst: boolean[]): Pick<EditorState, "errors" | "rowErrors" | "message"> {
  if (!(error instanceof VitrineError) || !["invalid_mapping", "invalid_request", "conflict"].includes(error.code)) throw error;
  const i = c.get("i18n");
  const errors: FieldErrors = {};
  const rowErrors: RowErrors = {};
  const loose: string[] = [];
  const problems = error instanceof MappingError ? error.problems.map((p) => ({ pointer: p.pointer, text: p.text })) : (error.extra.errors ?? []).map((p) => ({ pointer: p.pointer, text: p.detail }));
  for (const p of problems) {
    const at = locatePointer(p.pointer, rowOf, defaultFirst);
    const message = i.text(p.text);
    if (at && "top" in at) errors[at.top] ??= message;
    else if (at) {
      const slot = (rowErrors[at.row] ??= {});
      slot[at.key ?? "row"] ??= message;
    } else loose.push(message);
  }
  return { errors, rowErrors, message: loose.length > 0 ? loose.join(" ") : problems.length === 0 ? i.text(error.detail) : undefined };
}

const emptyRow = (): MappingRow => ({ target: "", columns: "", transforms: "", fallback: "" });

function MappingsTable(props: { i: I18n; mappings: MappingView[] }) {
  const { i } = props;
  return (
    <div class="table-scroll">
      <table class="records">
        <thead>
          <tr>
            <th scope="col">{i.t("mappings.name")}</th>
            <th scope="col">{i.t("mappings.marketplace")}</th>
            <th scope="col">{i.t("mappings.version")}</th>
            <th scope="col">{i.t("mappings.updated")}</th>
          </tr>
        </thead>
        <tbody>
          {props.mappings.map((m) => (
            <tr>
              <td>
                <a href={`/app/mappings/${m.id}`}>{m.name}</a>
              </td>
              <td>
                <span class="cell-label">{i.t("mappings.marketplace")}: </span>
                {m.category ? `${m.marketplace} · ${m.category}` : m.marketplace}
              </td>
              <td>
                <span class="cell-label">{i.t("mappings.version")}: </span>
                {i.number(m.version)}
              </td>
              <td>
                <span class="cell-label">{i.t("mappings.updated")}: </span>
                {i.dateTime(Date.parse(m.updated_at))}
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
  const page = await listMappings(c.env, currentSession(c).account.id, { limit: 100 });
  return renderPage(c, {
    title: i.t("mappings.title"),
    body: (
      <>
        <h1>{i.t("mappings.title")}</h1>
        <p class="lead">{i.t("mappings.lead")}</p>
        <p>
          <a class="button" href="/app/mappings/new">
            {i.t("mappings.new")}
          </a>
        </p>
        {page.data.length === 0 ? <p>{i.t("mappings.empty")}</p> : <MappingsTable i={i} mappings={page.data} />}
      </>
    ),
  });
}

function SuggestionReport(props: { i: I18n; suggestion: Suggestion }) {
  const { i, suggestion } = props;
  return (
    <section class="panel" aria-labelledby="suggestion-heading">
      <h2 id="suggestion-heading">{i.t("mappings.suggestionHeading")}</h2>
      <p>{i.t("mappings.suggestionLead", { count: suggestion.mapping.fields.length })}</p>
      {suggestion.preset && <p>{i.t("mappings.suggestionPreset", { name: suggestion.preset.name })}</p>}
      {suggestion.questions.length > 0 && (
        <>
          <h3>{i.t("mappings.questions")}</h3>
          <ul>
            {suggestion.questions.map((q) => (
              <li>
                {i.text(q.text)}
                {q.candidates.length > 0 &&
                  ` ${i.t("mappings.candidates")}: ${q.candidates.map((cand) => `${cand.columns.join(" + ")} (${Math.round(cand.confidence * 100)}%)`).join("; ")}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {suggestion.unmapped_columns.length > 0 && (
        <p>
          {i.t("mappings.unmappedColumns")}: {suggestion.unmapped_columns.join(", ")}
        </p>
      )}
    </section>
  );
}

async function SuggestForm(props: { c: WebContext; packs: PackSummary[]; values: { file: string; marketplace: string; category: string }; error?: string }) {
  const { i } = pageKit(props.c);
  return (
    <section class="panel" aria-labelledby="suggest-heading">
      <h2 id="suggest-heading">{i.t("mappings.suggestHeading")}</h2>
      <p class="hint">{i.t("mappings.suggestHint")}</p>
      <form method="get" action="/app/mappings/new" class="stack compact">
        {props.error && <div class="error-summary" role="alert">{props.error}</div>}
        <FilesSelect c={props.c} name="file" value={props.values.file} />
        <PackSelect i={i} packs={props.packs} name="suggest_marketplace" label={i.t("mappings.marketplace")} value={props.values.marketplace} />
        <button type="submit" class="button secondary">
          {i.t("mappings.suggest")}
        </button>
      </form>
    </section>
  );
}

async function newPage(c: WebContext, state?: EditorState, status: 200 | 409 | 422 = 200) {
  const { i } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const packs = (await listPacks(c.env, accountId)).filter((p) => p.rule_count !== null);
  const q = c.req.query();
  const defaultPack = packs.find((p) => p.id === "mercadolivre")?.id ?? packs[0]?.id ?? "";
  let suggestion: Suggestion | undefined;
  let suggestError: string | undefined;
  const suggestValues = { file: q.file ?? "", marketplace: q.suggest_marketplace ?? defaultPack, category: "" };
  if (!state && q.file) {
    try {
      suggestion = await suggest(c.env, accountId, { marketplace: suggestValues.marketplace, fileId: q.file });
    } catch (error) {
      if (!(error instanceof VitrineError) || error.code === "not_found") throw error;
      suggestError = i.text(error.detail);
    }
  }
  const confidence = new Map(suggestion?.fields.filter((f) => f.status === "proposed").map((f) => [f.target, f.confidence]));
  const editor: EditorState = state ?? {
    values: { name: "", marketplace: suggestion ? suggestValues.marketplace : defaultPack, category: "" },
    rows: suggestion ? [...rowsFromFields(suggestion.mapping.fields).map((r) => ({ ...r, confidence: confidence.get(r.target) })), emptyRow()] : [emptyRow(), emptyRow(), emptyRow()],
    errors: {},
    rowErrors: {},
  };
  return renderPage(c, {
    title: i.t("mappings.new"),
    status,
    body: (
      <>
        <p class="breadcrumb">
          <a href="/app/mappings">{i.t("mappings.title")}</a>
        </p>
        <h1>{i.t("mappings.new")}</h1>
        <SuggestForm c={c} packs={packs} values={suggestValues} error={suggestError} />
        {suggestion && <SuggestionReport i={i} suggestion={suggestion} />}
        <MappingEditor c={c} action="/app/mappings" state={editor} packs={packs} />
      </>
    ),
  });
}

function VersionsList(props: { i: I18n; id: string; versions: { version: number; name: string; created_at: string }[]; shown: number }) {
  const { i } = props;
  return (
    <section class="panel" aria-labelledby="versions-heading">
      <h2 id="versions-heading">{i.t("mappings.versions")}</h2>
      <ul class="versions">
        {props.versions.map((v, n) => (
          <li>
            <a href={n === 0 ? `/app/mappings/${props.id}` : `/app/mappings/${props.id}?version=${v.version}`} aria-current={v.version === props.shown ? "page" : undefined}>
              {i.t("mappings.versionN", { n: v.version })}
            </a>{" "}
            · {v.name} · {i.dateTime(Date.parse(v.created_at))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReadOnlyFields(props: { i: I18n; mapping: MappingView }) {
  const { i } = props;
  const rows = rowsFromFields(props.mapping.fields);
  return (
    <ol class="mapping-rows read-only">
      {rows.map((r) => (
        <li class="mapping-row">
          <dl>
            <dt>{i.t("mappings.target")}</dt>
            <dd>
              <code>{r.target}</code>
            </dd>
            {r.columns && (
              <>
                <dt>{i.t("mappings.columns")}</dt>
                <dd>{r.columns.split("\n").join(", ")}</dd>
              </>
            )}
            {r.transforms && (
              <>
                <dt>{i.t("mappings.transforms")}</dt>
                <dd>
                  <code>{r.transforms.split("\n").join(" → ")}</code>
                </dd>
              </>
            )}
            {r.fallback && (
              <>
                <dt>{i.t("mappings.fallback")}</dt>
                <dd>{r.fallback}</dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ol>
  );
}

async function PreviewForm(props: { c: WebContext; mapping: MappingView; packs: PackSummary[]; values: { file: string; pack: string }; version?: number }) {
  const { i } = pageKit(props.c);
  return (
    <section class="panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{i.t("mappings.previewHeading")}</h2>
      <p class="hint">{i.t("mappings.previewHint", { rows: PREVIEW_ROWS })}</p>
      <form method="get" action={`/app/mappings/${props.mapping.id}/preview`} class="stack compact">
        {props.version !== undefined && <input type="hidden" name="version" value={String(props.version)} />}
        <FilesSelect c={props.c} name="file" value={props.values.file} />
        <PackSelect i={i} packs={props.packs} name="pack" label={i.t("mappings.previewPack")} value={props.values.pack} />
        <button type="submit" class="button secondary">
          {i.t("mappings.preview")}
        </button>
      </form>
    </section>
  );
}

/** `?version=N` of an id: a whole number, else undefined (the latest). */
function versionParam(raw: string | undefined): number | undefined {
  return raw && /^\d{1,7}$/.test(raw) ? Number(raw) : undefined;
}

async function mappingPage(c: WebContext, state?: EditorState, status: 200 | 409 | 422 = 200) {
  const { i, csrf } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const id = c.req.param("id")!;
  const wanted = versionParam(c.req.query("version"));
  const latest = await getMapping(c.env, accountId, id);
  const shown = wanted !== undefined && wanted !== latest.version ? await getMapping(c.env, accountId, id, wanted) : latest;
  const versions = await listMappingVersions(c.env, accountId, id);
  const packs = (await listPacks(c.env, accountId)).filter((p) => p.rule_count !== null);
  const old = shown.version !== latest.version;
  const editor: EditorState = state ?? {
    values: { name: latest.name, marketplace: latest.marketplace, category: latest.category ?? "" },
    rows: [...rowsFromFields(latest.fields), emptyRow()],
    errors: {},
    rowErrors: {},
  };
  return renderPage(c, {
    title: shown.name,
    status,
    body: (
      <>
        <p class="breadcrumb">
          <a href="/app/mappings">{i.t("mappings.title")}</a>
        </p>
        <h1>{shown.name}</h1>
        <p>
          {i.t("mappings.summary", { version: shown.version, marketplace: shown.marketplace })}
          {shown.category && ` · ${shown.category}`}
        </p>
        {old ? (
          <section class="panel" aria-labelledby="old-heading">
            <h2 id="old-heading">{i.t("mappings.oldVersion", { n: shown.version, latest: latest.version })}</h2>
            <ReadOnlyFields i={i} mapping={shown} />
          </section>
        ) : (
          <section class="panel" aria-labelledby="edit-heading">
            <h2 id="edit-heading">{i.t("mappings.edit")}</h2>
            <p class="hint">{i.t("mappings.editHint")}</p>
            <MappingEditor c={c} action={`/app/mappings/${id}`} state={editor} packs={packs} />
          </section>
        )}
        <PreviewForm c={c} mapping={shown} packs={packs} values={{ file: "", pack: shown.marketplace }} version={old ? shown.version : undefined} />
        <VersionsList i={i} id={id} versions={versions} shown={shown.version} />
        <section class="panel" aria-labelledby="delete-heading">
          <h2 id="delete-heading">{i.t("mappings.delete")}</h2>
          <Form action={`/app/mappings/${id}/delete`} csrf={csrf} confirm={i.t("mappings.deleteConfirm", { name: latest.name })} class="stack compact">
            <p class="hint">{i.t("mappings.deleteHint")}</p>
            <SubmitButton class="button danger">{i.t("mappings.delete")}</SubmitButton>
          </Form>
        </section>
      </>
    ),
  });
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

async function previewPage(c: WebContext) {
  const { i } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const id = c.req.param("id")!;
  const version = versionParam(c.req.query("version"));
  const mapping = await getMapping(c.env, accountId, id, version);
  const packs = (await listPacks(c.env, accountId)).filter((p) => p.rule_count !== null);
  const file = c.req.query("file") ?? "";
  const pack = c.req.query("pack") || mapping.marketplace;
  let outcome: Awaited<ReturnType<typeof previewMapping>> | undefined;
  let problem: string | undefined;
  // Spreadsheets count the header as row 1; JSON records are numbered from 1.
  const tabular = ["csv", "xlsx"].includes((await getFile(c.env, accountId, file))?.format ?? "");
  try {
    const sample = await readSample(c.env, accountId, file, PREVIEW_ROWS);
    const records = sample.rows.map((cells) => Object.fromEntries(sample.header.map((h, n) => [h, cells[n] ?? ""])));
    if (records.length === 0) problem = i.t("mappings.previewNoRows");
    else outcome = await previewMapping(c.env, accountId, id, { records, version: mapping.version, applyFixes: false, locale: i.locale, rulePack: pack });
  } catch (error) {
    if (!(error instanceof VitrineError) || error.code === "not_found") throw error;
    problem = i.text(error.detail);
  }
  return renderPage(c, {
    title: i.t("mappings.previewTitle", { name: mapping.name }),
    status: problem ? 422 : 200,
    body: (
      <>
        <p class="breadcrumb">
          <a href="/app/mappings">{i.t("mappings.title")}</a> › <a href={`/app/mappings/${id}`}>{mapping.name}</a>
        </p>
        <h1>{i.t("mappings.previewTitle", { name: mapping.name })}</h1>
        <PreviewForm c={c} mapping={mapping} packs={packs} values={{ file, pack }} version={version} />
        {problem && (
          <div class="error-summary" role="alert">
            <p>{problem}</p>
          </div>
        )}
        {outcome && (
          <section aria-labelledby="preview-result-heading">
            <h2 id="preview-result-heading">
              {i.t("mappings.previewResult", { records: outcome.summary.records, invalid: outcome.summary.invalid, pack: outcome.rule_pack.id })}
            </h2>
            <ol class="preview-records">
              {outcome.results.map((r) => (
                <li class={r.valid ? "preview-record" : "preview-record record-invalid"}>
                  <h3>
                    {i.t("mappings.previewRow", { row: tabular ? r.row + 1 : r.row })} <span class="badge">{i.t(r.valid ? "mappings.valid" : "mappings.invalid")}</span>
                  </h3>
                  <dl class="mapped">
                    {Object.entries(r.mapped ?? {}).map(([field, value]) => (
                      <>
                        <dt>
                          <code>{field}</code>
                        </dt>
                        <dd>{cellText(value)}</dd>
                      </>
                    ))}
                  </dl>
                  {r.issues.length > 0 && (
                    <ul class="issues">
                      {r.issues.map((issue) => (
                        <li class={`issue issue-${issue.severity}`}>
                          <strong>{i.t(`severity.${issue.severity}`)}</strong> <code>{issue.field}</code>
                          {issue.column && issue.column !== issue.field && ` (${issue.column})`}: {issue.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </section>
        )}
      </>
    ),
  });
}

function submittedState(values: Record<string, string>): EditorState {
  return {
    values: { name: values.name ?? "", marketplace: values.marketplace ?? "", category: values.category ?? "" },
    rows: rowsFromForm(values),
    errors: {},
    rowErrors: {},
  };
}

/**
 * Saves the submitted editor (create or new version), or — for "add a row" — shows it again with
 * one more row. Problems found here or by the service are shown at their field or row.
 */
async function submitEditor(c: WebContext, save: (input: { name: string; marketplace: string; category: string | null; fields: ReturnType<typeof fieldsFromRows>["fields"] }) => Promise<MappingView>, again: (state: EditorState, status: 200 | 409 | 422) => Promise<Response>) {
  const i = c.get("i18n");
  const values = await formValues(c);
  const state = submittedState(values);
  if (values.intent === "add-row") return again({ ...state, rows: [...state.rows, emptyRow()] }, 200);
  const { fields, rowOf, defaultFirst, problems } = fieldsFromRows(state.rows);
  for (const p of problems) (state.rowErrors[p.row] ??= {})[p.key] ??= i.t(p.message, p.vars);
  const name = state.values.name.trim();
  if (name === "") state.errors.name = i.t("mappings.nameMissing");
  if (fields.length === 0 && problems.length === 0) state.message = i.t("mappings.noRows");
  if (problems.length > 0 || name === "" || fields.length === 0) {
    if (state.rows.length === 0 || !state.rows.some(isEmptyRow)) state.rows.push(emptyRow());
    return again(state, 422);
  }
  try {
    const saved = await save({ name, marketplace: state.values.marketplace, category: state.values.category || null, fields });
    return c.redirect(`/app/mappings/${saved.id}?notice=mappingSaved`, 303);
  } catch (error) {
    const failure = editorFailure(c, error, rowOf, defaultFirst);
    return again({ ...state, ...failure, rows: [...state.rows] }, error instanceof VitrineError && error.code === "conflict" ? 409 : 422);
  }
}

/** `/app/mappings`: list, editor, suggestions from a stored file, preview on sample rows, versions. */
export function mountMappings(web: Web) {
  web.get("/app/mappings", (c) => listPage(c));
  web.get("/app/mappings/new", (c) => newPage(c));
  web.post("/app/mappings", (c) =>
    submitEditor(
      c,
      (input) => createMapping(c.env, currentSession(c).account.id, input),
      (state, status) => newPage(c, state, status),
    ),
  );
  web.get("/app/mappings/:id", (c) => mappingPage(c));
  web.get("/app/mappings/:id/preview", (c) => previewPage(c));
  web.post("/app/mappings/:id", async (c) => {
    const accountId = currentSession(c).account.id;
    const id = c.req.param("id");
    await getMapping(c.env, accountId, id); // another account's id: the 404 page, before reading the form
    return submitEditor(
      c,
      (input) => updateMapping(c.env, accountId, id, input),
      (state, status) => mappingPage(c, state, status),
    );
  });
  web.post("/app/mappings/:id/delete", async (c) => {
    await deleteMapping(c.env, currentSession(c).account.id, c.req.param("id"));
    return c.redirect("/app/mappings?notice=mappingDeleted", 303);
  });
}
