import type { JobInput } from "../../core/jobs/types";
import type { Issue, Severity } from "../../core/rules";
import { csvLine } from "../../core/tabular";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { readLines } from "../../storage/lines";
import { listKeys } from "../../storage/r2-reads";
import { notFound, VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import type { JobRow } from "../../db/schema";
import { coordinator, getJobRow } from "./jobs";

/** The job, once it has results: another account's or an unknown job is not found; one still running is a conflict. */
export async function completedJob(env: Env, accountId: string, jobId: string): Promise<JobRow> {
  const row = await getJobRow(env, accountId, jobId);
  if (!row) throw notFound(text("Job", "O job"), jobId);
  if (row.status !== "completed") {
    throw new VitrineError(
      "conflict",
      text(
        `Job ${jobId} is ${row.status}; results exist once it is completed.`,
        `O job ${jobId} está ${row.status}; os resultados existem quando ele termina (completed).`,
      ),
      { job_status: row.status },
    );
  }
  return row;
}

/** A job that ran with apply_fixes, completed: the corrected catalog exists. */
export async function correctedJob(env: Env, accountId: string, jobId: string): Promise<JobRow> {
  const row = await completedJob(env, accountId, jobId);
  if (!row.applyFixes) {
    throw new VitrineError(
      "conflict",
      text(
        "This job ran without apply_fixes, so it has no corrected catalog. Start a job with options.apply_fixes = true.",
        "Este job rodou sem apply_fixes, então não há catálogo corrigido. Crie um job com options.apply_fixes = true.",
      ),
    );
  }
  return row;
}

export interface IssueFilter {
  severity?: Severity;
  rule?: string;
}

export const ISSUE_CSV_COLUMNS = ["row", "field", "rule", "severity", "message", "value", "suggestion", "fixed"] as const;

function matches(issue: Issue, filter: IssueFilter): boolean {
  return (!filter.severity || issue.severity === filter.severity) && (!filter.rule || issue.rule === filter.rule);
}

interface Position {
  object: number;
  line: number;
}

/** Issues in report order (chunk by chunk, then cross-chunk duplicates), from a position on. */
async function* issues(env: Env, job: JobRow, filter: IssueFilter, from: Position = { object: 0, line: 0 }) {
  const keys = await listKeys(env.FILES, jobObjects.issuesPrefix(job.accountId, job.id));
  for (let o = from.object; o < keys.length; o++) {
    const object = await env.FILES.get(keys[o]);
    if (!object) continue;
    let line = 0;
    for await (const text of readLines(object.body)) {
      const here = line++;
      if (o === from.object && here < from.line) continue;
      if (!text) continue;
      const issue = JSON.parse(text) as Issue;
      if (matches(issue, filter)) yield { issue, text, position: { object: o, line: here } };
    }
  }
}

const encoder = new TextEncoder();

function streamOf(produce: (write: (text: string) => Promise<void>) => Promise<void>): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  produce((text) => writer.write(encoder.encode(text)))
    .then(() => writer.close())
    .catch((error) => writer.abort(error));
  return readable;
}

/** Streams every matching issue as NDJSON or CSV (formula-injection-safe). */
export function issuesStream(env: Env, job: JobRow, format: "ndjson" | "csv", filter: IssueFilter): ReadableStream<Uint8Array> {
  return streamOf(async (write) => {
    if (format === "csv") await write(csvLine(ISSUE_CSV_COLUMNS));
    let batch = "";
    for await (const { issue, text } of issues(env, job, filter)) {
      batch += format === "ndjson" ? text + "\n" : csvLine(ISSUE_CSV_COLUMNS.map((c) => (c === "value" || c === "suggestion" ? cell(issue[c]) : issue[c])));
      if (batch.length > 64 * 1024) {
        await write(batch);
        batch = "";
      }
    }
    if (batch) await write(batch);
  });
}

function cell(value: unknown): unknown {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}

export function encodeCursor(p: Position): string {
  return btoa(`${p.object}.${p.line}`).replaceAll("=", "");
}

/** The position a cursor of ours encodes; anything else is the caller's mistake. */
export function decodeCursor(cursor: string): Position {
  let position: Position | null = null;
  try {
    const [object, line] = atob(cursor).split(".").map(Number);
    if (Number.isInteger(object) && Number.isInteger(line) && object >= 0 && line >= 0) position = { object, line };
  } catch {
    // Not base64: refused below like any other foreign cursor.
  }
  if (position) return position;
  throw new VitrineError("invalid_request", text("The cursor is not one this API returned.", "O cursor não foi devolvido por esta API."), {
    errors: [{ detail: text("invalid cursor", "cursor inválido"), parameter: "cursor" }],
  });
}

/** One page of issues for the JSON format. */
export async function issuesPage(env: Env, job: JobRow, filter: IssueFilter, limit: number, from?: Position) {
  const data: Issue[] = [];
  for await (const { issue, position } of issues(env, job, filter, from)) {
    if (data.length === limit) return { data, has_more: true, next_cursor: encodeCursor(position) };
    data.push(issue);
  }
  return { data, has_more: false, next_cursor: null };
}

/**
 * The corrected catalog in the source's own layout: CSV with the original header, or NDJSON for JSON
 * sources. `format`, when given, must be the one the job can produce.
 */
export async function correctedDownload(env: Env, job: JobRow, format?: JobInput["kind"]): Promise<{ input: JobInput; body: ReadableStream<Uint8Array> }> {
  const input = await coordinator(env, job.id).planInput();
  if (!input) throw notFound(text("Corrected catalog of job", "O catálogo corrigido do job"), job.id);
  if (format && format !== input.kind) {
    throw new VitrineError(
      "unprocessable",
      text(`This job's corrected catalog is available as ${input.kind}.`, `O catálogo corrigido deste job está disponível como ${input.kind}.`),
    );
  }
  const keys = await listKeys(env.FILES, jobObjects.correctedPrefix(job.accountId, job.id));
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  (async () => {
    if (input.kind === "csv") {
      const writer = writable.getWriter();
      // Excel needs the BOM to read accents in a UTF-8 file; keep it when the seller's file had one.
      await writer.write(encoder.encode((input.bom ? "\ufeff" : "") + csvLine(input.header, input.delimiter)));
      writer.releaseLock();
    }
    for (const key of keys) {
      const object = await env.FILES.get(key);
      if (object) await object.body.pipeTo(writable, { preventClose: true });
    }
    await writable.close();
  })().catch((error) => writable.abort(error).catch(() => undefined));
  return { input, body: readable };
}
