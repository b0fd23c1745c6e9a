/**
 * `npm run generate`'s Postman files: the collection and environment users import
 * (postman-collection.ts) and the smoke collection newman runs (postman-smoke.ts). See postman/README.md.
 */
import { buildPostmanCollection, buildPostmanEnvironment } from "./postman-collection";
import { buildSmokeCollection } from "./postman-smoke";
import type { GeneratedFile, Generator } from "./types";

export const POSTMAN_COLLECTION = "postman/vitrine.postman_collection.json";
export const POSTMAN_ENVIRONMENT = "postman/vitrine.postman_environment.json";
export const POSTMAN_SMOKE_COLLECTION = "postman/vitrine-smoke.postman_collection.json";

function asFile(path: string, value: unknown): GeneratedFile {
  return { path, content: `${JSON.stringify(value, null, 2)}\n` };
}

export const postmanGenerator: Generator = {
  name: "postman",
  async run(document) {
    const collection = await buildPostmanCollection(document);
    return [
      asFile(POSTMAN_COLLECTION, collection),
      asFile(POSTMAN_ENVIRONMENT, buildPostmanEnvironment()),
      asFile(POSTMAN_SMOKE_COLLECTION, buildSmokeCollection(document, collection)),
    ];
  },
};
