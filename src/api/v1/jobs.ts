import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import type { JobSnapshot } from "../../core/jobs/types";
import { jobLinks } from "../../services/jobs/events";
import { pinMapping } from "../../services/jobs/mapping";
import type { JobRow } from "../../db/schema";
import { cancelJob, createJob, getJob, listJobs, snapshotFromRow } from "../../services/jobs/jobs";
import { MappingNotFoundError } from "../../services/mappings";
import { type AppContext, caller } from "../context";
import { notFound } from "../error-handler";
import { AUTHED, IdempotencyHeaders, jsonResponse, listOf, problemResponses, Timestamp } from "../schemas";
import { packFailure } from "./rule-packs";
import { ValidationSummary } from "./validate";

/** Inline records beyond this belong in an uploaded file. */
const MAX_INLINE_RECORDS = 10_000;
const STATUS = z.enum(["queued", "running", "completed", "failed", "cancelled"]);

export const Job = z
  .object({
    id: z.string().describe("job_…"),
    status: STATUS,
    rule_pack: z.object({ id: z.string(), revision: z.number().int().nullable(), hash: z.string() }),
    category: z.string().nullable(),
    mapping: z.object({ id: z.string(), version: z.number().int() }).nullable().describe("The exact mapping version the job used"),
    options: z.object({ apply_fixes: z.boolean() }),
    source: z.object({ type: z.enum(["file", "records"]), file_id: z.string().nullable() }),
    progress: z.object({
      rows_processed: z.number().int(),
      rows_total: z.number().int().nullable().describe("Known once the plan step has read the file"),
      chunks_done: z.number().int(),
      chunks_total: z.number().int().nullable(),
      percent: z.number().int().min(0).max(100),
    }),
    // Exact at every moment: each chunk is counted once by the job's coordinator.
    counts: ValidationSummary.pick({ records: true, valid: true, invalid: true, corrected: true, issues: true }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: "Job" });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jobView(row: JobRow, snapshot: JobSnapshot) {
  const s = snapshot.summary;
  return {
    id: row.id,
    status: snapshot.status,
    rule_pack: { id: row.rulePack, revision: row.rulePackRevision, hash: row.rulePackHash },
    category: row.category,
    mapping: row.mappingId && row.mappingVersion !== null ? { id: row.mappingId, version: row.mappingVersion } : null,
    options: { apply_fixes: row.applyFixes },
    source: { type: row.sourceType, file_id: row.fileId },
    progress: snapshot.progress,
    counts: { records: s.records, valid: s.valid, invalid: s.invalid, corrected: s.corrected, issues: s.issues },
    error: snapshot.error,
    created_at: new Date(row.createdAt).toISOString(),
    started_at: iso(snapshot.started_at),
    finished_at: iso(snapshot.finished_at),
    links: jobLinks(row.id, row.applyFixes),
  };
}

const JobId = z.object({ id: z.string().max(64) });

const CreateBody = z.object({
  source: z
    .union([
      z.object({ file_id: z.string().max(64).describe("An uploaded file (POST /api/v1/files)") }).strict(),
      z.object({ records: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_INLINE_RECORDS) }).strict(),
    ])
    .describe("Either an uploaded file or inline records"),
  rule_pack: z.string().max(64),
  category: z.string().max(64).optional(),
  mapping_id: z.string().max(64).optional().describe("Map the source's columns with this saved mapping (its current version is pinned)"),
  options: z.object({ apply_fixes: z.boolean().default(false) }).default({ apply_fixes: false }),
});

export class CreateJob extends OpenAPIRoute {
  schema = {
    operationId: "createJob",
    tags: ["Jobs"],
    summary: "Start validating a file or a batch of records",
    description:
      "Answers 202 at once; poll the job (Location header) or subscribe to webhooks. Free-plan jobs run on the normal queue, paid plans on the priority queue.",
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: CreateBody } } } },
    responses: {
      "202": { ...jsonResponse("The job, queued", Job), headers: { Location: { description: "The job's URL", schema: { type: "string" as const } } } },
      ...problemResponses(...AUTHED, 404, 409, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const auth = caller(c);
    try {
      const mapping = body.mapping_id ? await pinMapping(c.env, auth.accountId, body.mapping_id) : undefined;
      const row = await createJob(
        c.env,
        auth,
        { source: body.source, rulePack: body.rule_pack, category: body.category, mapping, applyFixes: body.options.apply_fixes, locale: c.get("locale") },
      );
      return c.json(jobView(row, snapshotFromRow(row)), 202, { Location: `/api/v1/jobs/${row.id}` });
    } catch (error) {
      if (error instanceof MappingNotFoundError) throw notFound("Mapping", body.mapping_id ?? "");
      throw packFailure(error, body.rule_pack);
    }
  }
}

export class GetJob extends OpenAPIRoute {
  schema = {
    operationId: "getJob",
    tags: ["Jobs"],
    summary: "Get a job's status, progress and exact counts",
    request: { params: JobId },
    responses: { "200": jsonResponse("The job", Job), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const found = await getJob(c.env, caller(c).accountId, params.id);
    if (!found) throw notFound("Job", params.id);
    return jobView(found.row, found.snapshot);
  }
}

export class ListJobs extends OpenAPIRoute {
  schema = {
    operationId: "listJobs",
    tags: ["Jobs"],
    summary: "List the account's jobs, newest first",
    request: {
      query: z.object({
        status: STATUS.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        starting_after: z.string().max(64).optional(),
      }),
    },
    responses: { "200": jsonResponse("A page of jobs", listOf(Job)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    const page = await listJobs(c.env, caller(c).accountId, { status: query.status, limit: query.limit, startingAfter: query.starting_after });
    // Listing shows the state D1 holds (updated on every transition); GET a job for live progress.
    return { data: page.rows.map((row) => jobView(row, snapshotFromRow(row))), has_more: page.hasMore };
  }
}

export class CancelJob extends OpenAPIRoute {
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
    if (!found) throw notFound("Job", params.id);
    return jobView(found.row, found.snapshot);
  }
}
