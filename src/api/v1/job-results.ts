import { z } from "zod";
import { jobLinks } from "../../services/jobs/events";
import { snapshotFromRow } from "../../services/jobs/jobs";
import { jobTopIssues } from "../../services/validation";
import { completedJob, correctedDownload, correctedJob, decodeCursor, issuesNdjson, issuesPage, issuesReport } from "../../services/jobs/results";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, wholeNumber } from "../schemas";
import { Issue, Severity } from "./models/issue";
import { TopIssues, ValidationSummary } from "./models/validation";

const JobId = z.object({ id: z.string().max(64) });
const DELIMITERS = { comma: ",", semicolon: ";", tab: "\t", pipe: "|" } as const;
const FIRST_ISSUES = 20;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function attachment(name: string, type: string, extra: Record<string, string> = {}) {
  return { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store", ...extra };
}

export class GetJobResult extends ApiRoute {
  schema = {
    operationId: "getJobResult",
    tags: ["Job results"],
    summary: "Get a completed job's summary, issues grouped by rule, first issues and download links",
    description: "For a completed job: the exact summary, the issues grouped by rule (`top_issues`, in the reader's language), the first 20 issues, and the links to every issue and to the corrected catalog. 409 while the job has not completed; 410 once its results are past retention.",
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
      ...problemResponses(...AUTHED, 404, 409, 410),
    },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const row = await completedJob(c.env, caller(c).accountId, params.id);
    const first = await issuesPage(c.env, row, {}, FIRST_ISSUES, c.get("locale"));
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
      "`ndjson`, `csv` and `xlsx` stream every matching issue; `json` returns pages of `limit` issues with a `next_cursor`. " +
      "Messages are in the reader's language (Accept-Language or `?lang=`), whatever the language the job was started in. " +
      "`xlsx` is a workbook with a sheet of issues and a sheet grouped by rule. `csv` is in the dialect of the source file so a " +
      "spreadsheet opens it directly: the source's delimiter, UTF-8 with a BOM, CRLF (cells a spreadsheet would run as formulas " +
      "are neutralized); `delimiter=` and `encoding=` override it. Order: by chunk of the source, then duplicates found across chunks. " +
      "Filters (`severity`, `rule`, `field`, `column`, `sku`, `sku_prefix`) combine, and apply to every format. A `json` page reads at " +
      "most 100,000 stored issues: with a filter that matches rarely it may end with fewer than `limit` issues (even none) and " +
      "`has_more`; keep following `next_cursor` until `has_more` is false.",
    request: {
      params: JobId,
      query: z.object({
        format: z.enum(["ndjson", "csv", "xlsx", "json"]).default("ndjson"),
        delimiter: z.enum(["comma", "semicolon", "tab", "pipe"]).optional().describe("csv only: the field delimiter (default: the source's)"),
        encoding: z.enum(["utf-8", "windows-1252"]).optional().describe("csv only: default UTF-8 with a BOM"),
        severity: Severity.optional(),
        rule: z.string().max(128).optional().describe("A rule id, e.g. ml.title.max_length"),
        field: z.string().max(128).optional().describe("A canonical field; `images` also selects its items (`images[2]`), as `summary.by_field` counts them"),
        column: z.string().max(256).optional().describe("The seller's column, as the issues name it"),
        sku: z.string().max(256).optional().describe("Exactly this SKU"),
        sku_prefix: z.string().max(256).optional().describe("SKUs starting with this, ignoring case"),
        limit: wholeNumber(1, 1000).default(100).describe("json only: at most this many issues per page"),
        cursor: z.string().max(64).optional().describe("json only: next_cursor of the previous page"),
      }),
    },
    responses: {
      "200": {
        description: "The issues",
        content: {
          "application/x-ndjson": { schema: z.string() },
          "text/csv": { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string().meta({ format: "binary" }) },
          "application/json": { schema: z.object({ data: z.array(Issue), has_more: z.boolean(), next_cursor: z.string().nullable() }) },
        },
      },
      ...problemResponses(...AUTHED, 404, 409, 410),
    },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const row = await completedJob(c.env, caller(c).accountId, params.id);
    const filter = { severity: query.severity, rule: query.rule, field: query.field, column: query.column, sku: query.sku, skuPrefix: query.sku_prefix };
    const locale = c.get("locale");
    if (query.format === "json") return issuesPage(c.env, row, filter, query.limit, locale, query.cursor ? decodeCursor(query.cursor) : undefined);
    if (query.format === "ndjson") {
      return new Response(issuesNdjson(c.env, row, filter, locale), { headers: attachment(`${row.id}-issues.ndjson`, "application/x-ndjson") });
    }
    const delimiter = query.delimiter ? DELIMITERS[query.delimiter] : undefined;
    const body = await issuesReport(c.env, row, query.format, filter, locale, { delimiter, encoding: query.encoding });
    const type = query.format === "xlsx" ? XLSX_TYPE : `text/csv; charset=${query.encoding ?? "utf-8"}`;
    return new Response(body, { headers: attachment(`${row.id}-issues.${query.format}`, type) });
  }
}

export class GetCorrectedCatalog extends ApiRoute {
  schema = {
    operationId: "getCorrectedCatalog",
    tags: ["Job results"],
    summary: "Download the corrected catalog",
    description:
      "The catalog in the format it came in, ready to upload where it came from. CSV: the source's encoding (Windows-1252 stays " +
      "Windows-1252; if a fixed value holds a character it lacks, UTF-8 with a BOM, said in the `X-Vitrine-Encoding` header), " +
      "delimiter, quoting and line endings; records and cells no fix changed are byte for byte the source's. XLSX: the seller's own " +
      "workbook with only the changed cells rewritten (other sheets, styles and rows above the header kept); `format=csv` gives " +
      "its rows as CSV instead. JSON sources: NDJSON. A cell holding a formula is never rewritten. Only for jobs run with apply_fixes.",
    request: { params: JobId, query: z.object({ format: z.enum(["csv", "xlsx", "ndjson"]).optional().describe("Defaults to the source's own format") }) },
    responses: {
      "200": {
        description: "The corrected catalog",
        headers: { "X-Vitrine-Encoding": { description: 'CSV: the encoding written, and ";fallback" when it had to leave the source\'s', schema: { type: "string" as const } } },
        content: { "text/csv": { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().meta({ format: "binary" }) }, "application/x-ndjson": { schema: z.string() } },
      },
      ...problemResponses(...AUTHED, 404, 409, 410, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const row = await correctedJob(c.env, caller(c).accountId, params.id);
    const download = await correctedDownload(c.env, row, query.format);
    const encoding = download.encoding;
    const type =
      download.format === "xlsx" ? XLSX_TYPE : download.format === "csv" ? `text/csv; charset=${encoding?.name ?? "utf-8"}` : "application/x-ndjson";
    const extra: Record<string, string> = encoding ? { "X-Vitrine-Encoding": encoding.name + (encoding.fell_back ? ";fallback" : "") } : {};
    return new Response(download.body, { headers: attachment(`${row.id}-corrected.${download.format}`, type, extra) });
  }
}

export function mountJobResults(api: Api) {
  mount(api, "get", "/jobs/:id/result", GetJobResult);
  mount(api, "get", "/jobs/:id/result/issues", GetJobIssues);
  mount(api, "get", "/jobs/:id/result/corrected", GetCorrectedCatalog);
}
