import { z } from "zod";
import { notFound } from "../../core/errors";
import { text } from "../../core/text";
import { cancelJob, createJob, getJob, listJobs, snapshotFromRow } from "../../services/jobs/jobs";
import { quotaHeaders, quotaState } from "../../services/billing/quota";
import { resolveTarget } from "../../services/validation";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { bilingualRefinement } from "../validation-messages";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, QUOTA_HEADERS } from "../schemas";
import { Job, JobStatus, jobView } from "./models/job";
import { ListQuery, listOf } from "./models/pagination";

/** Inline records beyond this belong in an uploaded file. */
const MAX_INLINE_RECORDS = 10_000;

const JobId = z.object({ id: z.string().max(64) });
const jobNotFound = (id: string) => notFound(text("Job", "O job"), id);

const CreateBody = z.object({
  source: z
    .union([
      z.object({ file_id: z.string().max(64).describe("An uploaded file (POST /api/v1/files)") }).strict(),
      z.object({ records: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_INLINE_RECORDS) }).strict(),
    ])
    .describe("Either an uploaded file or inline records"),
  rule_pack: z.string().max(64).optional().describe("Defaults to the mapping's marketplace, as in POST /api/v1/validate"),
  category: z.string().max(64).optional().describe("Without rule_pack, defaults to the mapping's category"),
  mapping_id: z.string().max(64).optional().describe("Map the source's columns with this saved mapping (its current version is pinned)"),
  options: z
    .object({
      apply_fixes: z.boolean().default(false),
      sheet: z.union([z.string().min(1).max(31), z.number().int().min(0).max(1000)]).optional().describe("XLSX: the sheet, by name or 0-based position (default: the first)"),
      header_row: z
        .number()
        .int()
        .min(1)
        .max(1_048_576)
        .optional()
        .describe(
          "XLSX and CSV: the row holding the column names, as the spreadsheet numbers it, when rows above it are more than a title (marketplace templates); by default the first row with two or more values (see layout.header_row)",
        ),
      first_data_row: z.number().int().min(2).max(1_048_576).optional().describe("XLSX and CSV: the first row of products, when help rows follow the header; after header_row"),
    })
    .refine((o) => o.header_row === undefined || o.first_data_row === undefined || o.first_data_row > o.header_row, {
      ...bilingualRefinement(text("first_data_row must come after header_row", "first_data_row deve vir depois de header_row")),
      path: ["first_data_row"],
    })
    .default({ apply_fixes: false }),
});

function sheetOptions(options: { sheet?: string | number; header_row?: number; first_data_row?: number }) {
  const chosen = { sheet: options.sheet, headerRow: options.header_row, firstDataRow: options.first_data_row };
  return Object.values(chosen).some((v) => v !== undefined) ? chosen : undefined;
}

export class CreateJob extends ApiRoute {
  schema = {
    operationId: "createJob",
    tags: ["Jobs"],
    summary: "Start validating a file or a batch of records",
    description:
      "Answers 202 at once; poll the job (Location header) or subscribe to webhooks. Free-plan jobs run on the normal queue, paid plans on the priority queue. " +
      "Each record is one validation of the plan's allowance: once the records are counted, a Free job that needs more than is left fails with " +
      "`error.code: quota_exceeded` before validating any; paid plans go on into overage.",
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: CreateBody } } } },
    responses: {
      "202": {
        ...jsonResponse("The job, queued", Job),
        headers: { Location: { description: "The job's URL", schema: { type: "string" as const } }, ...QUOTA_HEADERS },
      },
      ...problemResponses(...AUTHED, 404, 409, 413, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const auth = caller(c);
    const target = await resolveTarget(c.env, auth.accountId, { rulePack: body.rule_pack, category: body.category, mappingId: body.mapping_id });
    const row = await createJob(c.env, auth, {
      source: body.source,
      rulePack: target.rulePack,
      category: target.category,
      mapping: target.mapping?.id ? { id: target.mapping.id, version: target.mapping.version! } : undefined,
      applyFixes: body.options.apply_fixes,
      locale: c.get("locale"),
      sheet: sheetOptions(body.options),
    });
    const quota = await quotaState(c.env, auth);
    return c.json(jobView(row, snapshotFromRow(row), c.get("locale")), 202, { Location: `/api/v1/jobs/${row.id}`, ...quotaHeaders(quota) });
  }
}

export class GetJob extends ApiRoute {
  schema = {
    operationId: "getJob",
    tags: ["Jobs"],
    summary: "Get a job's status, progress and exact counts",
    description: "Progress (rows and chunks) and the exact counts so far, live while the job runs. Poll it, or subscribe to webhooks, until `status` is completed, failed or cancelled.",
    request: { params: JobId },
    responses: { "200": jsonResponse("The job", Job), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const found = await getJob(c.env, caller(c).accountId, params.id);
    if (!found) throw jobNotFound(params.id);
    return jobView(found.row, found.snapshot, c.get("locale"));
  }
}

export class ListJobs extends ApiRoute {
  schema = {
    operationId: "listJobs",
    tags: ["Jobs"],
    summary: "List the account's jobs, newest first",
    description: "Newest first; filter by `status`. Listing shows each job as last stored; GET a job for its live progress.",
    request: {
      query: z.object({
        status: JobStatus.optional(),
        limit: ListQuery.shape.limit,
        starting_after: ListQuery.shape.starting_after,
      }),
    },
    responses: { "200": jsonResponse("A page of jobs", listOf(Job)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    const page = await listJobs(c.env, caller(c).accountId, { status: query.status, limit: query.limit, startingAfter: query.starting_after });
    // Listing shows the state D1 holds (updated on every transition); GET a job for live progress.
    return { data: page.data.map((row) => jobView(row, snapshotFromRow(row), c.get("locale"))), has_more: page.has_more };
  }
}

export class CancelJob extends ApiRoute {
  schema = {
    operationId: "cancelJob",
    tags: ["Jobs"],
    summary: "Cancel a job",
    description: "Chunks not yet started are skipped. Cancelling a finished or cancelled job changes nothing.",
    request: { params: JobId },
    responses: { "200": jsonResponse("The job after cancellation", Job), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const found = await cancelJob(c.env, caller(c).accountId, params.id);
    if (!found) throw jobNotFound(params.id);
    return jobView(found.row, found.snapshot, c.get("locale"));
  }
}

export function mountJobs(api: Api) {
  mount(api, "get", "/jobs", ListJobs);
  mount(api, "post", "/jobs", CreateJob, { idempotent: true });
  mount(api, "get", "/jobs/:id", GetJob);
  mount(api, "delete", "/jobs/:id", CancelJob);
}
