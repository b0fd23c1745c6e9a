import { VitrineError } from "../errors";
import { type Text, text } from "../text";
import { compileMapping } from "./compile";
import { ATTRIBUTE_CATALOG, fieldInfo } from "./fields";
import { applyPreset } from "./preset-apply";
import { detectPresets, layoutKey, type PresetMatch, recognisePreset } from "./preset-detect";
import type { LayoutPreset } from "./presets";
import { type Column, column, nameScore, transformsFor, valueScore } from "./suggest-columns";
import type { MappingTemplate, TemplateField } from "./templates";
import type { FieldMappingDef, MappingDefinition, TransformDef } from "./types";
import { checkValues, type ValueCheck } from "./value-checks";

export type SuggestionMatch = "name" | "name_and_values" | "values" | "numbered_columns" | "constant" | "preset";

/** Why a field was proposed: each piece of evidence and how much it moved the confidence. */
export interface Evidence {
  kind: "name" | "values" | "preset" | "numbered_columns" | "constant" | "same_fact";
  /** The confidence this evidence gave (name, preset, values alone) or added/removed (values confirming or contradicting a name). */
  effect: number;
  detail: Text;
}

export interface SuggestedField {
  target: string;
  source?: string;
  sources?: string[];
  value?: unknown;
  transforms: TransformDef[];
  /** 0–1: how sure the suggester is. A recognised layout's columns ≈ 0.97, exact synonyms ≈ 0.95, values alone at most 0.8. */
  confidence: number;
  match: SuggestionMatch;
  /** `proposed` fields are in `mapping`; below PROPOSE_THRESHOLD a field is a `question` for the seller instead. */
  status: "proposed" | "question";
  evidence: Evidence[];
}

/** "Which column holds the title?": asked for unsure fields and for required fields nothing fills. */
export interface SuggestionQuestion {
  field: string;
  required: boolean;
  text: Text;
  /** Columns that might hold it, best first; empty when nothing looks like it. */
  candidates: { columns: string[]; confidence: number }[];
}

/** A column the name pointed at but the values rule out. */
export interface RejectedCandidate {
  field: string;
  column: string;
  reason: Text;
}

export interface SuggestedPreset {
  id: string;
  name: string;
  version: string;
  verified: boolean;
  score: number;
  /** Asked for by id rather than recognised from the header. */
  explicit: boolean;
  /** Columns of the layout the file does not have. */
  missing_columns: string[];
}

export interface Suggestion {
  /** Ready to save with POST /api/v1/mappings (after review): the proposed fields and constants. */
  mapping: MappingDefinition;
  fields: SuggestedField[];
  unmapped_columns: string[];
  /** Fields the marketplace requires that the mapping does not fill. */
  unmapped_required: string[];
  /** The layout the header was recognised as (or asked for), if any. */
  preset: SuggestedPreset | null;
  /** Other layouts the header could be: runners-up, or every contender when none stands out. */
  preset_alternatives: { id: string; name: string; verified: boolean; score: number }[];
  questions: SuggestionQuestion[];
  rejected: RejectedCandidate[];
}

export interface SuggestInput {
  headers: readonly string[];
  /** A few data rows, as cell lists in header order or objects keyed by column name. */
  sampleRows?: readonly (readonly unknown[] | Record<string, unknown>)[];
  template: MappingTemplate;
  name?: string;
  /** Known layouts (built-in presets); the header is recognised against them first. */
  presets?: readonly LayoutPreset[];
  /** Use this preset (by id) whether or not the header looks like it. */
  preset?: string;
}

/** Below this, a column is not considered for a field at all. */
const THRESHOLD = 0.5;
/** From this on a field is proposed; between THRESHOLD and this it becomes a question. */
export const PROPOSE_THRESHOLD = 0.75;
/** Confidence of a recognised layout's column, confirmed from the vendor's documentation or not. */
const PRESET_VERIFIED = 0.97;
const PRESET_UNVERIFIED = 0.85;
const CONFIRM = 0.04;
const CONTRADICT = 0.35;
const MAX_SAMPLES = 50;
const NUMBERED = /^(.*\D)\s*(\d{1,2})$/;

interface Candidate {
  target: string;
  columns: Column[];
  score: number;
  match: SuggestionMatch;
  evidence: Evidence[];
  transforms?: TransformDef[];
  /** preset fields keep their own sources (a wildcard stays a wildcard) */
  def?: FieldMappingDef;
}

const round = (n: number) => Math.round(n * 100) / 100;
const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

function labelOf(t: TemplateField | undefined, field: string) {
  return t?.label ?? fieldInfo(field).label;
}

function lowerLabel(s: string): string {
  return s.length > 1 && s[1] === s[1].toLowerCase() ? s[0].toLowerCase() + s.slice(1) : s;
}

function questionText(label: { en: string; "pt-BR": string }): Text {
  return text(`Which column holds the ${lowerLabel(label.en)}?`, `Em qual coluna está o campo "${label["pt-BR"]}"?`);
}

function valuesEvidence(check: ValueCheck, effect: number): Evidence {
  return { kind: "values", effect, detail: check.reason };
}

function readPath(record: Record<string, unknown>, target: string): unknown {
  if (!target.startsWith("attributes.")) return record[target];
  const attrs = record.attributes as Record<string, unknown> | undefined;
  return attrs?.[target.slice("attributes.".length)];
}

/** The preset to use: the one asked for (an unknown id is a client error), or the one the header is recognised as. */
function choosePreset(input: SuggestInput, headers: string[]): { match: PresetMatch | undefined; explicit: boolean; alternatives: PresetMatch[] } {
  const presets = input.presets ?? [];
  if (input.preset !== undefined) {
    const preset = presets.find((p) => p.id === input.preset);
    if (!preset) {
      const known = presets.map((p) => p.id).join(", ");
      throw new VitrineError("invalid_request", text(`Unknown layout preset ${input.preset}.`, `Modelo de planilha ${input.preset} desconhecido.`), {
        errors: [{ detail: text(`unknown preset "${input.preset}"; known: ${known}`, `modelo "${input.preset}" desconhecido; existentes: ${known}`), pointer: "/preset" }],
      });
    }
    const scored = detectPresets(headers, presets).find((m) => m.preset === preset);
    return { match: scored ?? { preset, score: 0, matched: [], missing: [...preset.header], extra: headers }, explicit: true, alternatives: [] };
  }
  if (presets.length === 0) return { match: undefined, explicit: false, alternatives: [] };
  const { best, alternatives } = recognisePreset(headers, presets);
  return { match: best, explicit: false, alternatives };
}

/**
 * The preset's fields for this file, each checked against what its transforms make of the sample
 * rows: confirming values raise the confidence a little, contradicting ones lower it to a question,
 * and values that rule the field out (no currency code in a currency column) drop it.
 */
function presetCandidates(preset: LayoutPreset, headers: string[], cols: Column[], rows: unknown[][], template: MappingTemplate, rejected: RejectedCandidate[]): Candidate[] {
  const applied = applyPreset(preset, headers);
  if (applied.fields.length === 0) return [];
  const mapper = compileMapping({ fields: applied.fields }).bind(headers, { missing: "absent" });
  const records = rows.map((r, i) => mapper.map(r, i + 1).record);
  const base = preset.verified ? PRESET_VERIFIED : PRESET_UNVERIFIED;
  const byName = new Map(cols.map((c) => [c.name, c] as const));
  const out: Candidate[] = [];
  applied.fields.forEach((def, i) => {
    const names = applied.reads[i];
    const columns = names.map((n) => byName.get(n)).filter((c): c is Column => c !== undefined);
    const t = template.fields.find((f) => f.field === def.target);
    const mappedValues = records.map((r) => readPath(r, def.target));
    const filled = rows.findIndex((r) => columns.some((c) => !isBlank(r[c.index])));
    if (filled >= 0 && mappedValues.every((v) => v === undefined)) {
      // The columns have values, but none of them gives this field ("39.90" carries no currency).
      const cell = String(columns.map((c) => rows[filled][c.index]).find((v) => !isBlank(v)));
      const label = labelOf(t, def.target);
      rejected.push({
        field: def.target,
        column: names.join(", "),
        reason: text(`no sample value holds the ${lowerLabel(label.en)}, e.g. "${cell}"`, `nenhum valor de exemplo traz o campo "${label["pt-BR"]}", por exemplo "${cell}"`),
      });
      return;
    }
    const check = checkValues(def.target, mappedValues, t?.values);
    const evidence: Evidence[] = [
      {
        kind: "preset",
        effect: base,
        detail: preset.verified
          ? text(`column of the ${preset.name} layout (${preset.id} ${preset.version})`, `coluna do modelo ${preset.name} (${preset.id} ${preset.version})`)
          : text(
              `column of the ${preset.name} layout (${preset.id} ${preset.version}), whose column names are not confirmed by a public source`,
              `coluna do modelo ${preset.name} (${preset.id} ${preset.version}), cujos nomes de coluna não foram confirmados por fonte pública`,
            ),
      },
    ];
    let score = base;
    if (check.verdict === "fits") {
      score = Math.min(0.99, base + CONFIRM / 2);
      evidence.push(valuesEvidence(check, CONFIRM / 2));
    } else if (check.verdict === "contradicts") {
      if (check.strict) {
        rejected.push({ field: def.target, column: names.join(", "), reason: check.reason });
        return;
      }
      score = base - CONTRADICT;
      evidence.push(valuesEvidence(check, -CONTRADICT));
    }
    out.push({ target: def.target, columns, score, match: "preset", evidence, transforms: (def.transforms ?? []) as TransformDef[], def });
  });
  return out;
}

/** Name (and value) candidates for the columns a preset does not explain. */
function columnCandidates(cols: Column[], template: MappingTemplate, rejected: RejectedCandidate[]): { candidates: Candidate[]; weak: Candidate[] } {
  const candidates: Candidate[] = [];
  const weak: Candidate[] = [];

  // Numbered columns: "Imagem 1".."Imagem 6", "Foto 1", "image_link_2" → one list field.
  const groups = new Map<string, Column[]>();
  for (const c of cols) {
    const m = NUMBERED.exec(c.key);
    if (!m) continue;
    const base = m[1].trim();
    const list = groups.get(base);
    if (list) list.push(c);
    else groups.set(base, [c]);
  }
  for (const [base, members] of groups) {
    if (members.length < 2) continue;
    for (const t of template.fields) {
      if (t.type !== "list") continue;
      const name = nameScore({ key: base, base, baseWords: base.split(" ") }, t);
      const checks = members.map((m) => checkValues(t.field, m.samples));
      const balance = checks.reduce((acc, c) => acc + (c.verdict === "fits" ? 1 : c.verdict === "contradicts" ? -1 : 0), 0);
      if (name.score > 0 && balance >= 0) {
        const score = Math.min(0.98, name.score + 0.03);
        const evidence: Evidence[] = [
          { kind: "numbered_columns", effect: score, detail: text(`${members.length} numbered columns named like "${name.synonym}"`, `${members.length} colunas numeradas com nome como "${name.synonym}"`) },
        ];
        const fits = checks.find((c) => c.verdict === "fits");
        if (fits) evidence.push(valuesEvidence(fits, 0));
        candidates.push({ target: t.field, columns: members, score, match: "numbered_columns", evidence });
      }
    }
  }

  for (const c of cols) {
    for (const t of template.fields) {
      const name = nameScore(c, t);
      const check = checkValues(t.field, c.samples, t.values);
      let score = 0;
      let match: SuggestionMatch = "name";
      let evidence: Evidence[] = [];
      if (name.score > 0) {
        score = name.score;
        match = "name";
        evidence.push({
          kind: "name",
          effect: name.score,
          detail: name.exact ? text(`the column name is "${name.synonym}"`, `o nome da coluna é "${name.synonym}"`) : text(`the column name contains "${name.synonym}"`, `o nome da coluna contém "${name.synonym}"`),
        });
        if (check.verdict === "fits") {
          score = Math.min(0.99, score + CONFIRM);
          match = "name_and_values";
          evidence.push(valuesEvidence(check, CONFIRM));
        } else if (check.verdict === "contradicts") {
          if (check.strict && name.score >= THRESHOLD) {
            rejected.push({ field: t.field, column: c.name, reason: check.reason });
            continue;
          }
          score -= CONTRADICT;
          evidence.push(valuesEvidence(check, -CONTRADICT));
        } else if (check.verdict === "partly") evidence.push(valuesEvidence(check, 0));
      }
      // Values alone can say more than a weak name ("Código" full of barcodes is the GTIN).
      const byValues = valueScore(t.field, c.shape);
      if (byValues > score) {
        score = byValues;
        match = "values";
        evidence = [valuesEvidence(check.verdict === "fits" ? check : { ...check, reason: text("the sample values look like it", "os valores de exemplo parecem com isso") }, byValues)];
      }
      const cand: Candidate = { target: t.field, columns: [c], score, match, evidence };
      if (score >= THRESHOLD) candidates.push(cand);
      else if (score > 0.2) weak.push(cand);
    }
  }
  return { candidates, weak };
}

/**
 * Proposes a mapping from a file's headers (and, better, a few rows) to a marketplace template.
 * First the header is recognised as a known layout (a preset: Bling, Shopify, a Google Merchant
 * feed…) and the layout's own mapping is used, checked against the sample values; the columns the
 * layout does not know are then matched by name, accent-, case- and plural-insensitively, against
 * each field's pt-BR and en synonyms. Sample values confirm, lower or rule out every candidate
 * (a currency must look like an ISO 4217 code, a GTIN like a barcode, a title like text longer
 * than a code) and identify unnamed columns. Each column feeds one field, except that a field and
 * its attribute twin (brand and attributes.BRAND) share it. Fields below PROPOSE_THRESHOLD come back
 * as questions instead of guesses.
 */
export function suggestMapping(input: SuggestInput): Suggestion {
  const headers = input.headers.map((h) => String(h ?? ""));
  const rows = (input.sampleRows ?? []).slice(0, MAX_SAMPLES).map((r) => (Array.isArray(r) ? [...r] : headers.map((h) => (r as Record<string, unknown>)[h])));
  const cols = headers.map((h, i) => column(h, i, rows.map((r) => r[i])));
  const template = input.template;
  const rejected: RejectedCandidate[] = [];

  const { match: presetMatch, explicit, alternatives } = choosePreset(input, headers);
  const preset = presetMatch?.preset;
  const fromPreset = preset ? presetCandidates(preset, headers, cols, rows, template, rejected) : [];
  // A layout knows its own columns: those it leaves unmapped stay unmapped.
  const known = new Set(preset ? preset.header.map(layoutKey) : []);
  const open = cols.filter((c) => !known.has(layoutKey(c.name)));
  const { candidates, weak } = columnCandidates(open, template, rejected);

  const order = (t: string) => {
    const i = template.fields.findIndex((f) => f.field === t);
    return i < 0 ? template.fields.length : i;
  };
  candidates.sort((a, b) => b.score - a.score || a.columns[0].index - b.columns[0].index || order(a.target) - order(b.target));
  const usedBy = new Map<number, string[]>();
  const chosen = new Map<string, Candidate>();
  const related = (a: string, b: string) => fieldInfo(a).aliasOf === b || fieldInfo(b).aliasOf === a;
  const take = (cand: Candidate) => {
    chosen.set(cand.target, cand);
    for (const c of cand.columns) usedBy.set(c.index, [...(usedBy.get(c.index) ?? []), cand.target]);
  };
  for (const cand of fromPreset) if (!chosen.has(cand.target)) take(cand);
  for (const cand of candidates) {
    if (chosen.has(cand.target)) continue;
    const free = cand.columns.every((c) => (usedBy.get(c.index) ?? []).every((other) => related(other, cand.target)));
    if (free) take(cand);
  }
  // One fact, one column: the attribute twin of a mapped field reads the same column (docs/mappings.md).
  const read = new Set(template.fields.map((f) => f.field));
  for (const attr of ATTRIBUTE_CATALOG) {
    const twin = attr.aliasOf ? chosen.get(attr.aliasOf) : undefined;
    if (!twin || !read.has(attr.field) || chosen.has(attr.field)) continue;
    take({
      ...twin,
      target: attr.field,
      evidence: [...twin.evidence, { kind: "same_fact", effect: 0, detail: text(`the same fact as ${attr.aliasOf}, which reads this column`, `o mesmo dado de ${attr.aliasOf}, que lê esta coluna`) }],
    });
  }

  const fields: SuggestedField[] = [];
  const targets = [...template.fields.map((t) => t.field), ...[...chosen.keys()].filter((k) => order(k) === template.fields.length)];
  for (const target of targets) {
    const t = template.fields.find((f) => f.field === target);
    const cand = chosen.get(target);
    if (cand) {
      const def = cand.def;
      const sources = def ? (def.value !== undefined ? { value: def.value } : def.source !== undefined ? { source: def.source } : { sources: def.sources! }) : cand.columns.length === 1 ? { source: cand.columns[0].name } : { sources: cand.columns.map((c) => c.name) };
      fields.push({
        target,
        ...sources,
        transforms: cand.transforms ?? transformsFor(t!, cand.columns, cand.match === "numbered_columns"),
        confidence: round(cand.score),
        match: cand.match,
        status: cand.score >= PROPOSE_THRESHOLD ? "proposed" : "question",
        evidence: cand.evidence,
      });
    } else if (t?.required && t.values?.length === 1) {
      // The marketplace accepts one value only (Mercado Livre Brasil: currency BRL).
      fields.push({
        target,
        value: t.values[0],
        transforms: [],
        confidence: 1,
        match: "constant",
        status: "proposed",
        evidence: [{ kind: "constant", effect: 1, detail: text(`the marketplace accepts only ${String(t.values[0])}`, `o marketplace só aceita ${String(t.values[0])}`) }],
      });
    }
  }

  const proposed = fields.filter((f) => f.status === "proposed");
  const mapped = new Set(proposed.map((f) => f.target));
  const mapping: MappingDefinition = {
    name: input.name ?? `${preset ? `${preset.name} → ` : ""}${template.marketplace}${template.category ? ` ${template.category.id}` : ""} (suggested)`,
    marketplace: template.marketplace,
    ...(template.category && { category: template.category.id }),
    fields: proposed.map((f) => ({
      target: f.target,
      ...(f.source !== undefined && { source: f.source }),
      ...(f.sources !== undefined && { sources: f.sources }),
      ...(f.value !== undefined && { value: f.value }),
      ...(f.transforms.length > 0 && { transforms: f.transforms }),
    })),
  };

  const unmappedRequired = template.required.filter((f) => !mapped.has(f));
  const questions: SuggestionQuestion[] = [];
  for (const f of fields) {
    if (f.status !== "question") continue;
    const t = template.fields.find((x) => x.field === f.target);
    questions.push({ field: f.target, required: t?.required === true, text: questionText(labelOf(t, f.target)), candidates: [{ columns: f.source !== undefined ? [f.source] : f.sources!, confidence: f.confidence }] });
  }
  for (const field of unmappedRequired) {
    if (questions.some((q) => q.field === field)) continue;
    const t = template.fields.find((x) => x.field === field);
    const maybe = [...candidates, ...weak]
      .filter((c) => c.target === field)
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((c) => ({ columns: c.columns.map((x) => x.name), confidence: round(c.score) }));
    questions.push({ field, required: true, text: questionText(labelOf(t, field)), candidates: maybe });
  }

  return {
    mapping,
    fields,
    unmapped_columns: cols.filter((c) => !usedBy.has(c.index)).map((c) => c.name),
    unmapped_required: unmappedRequired,
    preset: presetMatch
      ? { id: presetMatch.preset.id, name: presetMatch.preset.name, version: presetMatch.preset.version, verified: presetMatch.preset.verified, score: presetMatch.score, explicit, missing_columns: presetMatch.missing }
      : null,
    preset_alternatives: alternatives.map((m) => ({ id: m.preset.id, name: m.preset.name, verified: m.preset.verified, score: m.score })),
    questions,
    rejected,
  };
}
