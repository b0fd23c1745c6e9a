import { VitrineError } from "../../core/errors";
import type { JobLayout, JobSnapshot, JobStatus } from "../../core/jobs/types";
import { fieldInfo } from "../../core/mapping";
import type { TopIssue } from "../../core/report";
import type { Issue } from "../../core/rules";
import type { JobRow } from "../../db/schema";
import { getFile } from "../../services/files";
import { jobState } from "../../services/jobs/overview";
import { decodeCursor, type IssueFilter, issuesPage } from "../../services/jobs/results";
import { assertResultsKept } from "../../services/retention";
import { jobTopIssues } from "../../services/validation";
import { BarChart } from "../components/bar-chart";
import { Form, SubmitButton } from "../components/form";
import { currentSession, type WebContext } from "../context";
import { notFoundPage } from "../errors";
import type { I18n } from "../i18n";
import type { MessageKey } from "../messages";
import { pageKit, renderPage } from "../render";
import { filterFromQuery, filterQuery, hasFilter } from "./job-filters";

/** Issues shown per page of the table: one ranged read of the stored report, never the whole of it. */
export const ISSUES_PER_PAGE = 50;
/** Bars per chart: the rules and fields with the most issues. */
const CHART_BARS = 10;

export function statusLabel(i: I18n, status: JobStatus): string {
  return i.t(`jobStatus.${status}` as MessageKey);
}

/** Where a job's numbers read from: "{done} of {total} rows checked". */
export function progressText(i: I18n, snapshot: JobSnapshot): string {
  const { rows_processed, rows_total } = snapshot.progress;
  return rows_total === null
    ? i.t("job.progressRowsUnknown", { done: i.number(rows_processed) })
    : i.t("job.progressRows", { done: i.number(rows_processed), total: i.number(rows_total) });
}

/** The JSON the progress module polls. */
export function progressJson(i: I18n, snapshot: JobSnapshot) {
  return {
    status: snapshot.status,
    status_label: statusLabel(i, snapshot.status),
    percent: snapshot.progress.percent,
    rows_processed: snapshot.progress.rows_processed,
    rows_total: snapshot.progress.rows_total,
    text: progressText(i, snapshot),
    finished: ["completed", "failed", "cancelled"].includes(snapshot.status),
  };
}

/** A cell's value as a short line of text (values come from the seller's file: escaped by JSX like everything else). */
function shortValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function topBars(counts: Record<string, number>) {
  return Object.entries(counts)
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label))
    .slice(0, CHART_BARS);
}

function SummaryCards(props: { i: I18n; snapshot: JobSnapshot }) {
  const { i } = props;
  const s = props.snapshot.summary;
  const cards: [MessageKey, number, string][] = [
    ["job.cardTotal", s.records, "job-card"],
    ["job.cardValid", s.valid, "job-card job-card-ok"],
    ["job.cardInvalid", s.invalid, "job-card job-card-bad"],
    ["job.cardCorrected", s.corrected, "job-card job-card-fixed"],
  ];
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">{i.t("job.summaryHeading")}</h2>
      <ul class="job-cards">
        {cards.map(([label, value, cls]) => (
          <li class={cls}>
            <span class="job-card-value">{i.number(value)}</span>
            <span class="job-card-label">{i.t(label)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Rules shown at once; the rest are one click away, so the issues table stays near the top. */
const TOP_SHOWN = 5;

function TopIssueList(props: { i: I18n; jobId: string; top: TopIssue[]; start: number }) {
  const { i } = props;
  const percent = new Intl.NumberFormat(i.locale, { style: "percent", maximumFractionDigits: 1 });
  return (
    <ol class="top-issues" start={props.start}>
      {props.top.map((t) => (
        <li class={`top-issue top-issue-${t.severity}`}>
          <h3>
            <span class={`job-severity job-severity-${t.severity}`}>{i.t(`job.severity.${t.severity}` as MessageKey)}</span> <code>{t.rule}</code>
            {t.field && <span class="badge">{t.field}</span>}
          </h3>
          <p>{t.explanation}</p>
          <p class="hint">
            {i.t("job.topRecords", {
              records: i.number(t.records),
              share: percent.format(t.share),
              issues: i.number(t.issues),
              corrected: i.number(t.corrected),
            })}
            {t.examples.length > 0 && <> · {i.t("job.topExamples", { rows: t.examples.map((r) => i.number(r)).join(", ") })}</>}
          </p>
          <p>
            <a href={`/app/jobs/${props.jobId}${filterQuery({ rule: t.rule })}#issues-heading`}>
              {i.t("job.topFilter")}
              <span class="visually-hidden">: {t.rule}</span>
            </a>
          </p>
        </li>
      ))}
    </ol>
  );
}

function TopIssues(props: { i: I18n; jobId: string; top: TopIssue[] }) {
  const { i } = props;
  return (
    <section class="panel" aria-labelledby="top-heading">
      <h2 id="top-heading">{i.t("job.topHeading")}</h2>
      {props.top.length === 0 ? (
        <p>{i.t("job.topNone")}</p>
      ) : (
        <>
          <TopIssueList i={i} jobId={props.jobId} top={props.top.slice(0, TOP_SHOWN)} start={1} />
          {props.top.length > TOP_SHOWN && (
            <details class="more-issues">
              <summary>{i.t("job.topMore", { count: props.top.length - TOP_SHOWN })}</summary>
              <TopIssueList i={i} jobId={props.jobId} top={props.top.slice(TOP_SHOWN)} start={TOP_SHOWN + 1} />
            </details>
          )}
        </>
      )}
    </section>
  );
}

function Select(props: { name: string; label: string; value?: string; any: string; options: { value: string; label: string }[] }) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextFilter(props: { name: string; label: string; value?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type="text" value={props.value ?? ""} maxlength={256} autocomplete="off" />
    </div>
  );
}

function IssuesTable(props: {
  i: I18n;
  row: JobRow;
  snapshot: JobSnapshot;
  filter: IssueFilter;
  issues: Issue[];
  nextCursor: string | null;
  paged: boolean;
}) {
  const { i, row, filter } = props;
  const summary = props.snapshot.summary;
  const base = `/app/jobs/${row.id}`;
  return (
    <section class="panel" aria-labelledby="issues-heading">
      <h2 id="issues-heading">{i.t("job.issuesHeading")}</h2>
      <form method="get" action={base} class="filters" aria-label={i.t("job.filters")}>
        <Select
          name="severity"
          label={i.t("job.filterSeverity")}
          value={filter.severity}
          any={i.t("job.filterAny")}
          options={(["error", "warning", "info"] as const).map((s) => ({ value: s, label: i.t(`job.severity.${s}`) }))}
        />
        <Select
          name="rule"
          label={i.t("job.filterRule")}
          value={filter.rule}
          any={i.t("job.filterAny")}
          options={Object.keys(summary.by_rule).sort().map((r) => ({ value: r, label: r }))}
        />
        <Select
          name="field"
          label={i.t("job.filterField")}
          value={filter.field}
          any={i.t("job.filterAny")}
          options={Object.keys(summary.by_field)
            .filter(Boolean)
            .sort()
            .map((f) => ({ value: f, label: f }))}
        />
        <TextFilter name="column" label={i.t("job.filterColumn")} value={filter.column} />
        <TextFilter name="sku" label={i.t("job.filterSku")} value={filter.sku} />
        <TextFilter name="sku_prefix" label={i.t("job.filterSkuPrefix")} value={filter.skuPrefix} />
        <div class="filter-actions">
          <button type="submit" class="button">
            {i.t("job.filterApply")}
          </button>
          {hasFilter(filter) && <a href={`${base}#issues-heading`}>{i.t("job.filterClear")}</a>}
        </div>
      </form>
      {props.issues.length === 0 ? (
        <p role="status">{i.t("job.noIssuesMatch")}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="issues-heading">
          <table class="issues">
            <thead>
              <tr>
                <th scope="col" class="numeric col-row">
                  {i.t("job.colRow")}
                </th>
                <th scope="col" class="col-sku">
                  {i.t("job.colSku")}
                </th>
                <th scope="col" class="col-severity">
                  {i.t("job.colSeverity")}
                </th>
                <th scope="col" class="col-rule">
                  {i.t("job.colRule")}
                </th>
                <th scope="col" class="col-field">
                  {i.t("job.colField")}
                </th>
                <th scope="col">{i.t("job.colMessage")}</th>
                <th scope="col" class="col-value">
                  {i.t("job.colValue")}
                </th>
              </tr>
            </thead>
            <tbody>
              {props.issues.map((issue) => (
                <tr>
                  <td class="numeric">{i.number(issue.row)}</td>
                  <td>{issue.sku ?? "—"}</td>
                  <td>
                    <span class={`job-severity job-severity-${issue.severity}`}>{i.t(`job.severity.${issue.severity}` as MessageKey)}</span>
                  </td>
                  <td>
                    <code>{issue.rule}</code>
                  </td>
                  <td>
                    {issue.field}
                    {issue.column && issue.column !== issue.field && <span class="hint"> ({issue.column})</span>}
                  </td>
                  <td>
                    {issue.message}
                    {issue.fixed && <span class="badge">{i.t("job.fixed")}</span>}
                  </td>
                  <td class="value">{shortValue(issue.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(props.nextCursor || props.paged) && (
        <nav class="pager" aria-label={i.t("job.issuesNav")}>
          {props.paged && <a href={`${base}${filterQuery(filter)}#issues-heading`}>{i.t("job.issuesFirst")}</a>}
          {props.nextCursor && (
            <a href={`${base}${filterQuery(filter, { cursor: props.nextCursor })}#issues-heading`} rel="next">
              {i.t("job.issuesNext")}
            </a>
          )}
        </nav>
      )}
    </section>
  );
}

function Downloads(props: { i: I18n; row: JobRow; filter: IssueFilter; correctedFormat: string | null }) {
  const { i, row } = props;
  const base = `/app/jobs/${row.id}/download`;
  return (
    <section class="panel" aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">{i.t("job.downloadsHeading")}</h2>
      {row.applyFixes ? (
        <>
          <p>
            <a class="button" href={`${base}/corrected`} download>
              {i.t("job.downloadCorrected", { format: (props.correctedFormat ?? "").toUpperCase() })}
            </a>
          </p>
          <p class="hint">{i.t("job.downloadCorrectedHint")}</p>
        </>
      ) : (
        <p>{i.t("job.noCorrected")}</p>
      )}
      <ul class="download-list">
        {(["csv", "xlsx", "json", "ndjson"] as const).map((format) => (
          <li>
            <a class="button secondary" href={`${base}/issues/${format}${filterQuery(props.filter)}`} download>
              {i.t("job.downloadIssues", { format: format.toUpperCase() })}
            </a>
          </li>
        ))}
      </ul>
      <p class="hint">{i.t("job.downloadIssuesHint")}</p>
    </section>
  );
}

/** The corrected file's format as the download serves it by default: the source's own. */
function correctedFormat(row: JobRow, fileFormat: string | null): string | null {
  if (row.sourceType === "records") return "ndjson";
  if (fileFormat === "json") return "ndjson";
  return fileFormat;
}

/** "Marca → Marca + BRAND": each column read, with the fields it filled, in the reader's language. */
function columnsText(i: I18n, columns: NonNullable<JobLayout["columns"]>): string {
  const byColumn = new Map<string, string[]>();
  for (const { column, field } of columns) {
    const label = fieldInfo(field).label[i.locale];
    byColumn.set(column, [...(byColumn.get(column) ?? []), label]);
  }
  return [...byColumn].map(([column, labels]) => `${column} → ${labels.join(" + ")}`).join(", ");
}

/** How the file was read, when that is worth saying: a recognised layout, the columns read without a mapping, a header found below a title. */
function ReadingFacts(props: { i: I18n; layout: JobRow["layout"] }) {
  const { i, layout } = props;
  if (!layout) return null;
  const facts = [
    layout.applied && i.t("job.layoutApplied", { name: layout.applied.name }),
    layout.unverified && i.t("job.layoutUnverified", { name: layout.unverified.name }),
    layout.header_row !== undefined && i.t("job.headerRow", { row: i.number(layout.header_row) }),
    layout.columns?.length && i.t("job.columnsRead", { list: columnsText(i, layout.columns) }),
    layout.unread_columns?.length && i.t("job.columnsUnread", { list: layout.unread_columns.join(", ") }),
  ].filter((f): f is string => typeof f === "string");
  if (facts.length === 0) return null;
  return (
    <ul class="hint job-reading" data-job-reading>
      {facts.map((f) => (
        <li>{f}</li>
      ))}
    </ul>
  );
}

/** `/app/jobs/<id>`: live progress while it runs; summary, top issues, charts, issues and downloads once completed. */
export async function jobPage(c: WebContext, jobId: string): Promise<Response> {
  const { i, csrf } = pageKit(c);
  const accountId = currentSession(c).account.id;
  const state = await jobState(c.env, accountId, jobId);
  if (!state) return notFoundPage(c);
  const { row, snapshot } = state;
  const file = row.fileId ? await getFile(c.env, accountId, row.fileId) : null;
  const source = file?.name ?? (row.sourceType === "records" ? i.t("jobs.inlineRecords") : i.t("jobs.deletedFile"));
  const title = i.t("job.title", { source });
  const running = snapshot.status === "queued" || snapshot.status === "running";
  const pack = row.category ? `${row.rulePack} · ${row.category}` : row.rulePack;

  let results = null;
  let gone: { days: number; date: string } | null = null;
  if (snapshot.status === "completed") {
    try {
      assertResultsKept(c.env, row);
      const query = c.req.query();
      const filter = filterFromQuery(query);
      let from;
      try {
        from = query.cursor ? decodeCursor(query.cursor) : undefined;
      } catch (error) {
        if (!(error instanceof VitrineError)) throw error;
        // A cursor that is not ours: start from the first page.
      }
      const [top, page] = await Promise.all([
        jobTopIssues(c.env, row, snapshot.summary, i.locale),
        issuesPage(c.env, row, filter, ISSUES_PER_PAGE, i.locale, from),
      ]);
      results = { filter, top, page, paged: from !== undefined };
    } catch (error) {
      if (!(error instanceof VitrineError) || error.code !== "gone") throw error;
      gone = { days: Number(error.extra.retention_days), date: i.date(row.finishedAt ?? row.createdAt) };
    }
  }

  return renderPage(c, {
    title,
    body: (
      <>
        <p>
          <a href="/app/jobs">← {i.t("job.back")}</a>
        </p>
        <h1>{title}</h1>
        <p class="job-facts">
          <span class={`job-status job-status-${snapshot.status}`} data-job-status>
            {statusLabel(i, snapshot.status)}
          </span>{" "}
          {i.t("job.facts", { pack, date: i.dateTime(row.createdAt) })}
        </p>
        <ReadingFacts i={i} layout={row.layout} />

        {running && (
          <section class="panel" aria-labelledby="progress-heading" data-module="job-progress" data-url={`/app/jobs/${row.id}/progress`}>
            <h2 id="progress-heading">{i.t("job.progressHeading")}</h2>
            <p class="progress-text">
              <progress max={100} value={snapshot.progress.percent} aria-label={i.t("job.progressLabel")}>
                {snapshot.progress.percent}%
              </progress>
              <span data-progress-text aria-live="polite">
                {progressText(i, snapshot)}
              </span>
            </p>
            <p class="hint" data-progress-hint hidden>
              {i.t("job.refreshHint")}
            </p>
            <p>
              <a href={`/app/jobs/${row.id}`}>{i.t("job.refresh")}</a>
            </p>
            <Form action={`/app/jobs/${row.id}/cancel`} csrf={csrf} confirm={i.t("job.cancelConfirm")}>
              <SubmitButton class="button danger">{i.t("job.cancel")}</SubmitButton>
            </Form>
          </section>
        )}

        {snapshot.status === "failed" && (
          <section class="panel error-panel" aria-labelledby="failed-heading">
            <h2 id="failed-heading">{i.t("job.failedHeading")}</h2>
            {snapshot.error && (
              <>
                <p>{i.text(snapshot.error.message)}</p>
                <p class="hint">{i.t("job.failedCode", { code: snapshot.error.code })}</p>
              </>
            )}
          </section>
        )}

        {snapshot.status === "cancelled" && <p class="panel">{i.t("job.cancelledBody")}</p>}

        {snapshot.status === "completed" && <SummaryCards i={i} snapshot={snapshot} />}

        {gone && (
          <section class="panel" aria-labelledby="gone-heading">
            <h2 id="gone-heading">{i.t("job.goneHeading")}</h2>
            <p>{i.t("job.goneBody", { days: gone.days, date: gone.date })}</p>
          </section>
        )}

        {results && (
          <>
            <TopIssues i={i} jobId={row.id} top={results.top} />
            {snapshot.summary.issues.total > 0 && (
              <section class="panel" aria-labelledby="charts-heading">
                <h2 id="charts-heading">{i.t("job.chartsHeading")}</h2>
                <div class="charts">
                  <BarChart
                    i={i}
                    id="chart-rule"
                    title={i.t("job.chartByRule")}
                    description={i.t("job.chartDesc", { count: Math.min(CHART_BARS, Object.keys(snapshot.summary.by_rule).length) })}
                    bars={topBars(Object.fromEntries(Object.entries(snapshot.summary.by_rule).map(([rule, r]) => [rule, r.count])))}
                  />
                  <BarChart
                    i={i}
                    id="chart-field"
                    title={i.t("job.chartByField")}
                    description={i.t("job.chartDesc", { count: Math.min(CHART_BARS, Object.keys(snapshot.summary.by_field).length) })}
                    bars={topBars(snapshot.summary.by_field)}
                  />
                </div>
              </section>
            )}
            <IssuesTable
              i={i}
              row={row}
              snapshot={snapshot}
              filter={results.filter}
              issues={results.page.data}
              nextCursor={results.page.next_cursor}
              paged={results.paged}
            />
            <Downloads i={i} row={row} filter={results.filter} correctedFormat={correctedFormat(row, file?.format ?? null)} />
          </>
        )}
      </>
    ),
  });
}
