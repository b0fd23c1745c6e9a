import type { Problem } from "./types.js";

/** An RFC 9457 problem as Vitrine answers it, with any extension members (e.g. `quota`). */
export type ProblemBody = Problem & Record<string, unknown>;

/**
 * The API answered with an error. `code` is the stable error code (`quota_exceeded`,
 * `not_found`, …) taken from the problem's `type` (`/docs#error-quota-exceeded`); `problem` is
 * the whole body, extension members included.
 */
export class VitrineProblemError extends Error {
  override readonly name = "VitrineProblemError";
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly code: string;
  readonly instance: string | undefined;
  readonly errors: Problem["errors"];
  readonly problem: ProblemBody;
  /** Response headers, e.g. Retry-After or the Vitrine-Quota-* ones. */
  readonly headers: Headers;

  constructor(problem: ProblemBody, headers: Headers = new Headers()) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors;
    this.code = codeOf(problem);
    this.problem = problem;
    this.headers = headers;
  }
}

function codeOf(problem: ProblemBody): string {
  const anchor = /#error-([a-z0-9-]+)$/.exec(problem.type);
  if (anchor) return anchor[1].replaceAll("-", "_");
  return typeof problem.code === "string" ? problem.code : `http_${problem.status}`;
}

function isProblem(body: unknown): body is ProblemBody {
  if (typeof body !== "object" || body === null) return false;
  const { type, title, status, detail } = body as Record<string, unknown>;
  return typeof type === "string" && typeof title === "string" && typeof status === "number" && typeof detail === "string";
}

/**
 * The error for a failed response. `body` is what openapi-fetch parsed (JSON when it was JSON,
 * else text); answers that are not problems (a proxy's HTML page) still become a problem.
 */
export function problemError(response: Response, body: unknown): VitrineProblemError {
  if (isProblem(body)) return new VitrineProblemError(body, response.headers);
  const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
  return new VitrineProblemError(
    {
      type: "about:blank",
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: text.slice(0, 1000),
      instance: new URL(response.url || "http://unknown/").pathname,
    },
    response.headers,
  );
}

/** `waitForJob` gave up before the job ended. */
export class JobWaitTimeoutError extends Error {
  override readonly name = "JobWaitTimeoutError";
  constructor(
    readonly jobId: string,
    readonly lastStatus: string,
    timeoutMs: number,
  ) {
    super(`job ${jobId} was still ${lastStatus} after ${timeoutMs} ms`);
  }
}
