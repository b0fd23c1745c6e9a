import { postmanGenerator } from "./postman";
import type { Generator } from "./types";

/** Everything `npm run generate` derives from the OpenAPI document, one entry per generator. */
export const GENERATORS: Generator[] = [
  postmanGenerator,
];
