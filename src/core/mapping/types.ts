import type { Issue, Locale } from "../rules";

/**
 * One transform as written in a mapping: a bare op name for ops without required parameters
 * (`"trim"`), or an object `{ op, ...params }`.
 */
export type TransformDef = string | { op: string; [param: string]: unknown };

/** How one canonical field is filled: from a column, several columns, or a constant. */
export interface FieldMappingDef {
  /** A canonical field (`price`) or `attributes.<KEY>`. */
  target: string;
  /** One column of the seller's file. */
  source?: string;
  /** Several columns; `"Imagem *"` matches every column named "Imagem <n>", in number order. */
  sources?: string[];
  /** A constant, for fields the file does not carry (e.g. `currency: "BRL"`). */
  value?: unknown;
  transforms?: TransformDef[];
}

export interface MappingDefinition {
  name?: string;
  /** The rule pack the mapping is made for (mercadolivre, shopee, google-merchant or a custom pack). */
  marketplace?: string;
  category?: string | null;
  fields: FieldMappingDef[];
}

export interface MappingProblem {
  detail: string;
  /** JSON pointer into the mapping, e.g. `/fields/2/transforms/0/locale`. */
  pointer?: string;
}

/** A mapping that cannot be compiled, or bound to a file. Carries every problem found. */
export class MappingError extends Error {
  readonly problems: MappingProblem[];
  constructor(problems: MappingProblem[], message?: string) {
    super(message ?? summarize(problems));
    this.name = "MappingError";
    this.problems = problems;
  }
}

/** Thrown by `bind` when source columns are not in the file's header. */
export class MappingBindError extends MappingError {
  /** The source column names that were not found, as the mapping spells them. */
  readonly missing: string[];
  constructor(problems: MappingProblem[], missing: string[]) {
    super(problems, `The file has no column ${missing.map((m) => `"${m}"`).join(", ")} required by the mapping`);
    this.name = "MappingBindError";
    this.missing = missing;
  }
}

function summarize(problems: MappingProblem[]): string {
  const first = problems[0];
  if (!first) return "Invalid mapping";
  const where = first.pointer ? ` (${first.pointer})` : "";
  const more = problems.length > 1 ? ` and ${problems.length - 1} more problem(s)` : "";
  return `Invalid mapping: ${first.detail}${where}${more}`;
}

export interface BindOptions {
  /** Language of mapping issue messages (default en). */
  locale?: Locale;
  /**
   * What a source column missing from the header means: `error` (default, files: a typo must not
   * silently empty a field) or `absent` (JSON records, which often leave out empty keys).
   */
  missing?: "error" | "absent";
}

export interface MappedRow {
  /** The canonical record; fields whose value is absent are left out. */
  record: Record<string, unknown>;
  /** `mapping.*` issues (severity error) for transforms that could not apply. Shared empty array when none. */
  issues: Issue[];
}

/** A compiled mapping bound to one file's header: the per-row hot path. */
export interface RowMapper {
  readonly header: readonly string[];
  /** Maps one row (cells in header order) to a canonical record. `row` is the 1-based record number. */
  map(values: readonly unknown[], row: number): MappedRow;
  /**
   * Writes corrected canonical values back into the seller's layout: a copy of `originalValues`
   * where a column changes only when the corrected value can be written so that mapping the row
   * again yields exactly that value (see docs/mappings.md, "The corrected download").
   */
  unmap(record: Record<string, unknown>, originalValues: readonly unknown[]): string[];
}

export interface CompiledMapping {
  /** The definition in its normal form (transforms as objects). */
  readonly definition: MappingDefinition;
  /** Canonical fields the mapping fills, in definition order. */
  readonly targets: readonly string[];
  /** Resolves source columns against a header once. Throws MappingBindError for missing columns. */
  bind(header: readonly string[], opts?: BindOptions): RowMapper;
}
