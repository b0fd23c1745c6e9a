import { z } from "zod";
import { jobLinks } from "../../services/jobs/events";
import { snapshotFromRow } from "../../services/jobs/jobs";
import { jobTopIssues } from "../../services/validation";
import { completedJob, correctedDownload, correctedJob, decodeCursor, issuesPage, issuesStream } from "../../services/jobs/results";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, wholeNumber } from "../schemas";
import { Issue, Severity } from "./models/issue";
import { TopIssues, ValidationSummary } from "./models/validation";

const JobId = z.object({ id: z.string().max(64) });
const FIRST_ISSUES = 20;

function attachment(name: string, type: string) {
  return { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store" };
}

export class GetJobResult extends ApiRoute {
  schema = {
    operationId: "getJobResult",
    tags: ["Job results"],
    summary: "Get a completed job's summary, issues grouped by rule, first issues and download links",
    request: { params: JobId },
    responses: {
      "200": jsonResponse(
        "Exact counts per rule, field and severity",
        z.object({
          job_id: z.string(),
          summary: ValidationSummary,
          top_issues: TopIssues,
          first_issues: z.array(Issue),
          links: z.record(z.string(), z.string()),
        }),
      ),
      ...problemResponses(...AUTHED, 404, 409),
    },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const row = await completedJob(c.env, caller(c).accountId, params.id);
    const first = await issuesPage(c.env, row, {}, FIRST_ISSUES);
    const summary = snapshotFromRow(row).summary;
    const top_issues = await jobTopIssues(c.env, row, summary, c.get("locale"));
    return { job_id: row.id, summary, top_issues, first_issues: first.data, links: jobLinks(row.id, row.applyFixes) };
  }
}

export class GetJobIssues extends ApiRoute {
  schema = {
    operationId: "getJobIssues",
    tags: ["Job results"],
    summary: "Download or page through a completed job's issues",
    description:
      "`ndjson` and `csv` stream every matching issue (CSV cells are escaped against formula injection); " +
      "`json` returns pages of `limit` issues with a `next_cursor`. Order: by chunk of the source, then duplicates found across chunks.",
    request: {
      params: JobId,
      query: z.object({
        format: z.enum(["ndjson", "csv", "json"]).default("ndjson"),
        severity: Severity.optional(),
        rule: z.string().max(128).optional(),
        limit: wholeNumber(1, 1000).default(100).describe("json only"),
        cursor: z.string().max(64).optional().describe("json only: next_cursor of the previous page"),
      }),
    },
    responses: {
      "200": {
        description: "The issues",
        content: {
          "application/x-ndjson": { schema: z.string() },
          "text/csv": { schema: z.string() },
          "application/json": { schema: z.object({ data: z.array(Issue), has_more: z.boolean(), next_cursor: z.string().nullable() }) },
        },
      },
      ...problemResponses(...AUTHED, 404, 409),
    },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const row = await completedJob(c.env, caller(c).accountId, params.id);
    const filter = { severity: query.severity, rule: query.rule };
    if (query.format === "json") return issuesPage(c.env, row, filter, query.limit, query.cursor ? decodeCursor(query.cursor) : undefined);
    const type = query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    return new Response(issuesStream(c.env, row, query.format, filter), { headers: attachment(`${row.id}-issues.${query.format}`, type) });
  }
}

export class GetCorrectedCatalog extends ApiRoute {
  schema = {
    operationId: "getCorrectedCatalog",
    tags: ["Job results"],
    summary: "Download the corrected catalog",
    description:
      "For CSV and XLSX sources: CSV in the source's own columns and delimiter, every row, with fixes applied " +
      "(cells escaped against formula injection). For JSON sources: NDJSON. Only for jobs run with apply_fixes.",
    request: { params: JobId, query: z.object({ format: z.enum(["csv", "ndjson"]).optional().describe("Defaults to the source's kind") }) },
    responses: {
      "200": { description: "The corrected catalog", content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } } },
      ...problemResponses(...AUTHED, 404, 409, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const row = await correctedJob(c.env, caller(c).accountId, params.id);
    const download = await correctedDownload(c.env, row, query.format);
    const kind = download.input.kind;
    const type = kind === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    return new Response(download.body, { headers: attachment(`${row.id}-corrected.${kind}`, type) });
  }
}

export function mountJobResults(api: Api) {
  mount(api, "get", "/jobs/:id/result", GetJobResult);
  mount(api, "get", "/jobs/:id/result/issues", GetJobIssues);
  mount(api, "get", "/jobs/:id/result/corrected", GetCorrectedCatalog);
}
