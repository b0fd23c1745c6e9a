import { decodeText } from "./bytes";
import { TabularError } from "./errors";
import type { ByteSource, RowProblem, TextEncodingName } from "./types";

/** One record of a JSON source: the object, or the problem that kept it from being read. */
export interface JsonRecord {
  /** 1-based record number: the element's position in the array, or the non-empty line's. */
  row: number;
  value?: Record<string, unknown>;
  problem?: RowProblem;
}

export interface JsonOptions {
  /** Default "utf-8". */
  encoding?: TextEncodingName;
  /** Longest record kept, in UTF-16 code units. Default 1 Mi. Longer → `record_too_large`. */
  maxRecordLength?: number;
}

const DEFAULT_MAX_RECORD = 1024 * 1024;

function toRecord(row: number, text: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message.slice(0, 200) : "invalid JSON";
    return { row, problem: { code: "invalid_json", message } };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { row, problem: { code: "not_an_object" } };
  }
  return { row, value: value as Record<string, unknown> };
}

/**
 * Streams newline-delimited JSON: one object per line. Blank lines are skipped and not
 * counted; a line that is not a JSON object is reported on its record, not thrown.
 */
export async function* parseNdjson(source: ByteSource, opts: JsonOptions = {}): AsyncGenerator<JsonRecord, void, undefined> {
  const max = opts.maxRecordLength ?? DEFAULT_MAX_RECORD;
  let row = 0;
  let carry = "";
  let skipping = false;
  const out: JsonRecord[] = [];

  const line = (text: string): void => {
    if (text.trim().length === 0) return;
    row++;
    out.push(text.length > max ? { row, problem: { code: "record_too_large", limit: max } } : toRecord(row, text));
  };

  for await (const chunk of decodeText(source, opts.encoding ?? "utf-8")) {
    const s = carry.length === 0 ? chunk : carry + chunk;
    carry = "";
    let pos = 0;
    for (;;) {
      const nl = s.indexOf("\n", pos);
      if (nl < 0) break;
      if (skipping) {
        skipping = false;
        row++;
        out.push({ row, problem: { code: "record_too_large", limit: max } });
      } else {
        line(s.slice(pos, nl));
      }
      pos = nl + 1;
    }
    if (!skipping && s.length - pos > max) skipping = true;
    if (!skipping) carry = s.slice(pos);
    yield* out;
    out.length = 0;
  }
  if (skipping) {
    row++;
    out.push({ row, problem: { code: "record_too_large", limit: max } });
  } else {
    line(carry);
  }
  yield* out;
}

// Splitter states.
const BEFORE_ARRAY = 0;
const BEFORE_ELEMENT = 1;
const IN_ELEMENT = 2;
const AFTER_ARRAY = 3;

/**
 * Streams a top-level JSON array of objects. Each element is cut out by tracking nesting and
 * strings, then parsed on its own, so memory is bounded by the largest element (at most
 * `maxRecordLength`). A bad element is reported on its record; a broken array (no `[`,
 * truncated, text after `]`) throws `invalid_json` after the records before the damage.
 */
export async function* parseJsonArray(source: ByteSource, opts: JsonOptions = {}): AsyncGenerator<JsonRecord, void, undefined> {
  const max = opts.maxRecordLength ?? DEFAULT_MAX_RECORD;
  let state = BEFORE_ARRAY;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let size = 0;
  let tooLarge = false;
  let row = 0;
  let offset = 0;
  const out: JsonRecord[] = [];

  const fail = (at: number, what: string): TabularError =>
    new TabularError("invalid_json", `Invalid JSON array at character ${offset + at}: ${what}.`);
  const keep = (piece: string): void => {
    if (tooLarge) return;
    size += piece.length;
    if (size > max) {
      tooLarge = true;
      parts = [];
    } else {
      parts.push(piece);
    }
  };
  const finish = (): void => {
    row++;
    out.push(tooLarge ? { row, problem: { code: "record_too_large", limit: max } } : toRecord(row, parts.join("")));
    parts = [];
    size = 0;
    tooLarge = false;
  };

  for await (const s of decodeText(source, opts.encoding ?? "utf-8")) {
    const len = s.length;
    let i = 0;
    let start = state === IN_ELEMENT ? 0 : -1;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (state === IN_ELEMENT) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92 /* \ */) escaped = true;
          else if (c === 34 /* " */) inString = false;
          i++;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
        else if (c === 125 /* } */ || c === 93 /* ] */) {
          if (depth === 0) {
            if (c === 125) throw fail(i, "unbalanced '}'");
            keep(s.slice(start, i));
            finish();
            state = AFTER_ARRAY;
            i++;
            continue;
          }
          depth--;
        } else if (c === 44 /* , */ && depth === 0) {
          keep(s.slice(start, i));
          finish();
          state = BEFORE_ELEMENT;
          i++;
          continue;
        }
        i++;
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        continue;
      }
      if (state === BEFORE_ARRAY) {
        if (c !== 91) throw fail(i, "expected '['");
        state = BEFORE_ELEMENT;
      } else if (state === BEFORE_ELEMENT) {
        if (c === 93 && row === 0) state = AFTER_ARRAY;
        else if (c === 93 || c === 44) throw fail(i, "missing element");
        else {
          state = IN_ELEMENT;
          start = i;
          depth = 0;
          continue;
        }
      } else {
        throw fail(i, "text after the closing ']'");
      }
      i++;
    }
    if (state === IN_ELEMENT) keep(s.slice(start));
    offset += len;
    yield* out;
    out.length = 0;
  }
  if (state !== AFTER_ARRAY) throw fail(0, state === BEFORE_ARRAY ? "empty input" : "unexpected end of input");
}
