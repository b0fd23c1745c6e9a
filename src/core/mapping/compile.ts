import { didYouMean, type Report } from "../ops/params";
import { CANONICAL_FIELDS, isKnownField, type Issue } from "../rules";
import { type Locale, text, type Text, verbatim } from "../text";
import { isBlankString, sameValue } from "../rules/values";
import { columnKey } from "./normalize";
import { compileTransform, FAIL, isCombining, opOf, type Step, templatePlaceholders } from "./transforms";
import {
  type BindOptions,
  type CompiledMapping,
  type FieldMappingDef,
  type MappedRow,
  type MappingDefinition,
  MappingBindError,
  MappingError,
  type MappingProblem,
  mappingProblem,
  type RowMapper,
  type TransformDef,
} from "./types";

export const MAPPING_LIMITS = Object.freeze({
  fields: 300,
  sources: 100,
  transforms: 20,
  nameLength: 100,
  columnLength: 200,
});

interface FieldPlan {
  target: string;
  /** `attributes.KEY` → KEY */
  attr: string | undefined;
  kind: "single" | "multi" | "constant";
  source?: string;
  sources?: string[];
  steps: Step[];
  /** The mapped constant, for `value` fields. */
  constant?: unknown;
  pointer: string;
}

const EMPTY_ISSUES = Object.freeze([]) as unknown as Issue[];
const WILDCARD = "*";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function normalBlank(v: unknown): unknown {
  if (v === null) return undefined;
  if (typeof v === "string" && isBlankString(v)) return undefined;
  return v;
}

/** The value a field ends with: lists lose absent items; an empty list is absent. */
function finalize(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  let clean = true;
  for (let i = 0; i < v.length; i++) if (v[i] === undefined) clean = false;
  if (clean) return v.length ? v : undefined;
  const out = v.filter((x) => x !== undefined);
  return out.length ? out : undefined;
}

let failedValue: unknown;

function mapList(step: Step, list: readonly unknown[]): unknown {
  const out: unknown[] = [];
  for (let k = 0; k < list.length; k++) {
    const item = list[k];
    if (item === undefined) {
      out.push(undefined);
      continue;
    }
    const r = step.forward(item);
    if (r === FAIL) {
      failedValue = item;
      return FAIL;
    }
    const x = normalBlank(r);
    if (step.flattens && Array.isArray(x)) for (const y of x) out.push(y);
    else out.push(x);
  }
  return out;
}

/** Runs one step; FAIL leaves the failing value in `failedValue`. */
function apply(step: Step, v: unknown): unknown {
  if (v === undefined) {
    if (!step.onAbsent) return undefined;
  } else if (step.scalar && Array.isArray(v)) return mapList(step, v);
  const r = step.forward(v);
  if (r === FAIL) {
    failedValue = v;
    return FAIL;
  }
  return normalBlank(r);
}

/** Runs a pipeline; returns FAIL with the failing step index in `at`. */
function run(steps: readonly Step[], v: unknown, trace?: { inputs: unknown[]; outputs: unknown[] }): { value: unknown; failed: number } {
  let x = v;
  for (let i = 0; i < steps.length; i++) {
    const r = apply(steps[i], x);
    if (r === FAIL) return { value: x, failed: i };
    if (trace) {
      trace.inputs.push(x);
      trace.outputs.push(r);
    }
    x = r;
  }
  return { value: x, failed: -1 };
}

function problemsOf(fields: unknown, report: Report): FieldPlan[] {
  const plans: FieldPlan[] = [];
  if (!Array.isArray(fields)) {
    report(
      text('"fields" must be a list of { target, source | sources | value, transforms }', '"fields" deve ser uma lista de { target, source | sources | value, transforms }'),
      "/fields",
    );
    return plans;
  }
  if (fields.length === 0 || fields.length > MAPPING_LIMITS.fields) {
    report(text(`"fields" must have 1 to ${MAPPING_LIMITS.fields} entries`, `"fields" deve ter de 1 a ${MAPPING_LIMITS.fields} itens`), "/fields");
  }
  const targets = new Map<string, number>();
  fields.forEach((raw, i) => {
    const at = `/fields/${i}`;
    if (!isObject(raw)) {
      report(
        text("a field mapping is an object { target, source | sources | value, transforms }", "o mapeamento de um campo é um objeto { target, source | sources | value, transforms }"),
        at,
      );
      return;
    }
    const target = raw.target;
    if (typeof target === "string") {
      const prior = targets.get(target);
      if (prior !== undefined) {
        report(
          text(`target "${target}" is already mapped by /fields/${prior}; map each field once`, `o destino "${target}" já é mapeado por /fields/${prior}; mapeie cada campo uma vez`),
          `${at}/target`,
        );
      }
      else targets.set(target, i);
    }
    const plan = fieldPlan(raw as FieldMappingDef & Record<string, unknown>, at, report);
    if (plan) plans.push(plan);
  });
  return plans;
}

const KNOWN_KEYS = new Set(["target", "source", "sources", "value", "transforms"]);

function columnName(v: unknown, pointer: string, report: Report): string | undefined {
  if (typeof v !== "string" || v.trim().length === 0 || v.length > MAPPING_LIMITS.columnLength) {
    const n = MAPPING_LIMITS.columnLength;
    report(
      text(`a source column name is a non-empty string of at most ${n} characters`, `o nome de uma coluna de origem é um texto não vazio de no máximo ${n} caracteres`),
      pointer,
    );
    return undefined;
  }
  const stars = v.split(WILDCARD).length - 1;
  if (stars > 1) {
    report(text('a source column may contain one "*" (standing for a number, as in "Imagem *")', 'uma coluna de origem pode ter um "*" (no lugar de um número, como em "Imagem *")'), pointer);
    return undefined;
  }
  return v;
}

function fieldPlan(f: FieldMappingDef & Record<string, unknown>, at: string, report: Report): FieldPlan | undefined {
  let ok = true;
  const bad: Report = (detail, pointer) => {
    report(detail, pointer);
    ok = false;
  };
  for (const key of Object.keys(f)) {
    if (KNOWN_KEYS.has(key)) continue;
    const dym = didYouMean(key, [...KNOWN_KEYS]);
    bad(
      text(
        `unknown key "${key}"${dym.en}; a field mapping has target, source, sources, value and transforms`,
        `chave "${key}" desconhecida${dym["pt-BR"]}; o mapeamento de um campo tem target, source, sources, value e transforms`,
      ),
      `${at}/${key}`,
    );
  }

  const target = f.target;
  if (typeof target !== "string" || !isKnownField(target) || target === "attributes") {
    bad(targetProblem(target), `${at}/target`);
  }

  const transforms = f.transforms ?? [];
  if (!Array.isArray(transforms) || transforms.length > MAPPING_LIMITS.transforms) {
    const n = MAPPING_LIMITS.transforms;
    bad(text(`"transforms" must be a list of at most ${n} transforms`, `"transforms" deve ser uma lista de no máximo ${n} transformações`), `${at}/transforms`);
  }
  const list: unknown[] = Array.isArray(transforms) ? transforms : [];

  const given = ["source", "sources", "value"].filter((k) => f[k] !== undefined);
  let sources: string[] | undefined;
  let source: string | undefined;
  if (given.length === 0) {
    // A template names its columns itself: { target: "title", transforms: [{ op: "template", template: "{Marca} {Modelo}" }] }
    const template = list.find((t) => opOf(t) === "template") as { template?: unknown } | undefined;
    const names = typeof template?.template === "string" ? templatePlaceholders(template.template) : [];
    if (names.length === 0) {
      bad(
        text('give one of "source" (a column), "sources" (several columns) or "value" (a constant)', 'informe "source" (uma coluna), "sources" (várias colunas) ou "value" (uma constante)'),
        at,
      );
    } else sources = [...new Set(names)];
  } else if (given.length > 1) {
    bad(text(`give only one of "source", "sources" and "value" (got ${given.join(" and ")})`, `informe só um de "source", "sources" e "value" (vieram ${given.join(" e ")})`), at);
  } else if (f.source !== undefined) {
    source = columnName(f.source, `${at}/source`, bad);
    if (source?.includes(WILDCARD)) {
      bad(
        text('a "*" pattern matches several columns; use "sources": ["Imagem *"] with collect', 'um padrão com "*" corresponde a várias colunas; use "sources": ["Imagem *"] com collect'),
        `${at}/source`,
      );
      source = undefined;
    }
  } else if (f.sources !== undefined) {
    if (!Array.isArray(f.sources) || f.sources.length === 0 || f.sources.length > MAPPING_LIMITS.sources) {
      const n = MAPPING_LIMITS.sources;
      bad(text(`"sources" must be a list of 1 to ${n} column names`, `"sources" deve ser uma lista de 1 a ${n} nomes de coluna`), `${at}/sources`);
    } else {
      sources = [];
      f.sources.forEach((s, j) => {
        const name = columnName(s, `${at}/sources/${j}`, bad);
        if (name !== undefined) sources!.push(name);
      });
    }
  } else if (!isJsonValue(f.value)) {
    bad(text('"value" must be a string, number, boolean, or a list of them', '"value" deve ser um texto, número, booleano ou uma lista deles'), `${at}/value`);
  }

  const multi = sources !== undefined && (sources.length > 1 || sources.some((s) => s.includes(WILDCARD)));
  const ctx = { sources: source !== undefined ? [source] : sources, multi };
  const steps: Step[] = [];
  list.forEach((t, j) => {
    const step = compileTransform(t, ctx, `${at}/transforms/${j}`, bad);
    if (step) steps.push(step);
  });
  if (ok && multi && !list.some((t) => isCombining(opOf(t) ?? ""))) {
    bad(
      text(
        'several source columns must be combined: add a "collect" (into a list), "first", "concat" or "template" transform',
        'várias colunas de origem precisam ser combinadas: adicione uma transformação "collect" (em lista), "first", "concat" ou "template"',
      ),
      `${at}/transforms`,
    );
  }
  if (!ok) return undefined;

  const plan: FieldPlan = {
    target: target as string,
    attr: (target as string).startsWith("attributes.") ? (target as string).slice("attributes.".length) : undefined,
    kind: f.value !== undefined ? "constant" : multi ? "multi" : "single",
    steps,
    pointer: at,
  };
  if (plan.kind === "constant") {
    const r = run(steps, normalBlank(f.value));
    if (r.failed >= 0) {
      const step = steps[r.failed];
      const why = step.message?.(failedValue, "value") ?? text("cannot apply", "não se aplica");
      report(
        text(`the constant value fails transform ${r.failed} (${step.op}): ${why.en}`, `o valor constante falha na transformação ${r.failed} (${step.op}): ${why["pt-BR"]}`),
        `${at}/value`,
      );
      return undefined;
    }
    plan.constant = finalize(r.value);
  } else if (plan.kind === "multi") plan.sources = sources;
  else plan.source = source ?? sources![0];
  return plan;
}

function targetProblem(target: unknown): Text {
  if (typeof target !== "string") {
    return text('"target" is required: a canonical field such as "price" or "attributes.BRAND"', '"target" é obrigatório: um campo canônico como "price" ou "attributes.BRAND"');
  }
  if (target === "attributes") {
    return text('map attributes one by one, as "attributes.<KEY>" (e.g. attributes.BRAND)', 'mapeie os atributos um a um, como "attributes.<CHAVE>" (por exemplo, attributes.BRAND)');
  }
  const dym = didYouMean(target, CANONICAL_FIELDS);
  const fields = CANONICAL_FIELDS.filter((c) => c !== "attributes").join(", ");
  return text(
    `unknown target field "${target}"${dym.en}; use a canonical field (${fields}) or attributes.<KEY>`,
    `campo de destino "${target}" desconhecido${dym["pt-BR"]}; use um campo canônico (${fields}) ou attributes.<CHAVE>`,
  );
}

function isJsonValue(v: unknown): boolean {
  const scalar = (x: unknown) => typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));
  return scalar(v) || (Array.isArray(v) && v.length <= 100 && v.every(scalar));
}

/** The definition with transforms written as objects, keys in a stable order. */
function normalForm(def: MappingDefinition): MappingDefinition {
  const out: MappingDefinition = { fields: [] };
  if (def.name !== undefined) out.name = def.name;
  if (def.marketplace !== undefined) out.marketplace = def.marketplace;
  if (def.category !== undefined && def.category !== null) out.category = def.category;
  for (const f of def.fields) {
    const g: FieldMappingDef = { target: f.target };
    if (f.source !== undefined) g.source = f.source;
    if (f.sources !== undefined) g.sources = [...f.sources];
    if (f.value !== undefined) g.value = f.value;
    if (f.transforms !== undefined && f.transforms.length > 0) {
      g.transforms = f.transforms.map((t): TransformDef => (typeof t === "string" ? { op: t } : { ...t }));
    }
    out.fields.push(g);
  }
  return out;
}

/**
 * Validates a mapping and compiles its transforms into closures (no code generation). Throws
 * MappingError listing every problem with a JSON pointer into the definition.
 */
export function compileMapping(mapping: MappingDefinition): CompiledMapping {
  const problems: MappingProblem[] = [];
  const report: Report = (detail, pointer) => problems.push(mappingProblem(detail, pointer));
  if (!isObject(mapping)) throw new MappingError([mappingProblem(text("a mapping is an object with fields", "um mapeamento é um objeto com fields"), "")]);
  if (mapping.name !== undefined && (typeof mapping.name !== "string" || mapping.name.length > MAPPING_LIMITS.nameLength)) {
    const n = MAPPING_LIMITS.nameLength;
    report(text(`"name" must be a string of at most ${n} characters`, `"name" deve ser um texto de no máximo ${n} caracteres`), "/name");
  }
  const plans = problemsOf(mapping.fields, report);
  if (problems.length) throw new MappingError(problems);
  const definition = normalForm(mapping);
  const binds = new Map<string, RowMapper>();
  return {
    definition,
    targets: plans.map((p) => p.target),
    bind: (header, opts) => bindPlans(plans, header, opts ?? {}),
    // Cached binds for JSON records, whose key sets repeat (see mapRecordObject).
    [BIND_CACHE]: binds,
  } as CompiledMapping;
}

const BIND_CACHE = Symbol("bind cache");

interface BoundField {
  plan: FieldPlan;
  /** Column index for single sources (-1: missing, treated as absent). */
  index: number;
  /** Column indexes for multi sources. */
  indexes: number[];
  /** The column name(s) as the file spells them, for issue messages. */
  label: string;
}

/** Columns whose name matches `pattern` ("Imagem *": "Imagem 1", "imagem2", …), in number order. */
function wildcardColumns(pattern: string, keys: readonly string[]): number[] {
  const [pre, post] = columnKey(pattern).split(WILDCARD).map((s) => s.trim());
  const found: { i: number; n: number }[] = [];
  keys.forEach((k, i) => {
    if (!k.startsWith(pre) || !k.endsWith(post) || k.length < pre.length + post.length + 1) return;
    const middle = k.slice(pre.length, k.length - post.length).trim();
    if (/^\d{1,4}$/.test(middle)) found.push({ i, n: Number(middle) });
  });
  return found.sort((a, b) => a.n - b.n || a.i - b.i).map((f) => f.i);
}

function bindPlans(plans: readonly FieldPlan[], header: readonly string[], opts: BindOptions): RowMapper {
  const keys = header.map((h) => columnKey(String(h ?? "")));
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  const problems: MappingProblem[] = [];
  const missing: string[] = [];
  const lenient = opts.missing === "absent";

  const resolve = (name: string, pointer: string): number[] => {
    if (name.includes(WILDCARD)) {
      const found = wildcardColumns(name, keys);
      if (found.length === 0 && !lenient) {
        problems.push(
          mappingProblem(text(`no column of the file matches "${name}" (the "*" stands for a number)`, `nenhuma coluna do arquivo corresponde a "${name}" (o "*" vale por um número)`), pointer),
        );
        missing.push(name);
      }
      return found;
    }
    const hits = byKey.get(columnKey(name));
    if (!hits) {
      if (!lenient) {
        const near = didYouMean(name, header.map(String));
        problems.push(mappingProblem(text(`the file has no column "${name}"${near.en}`, `o arquivo não tem a coluna "${name}"${near["pt-BR"]}`), pointer));
        missing.push(name);
      }
      return [-1];
    }
    if (hits.length > 1) {
      const exact = hits.filter((i) => header[i] === name);
      if (exact.length === 1) return exact;
      const at = hits.map((i) => i + 1).join(", ");
      problems.push(
        mappingProblem(
          text(
            `column "${name}" matches several columns of the file (${at}); rename them so each is unique`,
            `a coluna "${name}" corresponde a várias colunas do arquivo (${at}); renomeie-as para que cada uma seja única`,
          ),
          pointer,
        ),
      );
    }
    return [hits[0]];
  };

  const bound: BoundField[] = plans.map((plan) => {
    if (plan.kind === "single") {
      const [index] = resolve(plan.source!, `${plan.pointer}/source`);
      return { plan, index, indexes: [], label: `"${index >= 0 ? header[index] : plan.source}"` };
    }
    if (plan.kind === "multi") {
      const indexes = plan.sources!.flatMap((s, j) => resolve(s, `${plan.pointer}/sources/${j}`));
      const names = indexes.filter((i) => i >= 0).map((i) => `"${header[i]}"`);
      return { plan, index: -1, indexes, label: names.length ? names.join(", ") : plan.sources!.map((s) => `"${s}"`).join(", ") };
    }
    return { plan, index: -1, indexes: [], label: "(constant)" };
  });
  if (problems.length) {
    if (missing.length) throw new MappingBindError(problems, missing);
    throw new MappingError(problems);
  }
  return new Mapper(bound, header.slice(), opts.locale ?? "en", opts.bilingual === true);
}

function cell(values: readonly unknown[], i: number): unknown {
  return i < 0 ? undefined : normalBlank(values[i]);
}

function read(b: BoundField, values: readonly unknown[]): unknown {
  if (b.plan.kind === "single") return cell(values, b.index);
  const out = new Array<unknown>(b.indexes.length);
  for (let k = 0; k < b.indexes.length; k++) out[k] = cell(values, b.indexes[k]);
  return out;
}

function getTarget(record: Record<string, unknown>, plan: FieldPlan): unknown {
  if (plan.attr === undefined) return record[plan.target];
  const attrs = record.attributes;
  const v = isObject(attrs) ? attrs[plan.attr] : undefined;
  return v !== undefined ? v : record[plan.target];
}

/** A value as the text of a cell; FAIL for lists and objects, which a single cell cannot hold. */
function cellText(v: unknown): string | typeof FAIL {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : FAIL;
  if (typeof v === "boolean") return String(v);
  return FAIL;
}

/**
 * Whether mapping the written cells gives back `corrected`. A cell holds text, so a field without a
 * number transform maps "1234.56" back as text: that matches a corrected 1234.56.
 */
function sameAsCell(mapped: unknown, corrected: unknown): boolean {
  if (sameValue(mapped, corrected)) return true;
  if (Array.isArray(mapped) && Array.isArray(corrected)) {
    return mapped.length === corrected.length && mapped.every((m, i) => sameAsCell(m, corrected[i]));
  }
  return typeof mapped === "string" && (typeof corrected === "number" || typeof corrected === "boolean") && cellText(corrected) === mapped;
}

/** The input of `step` that produces `v`, preferring what the seller wrote when it still fits. */
function undo(step: Step, v: unknown, input: unknown, output: unknown): unknown {
  if (sameValue(v, output)) return input;
  if (step.scalar && Array.isArray(v) && !step.flattens) {
    const ins = Array.isArray(input) ? input : [];
    const outs = Array.isArray(output) ? output : [];
    const back = new Array<unknown>(v.length);
    for (let k = 0; k < v.length; k++) {
      const r = undo(step, v[k], ins.length === v.length ? ins[k] : undefined, outs.length === v.length ? outs[k] : undefined);
      if (r === FAIL) return FAIL;
      back[k] = r;
    }
    return back;
  }
  if (step.flattens && Array.isArray(input)) return FAIL;
  if (!step.reverse || v === undefined) return FAIL;
  return step.reverse(v, input);
}

class Mapper implements RowMapper {
  private lastValues: readonly unknown[] | undefined;
  private lastRecord: Record<string, unknown> | undefined;

  constructor(
    private readonly fields: readonly BoundField[],
    readonly header: readonly string[],
    private readonly locale: Locale,
    private readonly bilingual: boolean,
  ) {}

  map(values: readonly unknown[], row: number): MappedRow {
    const record: Record<string, unknown> = {};
    let attrs: Record<string, unknown> | undefined;
    let issues: Issue[] | undefined;
    const fields = this.fields;
    for (let f = 0; f < fields.length; f++) {
      const b = fields[f];
      const plan = b.plan;
      let v: unknown;
      if (plan.kind === "constant") {
        v = Array.isArray(plan.constant) ? plan.constant.slice() : plan.constant;
      } else {
        v = read(b, values);
        const steps = plan.steps;
        for (let s = 0; s < steps.length; s++) {
          const r = apply(steps[s], v);
          if (r === FAIL) {
            (issues ??= []).push(this.issue(b, steps[s], row));
            break;
          }
          v = r;
        }
        v = finalize(v);
      }
      if (v === undefined) continue;
      if (plan.attr !== undefined) {
        if (attrs === undefined) record.attributes = attrs = {};
        attrs[plan.attr] = v;
      } else record[plan.target] = v;
    }
    this.lastValues = values;
    this.lastRecord = record;
    return { record, issues: issues ?? EMPTY_ISSUES };
  }

  private issue(b: BoundField, step: Step, row: number): Issue {
    const text = step.message?.(failedValue, b.label) ?? verbatim(`${step.op} failed`);
    const issue: Issue = {
      row,
      field: b.plan.target,
      rule: step.rule ?? `mapping.${step.op}.invalid`,
      severity: "error",
      message: text[this.locale],
      value: failedValue,
    };
    if (this.bilingual) issue.text = text;
    return issue;
  }

  /**
   * The seller's columns a canonical field path comes from in this row (`images[1]` → the column
   * holding the second picture; `attributes.BRAND` → "Marca"); empty for constants and fields the
   * mapping does not fill.
   */
  columnsRead(): { column: string; field: string }[] {
    const read: { index: number; field: string }[] = [];
    for (const b of this.fields) {
      const indexes = b.plan.kind === "single" ? [b.index] : b.indexes;
      for (const index of indexes) if (index >= 0) read.push({ index, field: b.plan.target });
    }
    return read.sort((a, b) => a.index - b.index).map((r) => ({ column: this.header[r.index], field: r.field }));
  }

  columnsOf(field: string, values: readonly unknown[]): string[] {
    const bracket = field.indexOf("[");
    const base = bracket < 0 ? field : field.slice(0, bracket);
    const item = bracket < 0 ? -1 : Number(field.slice(bracket + 1, field.indexOf("]", bracket)));
    for (const b of this.fields) {
      if (b.plan.target !== base) continue;
      if (b.plan.kind === "single") return b.index >= 0 ? [this.header[b.index]] : [];
      if (b.plan.kind === "constant") return [];
      const present = b.indexes.filter((i) => i >= 0);
      if (item >= 0) {
        // A list gathered from several columns skips the empty ones: the item is the n-th filled column.
        const filled = present.filter((i) => normalBlank(values[i]) !== undefined);
        if (filled.length > item) return [this.header[filled[item]]];
      }
      return present.map((i) => this.header[i]);
    }
    return [];
  }

  unmap(record: Record<string, unknown>, originalValues: readonly unknown[]): string[] {
    return this.unmapCells(record, originalValues).map((v) => {
      const t = cellText(v);
      return t === FAIL ? JSON.stringify(v) : t;
    });
  }

  /** Like unmap, but cells that do not change keep their original values (numbers stay numbers for JSON records). */
  unmapCells(record: Record<string, unknown>, originalValues: readonly unknown[]): unknown[] {
    const out = originalValues.slice();
    // The record map() just made for these very values, untouched by the validator: nothing to write.
    const base = originalValues === this.lastValues ? this.lastRecord : undefined;
    if (record === base) return out;
    const written = new Set<number>();
    for (const b of this.fields) {
      const plan = b.plan;
      if (plan.kind === "constant") continue;
      const corrected = getTarget(record, plan);
      // Fields the validator did not touch are skipped without mapping them again.
      if (base !== undefined && sameValue(corrected, getTarget(base, plan))) continue;
      const trace = { inputs: [] as unknown[], outputs: [] as unknown[] };
      const start = read(b, originalValues);
      const r = run(plan.steps, start, trace);
      if (r.failed >= 0 || corrected === undefined) continue;
      if (sameValue(corrected, finalize(r.value))) continue;

      let v: unknown = corrected;
      for (let s = plan.steps.length - 1; s >= 0 && v !== FAIL; s--) v = undo(plan.steps[s], v, trace.inputs[s], trace.outputs[s]);
      if (v === FAIL) continue;

      const columns = plan.kind === "single" ? [b.index] : b.indexes;
      const cells = plan.kind === "single" ? [v] : Array.isArray(v) && v.length === columns.length ? v : undefined;
      if (!cells || columns.some((i) => i < 0 || written.has(i))) continue;
      const texts: string[] = [];
      let writable = true;
      for (const c of cells) {
        const t = cellText(c);
        if (t === FAIL) writable = false;
        else texts.push(t);
      }
      if (!writable) continue;

      // Written only if mapping the new cells gives back exactly the corrected value.
      const candidate = out.slice();
      columns.forEach((i, k) => (candidate[i] = sameValue(normalBlank(originalValues[i]), normalBlank(cells[k])) ? originalValues[i] : texts[k]));
      const check = run(plan.steps, read(b, candidate));
      if (check.failed >= 0 || !sameAsCell(finalize(check.value), corrected)) continue;
      columns.forEach((i) => {
        out[i] = candidate[i];
        written.add(i);
      });
    }
    return out;
  }
}

type Cached = CompiledMapping & { [BIND_CACHE]: Map<string, RowMapper> };
const MAX_CACHED_BINDS = 32;

function mapperForKeys(mapping: CompiledMapping, keys: string[], locale: Locale, bilingual = false): Mapper {
  const cache = (mapping as Cached)[BIND_CACHE];
  const sig = locale + (bilingual ? "+" : "") + "\u0000" + keys.join("\u0000");
  let m = cache?.get(sig);
  if (!m) {
    m = mapping.bind(keys, { locale, missing: "absent", bilingual });
    if (cache) {
      if (cache.size >= MAX_CACHED_BINDS) cache.delete(cache.keys().next().value!);
      cache.set(sig, m);
    }
  }
  return m as Mapper;
}

/**
 * Maps a JSON record whose keys are the seller's column names (the /validate and preview path).
 * A source column the record does not have is an empty cell, not an error: JSON often leaves empty
 * keys out. Values keep their JSON types (a number needs no parsing).
 */
export function mapRecordObject(mapping: CompiledMapping, record: Record<string, unknown>, row = 1, opts: { locale?: Locale; bilingual?: boolean } = {}): MappedRow {
  const keys = Object.keys(record);
  const mapper = mapperForKeys(mapping, keys, opts.locale ?? "en", opts.bilingual);
  const values = keys.map((k) => record[k]);
  return mapper.map(values, row);
}

/** The record's own keys a canonical field path comes from (see RowMapper.columnsOf). */
export function recordColumnsOf(mapping: CompiledMapping, record: Record<string, unknown>, field: string): string[] {
  const keys = Object.keys(record);
  return mapperForKeys(mapping, keys, "en").columnsOf(field, keys.map((k) => record[k]));
}

/** Writes a corrected canonical record back into a JSON record's own keys (see RowMapper.unmap). */
export function unmapRecordObject(mapping: CompiledMapping, corrected: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(original);
  const mapper = mapperForKeys(mapping, keys, "en");
  const cells = mapper.unmapCells(corrected, keys.map((k) => original[k]));
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => (out[k] = cells[i]));
  return out;
}

