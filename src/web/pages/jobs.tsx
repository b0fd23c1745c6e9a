import { VitrineError } from "../../core/errors";
import { cancelJob } from "../../services/jobs/jobs";
import { jobState, listJobsWithFileNames } from "../../services/jobs/overview";
import { completedJob, correctedDownload, correctedJob, issuesNdjson, issuesReport } from "../../services/jobs/results";
import { currentSession, type Web, type WebContext } from "../context";
import { notFoundPage } from "../errors";
import { pageKit, renderPage } from "../render";
import { filterFromQuery } from "./job-filters";
import { jobPage, progressJson, statusLabel } from "./job-page";

const JOBS_PER_PAGE = 25;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function attachment(name: string, type: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": type, "content-disposition": `attachment; filename="${name}"`, ...extra };
}

/** `/app/jobs`: the account's validations, newest first, a page at a time (the jobs service's cursor). */
async function jobsList(c: WebContext) {
  const { i } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const after = c.req.query("starting_after");
  const startingAfter = after && /^job_[A-Za-z0-9_-]{1,60}$/.test(after) ? after : undefined;
  const page = await listJobsWithFileNames(c.env, accountId, { limit: JOBS_PER_PAGE, startingAfter });
  const last = page.data.at(-1);
  return renderPage(c, {
    title: i.t("jobs.title"),
    body: (
      <>
        <h1>{i.t("jobs.title")}</h1>
        <p class="lead">{i.t("jobs.lead")}</p>
        {page.data.length === 0 ? (
          <section class="panel">
            <p>{i.t("jobs.empty")}</p>
            <p>
              <a href="/app/upload">{i.t("jobs.emptyLink")}</a>
            </p>
          </section>
        ) : (
          <div class="table-scroll">
            <table class="jobs">
              <thead>
                <tr>
                  <th scope="col">{i.t("jobs.colJob")}</th>
                  <th scope="col">{i.t("jobs.colStatus")}</th>
                  <th scope="col">{i.t("jobs.colCounts")}</th>
                  <th scope="col">{i.t("jobs.colPack")}</th>
                  <th scope="col">{i.t("jobs.colCreated")}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map(({ row, fileName }) => {
                  const summary = row.summary;
                  return (
                    <tr>
                      <td>
                        <a href={`/app/jobs/${row.id}`}>
                          {fileName ?? (row.sourceType === "records" ? i.t("jobs.inlineRecords") : i.t("jobs.deletedFile"))}
                        </a>
                        <span class="hint job-id"> {row.id}</span>
                      </td>
                      <td>
                        <span class="cell-label">{i.t("jobs.colStatus")}: </span>
                        <span class={`job-status job-status-${row.status}`}>{statusLabel(i, row.status)}</span>
                      </td>
                      <td>
                        <span class="cell-label">{i.t("jobs.colCounts")}: </span>
                        {summary ? i.t("jobs.counts", { records: i.number(summary.records), invalid: i.number(summary.invalid) }) : "—"}
                      </td>
                      <td>
                        <span class="cell-label">{i.t("jobs.colPack")}: </span>
                        {row.category ? `${row.rulePack} · ${row.category}` : row.rulePack}
                      </td>
                      <td>
                        <span class="cell-label">{i.t("jobs.colCreated")}: </span>
                        {i.dateTime(row.createdAt)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {(page.has_more || startingAfter) && (
          <nav class="pager" aria-label={i.t("jobs.listNav")}>
            {startingAfter && <a href="/app/jobs">{i.t("jobs.first")}</a>}
            {page.has_more && last && (
              <a href={`/app/jobs?starting_after=${encodeURIComponent(last.row.id)}`} rel="next">
                {i.t("jobs.next")}
              </a>
            )}
          </nav>
        )}
      </>
    ),
  });
}

/**
 * A download that cannot be served (the job is still running, its results expired, it ran
 * without fixes) sends the browser back to the job's page, which explains why; another account's
 * or an unknown job is the 404 page.
 */
async function download(c: WebContext, serve: (accountId: string, jobId: string) => Promise<Response>): Promise<Response> {
  const jobId = c.req.param("id")!;
  try {
    return await serve(currentSession(c).account.id, jobId);
  } catch (error) {
    if (!(error instanceof VitrineError)) throw error;
    if (error.code === "not_found") return notFoundPage(c);
    if (["conflict", "gone", "unprocessable"].includes(error.code)) return c.redirect(`/app/jobs/${jobId}`, 303);
    throw error;
  }
}

/** Every matching issue as one JSON array, streamed from the NDJSON the service writes. */
function ndjsonToArray(ndjson: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let first = true;
  const lines = (text: string) => {
    let out = "";
    for (const line of text.split("\n")) {
      if (!line) continue;
      out += (first ? "[\n" : ",\n") + line;
      first = false;
    }
    return out;
  };
  return ndjson.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const text = pending + decoder.decode(chunk, { stream: true });
        const end = text.lastIndexOf("\n");
        pending = text.slice(end + 1);
        const out = lines(text.slice(0, end + 1));
        if (out) controller.enqueue(encoder.encode(out));
      },
      flush(controller) {
        const out = lines(pending + decoder.decode());
        controller.enqueue(encoder.encode(out + (first ? "[]\n" : "\n]\n")));
      },
    }),
  );
}

/** Jobs list, job page, its live progress, cancel, and downloads (session and CSRF, like every page; never an API key). */
export function mountJobs(web: Web) {
  web.get("/app/jobs", (c) => jobsList(c));
  web.get("/app/jobs/:id", (c) => jobPage(c, c.req.param("id")));

  web.get("/app/jobs/:id/progress", async (c) => {
    const state = await jobState(c.env, currentSession(c).account.id, c.req.param("id"));
    if (!state) return c.json({ error: "not_found" }, 404);
    return c.json(progressJson(c.get("i18n"), state.snapshot));
  });

  web.post("/app/jobs/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const found = await cancelJob(c.env, currentSession(c).account.id, id);
    if (!found) return notFoundPage(c);
    return c.redirect(`/app/jobs/${id}?notice=jobCancelled`, 303);
  });

  web.get("/app/jobs/:id/download/issues/:format", (c) =>
    download(c, async (accountId, jobId) => {
      const format = c.req.param("format");
      if (format !== "csv" && format !== "xlsx" && format !== "json" && format !== "ndjson") return notFoundPage(c);
      const row = await completedJob(c.env, accountId, jobId);
      const filter = filterFromQuery(c.req.query());
      const locale = c.get("i18n").locale;
      if (format === "ndjson") return new Response(issuesNdjson(c.env, row, filter, locale), { headers: attachment(`${row.id}-issues.ndjson`, "application/x-ndjson") });
      if (format === "json") {
        return new Response(ndjsonToArray(issuesNdjson(c.env, row, filter, locale)), { headers: attachment(`${row.id}-issues.json`, "application/json") });
      }
      const body = await issuesReport(c.env, row, format, filter, locale);
      return new Response(body, { headers: attachment(`${row.id}-issues.${format}`, format === "xlsx" ? XLSX_TYPE : "text/csv; charset=utf-8") });
    }),
  );

  web.get("/app/jobs/:id/download/corrected", (c) =>
    download(c, async (accountId, jobId) => {
      const row = await correctedJob(c.env, accountId, jobId);
      const wanted = c.req.query("format");
      const format = wanted === "csv" || wanted === "xlsx" || wanted === "ndjson" ? wanted : undefined;
      const corrected = await correctedDownload(c.env, row, format);
      const encoding = corrected.encoding;
      const type = corrected.format === "xlsx" ? XLSX_TYPE : corrected.format === "csv" ? `text/csv; charset=${encoding?.name ?? "utf-8"}` : "application/x-ndjson";
      const extra: Record<string, string> = encoding ? { "X-Vitrine-Encoding": encoding.name + (encoding.fell_back ? ";fallback" : "") } : {};
      return new Response(corrected.body, { headers: attachment(`${row.id}-corrected.${corrected.format}`, type, extra) });
    }),
  );
}
