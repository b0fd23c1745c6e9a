import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { jobLinks } from "../../services/jobs/events";
import { correctedDownload, decodeCursor, issuesPage, issuesStream } from "../../services/jobs/results";
import type { JobRow } from "../../db/schema";
import { getJobRow, snapshotFromRow } from "../../services/jobs/jobs";
import { type AppContext, caller } from "../context";
import { notFound } from "../error-handler";
import { ProblemError } from "../problems";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";
import { Issue, ValidationSummary } from "./validate";

const JobId = z.object({ id: z.string().max(64) });
const FIRST_ISSUES = 20;

async function completedJob(c: AppContext, jobId: string): Promise<JobRow> {
  const row = await getJobRow(c.env, caller(c).accountId, jobId);
  if (!row) throw notFound("Job", jobId);
  if (row.status !== "completed") {
    throw new ProblemError("conflict", {
      en: `Job ${jobId} is ${row.status}; results exist once it is completed.`,
      "pt-BR": `O job ${jobId} está ${row.status}; os resultados existem quando ele termina (completed).`,
    }, { job_status: row.status });
  }
  return row;
}

function attachment(name: string, type: string) {
  return { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store" };
}

export class GetJobResult extends OpenAPIRoute {
  schema = {
    operationId: "getJobResult",
    tags: ["Job results"],
    summary: "Get a completed job's summary, first issues and download links",
    request: { params: JobId },
    responses: {
      "200": jsonResponse(
        "Exact counts per rule, field and severity",
        z.object({ job_id: z.string(), summary: ValidationSummary, first_issues: z.array(Issue), links: z.record(z.string(), z.string()) }),
      ),
      ...problemResponses(...AUTHED, 404, 409),
    },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const row = await completedJob(c, params.id);
    const first = await issuesPage(c.env, row, {}, FIRST_ISSUES);
    return { job_id: row.id, summary: snapshotFromRow(row).summary, first_issues: first.data, links: jobLinks(row.id, row.applyFixes) };
  }
}

export class GetJobIssues extends OpenAPIRoute {
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
        severity: z.enum(["error", "warning", "info"]).optional(),
        rule: z.string().max(128).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100).describe("json only"),
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
    const row = await completedJob(c, params.id);
    const filter = { severity: query.severity, rule: query.rule };
    if (query.format === "json") {
      const from = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (from === null) throw new ProblemError("invalid_request", "The cursor is not one this API returned.", { errors: [{ detail: "invalid cursor", parameter: "cursor" }] });
      return issuesPage(c.env, row, filter, query.limit, from);
    }
    const type = query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    return new Response(issuesStream(c.env, row, query.format, filter), { headers: attachment(`${row.id}-issues.${query.format}`, type) });
  }
}

export class GetCorrectedCatalog extends OpenAPIRoute {
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
    const row = await completedJob(c, params.id);
    if (!row.applyFixes) {
      throw new ProblemError("conflict", {
        en: "This job ran without apply_fixes, so it has no corrected catalog. Start a job with options.apply_fixes = true.",
        "pt-BR": "Este job rodou sem apply_fixes, então não há catálogo corrigido. Crie um job com options.apply_fixes = true.",
      });
    }
    const download = await correctedDownload(c.env, row);
    if (!download) throw notFound("Corrected catalog of job", row.id);
    const kind = download.input.kind;
    if (query.format && query.format !== kind) {
      throw new ProblemError("unprocessable", {
        en: `This job's corrected catalog is available as ${kind}.`,
        "pt-BR": `O catálogo corrigido deste job está disponível como ${kind}.`,
      });
    }
    const type = kind === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    return new Response(download.body, { headers: attachment(`${row.id}-corrected.${kind}`, type) });
  }
}
