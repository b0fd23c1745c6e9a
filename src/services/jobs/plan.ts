import { eq } from "drizzle-orm";
import { VitrineError } from "../../core/errors";
import { scanLineBoundaries } from "../../core/jobs/lines";
import type { AutomaticJobMapping, ChunkSpec, JobError, JobInput, JobLayout, JobMessage, JobPlan } from "../../core/jobs/types";
import { automaticMapping, buildTemplate, compileMapping, isColumnName, MappingBindError, MappingError } from "../../core/mapping";
import { truncate } from "../../core/rules/text";
import {
  csvPreamble,
  csvRecordsAbove,
  openXlsx,
  parseJsonArray,
  pickSheet,
  scanRowBoundaries,
  sniff,
  TabularError,
  writesDecimalComma,
  xlsxToRows,
} from "../../core/tabular";
import { text, type Text, verbatim } from "../../core/text";
import { config } from "../../config";
import { database } from "../../db/client";
import { type JobRow, jobs } from "../../db/schema";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { R2StreamWriter } from "../../storage/multipart-writer";
import { r2RandomAccess, rangedReads } from "../../storage/r2-reads";
import { builtinPresets } from "../builtin-layouts";
import { resolvePack } from "../rule-packs";
import { coordinator, enqueue, syncJob } from "./jobs";
import { jobMapping } from "./mapping";
import { planConnectorSync } from "../connectors/sync-plan";
import { jobHold } from "../billing/job-usage";
import { holdValidations } from "../billing/quota";
import { StepTiming } from "./step-timing";

/** Chunks are read whole; with their decoded text and outputs they must fit well inside 128 MB. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Rows the automatic mapping looks at to tell list separators and value styles. */
const SAMPLE_ROWS = 50;

export async function loadJob(env: Env, jobId: string): Promise<JobRow | null> {
  const [row] = await database(env.DB).select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  return row ?? null;
}

export async function openInput(env: Env, key: string, range?: { offset: number; length: number }) {
  const object = await env.FILES.get(key, range ? { range } : undefined);
  if (!object) {
    throw new JobFailure("input_missing", text("The job's input file no longer exists.", "O arquivo de entrada do job não existe mais."));
  }
  return object;
}

/** A reason the job can never complete; it fails at once instead of being retried. */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    readonly text: Text,
  ) {
    super(text.en);
  }
}

/**
 * What a failed step means for the job: errors that no retry can fix (the file, the mapping, the
 * pack, a refusal of ours) fail it at once with their real cause; anything else (storage, network)
 * is left to the queue's retries. Null means "retry".
 */
export function deterministicFailure(error: unknown, job: JobRow): JobError | null {
  if (error instanceof JobFailure) return { code: error.code, message: error.text };
  if (error instanceof MappingError) {
    const code = error instanceof MappingBindError ? "mapping.missing_columns" : job.mappingId ? "mapping.invalid" : "mapping.no_known_columns";
    const hint = job.mappingId
      ? verbatim("")
      : text(
          " No column is named after a canonical field: create a mapping (POST /api/v1/mappings/suggest) and pass mapping_id.",
          " Nenhuma coluna tem o nome de um campo canônico: crie um mapeamento (POST /api/v1/mappings/suggest) e informe mapping_id.",
        );
    return { code, message: text(error.detail.en + hint.en, error.detail["pt-BR"] + hint["pt-BR"]) };
  }
  if (error instanceof TabularError) return { code: `file.${error.code}`, message: verbatim(error.message) };
  if (error instanceof VitrineError) return { code: `job.${error.code}`, message: error.detail };
  if (error instanceof RangeError) return { code: "job.input_too_complex", message: text(`The input could not be processed: ${error.message}.`, `A entrada não pôde ser processada: ${error.message}.`) };
  return null;
}

/**
 * Reserves the job's validations once its records are counted, before any is validated. A job that
 * needs more than the plan has left (Free) fails here with `quota_exceeded`; paid plans go on into
 * overage. Only a job still waiting for its plan takes a hold (a plan step delivered again after
 * the job ended must not take a new one).
 */
export async function holdQuota(env: Env, job: JobRow, records: number): Promise<void> {
  const coord = coordinator(env, job.id);
  if ((await coord.snapshot()).status !== "queued" || !(await coord.metered())) return;
  const hold = await holdValidations(env, job.accountId, jobHold(job.id), records);
  if (!hold.granted) throw new JobFailure("quota_exceeded", hold.reason);
}

/** Plan step: one streaming pass that detects the format, normalizes XLSX/JSON, and cuts the input into chunks. */
export async function planJob(env: Env, message: Extract<JobMessage, { kind: "plan" }>): Promise<void> {
  let job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  if (job.sourceType === "connector") {
    let feed: JobRow | null = null;
    try {
      feed = await planConnectorSync(env, job);
    } catch (error) {
      const failure = deterministicFailure(error, job);
      if (!failure) throw error;
      await coord.fail(failure);
      await syncJob(env, job.id);
    }
    // A feed URL sync has fetched its feed: from here it is planned like an uploaded file.
    if (!feed) return;
    job = feed;
  }
  let plan: JobPlan;
  const timing = new StepTiming({ step: "plan", job_id: job.id });
  try {
    plan = await buildPlan(env, job, config(env).jobChunkRows);
    await timing.tickAndMark("scan");
    // A mapping that reads a column the file lacks fails the job now, not once per chunk.
    await jobMapping(env, job, plan);
    await holdQuota(env, job, plan.rowsTotal);
  } catch (error) {
    const failure = deterministicFailure(error, job);
    if (!failure) throw error;
    await coord.fail(failure);
    await syncJob(env, job.id);
    return;
  }
  const pending = await coord.planned(plan);
  await recordLayout(env, job, plan);
  await enqueue(
    env,
    job.priority,
    pending.map((chunk) => ({ kind: "chunk", job_id: job.id, account_id: job.accountId, chunk })),
  );
  await syncJob(env, job.id);
  timing.mark("register");
  timing.log({ rows: plan.rowsTotal, chunks: plan.chunks.length });
}

/**
 * Bounds on what the job row lists (a header may have 2,048 columns of up to 1 MiB in all): at most
 * LISTED_READ columns read and LISTED_UNREAD unread ones, each name cut at LISTED_NAME characters.
 */
const LISTED_READ = 1000;
const LISTED_UNREAD = 100;
const LISTED_NAME = 100;

/** Without a mapping: which columns the automatic mapping reads into which field, and the named columns it leaves. */
function columnsOf(plan: JobPlan): Pick<JobLayout, "columns" | "unread_columns"> {
  const header = plan.input.kind === "csv" || plan.input.kind === "sheet" ? plan.input.header : undefined;
  if (!plan.automatic || !header) return {};
  const columns = compileMapping(plan.automatic.mapping).bind(header, { missing: "absent" }).columnsRead();
  const read = new Set(columns.map((c) => c.column));
  const name = (s: string) => truncate(s, LISTED_NAME, false, "…");
  return {
    columns: columns.slice(0, LISTED_READ).map((c) => ({ column: name(c.column), field: c.field })),
    unread_columns: header.filter((h) => h.trim() !== "" && !read.has(h)).slice(0, LISTED_UNREAD).map(name),
  };
}

/**
 * The job says how it read its file: the layout it was recognised as (and the one it looks like
 * but did not apply), which columns went into which fields, and on which row it found the header
 * when a title came first.
 */
async function recordLayout(env: Env, job: JobRow, plan: JobPlan) {
  const { automatic, titledHeaderRow } = plan;
  const layout: JobLayout = {
    applied: automatic?.preset ?? null,
    unverified: automatic?.unverified ?? null,
    ...(titledHeaderRow !== undefined && { header_row: titledHeaderRow }),
    ...columnsOf(plan),
  };
  if (!layout.applied && !layout.unverified && layout.header_row === undefined && layout.columns === undefined) return;
  await database(env.DB).update(jobs).set({ layout }).where(eq(jobs.id, job.id));
}

async function buildPlan(env: Env, job: JobRow, rowsPerChunk: number): Promise<JobPlan> {
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
  const crossChunkUnique = pack.compiled.createValidator({ category: job.category ?? undefined }).uniqueRules.length > 0;
  const head = await openInput(env, job.inputKey, { offset: 0, length: 64 * 1024 });
  const size = head.size;
  if (size === 0) return { input: { kind: "ndjson", key: job.inputKey }, chunks: [], rowsTotal: 0, crossChunkUnique };
  const headBytes = new Uint8Array(await head.arrayBuffer());
  const sniffed = sniff(headBytes);
  const automatic = (header: string[], samples: readonly (readonly string[])[], decimalComma: boolean): AutomaticJobMapping | undefined => {
    if (job.mappingId) return undefined;
    const chosen = automaticMapping(header, {
      presets: builtinPresets(),
      template: buildTemplate(pack.compiled, job.category ?? undefined),
      marketplace: job.rulePack,
      decimalComma,
      samples,
    });
    return { mapping: chosen.mapping, preset: strip(chosen.preset), unverified: strip(chosen.unverified) };
  };

  switch (sniffed.format) {
    case "csv": {
      const dialect = { encoding: sniffed.encoding, delimiter: sniffed.delimiter };
      const { headerRow, firstDataRow } = job.sheetOptions ?? {};
      const skipRecords = headerRow !== undefined ? await csvRecordsAbove(headBytes, dialect, headerRow) : await csvPreamble(headBytes, dialect, isColumnName);
      const cut = await scanRowBoundaries(rangedReads(env.FILES, job.inputKey, size), {
        rowsPerChunk,
        maxChunkBytes: MAX_CHUNK_BYTES,
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
        sheetRows: true,
        skipRecords,
        firstDataRow,
      });
      const input: JobInput = {
        kind: "csv",
        key: job.inputKey,
        size,
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
        bom: sniffed.bom,
        decimalComma: sniffed.decimalComma,
        header: cut.header,
      };
      return {
        input,
        chunks: cut.chunks,
        rowsTotal: cut.totalRows,
        crossChunkUnique,
        automatic: automatic(cut.header, [], sniffed.decimalComma),
        ...(skipRecords > 0 && headerRow === undefined && { titledHeaderRow: cut.headerSheetRow }),
      };
    }
    case "ndjson": {
      const cut = await scanLineBoundaries(rangedReads(env.FILES, job.inputKey, size), rowsPerChunk);
      return { input: { kind: "ndjson", key: job.inputKey }, chunks: cut.chunks, rowsTotal: cut.totalRows, crossChunkUnique };
    }
    case "json":
      return convertJsonArray(env, job, size, rowsPerChunk, crossChunkUnique);
    case "xlsx":
      return convertSheet(env, job, size, rowsPerChunk, crossChunkUnique, automatic);
    case "ole":
      throw new JobFailure(
        "file.encrypted_or_legacy",
        text(
          "The file is a legacy .xls or a password-protected workbook; save it as .xlsx or CSV.",
          "O arquivo é um .xls antigo ou uma planilha protegida por senha; salve como .xlsx ou CSV.",
        ),
      );
    default:
      throw new JobFailure("file.unsupported_format", text("The file is not CSV, XLSX, JSON or NDJSON.", "O arquivo não é CSV, XLSX, JSON nem NDJSON."));
  }
}

function strip<T extends { score?: number } | null>(ref: T): Omit<NonNullable<T>, "score"> | null {
  if (!ref) return null;
  const { score: _score, ...rest } = ref;
  return rest;
}

/** Writes records to R2 while recording chunk boundaries, so the converted input needs no second scan. */
class ChunkedWriter {
  readonly chunks: ChunkSpec[] = [];
  private chunkStart = 0;
  private chunkRows = 0;
  rows = 0;

  constructor(
    readonly writer: R2StreamWriter,
    private readonly rowsPerChunk: number,
  ) {}

  async row(line: string) {
    await this.writer.write(line);
    this.rows++;
    this.chunkRows++;
    if (this.chunkRows >= this.rowsPerChunk || this.writer.offset - this.chunkStart >= MAX_CHUNK_BYTES) this.cut();
  }

  private cut() {
    if (this.chunkRows === 0) return;
    const end = this.writer.offset;
    this.chunks.push({ index: this.chunks.length, start: this.chunkStart, end, firstRow: this.rows - this.chunkRows + 1, rows: this.chunkRows });
    this.chunkStart = end;
    this.chunkRows = 0;
  }

  async close() {
    this.cut();
    await this.writer.close();
  }
}

/**
 * An XLSX sheet, converted once into one JSON line per row (`[sheetRow, cells, formulaColumns?]`)
 * so chunks can be read by byte ranges and issues keep Excel's own row numbers.
 */
async function convertSheet(
  env: Env,
  job: JobRow,
  size: number,
  rowsPerChunk: number,
  crossChunkUnique: boolean,
  automatic: (header: string[], samples: readonly (readonly string[])[], decimalComma: boolean) => AutomaticJobMapping | undefined,
): Promise<JobPlan> {
  const key = jobObjects.sheetInput(job.accountId, job.id);
  const out = new ChunkedWriter(new R2StreamWriter(env.FILES, key, "application/x-ndjson"), rowsPerChunk);
  const options = job.sheetOptions ?? {};
  const reader = r2RandomAccess(env.FILES, job.inputKey, size);
  let header: string[] = [];
  const samples: string[][] = [];
  // The sheet by name, so the corrected workbook rewrites the very sheet that was read.
  const sheet = pickSheet(await openXlsx(reader), options.sheet).name;
  let titledHeaderRow: number | undefined;
  try {
    const rows = xlsxToRows(reader, { sheet, headerRow: options.headerRow, firstDataRow: options.firstDataRow, headerBelowTitle: isColumnName });
    header = await rows.header();
    if (rows.titleRowsSkipped() > 0) titledHeaderRow = rows.headerSheetRow();
    for await (const row of rows) {
      if (samples.length < SAMPLE_ROWS && !row.problem) samples.push(row.values);
      const line: unknown[] = [row.sheetRow, row.values];
      if (row.uncachedFormulas?.length) line.push(row.uncachedFormulas);
      else if (row.problem) line.push([]);
      if (row.problem) line.push(row.problem);
      await out.row(JSON.stringify(line) + "\n");
    }
    await out.close();
  } catch (error) {
    await out.writer.abort();
    throw error;
  }
  return {
    input: { kind: "sheet", key, source: job.inputKey, sheet, header },
    chunks: out.chunks,
    rowsTotal: out.rows,
    crossChunkUnique,
    automatic: automatic(header, samples, writesDecimalComma(samples)),
    ...(titledHeaderRow !== undefined && { titledHeaderRow }),
  };
}

async function convertJsonArray(env: Env, job: JobRow, size: number, rowsPerChunk: number, crossChunkUnique: boolean): Promise<JobPlan> {
  const key = jobObjects.ndjsonInput(job.accountId, job.id);
  const out = new ChunkedWriter(new R2StreamWriter(env.FILES, key, "application/x-ndjson"), rowsPerChunk);
  try {
    for await (const record of parseJsonArray(rangedReads(env.FILES, job.inputKey, size))) {
      // A bad element keeps its place so row numbers match the source.
      await out.row(record.value ? JSON.stringify(record.value) + "\n" : JSON.stringify({ __problem: record.problem }) + "\n");
    }
    await out.close();
  } catch (error) {
    await out.writer.abort();
    throw error;
  }
  return { input: { kind: "ndjson", key }, chunks: out.chunks, rowsTotal: out.rows, crossChunkUnique };
}
