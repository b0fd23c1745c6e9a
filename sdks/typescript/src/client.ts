import createFetchClient, { type Client } from "openapi-fetch";
import { type BackoffOptions, backoffDelays, retryAfterMs, sleep } from "./backoff.js";
import { JobWaitTimeoutError, problemError } from "./errors.js";
import { type FetchFunction, type RetryOptions, retryingFetch } from "./retrying-fetch.js";
import type { paths } from "./schema.js";
import type { UploadSource } from "./sources.js";
import type { CorrectedFormat, CreateJobRequest, Issue, IssueFilters, Job, VitrineFile } from "./types.js";
import { type UploadOptions, uploadFile } from "./uploads.js";

export interface ClientOptions {
  /** `vt_live_…` or `vt_test_…`. */
  apiKey: string;
  /** Where Vitrine is served, e.g. `https://vitrine.example.com` or `http://localhost:8787`. */
  baseUrl: string;
  /** Default `globalThis.fetch`; in a Worker, a service binding's `fetch` works too. */
  fetch?: FetchFunction;
  /** Messages in problems and issues: `pt-BR` or `en` (sent as Accept-Language). */
  locale?: "pt-BR" | "en";
  /** Retries of 429, 503 and network errors for requests safe to repeat. */
  retry?: RetryOptions;
}

export interface CreateJobOptions {
  /** Makes the request safe to retry: the same key and body replay the first answer for 24 h. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface WaitForJobOptions extends BackoffOptions {
  /** Give up (JobWaitTimeoutError) after this long; default 30 minutes. */
  timeoutMs?: number;
  /** Called with the job after each poll. */
  onPoll?: (job: Job) => void;
  signal?: AbortSignal;
}

export interface IssuesOptions extends IssueFilters {
  /** Issues per request, 1–1000; default 1000. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface DownloadCorrectedOptions {
  /** Default the source's own format. */
  format?: CorrectedFormat;
  signal?: AbortSignal;
}

export interface VitrineClient {
  /** Every operation of the OpenAPI document, typed (openapi-fetch): `api.GET("/api/v1/account")`. */
  readonly api: Client<paths>;
  uploadFile(source: UploadSource, options?: UploadOptions): Promise<VitrineFile>;
  createJob(request: CreateJobRequest, options?: CreateJobOptions): Promise<Job>;
  /** Polls until the job is completed, failed or cancelled, and returns it (whatever the outcome). */
  waitForJob(jobId: string, options?: WaitForJobOptions): Promise<Job>;
  /** Every issue of a finished job that matches the filters, across all pages. */
  issues(jobId: string, options?: IssuesOptions): AsyncGenerator<Issue>;
  /** The corrected catalog (jobs run with `apply_fixes`): read or stream the Response's body. */
  downloadCorrected(jobId: string, options?: DownloadCorrectedOptions): Promise<Response>;
}

const TERMINAL: ReadonlySet<Job["status"]> = new Set(["completed", "failed", "cancelled"]);

interface IssuesPage {
  data: Issue[];
  has_more: boolean;
  next_cursor: string | null;
}

export function createClient(options: ClientOptions): VitrineClient {
  const baseFetch: FetchFunction = options.fetch ?? ((request) => globalThis.fetch(request));
  const api = createFetchClient<paths>({
    // The document's paths start with /api/v1; accept a base URL given with it too.
    baseUrl: options.baseUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, ""),
    fetch: retryingFetch(baseFetch, options.retry),
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      ...(options.locale && { "accept-language": options.locale }),
    },
  });

  async function getJob(jobId: string, signal?: AbortSignal): Promise<{ job: Job; response: Response }> {
    const { data, error, response } = await api.GET("/api/v1/jobs/{id}", { params: { path: { id: jobId } }, signal });
    if (error !== undefined || !data) throw problemError(response, error);
    return { job: data, response };
  }

  return {
    api,

    uploadFile: (source, uploadOptions) => uploadFile(api, source, uploadOptions),

    async createJob(request, createOptions = {}) {
      const { data, error, response } = await api.POST("/api/v1/jobs", {
        body: request,
        params: { header: { "idempotency-key": createOptions.idempotencyKey } },
        signal: createOptions.signal,
      });
      if (error !== undefined || !data) throw problemError(response, error);
      return data;
    },

    async waitForJob(jobId, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 30 * 60_000;
      const deadline = Date.now() + timeoutMs;
      const delays = backoffDelays(waitOptions);
      for (;;) {
        const { job, response } = await getJob(jobId, waitOptions.signal);
        waitOptions.onPoll?.(job);
        if (TERMINAL.has(job.status)) return job;
        // The API may say when to look again; otherwise back off.
        const wait = retryAfterMs(response.headers.get("retry-after")) ?? delays.next().value;
        if (Date.now() + wait > deadline) throw new JobWaitTimeoutError(jobId, job.status, timeoutMs);
        await sleep(wait, waitOptions.signal);
      }
    },

    async *issues(jobId, { pageSize = 1000, signal, ...filters } = {}) {
      let cursor: string | undefined;
      do {
        const { data, error, response } = await api.GET("/api/v1/jobs/{id}/result/issues", {
          params: { path: { id: jobId }, query: { ...filters, format: "json", limit: String(pageSize), cursor } },
          signal,
        });
        if (error !== undefined || !data) throw problemError(response, error);
        const page = data as IssuesPage;
        yield* page.data;
        cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
      } while (cursor);
    },

    async downloadCorrected(jobId, downloadOptions = {}) {
      const { error, response } = await api.GET("/api/v1/jobs/{id}/result/corrected", {
        params: { path: { id: jobId }, query: downloadOptions.format ? { format: downloadOptions.format } : {} },
        parseAs: "stream",
        signal: downloadOptions.signal,
      });
      if (error !== undefined || !response.ok) throw problemError(response, error);
      return response;
    },
  };
}
