import { and, desc, eq, isNotNull } from "drizzle-orm";
import { config } from "../../config";
import { FeedError, requestFeed } from "../../connectors/url/client";
import { checkFeedHeader, checkFeedUrl, type FeedFetch, feedErrorText, feedUrlRefusal } from "../../core/connectors/feed";
import { VitrineError } from "../../core/errors";
import type { Text } from "../../core/text";
import { database } from "../../db/client";
import { type ConnectorRow, type ConnectorSyncRow, connectorSyncs, type JobRow, jobs } from "../../db/schema";
import type { Env } from "../../env";
import { jobPrefix } from "../../storage/job-objects";
import { R2StreamWriter } from "../../storage/multipart-writer";
import { openSecret, sealSecret } from "../encryption";
import { coordinator, syncJob } from "../jobs/jobs";
import { JobFailure } from "../jobs/plan";

/** The pack a feed's records are checked against unless the seller picks one. */
export const FEED_DEFAULT_PACK = "common";

/** Where a feed sync stores the feed it downloaded (under the job's prefix, deleted with the job). */
export const feedObject = (accountId: string, jobId: string) => `${jobPrefix(accountId, jobId)}feed`;

function invalid(pointer: string, detail: Text): VitrineError {
  return new VitrineError("invalid_request", detail, { errors: [{ detail, pointer }] });
}

/**
 * A feed connector's config as the seller sends it — `{ url, header?: { name, value } | null }` —
 * checked (the SSRF policy at creation) and split into what is stored in the clear (`url`,
 * `header_name`) and the header's value, sealed. `header` absent keeps the current one; null removes it.
 */
export async function feedSettings(env: Env, connectorId: string, raw: Record<string, unknown>, current?: ConnectorRow) {
  for (const key of Object.keys(raw)) {
    if (key !== "url" && key !== "header") {
      throw invalid(`/config/${key}`, { en: `Unknown config option "${key}" for url; it takes url and header.`, "pt-BR": `Opção de config "${key}" desconhecida para url; ela aceita url e header.` });
    }
  }
  if (typeof raw.url !== "string") throw invalid("/config/url", { en: "config.url is required: the feed's https address.", "pt-BR": "config.url é obrigatória: o endereço https do feed." });
  const check = checkFeedUrl(raw.url, !config(env).production);
  if (!check.ok) {
    const reason = feedUrlRefusal(check.reason);
    throw invalid("/config/url", { en: `config.url ${reason.en}.`, "pt-BR": `config.url ${reason["pt-BR"]}.` });
  }
  let headerName = typeof current?.config.header_name === "string" ? current.config.header_name : null;
  let secretSealed = current?.secretSealed ?? null;
  if (raw.header === null) {
    headerName = null;
    secretSealed = null;
  } else if (raw.header !== undefined) {
    const header = raw.header as { name?: unknown; value?: unknown };
    const problem = typeof header === "object" ? checkFeedHeader(header.name, header.value) : checkFeedHeader(undefined, undefined);
    if (problem) throw invalid("/config/header", problem);
    headerName = header.name as string;
    secretSealed = await sealSecret(env, header.value as string, connectorId);
  }
  return { config: { url: check.url.href, ...(headerName && { header_name: headerName }) }, secretSealed };
}

/** The last sync of this connector that downloaded and validated its feed to the end, with the same rules. */
async function lastValidatedFeed(env: Env, connectorId: string, job: JobRow): Promise<FeedFetch | null> {
  const [row] = await database(env.DB)
    .select({ feed: connectorSyncs.feed, rulePackHash: jobs.rulePackHash, category: jobs.category, mappingId: jobs.mappingId, mappingVersion: jobs.mappingVersion, applyFixes: jobs.applyFixes })
    .from(connectorSyncs)
    .innerJoin(jobs, eq(jobs.id, connectorSyncs.jobId))
    .where(and(eq(connectorSyncs.connectorId, connectorId), isNotNull(connectorSyncs.feed), eq(connectorSyncs.outcome, "succeeded")))
    .orderBy(desc(connectorSyncs.jobId))
    .limit(1);
  if (!row?.feed || row.feed.unchanged) return null;
  // Other rules would find other issues in the same feed: only then may an unchanged feed skip validation.
  const same =
    row.rulePackHash === job.rulePackHash &&
    row.category === job.category &&
    row.mappingId === job.mappingId &&
    row.mappingVersion === job.mappingVersion &&
    row.applyFixes === job.applyFixes;
  return same ? row.feed : null;
}

/**
 * The plan step of a feed URL sync. Fetches the feed (conditionally, with the validators of the last
 * copy validated under the same rules) and streams it into R2; then the job is planned like an
 * uploaded file (returned with its input pointing at the feed). A 304 ends the sync as `unchanged`
 * at once: no chunk runs, nothing is validated. A redelivered plan message reuses what was stored.
 */
export async function planFeedSync(env: Env, job: JobRow, sync: ConnectorSyncRow, connector: ConnectorRow): Promise<JobRow | null> {
  const coord = coordinator(env, job.id);
  if ((await coord.snapshot()).status !== "queued") return null;
  const key = feedObject(job.accountId, job.id);
  const db = database(env.DB);
  const asFile = async () => {
    await db.update(jobs).set({ inputKey: key }).where(eq(jobs.id, job.id));
    return { ...job, inputKey: key };
  };
  if (sync.feed && !sync.feed.unchanged) return asFile();
  if (!sync.feed) {
    const feed = await download(env, job, connector, key);
    await db.update(connectorSyncs).set({ feed }).where(eq(connectorSyncs.jobId, job.id));
    if (!feed.unchanged) return asFile();
  }
  // Unchanged: an empty plan completes the job without a chunk.
  await coord.planned({ input: { kind: "ndjson", key }, chunks: [], rowsTotal: 0, crossChunkUnique: false });
  await syncJob(env, job.id);
  return null;
}

async function download(env: Env, job: JobRow, connector: ConnectorRow, key: string): Promise<FeedFetch> {
  const { maxBytes, timeoutSeconds } = config(env).feed;
  const previous = await lastValidatedFeed(env, connector.id, job);
  const headerName = typeof connector.config.header_name === "string" ? connector.config.header_name : null;
  const header = headerName && connector.secretSealed ? { name: headerName, value: await openSecret(env, connector.secretSealed, connector.id) } : undefined;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  try {
    const answer = await requestFeed({
      url: String(connector.config.url),
      header,
      validators: previous ? { etag: previous.etag, lastModified: previous.last_modified } : undefined,
      development: !config(env).production,
      signal,
      timeoutSeconds,
    });
    if (answer.unchanged) return { unchanged: true, etag: previous?.etag ?? null, last_modified: previous?.last_modified ?? null, bytes: 0 };
    const { response } = answer;
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new FeedError("too_large", feedErrorText("too_large", { limit: maxBytes }));
    }
    const writer = new R2StreamWriter(env.FILES, key, response.headers.get("content-type") ?? "application/octet-stream");
    try {
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (writer.offset + value.byteLength > maxBytes) {
          await reader.cancel();
          throw new FeedError("too_large", feedErrorText("too_large", { limit: maxBytes }));
        }
        await writer.write(value);
      }
      await writer.close();
    } catch (error) {
      await writer.abort().catch(() => undefined);
      if (signal.aborted && !(error instanceof FeedError)) throw new FeedError("timeout", feedErrorText("timeout", { seconds: timeoutSeconds }));
      throw error;
    }
    return { unchanged: false, etag: response.headers.get("etag"), last_modified: response.headers.get("last-modified"), bytes: writer.offset };
  } catch (error) {
    if (error instanceof FeedError) throw new JobFailure(`feed.${error.code}`, error.text);
    throw error;
  }
}
