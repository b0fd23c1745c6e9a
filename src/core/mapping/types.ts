import { type FieldProblem, VitrineError } from "../errors";
import type { Issue } from "../rules";
import { type Locale, text, type Text, verbatim } from "../text";

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
  /** The problem in English (`text.en`). */
  detail: string;
  /** The problem in every language. */
  text: Text;
  /** JSON pointer into the mapping, e.g. `/fields/2/transforms/0/locale`. */
  pointer?: string;
}

/** A problem as code states it: in every language (`text`), or in English only (`detail`, shown as is in every language). */
export type MappingProblemInput = { pointer?: string } & ({ text: Text; detail?: string } | { detail: string; text?: undefined });

export function mappingProblem(t: Text, pointer?: string): MappingProblem {
  return pointer === undefined ? { detail: t.en, text: t } : { detail: t.en, text: t, pointer };
}

function normalized(problems: readonly MappingProblemInput[]): MappingProblem[] {
  return problems.map((p) => mappingProblem(p.text ?? verbatim(p.detail!), p.pointer));
}

function fieldProblems(problems: readonly MappingProblem[]): FieldProblem[] {
  return problems.map((p) => (p.pointer === undefined ? { detail: p.text } : { detail: p.text, pointer: p.pointer }));
}

/** A mapping that cannot be compiled, or bound to a file. Carries every problem found. */
export class MappingError extends VitrineError {
  override name = "MappingError";
  readonly problems: MappingProblem[];

  constructor(problems: readonly MappingProblemInput[], detail?: Text) {
    const all = normalized(problems);
    super("invalid_mapping", detail ?? summarize(all), { errors: fieldProblems(all) });
    this.problems = all;
  }
}

/** Thrown by `bind` when source columns are not in the file's header. */
export class MappingBindError extends MappingError {
  override name = "MappingBindError";
  /** The source column names that were not found, as the mapping spells them. */
  readonly missing: string[];

  constructor(problems: readonly MappingProblemInput[], missing: string[]) {
    const names = missing.map((m) => `"${m}"`).join(", ");
    super(
      problems,
      missing.length === 1
        ? text(`The file has no column ${names} required by the mapping`, `O arquivo não tem a coluna ${names}, exigida pelo mapeamento`)
        : text(`The file has no column ${names} required by the mapping`, `O arquivo não tem as colunas ${names}, exigidas pelo mapeamento`),
    );
    this.missing = missing;
  }
}

function summarize(problems: MappingProblem[]): Text {
  const first = problems[0];
  if (!first) return text("Invalid mapping.", "Mapeamento inválido.");
  const n = problems.length;
  return text(
    `The mapping has ${n} problem${n === 1 ? "" : "s"}: ${first.text.en}${n > 1 ? "; see errors" : ""}.`,
    `O mapeamento tem ${n} problema${n === 1 ? "" : "s"}: ${first.text["pt-BR"]}${n > 1 ? "; veja errors" : ""}.`,
  );
}

export interface BindOptions {
  /** Language of mapping issue messages (default en). */
  locale?: Locale;
  /** Also keep each issue's message in every language (`Issue.text`), for results read later. */
  bilingual?: boolean;
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
  /** The seller's columns a canonical field path (`images[1]`, `attributes.BRAND`) comes from in this row. */
  columnsOf(field: string, values: readonly unknown[]): string[];
  /** Every column the mapping reads and the field it fills, in the file's column order (a column read for two fields is listed twice). */
  columnsRead(): { column: string; field: string }[];
}

export interface CompiledMapping {
  /** The definition in its normal form (transforms as objects). */
  readonly definition: MappingDefinition;
  /** Canonical fields the mapping fills, in definition order. */
  readonly targets: readonly string[];
  /** Resolves source columns against a header once. Throws MappingBindError for missing columns. */
  bind(header: readonly string[], opts?: BindOptions): RowMapper;
}
