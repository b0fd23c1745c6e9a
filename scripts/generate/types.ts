/** The OpenAPI document as the generators read it: plain JSON, as served at /api/v1/openapi.json. */
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, any>>;
  components?: Record<string, any>;
  [key: string]: unknown;
};

/** A file a generator writes, relative to the repository root. */
export interface GeneratedFile {
  path: string;
  content: string;
}

export interface Generator {
  /** Shown in `npm run generate`'s output and in the staleness test's failures. */
  name: string;
  run(document: OpenApiDocument): Promise<GeneratedFile[]> | GeneratedFile[];
}
