import { and, asc, eq, gt } from "drizzle-orm";
import type { Locale } from "../core/locale";
import { type ZipWriter, zipStream } from "../core/tabular";
import { database } from "../db/client";
import { files, type JobRow, jobs } from "../db/schema";
import type { Env } from "../env";
import { jobObjects } from "../storage/job-objects";
import { accountTables, EXPORT_POLICY, type TableInfo } from "./account-tables";
import { correctedDownload, issuesNdjson } from "./jobs/results";
import { resultsExpireAt } from "./retention";

/** Rows read from D1 per query while exporting. */
const ROWS_PER_PAGE = 500;
/**
 * The archive has no ZIP64 records, so it must stay under 4 GiB. File contents and job results
 * are added while the archive is below this; what would pass it is listed in README.txt with the
 * endpoint that serves it instead.
 */
export const MAX_EXPORT_BYTES = 3.5 * 1024 ** 3;

const encoder = new TextEncoder();

interface Skipped {
  entry: string;
  why: string;
}

/**
 * Everything the account holds, as one ZIP archive streamed at the reader's pace: every row of
 * every table of the account as NDJSON under `data/` (credentials and secrets withheld, each
 * said in README.txt), the content of each uploaded file under `files/`, and each job's issues
 * (messages in `locale`), corrected catalog and inline records under `jobs/`. Memory holds one
 * page of rows or one piece of a file at a time.
 */
export function exportAccountData(env: Env, accountId: string, locale: Locale = "en", maxBytes = MAX_EXPORT_BYTES): ReadableStream<Uint8Array> {
  return zipStream(async (zip) => {
    const skipped: Skipped[] = [];
    const budget = { zip, maxBytes };
    const { account, owned, children } = accountTables();
    const withheld: string[] = [];
    for (const table of [account, ...owned, ...children]) {
      const policy = EXPORT_POLICY[table.name];
      if (!policy) {
        skipped.push({ entry: `data/${table.name}.ndjson`, why: "this table has no export decision yet" });
        continue;
      }
      if ("excluded" in policy) {
        withheld.push(`${table.name}: ${policy.excluded}`);
        continue;
      }
      for (const [column, why] of Object.entries(policy.withheld ?? {})) withheld.push(`${table.name}.${column}: ${why}`);
      await zip.add(`data/${table.name}.ndjson`, rowsAsNdjson(env, table, policy.columns, accountId));
    }
    await addFileContents(env, budget, accountId, skipped);
    await addJobResults(env, budget, accountId, locale, skipped);
    await zip.add("README.txt", readme(accountId, withheld, skipped));
  });
}

/** The account's rows of one table, a page at a time, in insertion order. */
async function* rowsAsNdjson(env: Env, table: TableInfo, columns: readonly string[], accountId: string): AsyncGenerator<Uint8Array> {
  const list = columns.map((c) => `"${c}"`).join(", ");
  const query = env.DB.prepare(`select rowid as "__rowid", ${list} from "${table.name}" where ${table.where} and rowid > ?2 order by rowid limit ?3`);
  let after = 0;
  for (;;) {
    const { results } = await query.bind(accountId, after, ROWS_PER_PAGE).all<Record<string, unknown>>();
    if (results.length === 0) return;
    let page = "";
    for (const raw of results) {
      after = raw.__rowid as number;
      page += JSON.stringify(readable(table, columns, raw)) + "\n";
    }
    yield encoder.encode(page);
    if (results.length < ROWS_PER_PAGE) return;
  }
}

/** A row as a person reads it: JSON columns parsed, flags as booleans, `…_at` times as ISO 8601. */
function readable(table: TableInfo, columns: readonly string[], raw: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const name of columns) {
    const value = raw[name];
    const kind = table.columns.get(name);
    if (value === null || value === undefined) row[name] = null;
    else if (kind?.json && typeof value === "string") row[name] = JSON.parse(value);
    else if (kind?.boolean) row[name] = value === 1 || value === true;
    else if (name.endsWith("_at") && typeof value === "number") row[name] = new Date(value).toISOString();
    else row[name] = value;
  }
  return row;
}

/** The archive being written, and the size it must stay under. */
interface Budget {
  zip: ZipWriter;
  maxBytes: number;
}

/** Whether about `size` more bytes (deflate may add a little) keep the archive under its limit. */
function fits(budget: Budget, size: number): boolean {
  return budget.zip.offset + size * 1.01 + 1024 <= budget.maxBytes;
}

/** Adds an entry of about `size` bytes if the archive stays under its limit; else lists it as skipped. */
async function addWithin(budget: Budget, name: string, size: number, skipped: Skipped[], why: string, data: () => Promise<ReadableStream<Uint8Array> | null>) {
  if (!fits(budget, size)) {
    skipped.push({ entry: name, why });
    return;
  }
  const body = await data();
  if (body) await budget.zip.add(name, body);
}

async function addFileContents(env: Env, budget: Budget, accountId: string, skipped: Skipped[]) {
  const db = database(env.DB);
  let after = "";
  for (;;) {
    const page = await db
      .select()
      .from(files)
      .where(and(eq(files.accountId, accountId), gt(files.id, after)))
      .orderBy(asc(files.id))
      .limit(ROWS_PER_PAGE);
    for (const file of page) {
      const why = `the archive would pass 4 GiB; download it with GET /api/v1/files/${file.id}/content`;
      await addWithin(budget, `files/${file.id}/${file.name}`, file.size, skipped, why, async () => (await env.FILES.get(file.r2Key))?.body ?? null);
    }
    if (page.length < ROWS_PER_PAGE) return;
    after = page[page.length - 1].id;
  }
}

/**
 * For each job whose results are still kept: its issues (every one, in `locale`), its corrected
 * catalog (jobs run with apply_fixes) and the records it was sent inline.
 */
async function addJobResults(env: Env, budget: Budget, accountId: string, locale: Locale, skipped: Skipped[]) {
  const db = database(env.DB);
  const now = Date.now();
  let after = "";
  for (;;) {
    const page = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.accountId, accountId), gt(jobs.id, after)))
      .orderBy(asc(jobs.id))
      .limit(ROWS_PER_PAGE);
    for (const job of page) {
      const expiry = resultsExpireAt(env, job);
      const kept = expiry === null || expiry > now;
      if (job.sourceType === "records" && kept) await addObject(env, budget, jobObjects.ndjsonInput(accountId, job.id), `jobs/${job.id}/records.ndjson`, skipped);
      if (job.status === "completed" && kept) await addResultsOf(env, budget, job, locale, skipped);
    }
    if (page.length < ROWS_PER_PAGE) return;
    after = page[page.length - 1].id;
  }
}

async function addObject(env: Env, budget: Budget, key: string, name: string, skipped: Skipped[]) {
  const head = await env.FILES.head(key);
  if (!head) return;
  await addWithin(budget, name, head.size, skipped, "the archive would pass 4 GiB", async () => (await env.FILES.get(key))?.body ?? null);
}

async function addResultsOf(env: Env, budget: Budget, job: JobRow, locale: Locale, skipped: Skipped[]) {
  const issuesSize = await prefixSize(env, jobObjects.issuesPrefix(job.accountId, job.id));
  const issuesWhy = `the archive would pass 4 GiB; download them with GET /api/v1/jobs/${job.id}/result/issues`;
  await addWithin(budget, `jobs/${job.id}/issues.ndjson`, issuesSize, skipped, issuesWhy, async () => issuesNdjson(env, job, {}, locale));
  if (!job.applyFixes) return;
  // The corrected catalog is rebuilt from the source file, which its owner may have deleted.
  const source = await env.FILES.head(job.inputKey);
  if (!source) {
    skipped.push({ entry: `jobs/${job.id}/corrected`, why: "its source file was deleted, and the corrected catalog is rebuilt from it" });
    return;
  }
  const estimate = Math.max(source.size, await prefixSize(env, jobObjects.correctedPrefix(job.accountId, job.id)));
  if (!fits(budget, estimate)) {
    skipped.push({ entry: `jobs/${job.id}/corrected`, why: `the archive would pass 4 GiB; download it with GET /api/v1/jobs/${job.id}/result/corrected` });
    return;
  }
  const download = await correctedDownload(env, job);
  await budget.zip.add(`jobs/${job.id}/corrected.${download.format}`, download.body);
}

async function prefixSize(env: Env, prefix: string): Promise<number> {
  let size = 0;
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix, cursor });
    for (const object of page.objects) size += object.size;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return size;
}

function readme(accountId: string, withheld: string[], skipped: Skipped[]): string {
  const lines = [
    `Vitrine — data of account ${accountId}, exported ${new Date().toISOString()}`,
    `Vitrine — dados da conta ${accountId}, exportados em ${new Date().toISOString()}`,
    "",
    "data/<table>.ndjson   every row the account has, one JSON object per line / cada linha da conta, um objeto JSON por linha",
    "files/<id>/<name>     uploaded files, as sent / arquivos enviados, como foram enviados",
    "jobs/<id>/            issues.ndjson, corrected.<csv|xlsx|ndjson>, records.ndjson (while results are kept / enquanto os resultados são guardados)",
    "",
    "Withheld (credentials and internal data) / Não incluído (credenciais e dados internos):",
    ...withheld.map((w) => `  - ${w}`),
  ];
  if (skipped.length > 0) {
    lines.push("", "Not in this archive / Fora deste arquivo:", ...skipped.map((s) => `  - ${s.entry}: ${s.why}`));
  }
  return lines.join("\n") + "\n";
}

