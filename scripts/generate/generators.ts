import type { Generator } from "./types";
import { sdkPython } from "./sdk-python";

/** Everything `npm run generate` derives from the OpenAPI document, one entry per generator. */
export const GENERATORS: Generator[] = [sdkPython];
