import { examplesIndex } from "./examples-index";
import { postmanGenerator } from "./postman";
import { sdkPython } from "./sdk-python";
import { sdkTypescript } from "./sdk-typescript";
import type { Generator } from "./types";

/** Everything `npm run generate` derives from the OpenAPI document, one entry per generator. */
export const GENERATORS: Generator[] = [
  examplesIndex,
  postmanGenerator,
  sdkPython,
  sdkTypescript,
];
