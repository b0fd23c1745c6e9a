import type { MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PROBLEMS } from "../../api/problems";
import { VitrineError } from "../../core/errors";
import type { SheetOptions } from "../../core/jobs/types";
import { createJob } from "../../services/jobs/jobs";
import { listMappings, type MappingView } from "../../services/mappings";
import { createFile, type FileView, fileView, getFile, listFiles, readSample, sanitizeFileName } from "../../services/files";
import { listPacks, type PackSummary } from "../../services/rule-packs";
import { createSampleFile } from "../../services/samples";
import { completeUpload, createUpload, getUpload, MAX_PARTS, uploadPart } from "../../services/uploads";
import { resolveTarget } from "../../services/validation";
import { ErrorSummary, type FieldErrors, Form, SubmitButton } from "../components/form";
import { currentSession, type Web, type WebContext, type WebEnv } from "../context";
import { notFoundPage } from "../errors";
import { formFailure, formValues } from "../forms";
import type { I18n } from "../i18n";
import { pageKit, renderPage } from "../render";

/** Where the no-script form posts a whole file. */
export const UPLOAD_FORM_PATH = "/app/upload/file";
/**
 * The largest file the plain form takes. Its body is read whole into memory (the CSRF check parses
 * the form), so it stays small; bigger files go up in parts through the multipart routes below.
 */
export const FORM_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
/** Room for the form's boundaries, headers and token around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** What the file input accepts; the server decides by the bytes, this only narrows the picker. */
const ACCEPT = ".csv,.tsv,.txt,.xlsx,.json,.ndjson,.jsonl,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const FORMAT_NAMES: Record<FileView["format"], string> = { csv: "CSV", xlsx: "Excel (XLSX)", json: "JSON", ndjson: "NDJSON" };
const ENCODING_NAMES: Record<NonNullable<FileView["encoding"]>, string> = {
  "utf-8": "UTF-8",
  "windows-1252": "Windows-1252",
  "utf-16le": "UTF-16 LE",
  "utf-16be": "UTF-16 BE",
};
const DELIMITER_NAMES = { ",": "file.delimiter.comma", ";": "file.delimiter.semicolon", "\t": "file.delimiter.tab", "|": "file.delimiter.pipe" } as const;

/**
 * Runs before the dashboard's CSRF check, which parses form bodies whole: a form upload over the
 * cap is sent back to the page (with a message) before a byte of it is read.
 */
export const uploadFormCap: MiddlewareHandler<WebEnv> = async (c, next) => {
  const declared = Number(c.req.header("content-length") ?? NaN);
  if (c.req.method === "POST" && !(declared <= FORM_UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES)) {
    return c.redirect("/app/upload?error=tooLarge", 303);
  }
  await next();
};

/** "1,5 MB" in Portuguese, "1.5 MB" in English; bytes below a kilobyte are counted. */
export function fileSize(i: I18n, bytes: number): string {
  const units = [
    ["GB", 1024 ** 3],
    ["MB", 1024 ** 2],
    ["KB", 1024],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) return `${i.number(Math.round((bytes / size) * 10) / 10)} ${unit}`;
  }
  return i.t("file.bytes", { count: i.number(bytes) });
}

/** The status an expected service error answers with, as the API would. */
function statusOf(error: VitrineError): ContentfulStatusCode {
  return PROBLEMS[error.code].status as ContentfulStatusCode;
}

/** Errors of an upload the seller can act on (wrong type, too big, empty, broken); anything else is a bug. */
const UPLOAD_ERRORS = new Set(["invalid_request", "payload_too_large", "unsupported_media_type", "unprocessable", "length_required", "conflict"]);

function UploadForm(props: { i: I18n; csrf: string; error?: string }) {
  const { i } = props;
  const max = fileSize(i, FORM_UPLOAD_MAX_BYTES);
  return (
    <Form action={UPLOAD_FORM_PATH} csrf={props.csrf} enctype="multipart/form-data" class="stack upload-form" id="upload-form">
      <div
        data-module="upload"
        class="upload-drop"
        data-max-form-bytes={String(FORM_UPLOAD_MAX_BYTES)}
        data-msg-sending={i.t("upload.sending")}
        data-msg-retrying={i.t("upload.retrying")}
        data-msg-resuming={i.t("upload.resuming")}
        data-msg-completing={i.t("upload.completing")}
        data-msg-failed={i.t("upload.failed")}
        data-msg-network={i.t("upload.networkError")}
        data-msg-unfinished={i.t("upload.unfinished")}
        data-locale={i.locale}
      >
        {props.error && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <p>{props.error}</p>
          </div>
        )}
        <div class={props.error ? "field field-invalid" : "field"}>
          <label for="f-file">{i.t("upload.fileLabel")}</label>
          <p class="hint" id="f-file-hint">
            {i.t("upload.fileHint", { max })}
          </p>
          <input id="f-file" name="file" type="file" accept={ACCEPT} required aria-describedby="f-file-hint" aria-invalid={props.error ? "true" : undefined} />
          <p class="hint upload-drop-hint" hidden>
            {i.t("upload.drop")}
          </p>
        </div>
        <div class="upload-progress" hidden>
          <progress max={100} value={0} aria-label={i.t("upload.progressLabel")}></progress>
          <p class="upload-status" role="status"></p>
        </div>
        <p class="upload-error field-error" role="alert" hidden></p>
        <p class="upload-unfinished hint" hidden></p>
      </div>
      <SubmitButton>{i.t("upload.submit")}</SubmitButton>
    </Form>
  );
}

function RecentFiles(props: { i: I18n; files: FileView[] }) {
  const { i } = props;
  if (props.files.length === 0) return <p>{i.t("upload.noFiles")}</p>;
  return (
    <div class="table-scroll">
      <table class="files">
        <thead>
          <tr>
            <th scope="col">{i.t("upload.colName")}</th>
            <th scope="col">{i.t("upload.colSize")}</th>
            <th scope="col">{i.t("upload.colUploaded")}</th>
            <th scope="col">{i.t("upload.colActions")}</th>
          </tr>
        </thead>
        <tbody>
          {props.files.map((f) => (
            <tr>
              <td class="file-name">{f.name}</td>
              <td>
                <span class="cell-label">{i.t("upload.colSize")}: </span>
                {fileSize(i, f.size)}
              </td>
              <td>
                <span class="cell-label">{i.t("upload.colUploaded")}: </span>
                {i.dateTime(Date.parse(f.created_at))}
              </td>
              <td>
                <a class="button secondary small" href={`/app/upload/files/${f.id}`} aria-label={i.t("upload.validateLabel", { name: f.name })}>
                  {i.t("upload.validate")}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function uploadPage(c: WebContext, error?: string, status: ContentfulStatusCode = 200) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const recent = await listFiles(c.env, account.id, { limit: 10 });
  const shown = error ?? (c.req.query("error") === "tooLarge" ? i.t("upload.tooLarge", { max: fileSize(i, FORM_UPLOAD_MAX_BYTES) }) : undefined);
  return renderPage(c, {
    title: i.t("upload.title"),
    status,
    body: (
      <>
        <h1>{i.t("upload.title")}</h1>
        <p class="lead">{i.t("upload.lead")}</p>
        <section class="panel" aria-label={i.t("upload.title")}>
          <UploadForm i={i} csrf={csrf} error={shown} />
        </section>
        <section class="panel" aria-labelledby="sample-heading">
          <h2 id="sample-heading">{i.t("upload.sampleHeading")}</h2>
          <p>{i.t("upload.sampleLead")}</p>
          <Form action="/app/upload/sample" csrf={csrf} class="inline-form">
            <SubmitButton class="button secondary">{i.t("upload.sampleButton")}</SubmitButton>
          </Form>
        </section>
        <section class="panel" aria-labelledby="recent-heading">
          <h2 id="recent-heading">{i.t("upload.recentHeading")}</h2>
          <RecentFiles i={i} files={recent.data} />
        </section>
      </>
    ),
  });
}

/** The packs a job can run: every pack the account sees that compiles, but the shared base `common`. */
async function jobPacks(c: WebContext, accountId: string): Promise<PackSummary[]> {
  return (await listPacks(c.env, accountId)).filter((p) => p.id !== "common" && p.rule_count !== null);
}

/** The file's columns as the services read them, or null when its head cannot be read as a table. */
async function columnsOf(c: WebContext, accountId: string, fileId: string): Promise<string[] | null> {
  try {
    return (await readSample(c.env, accountId, fileId, 1)).header;
  } catch (error) {
    if (error instanceof VitrineError) return null;
    throw error;
  }
}

interface JobForm {
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}

function FileDetails(props: { i: I18n; file: FileView; columns: string[] | null }) {
  const { i, file } = props;
  const delimiter = file.delimiter as keyof typeof DELIMITER_NAMES | undefined;
  return (
    <dl class="file-details">
      <dt>{i.t("file.name")}</dt>
      <dd class="file-name">{file.name}</dd>
      <dt>{i.t("file.size")}</dt>
      <dd>{fileSize(i, file.size)}</dd>
      <dt>{i.t("file.format")}</dt>
      <dd>{FORMAT_NAMES[file.format]}</dd>
      {file.encoding && (
        <>
          <dt>{i.t("file.encoding")}</dt>
          <dd>{ENCODING_NAMES[file.encoding]}</dd>
        </>
      )}
      {delimiter && (
        <>
          <dt>{i.t("file.delimiter")}</dt>
          <dd>{DELIMITER_NAMES[delimiter] ? i.t(DELIMITER_NAMES[delimiter]) : delimiter}</dd>
        </>
      )}
      {props.columns && (
        <>
          <dt>{i.t("file.columns")}</dt>
          <dd>{i.t("file.columnsCount", { count: i.number(props.columns.length), names: props.columns.join(", ") })}</dd>
        </>
      )}
      <dt>{i.t("file.rows")}</dt>
      <dd>{i.t("file.rowsLater")}</dd>
      <dt>{i.t("file.uploadedAt")}</dt>
      <dd>{i.dateTime(Date.parse(file.created_at))}</dd>
    </dl>
  );
}

function StartJobForm(props: { i: I18n; csrf: string; file: FileView; packs: PackSummary[]; mappings: MappingView[]; form: JobForm }) {
  const { i, form } = props;
  const pack = form.values.rule_pack;
  const labels = {
    rule_pack: i.t("field.rulePack"),
    category: i.t("field.jobCategory"),
    mapping_id: i.t("field.mapping"),
    header_row: i.t("field.headerRow"),
    first_data_row: i.t("field.firstDataRow"),
  };
  const rowField = (name: "header_row" | "first_data_row", min: number) => (
    <div class={form.errors[name] ? "field field-invalid" : "field"}>
      <label for={`f-${name}`}>{labels[name]}</label>
      {form.errors[name] && (
        <p class="field-error" id={`f-${name}-error`}>
          {form.errors[name]}
        </p>
      )}
      <input
        id={`f-${name}`}
        name={name}
        type="number"
        inputmode="numeric"
        min={min}
        step={1}
        value={form.values[name] ?? ""}
        aria-describedby={form.errors[name] ? `f-template-hint f-${name}-error` : "f-template-hint"}
      />
    </div>
  );
  const withCategories = props.packs.filter((p) => p.categories.length > 0);
  return (
    <Form action={`/app/upload/files/${props.file.id}/validate`} csrf={props.csrf} class="stack">
      <ErrorSummary i={i} errors={form.errors} labels={labels} message={form.message} />
      <div class={form.errors.rule_pack ? "field field-invalid" : "field"}>
        <label for="f-rule_pack">{labels.rule_pack}</label>
        <select id="f-rule_pack" name="rule_pack" required data-module="pack-categories" data-target="f-category">
          {props.packs.map((p) => (
            <option value={p.id} selected={p.id === pack}>
              {p.builtin ? p.name : `${p.name} (${p.id})`}
            </option>
          ))}
        </select>
      </div>
      {withCategories.length > 0 && (
        <div class={form.errors.category ? "field field-invalid" : "field"}>
          <label for="f-category">{labels.category}</label>
          <p class="hint" id="f-category-hint">
            {i.t("field.jobCategoryHint")}
          </p>
          {form.errors.category && (
            <p class="field-error" id="f-category-error">
              {form.errors.category}
            </p>
          )}
          <select id="f-category" name="category" aria-describedby={form.errors.category ? "f-category-hint f-category-error" : "f-category-hint"}>
            <option value="">{i.t("field.noCategory")}</option>
            {withCategories.map((p) => (
              <optgroup label={p.name} data-pack={p.id}>
                {p.categories.map((cat) => (
                  <option value={cat.id} selected={p.id === pack && cat.id === form.values.category}>
                    {`${cat.id} — ${cat.name}`}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="f-mapping_id">{labels.mapping_id}</label>
        <select id="f-mapping_id" name="mapping_id">
          <option value="">{i.t("field.mappingAuto")}</option>
          {props.mappings.map((m) => (
            <option value={m.id} selected={m.id === form.values.mapping_id}>
              {`${m.name} (${m.marketplace})`}
            </option>
          ))}
        </select>
      </div>
      <details class="template-rows" open={Boolean(form.values.header_row || form.values.first_data_row)}>
        <summary>{i.t("field.templateRows")}</summary>
        <p class="hint" id="f-template-hint">
          {i.t("field.templateRowsHint")}
        </p>
        {rowField("header_row", 1)}
        {rowField("first_data_row", 2)}
      </details>
      <div class="field checkbox-field">
        <label>
          <input type="checkbox" name="apply_fixes" value="1" checked={form.values.apply_fixes === "1"} /> {i.t("field.applyFixes")}
        </label>
      </div>
      <SubmitButton>{i.t("job.submit")}</SubmitButton>
    </Form>
  );
}

/** The template rows a seller typed (blank: found by the job), as a job's sheet options, or the fields' errors. */
function templateRows(i: I18n, values: Record<string, string>): { sheet?: SheetOptions } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const row = (name: "header_row" | "first_data_row", min: number): number | undefined => {
    const raw = (values[name] ?? "").trim();
    if (raw === "") return undefined;
    const n = Number(raw);
    if (!/^\d{1,7}$/.test(raw) || n < min || n > 1_048_576) errors[name] = i.t("job.rowNumber");
    return n;
  };
  const headerRow = row("header_row", 1);
  const firstDataRow = row("first_data_row", 2);
  if (!errors.header_row && !errors.first_data_row && headerRow !== undefined && firstDataRow !== undefined && firstDataRow <= headerRow) {
    errors.first_data_row = i.t("job.firstDataRowAfterHeader");
  }
  if (Object.keys(errors).length > 0) return { errors };
  if (headerRow === undefined && firstDataRow === undefined) return {};
  return { sheet: { ...(headerRow !== undefined && { headerRow }), ...(firstDataRow !== undefined && { firstDataRow }) } };
}

async function filePage(c: WebContext, fileId: string, form?: JobForm, status: ContentfulStatusCode = 200) {
  const { i, csrf } = pageKit(c);
  const { account } = currentSession(c);
  const row = await getFile(c.env, account.id, fileId);
  // Another account's file answers exactly like a file that does not exist.
  if (!row) return null;
  const file = fileView(row);
  const [packs, mappings, columns] = await Promise.all([
    jobPacks(c, account.id),
    listMappings(c.env, account.id, { limit: 100 }),
    columnsOf(c, account.id, file.id),
  ]);
  const asked = c.req.query("pack");
  const preferred = [asked, account.marketplace, "mercadolivre"].find((id) => id && packs.some((p) => p.id === id)) ?? packs[0]?.id ?? "";
  const values = form?.values ?? {
    rule_pack: preferred,
    category: preferred === account.marketplace ? (account.category ?? "") : "",
    mapping_id: "",
    apply_fixes: "1",
  };
  return renderPage(c, {
    title: file.name,
    status,
    body: (
      <>
        <p>
          <a href="/app/upload">{i.t("upload.title")}</a>
        </p>
        <h1 class="file-name">{file.name}</h1>
        <section class="panel" aria-labelledby="details-heading">
          <h2 id="details-heading">{i.t("file.details")}</h2>
          <FileDetails i={i} file={file} columns={columns} />
        </section>
        <section class="panel" aria-labelledby="job-heading">
          <h2 id="job-heading">{i.t("job.heading")}</h2>
          <p>{i.t("job.lead")}</p>
          <StartJobForm i={i} csrf={csrf} file={file} packs={packs} mappings={mappings.data} form={{ values, errors: form?.errors ?? {}, message: form?.message }} />
        </section>
      </>
    ),
  });
}

/** A JSON answer for the upload script: the service's message in the reader's language. */
function jsonFailure(c: WebContext, error: unknown): Response {
  if (!(error instanceof VitrineError) || error.code === "internal" || error.code === "rate_limited") throw error;
  return c.json({ error: c.get("i18n").text(error.detail) }, statusOf(error));
}

const uploadGone = (c: WebContext) => c.json({ error: c.get("i18n").t("error.notFoundBody") }, 404);

/** A part number from the path: 1–10,000, else null. */
function partNumber(raw: string): number | null {
  return /^\d{1,5}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= MAX_PARTS ? Number(raw) : null;
}

/**
 * `/app/upload`: upload a catalog (form, or in parts with the script), the sample catalog, recent
 * files; `/app/upload/files/<id>`: a file's details and the form that starts a validation job.
 * The routes under `/app/upload/multipart` are the API's multipart upload, for the page's script:
 * the same service, signed in by the session and guarded by the `X-CSRF-Token` header.
 */
export function mountUpload(web: Web) {
  web.get("/app/upload", (c) => uploadPage(c));

  web.post(UPLOAD_FORM_PATH, async (c) => {
    const { i } = pageKit(c);
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) return uploadPage(c, i.t("upload.noFile"), 422);
    try {
      const stored = await createFile(c.env, currentSession(c).account.id, { name: sanitizeFileName(file.name), size: file.size, body: file.stream() });
      return c.redirect(`/app/upload/files/${stored.id}?notice=fileUploaded`, 303);
    } catch (error) {
      if (!(error instanceof VitrineError) || !UPLOAD_ERRORS.has(error.code)) throw error;
      return uploadPage(c, i.text(error.detail), statusOf(error));
    }
  });

  web.post("/app/upload/sample", async (c) => {
    const file = await createSampleFile(c.env, currentSession(c).account.id);
    return c.redirect(`/app/upload/files/${file.id}?notice=sampleAdded&pack=mercadolivre`, 303);
  });

  web.get("/app/upload/files/:id", async (c) => (await filePage(c, c.req.param("id"))) ?? notFoundPage(c));

  web.post("/app/upload/files/:id/validate", async (c) => {
    const { i } = pageKit(c);
    const { account } = currentSession(c);
    const fileId = c.req.param("id");
    const values = await formValues(c);
    const file = await getFile(c.env, account.id, fileId);
    if (!file) return notFoundPage(c);
    const packs = await jobPacks(c, account.id);
    const pack = packs.find((p) => p.id === values.rule_pack);
    const again = (errors: FieldErrors, message?: string, status: ContentfulStatusCode = 422) =>
      filePage(c, fileId, { values: { ...values, apply_fixes: values.apply_fixes ? "1" : "" }, errors, message }, status).then((page) => page ?? notFoundPage(c));
    if (!pack) return again({ rule_pack: i.t("job.unknownPack") });
    const category = values.category || undefined;
    if (category && !pack.categories.some((cat) => cat.id === category)) return again({ category: i.t("job.categoryNotInPack") });
    const rows = templateRows(i, values);
    if ("errors" in rows) return again(rows.errors);
    try {
      const target = await resolveTarget(c.env, account.id, { rulePack: pack.id, category, mappingId: values.mapping_id || undefined });
      const job = await createJob(c.env, { accountId: account.id }, {
        source: { file_id: file.id },
        rulePack: target.rulePack,
        category: target.category,
        mapping: target.mapping?.id ? { id: target.mapping.id, version: target.mapping.version! } : undefined,
        applyFixes: values.apply_fixes === "1",
        locale: i.locale,
        ...(rows.sheet && { sheet: rows.sheet }),
      });
      return c.redirect(`/app/jobs/${job.id}`, 303);
    } catch (error) {
      const failure = formFailure(c, error);
      return again(failure.errors, failure.message, failure.status);
    }
  });

  // Multipart upload, for the page's script (JSON in, JSON out).
  web.post("/app/upload/multipart", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { name?: unknown; size?: unknown } | null;
    const size = typeof body?.size === "number" && Number.isSafeInteger(body.size) && body.size > 0 ? body.size : undefined;
    if (typeof body?.name !== "string" || size === undefined) return c.json({ error: c.get("i18n").t("upload.noFile") }, 400);
    try {
      return c.json(await createUpload(c.env, currentSession(c).account.id, { name: sanitizeFileName(body.name), size }), 201);
    } catch (error) {
      return jsonFailure(c, error);
    }
  });

  web.get("/app/upload/multipart/:id", async (c) => {
    const upload = await getUpload(c.env, currentSession(c).account.id, c.req.param("id"));
    return upload ? c.json(upload) : uploadGone(c);
  });

  web.put("/app/upload/multipart/:id/parts/:n", async (c) => {
    const n = partNumber(c.req.param("n"));
    const size = Number(c.req.header("content-length") ?? NaN);
    if (n === null || !c.req.raw.body) return uploadGone(c);
    if (!Number.isSafeInteger(size)) return c.json({ error: c.get("i18n").text({ en: PROBLEMS.length_required.en, "pt-BR": PROBLEMS.length_required.pt }) }, 411);
    try {
      const part = await uploadPart(c.env, currentSession(c).account.id, c.req.param("id"), n, { size, body: c.req.raw.body });
      return part ? c.json(part) : uploadGone(c);
    } catch (error) {
      return jsonFailure(c, error);
    }
  });

  web.post("/app/upload/multipart/:id/complete", async (c) => {
    try {
      const done = await completeUpload(c.env, currentSession(c).account.id, c.req.param("id"));
      if (!done) return uploadGone(c);
      return c.json({ file: done.file, location: `/app/upload/files/${done.file.id}?notice=fileUploaded` }, done.created ? 201 : 200);
    } catch (error) {
      return jsonFailure(c, error);
    }
  });
}
