import { readFileSync } from "node:fs";
import {
  automaticMapping,
  buildTemplate,
  fieldColumns,
  type LayoutPreset,
  type MappingDefinition,
  type PresetRef,
  type Suggestion,
  suggestMapping,
} from "../../src/core/mapping";
import type { CompiledPack } from "../../src/core/rules";
import { usageError } from "./args";
import type { Sample } from "./source";

/** The mapping a run uses, and where it came from (the summary says which). */
export type MappingChoice =
  | { kind: "file"; definition: MappingDefinition; path: string }
  | { kind: "suggested"; definition: MappingDefinition; suggestion: Suggestion }
  | { kind: "preset"; definition: MappingDefinition; preset: PresetRef }
  | { kind: "default"; definition: MappingDefinition };

/**
 * A mapping file: a mapping as POST /api/v1/mappings takes it, a saved mapping as the API returns
 * it, or a suggestion (its `mapping` member). Compiling it (later) checks the fields.
 */
export function readMappingFile(file: string): MappingDefinition {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw usageError(`The mapping file ${file} cannot be read as JSON: ${why}`, `O arquivo de mapeamento ${file} não pôde ser lido como JSON: ${why}`);
  }
  const candidate = isObject(doc) && isObject(doc.mapping) ? doc.mapping : doc;
  if (!isObject(candidate) || !Array.isArray(candidate.fields)) {
    throw usageError(
      `The mapping file ${file} has no "fields" list. It takes the JSON of POST /api/v1/mappings, or the file --suggest saves.`,
      `O arquivo de mapeamento ${file} não tem a lista "fields". Ele recebe o JSON de POST /api/v1/mappings, ou o arquivo que o --suggest salva.`,
    );
  }
  return candidate as unknown as MappingDefinition;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A suggestion from the header and sample rows, as POST /api/v1/mappings/suggest makes it. */
export function suggestFor(sample: Sample, pack: CompiledPack, category: string | undefined, presets: readonly LayoutPreset[]): Suggestion {
  return suggestMapping({ headers: sample.header, sampleRows: sample.rows, template: buildTemplate(pack, category), presets });
}

/**
 * The mapping for a file that names none: a recognised layout, or columns recognised by their names.
 * When that would leave out columns the suggester can place, the run stops and says how to map
 * them (--suggest or --mapping), rather than reporting every record as missing those fields.
 */
export function automaticChoice(
  fileName: string,
  sample: Sample,
  pack: CompiledPack,
  category: string | undefined,
  presets: readonly LayoutPreset[],
  decimalComma: boolean,
): MappingChoice {
  const template = buildTemplate(pack, category);
  const auto = automaticMapping(sample.header, { presets, template, marketplace: pack.id, decimalComma, samples: sample.rows });
  const filled = new Set(auto.mapping.fields.map((f) => f.target));
  const suggestion = suggestFor(sample, pack, category, presets);
  const leftOut = suggestion.fields.filter((f) => f.status === "proposed" && !filled.has(f.target) && fieldColumns(f).length > 0);
  if (leftOut.length > 0 || auto.mapping.fields.length === 0) {
    const columns = [...new Set(leftOut.flatMap((f) => fieldColumns(f)))];
    const shown = columns.slice(0, 6).map((c) => `"${c}"`).join(", ") + (columns.length > 6 ? ", …" : "");
    const hint = auto.unverified
      ? { en: ` The header looks like the ${auto.unverified.name} layout, whose column names are not confirmed.`, pt: ` O cabeçalho parece o modelo ${auto.unverified.name}, cujos nomes de coluna não foram confirmados.` }
      : { en: "", pt: "" };
    throw usageError(
      (columns.length > 0
        ? `The columns ${shown} of ${fileName} are not names Vitrine knows for product fields, so they would be left out.`
        : `No column of ${fileName} is named after a product field (sku, title, price…).`) +
        hint.en +
        ` Run again with --suggest to map them from their names and values (the mapping is printed and saved for --mapping), or give your own with --mapping mapping.json.`,
      (columns.length > 0
        ? `As colunas ${shown} de ${fileName} não têm nomes que o Vitrine conheça para campos do produto, então ficariam de fora.`
        : `Nenhuma coluna de ${fileName} tem nome de campo do produto (sku, title, price…).`) +
        hint.pt +
        ` Rode de novo com --suggest para mapeá-las pelos nomes e valores (o mapeamento é mostrado e salvo para o --mapping), ou informe o seu com --mapping mapeamento.json.`,
    );
  }
  return auto.preset ? { kind: "preset", definition: auto.mapping, preset: auto.preset } : { kind: "default", definition: auto.mapping };
}

/** The suggested mapping, refused when nothing could be placed. */
export function suggestedChoice(fileName: string, suggestion: Suggestion): MappingChoice {
  if (suggestion.mapping.fields.length === 0) {
    throw usageError(
      `No column of ${fileName} could be matched to a product field. Write a mapping (see docs/mappings.md) and pass it with --mapping.`,
      `Nenhuma coluna de ${fileName} pôde ser associada a um campo do produto. Escreva um mapeamento (veja docs/mappings.md) e informe com --mapping.`,
    );
  }
  return { kind: "suggested", definition: suggestion.mapping, suggestion };
}
