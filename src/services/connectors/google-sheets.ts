import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { readRanges, readValues, replaceSheet, ROWS_PER_REQUEST, type SheetProperties, sheetProperties, SheetsRequestError, writeCells } from "../../connectors/google-sheets/api";
import {
  cellRange,
  cellText,
  cellWriteValue,
  holdsVerificationCode,
  ISSUES_SHEET,
  rowsRange,
  type SheetsSettings,
  sheetsSettings,
  VERIFICATION_RANGE,
  VERIFICATION_SHEET,
  verificationCode,
} from "../../core/connectors/google-sheets/sheet";
import type { FieldChange } from "../../core/connectors/mercadolivre/items";
import type { ConnectorProblem } from "../../core/connectors/types";
import type { AutomaticJobMapping, ChunkSpec, JobInput, JobPlan } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { attributeTwinsOf, automaticMapping, buildTemplate } from "../../core/mapping";
import { RecordPipeline } from "../../core/pipeline";
import type { ValidationSummary } from "../../core/report/summary";
import type { Issue } from "../../core/rules";
import { changedCells, writesDecimalComma } from "../../core/tabular";
import { type Text, text } from "../../core/text";
import { database } from "../../db/client";
import { type ConnectorPushItemRow, type ConnectorPushRow, type ConnectorRow, connectorPushItems, connectors, type JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { listKeys } from "../../storage/r2-reads";
import { builtinPresets } from "../builtin-layouts";
import { ChunkOutputs, ChunkUniqueTracker, writeChunkOutputs } from "../jobs/chunk";
import { EncodedLines } from "../../storage/encoded-lines";
import { uniquePartitionsOf } from "../../core/jobs/unique-partitions";
import { coordinator, enqueue, syncJob } from "../jobs/jobs";
import { jobMapping } from "../jobs/mapping";
import { holdQuota, JobFailure } from "../jobs/plan";
import { resolvePack } from "../rule-packs";
import { ReauthorizationRequiredError } from "./errors";
import { gateOf, ProviderSession } from "./session";
import { changesChunk, listingPrefix } from "./objects";
import { nextSyncAt } from "./schedules";
import type { ChangeLine } from "./sync-chunk";

/** Sheet rows one chunk step validates (read in ranges of ROWS_PER_REQUEST). */
export const ROWS_PER_CHUNK = 2000;
/** Rows a push part writes (one read of their current values, one batchUpdate). */
export const ROWS_PER_PUSH_PART = 500;
/** Rows the automatic mapping looks at, as for files. */
const SAMPLE_ROWS = 50;
/** Issues written to the issues sheet at most: a bigger list is read from the job's results. */
export const MAX_ISSUES_SHEET_ROWS = 20_000;
/** Issue rows written per request (under the 2 MB payload Google recommends). */
const ISSUE_ROWS_PER_WRITE = 5000;

/** Sheets requests a step needs in the worst case: its reads (or read and write), a few retries, and gate calls. */
const MIN_STEP_BUDGET = 8;

/** Why a Google Sheets step cannot go on; the sync or push fails with it (no retry helps). */
function failure(code: string, en: string, pt: string): JobFailure {
  return new JobFailure(code, text(en, pt));
}

export function settingsOf(connector: ConnectorRow): SheetsSettings {
  try {
    return sheetsSettings(connector.config);
  } catch (error) {
    throw failure("connector.invalid_config", `The connector's config is invalid: ${(error as Error).message}`, `A config do conector é inválida: ${(error as Error).message}`);
  }
}

const NOT_VERIFIED: ConnectorProblem = {
  code: "connector.verification_required",
  message: text(
    `The spreadsheet does not hold this connector's verification code: put it in cell A1 of a sheet named "${VERIFICATION_SHEET}" (see the connector's verification), then authorize again.`,
    `A planilha não contém o código de verificação deste conector: coloque-o na célula A1 de uma aba chamada "${VERIFICATION_SHEET}" (veja a verificação do conector) e autorize de novo.`,
  ),
};

/**
 * A service-account connector may read a sheet only when the sheet holds its verification code
 * (one service account serves every tenant, so the share alone does not say who asked). OAuth
 * connectors read with the seller's own grant and need no code.
 */
export async function sheetHoldsCode(session: ProviderSession, connector: ConnectorRow, settings: SheetsSettings): Promise<boolean> {
  if (settings.auth !== "service_account") return true;
  try {
    return holdsVerificationCode(await readValues(session.fetch, settings.spreadsheetId, VERIFICATION_RANGE), verificationCode(connector.id));
  } catch (error) {
    // No "Vitrine" sheet (400), no such spreadsheet (404), or not shared with the service account (403): not verified.
    if (error instanceof SheetsRequestError) return false;
    if (error instanceof ReauthorizationRequiredError && error.error === "forbidden") return false;
    throw error;
  }
}

async function setStatus(env: Env, connector: ConnectorRow, values: Partial<ConnectorRow>) {
  await database(env.DB)
    .update(connectors)
    .set({ ...values, updatedAt: Date.now() })
    .where(and(eq(connectors.id, connector.id), eq(connectors.accountId, connector.accountId)));
}

/**
 * `POST /connectors/{id}/authorize` of a service-account connector: takes the service account's
 * token in the connector's gate and checks the sheet for the code. Active when it is there,
 * pending_verification (with the reason) when not.
 */
export async function verifyServiceAccountConnector(env: Env, connector: ConnectorRow, budget: number): Promise<ConnectorRow> {
  const settings = sheetsSettings(connector.config);
  const connected = await gateOf(env, connector.id).connectServiceAccount({ connectorId: connector.id, type: connector.type });
  if (!connected.ok) {
    const problem: ConnectorProblem = {
      code: `provider.${connected.error}`.slice(0, 100),
      message: text(
        `Google did not give the service account a token (${connected.error}${connected.description ? `: ${connected.description}` : ""}).`,
        `O Google não deu um token à conta de serviço (${connected.error}${connected.description ? `: ${connected.description}` : ""}).`,
      ),
    };
    const next = { ...connector, status: "error" as const, problem };
    await setStatus(env, connector, { status: next.status, problem });
    return next;
  }
  const holds = await sheetHoldsCode(new ProviderSession(env, connector, budget), connector, settings);
  const values: Partial<ConnectorRow> = holds
    ? { status: "active", problem: null, providerUserId: connected.userId, nextSyncAt: nextSyncAt({ ...connector, status: "active" }) }
    : { status: "pending_verification", problem: NOT_VERIFIED, providerUserId: connected.userId, nextSyncAt: null };
  await setStatus(env, connector, values);
  return { ...connector, ...values, updatedAt: Date.now() };
}

/** The sheet the connector reads: the one it names, or the first. */
function pickSheet(sheets: SheetProperties[], settings: SheetsSettings): SheetProperties {
  const sheet = settings.sheet === null ? sheets.find((s) => s.title !== VERIFICATION_SHEET && s.title !== ISSUES_SHEET) : sheets.find((s) => s.title === settings.sheet);
  if (!sheet) {
    throw failure(
      "connector.sheet_not_found",
      `The spreadsheet has no sheet named "${settings.sheet ?? "(first)"}"; its sheets: ${sheets.map((s) => s.title).join(", ") || "none"}.`,
      `A planilha não tem uma aba chamada "${settings.sheet ?? "(primeira)"}"; suas abas: ${sheets.map((s) => s.title).join(", ") || "nenhuma"}.`,
    );
  }
  return sheet;
}

/** Sheets' refusals that no retry fixes, as the sync's failure. */
function sheetsFailure(error: SheetsRequestError): JobFailure {
  if (error.status === 404) return failure("connector.spreadsheet_not_found", `Google Sheets found no such spreadsheet (${error.reason}).`, `O Google Sheets não encontrou a planilha (${error.reason}).`);
  if (error.status === 403) {
    return failure(
      "connector.spreadsheet_forbidden",
      `Google Sheets refused access to the spreadsheet (${error.reason}): share it with the service account, or authorize again with an account that can edit it.`,
      `O Google Sheets recusou o acesso à planilha (${error.reason}): compartilhe-a com a conta de serviço, ou autorize de novo com uma conta que possa editá-la.`,
    );
  }
  return failure("connector.sheets_refused", `Google Sheets refused the request (${error.status}: ${error.reason}).`, `O Google Sheets recusou a requisição (${error.status}: ${error.reason}).`);
}

function rethrow(error: unknown): never {
  if (error instanceof SheetsRequestError) throw sheetsFailure(error);
  throw error;
}

/**
 * The plan step of a Google Sheets sync: checks the verification code (service account), reads
 * the sheet's size and header (plus a few rows for the automatic mapping), and hands the
 * coordinator one chunk per ROWS_PER_CHUNK rows of the grid. Nothing is listed to R2: each chunk
 * reads its own rows.
 */
export async function planSheetsSync(env: Env, job: JobRow, connector: ConnectorRow, budget: number): Promise<void> {
  const coord = coordinator(env, job.id);
  const settings = settingsOf(connector);
  // Without room for a chunk's reads every chunk would be retried until it gives up: fail now, saying why.
  if (budget < MIN_STEP_BUDGET) {
    throw failure(
      "connector.budget_too_small",
      "SUBREQUEST_BUDGET (divided by JOB_QUEUE_BATCH_SIZE) leaves no room for a Google Sheets step; see docs/connectors.md.",
      "SUBREQUEST_BUDGET (dividido por JOB_QUEUE_BATCH_SIZE) não deixa espaço para uma etapa do Google Sheets; veja docs/connectors.md.",
    );
  }
  const session = new ProviderSession(env, connector, budget);
  try {
    if (!(await sheetHoldsCode(session, connector, settings))) {
      await setStatus(env, connector, { status: "pending_verification", problem: NOT_VERIFIED });
      throw new JobFailure(NOT_VERIFIED.code, NOT_VERIFIED.message);
    }
    const sheet = pickSheet(await sheetProperties(session.fetch, settings.spreadsheetId), settings);
    const head = await readValues(session.fetch, settings.spreadsheetId, rowsRange(sheet.title, settings.headerRow, settings.headerRow + SAMPLE_ROWS, sheet.columnCount));
    const header = (head[0] ?? []).map(cellText);
    while (header.length > 0 && header[header.length - 1].trim() === "") header.pop();
    if (header.length === 0) {
      throw failure(
        "connector.no_header",
        `Row ${settings.headerRow} of sheet "${sheet.title}" is empty: it must hold the column names (config.header_row).`,
        `A linha ${settings.headerRow} da aba "${sheet.title}" está vazia: ela deve ter os nomes das colunas (config.header_row).`,
      );
    }
    const samples = head.slice(1).map((row) => header.map((_, i) => cellText(row[i])));
    const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
    let automatic: AutomaticJobMapping | undefined;
    if (!job.mappingId) {
      const chosen = automaticMapping(header, {
        presets: builtinPresets(),
        template: buildTemplate(pack.compiled, job.category ?? undefined),
        marketplace: job.rulePack,
        decimalComma: writesDecimalComma(samples),
        samples,
      });
      const strip = <T extends { score?: number }>(ref: T | null) => (ref ? (({ score: _score, ...rest }) => rest)(ref) : null);
      automatic = { mapping: chosen.mapping, preset: strip(chosen.preset), unverified: strip(chosen.unverified) };
    }
    const first = settings.headerRow + 1;
    const rowsTotal = Math.max(0, sheet.rowCount - settings.headerRow);
    const chunks: ChunkSpec[] = [];
    for (let start = first, index = 0; start <= sheet.rowCount; start += ROWS_PER_CHUNK, index++) {
      const end = Math.min(sheet.rowCount, start + ROWS_PER_CHUNK - 1);
      // start/end are sheet rows here (not bytes): the chunk reads exactly those rows.
      chunks.push({ index, start, end, firstRow: start, rows: end - start + 1, startSheetRow: start });
    }
    const input: JobInput = {
      kind: "connector",
      key: listingPrefix(job.accountId, job.id),
      connectorId: connector.id,
      type: connector.type,
      descriptions: false,
      header,
      sheet: { spreadsheetId: settings.spreadsheetId, name: sheet.title, headerRow: settings.headerRow, columns: header.length },
    };
    const plan: JobPlan = { input, chunks, rowsTotal, crossChunkUnique: pack.compiled.createValidator({}).uniqueRules.length > 0, automatic };
    // A mapping that reads a column the sheet lacks fails the sync now, not once per chunk.
    await jobMapping(env, job, plan);
    if ((await coord.snapshot()).status !== "queued") return;
    await holdQuota(env, job, plan.rowsTotal);
    const pending = await coord.planned(plan);
    await enqueue(
      env,
      job.priority,
      pending.map((chunk) => ({ kind: "chunk", job_id: job.id, account_id: job.accountId, chunk })),
    );
    await syncJob(env, job.id);
  } catch (error) {
    rethrow(error);
  }
}

/**
 * A chunk of a Google Sheets sync: reads its rows in ranges (UNFORMATTED_VALUE), maps each row
 * through the header's mapping as a file's row, validates and fixes it; issues carry the sheet's
 * row numbers. Corrected records come out as NDJSON (column → value) and the changed cells as the
 * push's candidates (one "item" per sheet row, one change per cell).
 */
export async function sheetsChunk(env: Env, job: JobRow, plan: JobPlan, spec: ChunkSpec, connector: ConnectorRow, budget: number): Promise<ValidationSummary> {
  const input = plan.input as Extract<JobInput, { kind: "connector" }>;
  const sheet = input.sheet!;
  const header = input.header ?? [];
  const session = new ProviderSession(env, connector, budget);
  const locale = job.locale as Locale;
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
  const tracker = new ChunkUniqueTracker();
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale, applyFixes: job.applyFixes, unique: tracker, bilingual: true });
  const twins = attributeTwinsOf(pack.compiled.fields(job.category ?? undefined));
  const pipeline = new RecordPipeline({ validator, applyFixes: job.applyFixes, locale, bilingual: true, twins, ...(await jobMapping(env, job, plan)) });
  const out = new ChunkOutputs(tracker, uniquePartitionsOf(plan));
  // Record and issue keys (SKU, else the sheet's row) for what changed since the last sync.
  out.keys = [];
  const changes = new EncodedLines();

  for (let from = spec.start; from <= spec.end; from += ROWS_PER_REQUEST) {
    const to = Math.min(spec.end, from + ROWS_PER_REQUEST - 1);
    let rows: unknown[][];
    try {
      rows = await readValues(session.fetch, sheet.spreadsheetId, rowsRange(sheet.name, from, to, sheet.columns));
    } catch (error) {
      rethrow(error);
    }
    rows.forEach((raw, i) => {
      const sheetRow = from + i;
      const cells = Array.isArray(raw) ? raw : [];
      const values = header.map((_, c) => cellText(cells[c]));
      if (values.every((v) => v.trim() === "")) return; // a blank row is no record
      const outcome = pipeline.cells(values, sheetRow);
      out.record(outcome);
      if (!job.applyFixes || !outcome.corrected_source) return;
      const corrected = outcome.corrected_source;
      out.corrected.add(JSON.stringify(Object.fromEntries(header.map((h, c) => [h, corrected[c] ?? ""]))));
      const edits = changedCells(values, corrected);
      if (edits.length === 0) return;
      const line: ChangeLine = {
        row: sheetRow,
        item_id: String(sheetRow),
        variation_id: null,
        category: null,
        // One change per cell: the field is the column's name (what push_fields lists), from/to as the cell holds them.
        changes: edits.map((e) => ({ field: header[e.column], from: cells[e.column] ?? "", to: cellWriteValue(String(e.value ?? ""), cells[e.column]) }) as unknown as FieldChange),
      };
      changes.add(JSON.stringify(line));
    });
  }

  await writeChunkOutputs(env, job, plan, spec, out);
  if (job.applyFixes) await env.FILES.put(changesChunk(job.accountId, job.id, spec.index), changes.blob());
  return out.summary;
}

/** Rows as a few contiguous ranges (neighbouring rows read together). */
function rowRuns(rows: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const row of [...rows].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && row <= last[1] + 20) last[1] = Math.max(last[1], row);
    else runs.push([row, row]);
  }
  return runs;
}

/** The values a part's rows hold now, by sheet row, and the header as it is now. */
async function currentRows(session: ProviderSession, spreadsheetId: string, sheet: SheetProperties, headerRow: number, rows: number[]) {
  const runs = rowRuns(rows);
  const ranges = [rowsRange(sheet.title, headerRow, headerRow, sheet.columnCount), ...runs.map(([a, b]) => rowsRange(sheet.title, a, b, sheet.columnCount))];
  const answers = await readRanges(session.fetch, spreadsheetId, ranges);
  const header = (answers[0][0] ?? []).map(cellText);
  const byRow = new Map<number, unknown[]>();
  runs.forEach(([a], i) => answers[i + 1].forEach((cells, j) => byRow.set(a + j, Array.isArray(cells) ? cells : [])));
  return { header, byRow };
}

type SentCells = Record<string, unknown>;

/** The push failed for a reason of the sheet (not verified, refused): recorded on the push, no retry. */
export class SheetsPushStopped extends Error {
  constructor(readonly problem: ConnectorProblem) {
    super(problem.message.en);
  }
}

/**
 * One part of a push to a Google Sheet: checks the verification code (service account), reads the
 * part's rows as they are now (one request), skips cells whose value changed since the sync (or
 * whose column moved), records the values before, then writes only the changed cells with one
 * values:batchUpdate (RAW). Dry runs stop before writing. Cells recorded as being sent are sent again.
 */
export async function sheetsPushItems(env: Env, session: ProviderSession, connector: ConnectorRow, push: ConnectorPushRow, items: ConnectorPushItemRow[]): Promise<void> {
  const db = database(env.DB);
  const settings = settingsOf(connector);
  try {
    if (!(await sheetHoldsCode(session, connector, settings))) {
      await setStatus(env, connector, { status: "pending_verification", problem: NOT_VERIFIED });
      throw new SheetsPushStopped(NOT_VERIFIED);
    }
    const sheet = pickSheet(await sheetProperties(session.fetch, settings.spreadsheetId), settings);
    const { header, byRow } = await currentRows(session, settings.spreadsheetId, sheet, settings.headerRow, items.map((i) => Number(i.itemId)));
    const now = Date.now();
    const writes: { row: ConnectorPushItemRow; cells: SentCells }[] = [];
    // Every row's plan is recorded in a few D1 batches (each batch is one subrequest of the step's budget).
    const planned: ReturnType<typeof planStatement>[] = [];
    const planStatement = (itemId: string, values: Partial<ConnectorPushItemRow>) =>
      db.update(connectorPushItems).set({ ...values, updatedAt: now }).where(itemKey(push.id, itemId));
    for (const item of items) {
      if (item.status === "sending" && item.sent?.body) {
        writes.push({ row: item, cells: item.sent.body });
        continue;
      }
      const sheetRow = Number(item.itemId);
      const current = byRow.get(sheetRow) ?? [];
      const cells: SentCells = {};
      const before: Record<string, unknown> = {};
      const skipped = [...item.skipped];
      for (const change of item.changes) {
        const column = header.indexOf(change.field);
        if (column < 0) {
          skipped.push({ field: change.field, reason: "column_missing" });
          continue;
        }
        if (cellText(current[column]) !== cellText(change.from)) {
          skipped.push({ field: change.field, reason: "changed_in_sheet" });
          continue;
        }
        cells[cellRange(sheet.title, sheetRow, column)] = change.to;
        before[change.field] = current[column] ?? "";
      }
      if (Object.keys(cells).length === 0) {
        planned.push(planStatement(item.itemId, { status: "skipped", skipped }));
        continue;
      }
      planned.push(planStatement(item.itemId, { status: push.dryRun ? "would_send" : "sending", sent: { body: cells, description: null }, before, skipped }));
      if (!push.dryRun) writes.push({ row: item, cells });
    }
    await inBatches(db, planned);
    if (writes.length === 0) return;
    const data = writes.flatMap((w) => Object.entries(w.cells).map(([range, value]) => ({ range, values: [[value]] })));
    let outcome: { status: "accepted" | "refused"; cause: { code: string; message: string }[] | null };
    try {
      await writeCells(session.fetch, settings.spreadsheetId, data);
      outcome = { status: "accepted", cause: null };
    } catch (error) {
      // One batchUpdate is all or nothing: a refusal (a protected range, a removed sheet) is every row's.
      if (!(error instanceof SheetsRequestError) || error.status === 403) throw error;
      outcome = { status: "refused", cause: [{ code: `http_${error.status}`, message: error.reason }] };
    }
    const ids = writes.map((w) => w.row.itemId);
    const outcomes = [];
    for (let i = 0; i < ids.length; i += 90) {
      outcomes.push(
        db
          .update(connectorPushItems)
          .set({ status: outcome.status, cause: outcome.cause, updatedAt: Date.now() })
          .where(and(eq(connectorPushItems.pushId, push.id), inArray(connectorPushItems.itemId, ids.slice(i, i + 90)))),
      );
    }
    await inBatches(db, outcomes);
  } catch (error) {
    if (error instanceof SheetsRequestError) {
      const f = sheetsFailure(error);
      throw new SheetsPushStopped({ code: f.code, message: f.text });
    }
    if (error instanceof JobFailure) throw new SheetsPushStopped({ code: error.code, message: error.text });
    throw error;
  }
}

/** D1 statements run 100 to a batch: one subrequest per batch, not per statement. */
async function inBatches<T extends BatchItem<"sqlite">>(db: ReturnType<typeof database>, statements: T[]) {
  for (let i = 0; i < statements.length; i += 100) {
    const [first, ...rest] = statements.slice(i, i + 100);
    await db.batch([first, ...rest]);
  }
}

function itemKey(pushId: string, itemId: string) {
  return and(eq(connectorPushItems.pushId, pushId), eq(connectorPushItems.itemId, itemId));
}

/**
 * After an applied push (config.issues_sheet): the "Vitrine – problemas" sheet is replaced with the
 * sync's issues (row, SKU, column, message in the job's language), at most MAX_ISSUES_SHEET_ROWS.
 * Returns the problem when it could not be written (the push itself stands).
 */
export async function writeIssuesSheet(env: Env, connector: ConnectorRow, push: ConnectorPushRow, locale: Locale, budget: number): Promise<ConnectorProblem | null> {
  const settings = settingsOf(connector);
  if (!settings.issuesSheet) return null;
  const rows: unknown[][] = [];
  let more = 0;
  for (const key of await listKeys(env.FILES, jobObjects.issuesPrefix(push.accountId, push.jobId))) {
    const object = await env.FILES.get(key);
    if (!object) continue;
    for (const line of (await object.text()).split("\n")) {
      if (!line) continue;
      if (rows.length >= MAX_ISSUES_SHEET_ROWS) {
        more++;
        continue;
      }
      const issue = JSON.parse(line) as Issue & { text?: Text };
      rows.push([issue.row, issue.sku ?? "", issue.column ?? issue.field ?? "", issue.text ? issue.text[locale] ?? issue.message : issue.message]);
    }
  }
  rows.sort((a, b) => (a[0] as number) - (b[0] as number));
  const heading = locale === "pt-BR" ? ["Linha", "SKU", "Coluna", "Problema"] : ["Row", "SKU", "Column", "Issue"];
  const all: unknown[][] = [heading, ...rows];
  if (more > 0) all.push(["", "", "", locale === "pt-BR" ? `… e mais ${more} problemas nos resultados do job ${push.jobId}` : `… and ${more} more issues in job ${push.jobId}'s results`]);
  const session = new ProviderSession(env, connector, budget);
  try {
    const existing = (await sheetProperties(session.fetch, settings.spreadsheetId)).find((s) => s.title === ISSUES_SHEET);
    await replaceSheet(session.fetch, settings.spreadsheetId, existing?.sheetId ?? null, ISSUES_SHEET, all.length, 4);
    for (let i = 0; i < all.length; i += ISSUE_ROWS_PER_WRITE) {
      const block = all.slice(i, i + ISSUE_ROWS_PER_WRITE);
      await writeCells(session.fetch, settings.spreadsheetId, [{ range: rowsRange(ISSUES_SHEET, i + 1, i + block.length, 4), values: block }]);
    }
    return null;
  } catch (error) {
    return {
      code: "connector.issues_sheet_failed",
      message: text(
        `The cells were written, but the "${ISSUES_SHEET}" sheet could not be (${(error as Error).message}).`,
        `As células foram escritas, mas a aba "${ISSUES_SHEET}" não pôde ser (${(error as Error).message}).`,
      ),
    };
  }
}
