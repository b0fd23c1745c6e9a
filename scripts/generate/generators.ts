import { examplesIndex } from "./examples-index";
import type { Generator } from "./types";

/** Everything `npm run generate` derives from the OpenAPI document, one entry per generator. */
export const GENERATORS: Generator[] = [
  examplesIndex,
];
