/**
 * The rule engine: YAML/JSON rule packs → validated definitions → compiled closures → validators.
 * Pure TypeScript: no bindings, no I/O, no code generation (Workers forbid eval/new Function).
 */
export type {
  CategoryDef,
  CheckName,
  CompiledPack,
  ConditionDef,
  FixDef,
  Issue,
  Locale,
  LocalizedText,
  OverrideDef,
  PackDefinition,
  PackLimits,
  PackProblem,
  PackProblemInput,
  PackResolver,
  ProductRecord,
  RecordResult,
  RuleDef,
  RuleInfo,
  Severity,
  UniqueTracker,
  Validator,
  ValidatorOptions,
} from "./types";
export { DEFAULT_LIMITS, LOCALES, PackError, packProblem, SEVERITIES } from "./types";
export { CANONICAL_FIELDS, isKnownField, type CanonicalField } from "./canonical";
export { CHECK_NAMES } from "./checks";
export { parsePack, type ParseOptions } from "./parse";
export { compilePack, type CompileOptions } from "./compile";
export { clearPackCache, getCompiledPack } from "./cache";
export { createUniqueTracker } from "./validator";
export { isValidGtin } from "./gtin";
export { parseLocaleNumber } from "./numbers";
