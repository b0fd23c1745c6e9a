import { readFile } from "node:fs/promises";
import path from "node:path";
import type { OpenApiDocument } from "./types";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The committed OpenAPI document every generator starts from. The workerd test
 * test/api/openapi.test.ts fails when it no longer matches what the Worker serves, and
 * `npm run generate` refreshes it first.
 */
export const OPENAPI_DOCUMENT = "test/api/__snapshots__/openapi.json";

export async function readOpenApiDocument(): Promise<OpenApiDocument> {
  return JSON.parse(await readFile(path.join(ROOT, OPENAPI_DOCUMENT), "utf8")) as OpenApiDocument;
}
