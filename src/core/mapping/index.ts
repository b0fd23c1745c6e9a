/**
 * Mappings: from a seller's columns to the canonical product record. Pure TypeScript (no bindings,
 * no code generation): definitions are validated and compiled into closures once, bound to a
 * file's header once, then map rows on the hot path.
 */
export type { BindOptions, CompiledMapping, FieldMappingDef, MappedRow, MappingDefinition, MappingProblem, MappingProblemInput, RowMapper, TransformDef } from "./types";
export { MappingBindError, MappingError, mappingProblem } from "./types";
export { compileMapping, mapRecordObject, MAPPING_LIMITS, unmapRecordObject } from "./compile";
export { defaultMapping } from "./default-mapping";
export { TRANSFORM_OPS } from "./transforms";
export { ATTRIBUTE_CATALOG, FIELD_CATALOG, fieldInfo, type FieldInfo, type FieldType } from "./fields";
export { buildTemplate, exampleRecord, type MappingTemplate, type Requirement, type TemplateField } from "./templates";
export { suggestMapping, type SuggestedField, type SuggestInput, type Suggestion, type SuggestionMatch } from "./suggest";
export { columnKey } from "./normalize";
export { parseNumber, type NumberLocale } from "./numbers";
