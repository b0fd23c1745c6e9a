import type { components, operations, webhooks } from "./schema.js";

export type Schemas = components["schemas"];
export type Job = Schemas["Job"];
export type JobStatus = Job["status"];
export type Issue = Schemas["Issue"];
/** A stored file (`file_…`); named so it does not shadow the runtime's `File`. */
export type VitrineFile = Schemas["File"];
export type Upload = Schemas["Upload"];
export type UploadPart = Schemas["UploadPart"];
export type Problem = Schemas["Problem"];

export type CreateJobRequest = NonNullable<operations["createJob"]["requestBody"]>["content"]["application/json"];

type IssuesQuery = NonNullable<operations["getJobIssues"]["parameters"]["query"]>;
/** What `issues()` can select: severity, rule, field, column, sku, sku_prefix. */
export type IssueFilters = Omit<IssuesQuery, "format" | "delimiter" | "encoding" | "limit" | "cursor">;

export type CorrectedFormat = NonNullable<NonNullable<operations["getCorrectedCatalog"]["parameters"]["query"]>["format"]>;

type EventOf<Operation> = Operation extends { requestBody: { content: { "application/json": infer Body } } } ? Body : never;
/** Any event Vitrine delivers to a webhook endpoint, discriminated by `type`. */
export type WebhookEvent = { [Type in keyof webhooks]: EventOf<webhooks[Type]["post"]> }[keyof webhooks];
