import { CANONICAL_FIELDS, isKnownField } from "./canonical";

/** Records a problem at a JSON pointer. */
export type Report = (detail: string, pointer: string) => void;

/**
 * Types a parameter can have. YAML is read with the failsafe schema, so every scalar arrives as a
 * string and is converted here only when the parameter needs a number or boolean.
 */
export type ParamSpec =
  | { kind: "int"; min?: number; required?: boolean }
  | { kind: "number"; required?: boolean }
  | { kind: "bool"; required?: boolean }
  | { kind: "string"; required?: boolean; values?: readonly string[] }
  | { kind: "strings"; required?: boolean; values?: readonly string[] }
  | { kind: "field"; required?: boolean }
  | { kind: "flags"; required?: boolean };

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

/** Converts one parameter value; reports and returns undefined when it does not fit. */
export function readParam(name: string, spec: ParamSpec, raw: unknown, pointer: string, report: Report): unknown {
  switch (spec.kind) {
    case "int": {
      const n = readInt(raw);
      const min = spec.min ?? 0;
      if (n === undefined || n < min) {
        report(`"${name}" must be a whole number${min === 0 ? " (0 or more)" : ` of at least ${min}`}`, pointer);
        return undefined;
      }
      return n;
    }
    case "number": {
      const n = readNumber(raw);
      if (n === undefined) report(`"${name}" must be a number (use a dot for decimals)`, pointer);
      return n;
    }
    case "bool": {
      const b = readBool(raw);
      if (b === undefined) report(`"${name}" must be true or false`, pointer);
      return b;
    }
    case "string": {
      const s = readString(raw);
      if (s === undefined) {
        report(`"${name}" must be a text value`, pointer);
        return undefined;
      }
      if (spec.values && !spec.values.includes(s)) {
        report(`"${name}" must be one of ${spec.values.join(", ")}; got "${s}"${didYouMean(s, spec.values)}`, pointer);
        return undefined;
      }
      return s;
    }
    case "strings": {
      if (!Array.isArray(raw) || raw.length === 0) {
        report(`"${name}" must be a non-empty list`, pointer);
        return undefined;
      }
      const out: string[] = [];
      raw.forEach((item, i) => {
        const s = readString(item);
        if (s === undefined) report(`"${name}" items must be text values`, `${pointer}/${i}`);
        else if (spec.values && !spec.values.includes(s)) {
          report(`"${name}" items must be one of ${spec.values.join(", ")}; got "${s}"`, `${pointer}/${i}`);
        } else out.push(s);
      });
      return out;
    }
    case "field": {
      const s = readString(raw);
      if (s === undefined || !isKnownField(s)) {
        report(unknownFieldDetail(s, name), pointer);
        return undefined;
      }
      return s;
    }
    case "flags": {
      const s = readString(raw);
      if (s === undefined || !/^[iu]{0,2}$/.test(s) || new Set(s).size !== s.length) {
        report(`"${name}" may only contain the regex flags i and u`, pointer);
        return undefined;
      }
      return s;
    }
  }
}

export function unknownFieldDetail(field: string | undefined, key = "field"): string {
  if (field === undefined) return `"${key}" must be a field path such as title or attributes.BRAND`;
  return `unknown field "${field}"${didYouMean(field, CANONICAL_FIELDS)}; use a canonical field (${CANONICAL_FIELDS.join(", ")}) or attributes.<KEY>`;
}

/** ` (did you mean "x"?)` when a candidate is close to `word`, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
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
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : "";
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
