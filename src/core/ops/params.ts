import { CANONICAL_FIELDS, isKnownField } from "../rules/canonical";
import { text, type Text } from "../text";

/** Records a problem at a JSON pointer. */
export type Report = (detail: Text, pointer: string) => void;

/**
 * What a parameter accepts. One spec serves rule-pack checks, fixes and mapping transforms; how
 * scalars arrive is the reader's business (see `ParamReading`).
 */
export type ParamSpec =
  | { kind: "int"; required?: boolean; min?: number; max?: number }
  | { kind: "number"; required?: boolean }
  | { kind: "bool"; required?: boolean }
  | { kind: "text"; required?: boolean; values?: readonly string[]; minLength?: number; maxLength?: number }
  /** A non-empty list of text values. */
  | { kind: "texts"; required?: boolean; values?: readonly string[] }
  /** A canonical field path. */
  | { kind: "field"; required?: boolean }
  /** Regular expression flags (i, u). */
  | { kind: "flags"; required?: boolean }
  /** A string, number or boolean, or a list of up to 100 of them. */
  | { kind: "scalar"; required?: boolean }
  /** Any value but an empty one (YAML: text, a list or a mapping). */
  | { kind: "any"; required?: boolean }
  /** "from": "to" pairs. */
  | { kind: "map"; required?: boolean; maxEntries?: number; maxKeyLength?: number };

/**
 * How parameter values arrive. Rule packs are read with YAML's failsafe schema, so every scalar is
 * text and is converted only where a number or boolean is needed (`text`); mappings are JSON and
 * must already have the right type (`json`).
 */
export type ParamReading = "text" | "json";

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

const INT = /^[-+]?\d{1,15}$/;
const NUM = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function readInt(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw === "string" && INT.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

export function readNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "string" && NUM.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

export function readBool(raw: unknown): boolean | undefined {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string") {
    const s = raw.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

/** Scalars as strings (JSON numbers/booleans included); undefined for lists and mappings. */
export function readString(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  return undefined;
}

const isScalar = (v: unknown) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean";

/**
 * Converts one parameter value; reports and returns undefined when it does not fit. `label` is
 * the parameter as the writer sees it (usually its name).
 */
export function readParam(label: string, spec: ParamSpec, raw: unknown, pointer: string, report: Report, reading: ParamReading = "text"): unknown {
  const json = reading === "json";
  const q = `"${label}"`;
  switch (spec.kind) {
    case "int": {
      const n = json ? (typeof raw === "number" && Number.isInteger(raw) ? raw : undefined) : readInt(raw);
      const min = spec.min ?? 0;
      if (n === undefined || n < min || (spec.max !== undefined && n > spec.max)) {
        report(
          spec.max !== undefined
            ? text(`${q} must be a whole number from ${min} to ${spec.max}`, `${q} deve ser um número inteiro de ${min} a ${spec.max}`)
            : min === 0
              ? text(`${q} must be a whole number (0 or more)`, `${q} deve ser um número inteiro (0 ou mais)`)
              : text(`${q} must be a whole number of at least ${min}`, `${q} deve ser um número inteiro de pelo menos ${min}`),
          pointer,
        );
        return undefined;
      }
      return n;
    }
    case "number": {
      const n = json ? (typeof raw === "number" && Number.isFinite(raw) ? raw : undefined) : readNumber(raw);
      if (n === undefined) report(text(`${q} must be a number (use a dot for decimals)`, `${q} deve ser um número (use ponto para decimais)`), pointer);
      return n;
    }
    case "bool": {
      const b = json ? (typeof raw === "boolean" ? raw : undefined) : readBool(raw);
      if (b === undefined) report(text(`${q} must be true or false`, `${q} deve ser true ou false`), pointer);
      return b;
    }
    case "text": {
      const s = json ? (typeof raw === "string" ? raw : undefined) : readString(raw);
      if (s === undefined) {
        report(text(`${q} must be a text value`, `${q} deve ser um texto`), pointer);
        return undefined;
      }
      if (spec.values && !spec.values.includes(s)) {
        const dym = didYouMean(s, spec.values);
        report(text(`${q} must be one of ${spec.values.join(", ")}${dym.en}`, `${q} deve ser um destes: ${spec.values.join(", ")}${dym["pt-BR"]}`), pointer);
        return undefined;
      }
      const min = spec.minLength ?? 0;
      if (s.length < min || (spec.maxLength !== undefined && s.length > spec.maxLength)) {
        report(
          spec.maxLength !== undefined
            ? text(`${q} must have ${min} to ${spec.maxLength} characters`, `${q} deve ter de ${min} a ${spec.maxLength} caracteres`)
            : text(`${q} must not be empty`, `${q} não pode ser vazio`),
          pointer,
        );
        return undefined;
      }
      return s;
    }
    case "texts": {
      if (!Array.isArray(raw) || raw.length === 0) {
        report(text(`${q} must be a non-empty list`, `${q} deve ser uma lista não vazia`), pointer);
        return undefined;
      }
      const out: string[] = [];
      raw.forEach((item, i) => {
        const s = json ? (typeof item === "string" ? item : undefined) : readString(item);
        if (s === undefined) report(text(`${q} items must be text values`, `os itens de ${q} devem ser textos`), `${pointer}/${i}`);
        else if (spec.values && !spec.values.includes(s)) {
          report(
            text(`${q} items must be one of ${spec.values.join(", ")}; got "${s}"`, `os itens de ${q} devem ser um destes: ${spec.values.join(", ")}; veio "${s}"`),
            `${pointer}/${i}`,
          );
        } else out.push(s);
      });
      return out;
    }
    case "field": {
      const s = readString(raw);
      if (s === undefined || !isKnownField(s)) {
        report(unknownFieldDetail(s, label), pointer);
        return undefined;
      }
      return s;
    }
    case "flags": {
      const s = json ? (typeof raw === "string" ? raw : undefined) : readString(raw);
      if (s === undefined || !/^[iu]{0,2}$/.test(s) || new Set(s).size !== s.length) {
        report(text(`${q} may only contain the regex flags i and u`, `${q} só pode conter as flags de expressão regular i e u`), pointer);
        return undefined;
      }
      return s;
    }
    case "scalar":
      if (!isScalar(raw) && !(Array.isArray(raw) && raw.length <= 100 && raw.every(isScalar))) {
        report(
          text(`${q} must be a string, number, boolean or a list of them`, `${q} deve ser um texto, número, booleano ou uma lista deles`),
          pointer,
        );
        return undefined;
      }
      return raw;
    case "any":
      if (raw === null || raw === "") {
        report(text(`${q} needs a value`, `${q} precisa de um valor`), pointer);
        return undefined;
      }
      return raw;
    case "map": {
      const max = spec.maxEntries;
      if (!isPlainObject(raw)) {
        report(text(`${q} must be a set of "from": "to" pairs`, `${q} deve ser um conjunto de pares "de": "para"`), pointer);
        return undefined;
      }
      const entries = Object.entries(raw);
      if (entries.length === 0 || (max !== undefined && entries.length > max)) {
        report(
          max !== undefined
            ? text(`${q} must have 1 to ${max} entries`, `${q} deve ter de 1 a ${max} pares`)
            : text(`${q} must have at least one "from": "to" pair`, `${q} deve ter pelo menos um par "de": "para"`),
          pointer,
        );
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [from, to] of entries) {
        if (spec.maxKeyLength !== undefined && from.length > spec.maxKeyLength) {
          report(text(`${q} keys have at most ${spec.maxKeyLength} characters`, `as chaves de ${q} têm no máximo ${spec.maxKeyLength} caracteres`), pointer);
          return undefined;
        }
        const target = json ? (isScalar(to) ? to : undefined) : readString(to);
        if (target === undefined) {
          report(
            json
              ? text(`${q} maps text to a string, number or boolean`, `${q} leva um texto a um texto, número ou booleano`)
              : text(`${q} target for "${from}" must be a text value`, `o destino de "${from}" em ${q} deve ser um texto`),
            json ? pointer : `${pointer}/${escapePointer(from)}`,
          );
          return undefined;
        }
        out[from] = target;
      }
      return out;
    }
  }
}

export function unknownFieldDetail(field: string | undefined, key = "field"): Text {
  if (field === undefined) {
    return text(`"${key}" must be a field path such as title or attributes.BRAND`, `"${key}" deve ser um campo, como title ou attributes.BRAND`);
  }
  const dym = didYouMean(field, CANONICAL_FIELDS);
  const known = CANONICAL_FIELDS.join(", ");
  return text(
    `unknown field "${field}"${dym.en}; use a canonical field (${known}) or attributes.<KEY>`,
    `campo "${field}" desconhecido${dym["pt-BR"]}; use um campo canônico (${known}) ou attributes.<CHAVE>`,
  );
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)` when a candidate is close to `word`, else empty text. */
export function didYouMean(word: string, candidates: readonly string[]): Text {
  const best = closest(word, candidates);
  return best === undefined ? text("", "") : text(` (did you mean "${best}"?)`, ` (quis dizer "${best}"?)`);
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  // Optimal string alignment distance: a swap of two neighbours ("titel") counts as one edit.
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}
