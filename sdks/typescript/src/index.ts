export { type ClientOptions, type CreateJobOptions, createClient, type DownloadCorrectedOptions, type IssuesOptions, type VitrineClient, type WaitForJobOptions } from "./client.js";
export { JobWaitTimeoutError, type ProblemBody, VitrineProblemError } from "./errors.js";
export type { FetchFunction, RetryOptions } from "./retrying-fetch.js";
export type { components, operations, paths, webhooks } from "./schema.js";
export type { UploadSource } from "./sources.js";
export type * from "./types.js";
export type { UploadOptions, UploadProgress } from "./uploads.js";
export { type HeadersLike, type VerifyWebhookOptions, verifyWebhook, WebhookVerificationError, type WebhookVerificationFailure } from "./webhooks.js";
export { backoffDelays, retryAfterMs } from "./backoff.js";
