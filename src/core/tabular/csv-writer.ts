import { byteOrderMark, encodeText } from "./encode";
import type { Delimiter, TextEncodingName } from "./types";

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

/**
 * A cell a seller most likely meant as a spreadsheet formula, as opposed to text that merely
 * starts with one of the OWASP characters ("- Tela 6,5"): `=`, `@`, a leading tab or CR before one
 * of those, or `+`/`-` followed by a function call (`+SUM(`) or a cell reference (`-A1`).
 */
export function looksLikeFormula(s: string): boolean {
  if (s.length < 2 || !startsLikeFormula(s) || PLAIN_NUMBER.test(s)) return false;
  const c = s.charCodeAt(0);
  if (c === 61 /* = */ || c === 64 /* @ */) return true;
  if (c === 9 || c === 13) return looksLikeFormula(s.slice(1)) || s.charCodeAt(1) === 61;
  return /^[+-]\s*(?:[A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+)/.test(s);
}

/**
 * `s` with a leading `'` when a spreadsheet would run it as a formula (OWASP CSV injection):
 * it starts with `=`, `+`, `-`, `@`, tab or CR and is not a plain number.
 */
export function neutralizeFormula(s: string): string {
  return s.length > 0 && startsLikeFormula(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
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
  if (typeof value === "string") s = neutralizeFormula(s);
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
  /** Default "utf-8". Windows-1252 writes "?" for characters it lacks (see `onUnencodable`). */
  encoding?: TextEncodingName;
  /** Prefix the encoding's byte order mark so Excel opens accented text correctly (none exists for Windows-1252). Default false. */
  bom?: boolean;
  /** Hears how many characters were written as "?" (Windows-1252 only). */
  onUnencodable?: (count: number) => void;
}

/**
 * The dialect of a CSV report (issues) for a seller: the delimiter of their own file, so their
 * spreadsheet program splits it the same way (";" for an Excel set to Portuguese), UTF-8 with a
 * BOM, so every message fits and Excel reads the accents; records end in CRLF (`csvLine`).
 * `requested` holds what the client asked for (`?delimiter=`, `?encoding=`), which wins.
 */
export function reportCsvDialect(
  source: { delimiter?: Delimiter } | null,
  requested: { delimiter?: Delimiter; encoding?: TextEncodingName } = {},
): Required<Pick<CsvStreamOptions, "delimiter" | "encoding" | "bom">> {
  const encoding = requested.encoding ?? "utf-8";
  return { delimiter: requested.delimiter ?? source?.delimiter ?? ",", encoding, bom: encoding !== "windows-1252" };
}

/**
 * Encodes records as a CSV byte stream (CRLF line ends, formula-looking strings neutralized),
 * pulling from `rows` only as the reader asks, in chunks of about 64 KiB.
 */
export function toCsvStream(
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  opts: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const delimiter = opts.delimiter ?? ",";
  const encoding = opts.encoding ?? "utf-8";
  const encode = (text: string): Uint8Array => {
    const { bytes, unencodable } = encodeText(text, encoding);
    if (unencodable > 0) opts.onUnencodable?.(unencodable);
    return bytes;
  };
  const source: AsyncIterator<readonly unknown[]> | Iterator<readonly unknown[]> =
    Symbol.asyncIterator in rows
      ? (rows as AsyncIterable<readonly unknown[]>)[Symbol.asyncIterator]()
      : (rows as Iterable<readonly unknown[]>)[Symbol.iterator]();
  let bom = opts.bom ? byteOrderMark(encoding) : new Uint8Array(0);
  let prefix = opts.header !== undefined ? csvLine(opts.header, delimiter) : "";
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (bom.length > 0) {
          ctrl.enqueue(bom);
          bom = new Uint8Array(0);
        }
        let buf = prefix;
        prefix = "";
        while (buf.length < 64 * 1024) {
          const r = await source.next();
          if (r.done) {
            if (buf.length > 0) ctrl.enqueue(encode(buf));
            ctrl.close();
            return;
          }
          buf += csvLine(r.value, delimiter);
        }
        ctrl.enqueue(encode(buf));
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
