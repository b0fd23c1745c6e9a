/**
 * Mappings: from a seller's columns to the canonical product record. Pure TypeScript (no bindings,
 * no code generation): definitions are validated and compiled into closures once, bound to a
 * file's header once, then map rows on the hot path.
 */
export type { BindOptions, CompiledMapping, FieldMappingDef, MappedRow, MappingDefinition, MappingProblem, MappingProblemInput, RowMapper, TransformDef } from "./types";
export { MappingBindError, MappingError, mappingProblem } from "./types";
export { compileMapping, mapRecordObject, MAPPING_LIMITS, recordColumnsOf, unmapRecordObject } from "./compile";
export { defaultMapping, type DefaultMappingOptions, isColumnName } from "./default-mapping";
export { type AutomaticMapping, automaticMapping } from "./automatic-mapping";
export { TRANSFORM_OPS } from "./transforms";
export { ATTRIBUTE_CATALOG, FIELD_CATALOG, fieldInfo, type FieldInfo, type FieldType } from "./fields";
export { buildTemplate, exampleRecord, type MappingTemplate, type Requirement, type TemplateField } from "./templates";
export {
  type Evidence,
  PROPOSE_THRESHOLD,
  type RejectedCandidate,
  suggestMapping,
  type SuggestedField,
  type SuggestedPreset,
  type SuggestInput,
  type Suggestion,
  type SuggestionMatch,
  type SuggestionQuestion,
} from "./suggest";
export { checkValues, type ValueCheck } from "./value-checks";
export { columnKey } from "./normalize";
export { parseNumber, type NumberLocale } from "./numbers";
export { fieldColumns, type LayoutFile, type LayoutPreset, type LayoutSource, parsePreset, PresetError, presetSummary, type PresetSummary } from "./presets";
export { detectPresets, layoutKey, PRESET_MARGIN, PRESET_MIN_SCORE, type PresetMatch, recognisePreset, type Recognition } from "./preset-detect";
export { type AppliedPreset, applyPreset, presetRef, type PresetRef } from "./preset-apply";
export { type AttributeTwin, attributeTwins, attributeTwinsOf, fillForTemplate, requiredConstants, withAttributeTwins } from "./template-fill";
