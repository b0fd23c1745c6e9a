import type { Delimiter } from "./types";

/**
 * A plain decimal number: optional sign, digits, at most one decimal separator ("." or ","),
 * optional exponent. Spreadsheets read these as numbers, never as formulas, so "-12.5" and
 * "+3" stay as written instead of gaining a quote that would corrupt negative prices.
 */
const PLAIN_NUMBER = /^[-+]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][-+]?\d+)?$/;

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
function startsLikeFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 61 /* = */ || c === 43 /* + */ || c === 45 /* - */ || c === 64 /* @ */ || c === 9 || c === 13;
}

/** Renders one value as CSV text (before quoting). */
function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? "";
}

/**
 * One CSV field: formula-injection escaped, then quoted per RFC 4180 when it holds the
 * delimiter, a quote, CR or LF. Strings starting with `=`, `+`, `-`, `@`, tab or CR get a
 * leading `'` unless they are plain numbers (see PLAIN_NUMBER); numbers are never escaped.
 */
export function csvEscapeField(value: unknown, delimiter: Delimiter = ","): string {
  let s = text(value);
  if (s.length === 0) return s;
  if (typeof value === "string" && startsLikeFormula(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  if (s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r")) {
    return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

/** One CSV record, terminated by CRLF (RFC 4180). */
export function csvLine(values: readonly unknown[], delimiter: Delimiter = ","): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += delimiter;
    line += csvEscapeField(values[i], delimiter);
  }
  return line + "\r\n";
}

export interface CsvStreamOptions {
  delimiter?: Delimiter;
  /** Written first, escaped like any record. */
  header?: readonly unknown[];
  /** Prefix a UTF-8 BOM so Excel opens accented text correctly. Default false. */
  bom?: boolean;
}

/**
 * Encodes records as a UTF-8 CSV byte stream, pulling from `rows` only as the reader asks, in
 * chunks of about 64 KiB.
 */
export function toCsvStream(
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  opts: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const delimiter = opts.delimiter ?? ",";
  const encoder = new TextEncoder();
  const source: AsyncIterator<readonly unknown[]> | Iterator<readonly unknown[]> =
    Symbol.asyncIterator in rows
      ? (rows as AsyncIterable<readonly unknown[]>)[Symbol.asyncIterator]()
      : (rows as Iterable<readonly unknown[]>)[Symbol.iterator]();
  let prefix = (opts.bom ? "\uFEFF" : "") + (opts.header !== undefined ? csvLine(opts.header, delimiter) : "");
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        let buf = prefix;
        prefix = "";
        while (buf.length < 64 * 1024) {
          const r = await source.next();
          if (r.done) {
            if (buf.length > 0) ctrl.enqueue(encoder.encode(buf));
            ctrl.close();
            return;
          }
          buf += csvLine(r.value, delimiter);
        }
        ctrl.enqueue(encoder.encode(buf));
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
