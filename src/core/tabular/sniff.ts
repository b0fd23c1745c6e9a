import { parseCsvText } from "./csv";
import type { Delimiter, TextEncodingName } from "./types";

/**
 * - `xlsx`: a ZIP whose first entries include `xl/` parts (confirm with `openXlsx`).
 * - `zip`: some other ZIP (an .ods, a zipped CSV…).
 * - `ole`: an OLE/CFB container: a legacy .xls or a password-protected .xlsx.
 * - `binary`: NUL bytes in text; not something we read.
 */
export type TabularFormat = "csv" | "xlsx" | "json" | "ndjson" | "zip" | "ole" | "binary";

export interface SniffResult {
  format: TabularFormat;
  encoding: TextEncodingName;
  /** A byte order mark is present (the readers strip it). UTF-16 is recognized only by its mark. */
  bom: boolean;
  delimiter: Delimiter;
  /** Numbers in the sample are written like "1.234,56" or "10,50". */
  decimalComma: boolean;
}

/** How many leading bytes `sniff` looks at; more is ignored. */
export const SNIFF_BYTES = 64 * 1024;

const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];
const MAX_SAMPLE_RECORDS = 100;

/** Detects format, encoding, delimiter and decimal style from the first bytes of a file. */
export function sniff(bytes: Uint8Array): SniffResult {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const truncated = bytes.length > head.length;
  const utf16 = utf16ByMark(head);
  const bom = utf16 !== null || (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf);
  const encoding: TextEncodingName = utf16 ?? (bom || isUtf8(head, truncated) ? "utf-8" : "windows-1252");
  const result: SniffResult = { format: "csv", encoding, bom, delimiter: ",", decimalComma: false };

  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    result.format = containsAscii(head, "xl/") ? "xlsx" : "zip";
    return result;
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    result.format = "ole";
    return result;
  }
  // UTF-16 text is full of NUL bytes; anything else with one is not text.
  if (utf16 === null && head.indexOf(0) >= 0) {
    result.format = "binary";
    return result;
  }

  let text = new TextDecoder(encoding).decode(head);
  const lead = text.match(/^\s*(.)/);
  if (lead?.[1] === "[") result.format = "json";
  else if (lead?.[1] === "{") result.format = "ndjson";
  if (result.format !== "csv") return result;

  // A sample cut mid-file ends in a partial record: drop it.
  if (truncated) {
    const cut = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    if (cut > 0) text = text.slice(0, cut);
  }
  result.delimiter = detectDelimiter(text);
  result.decimalComma = detectDecimalComma(text, result.delimiter);
  return result;
}

/** UTF-16 announced by its byte order mark (Excel's "Unicode Text" always writes one). */
function utf16ByMark(b: Uint8Array): "utf-16le" | "utf-16be" | null {
  if (b.length < 2) return null;
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return null;
}

/** Valid UTF-8 (a sequence cut by the end of a truncated sample is allowed). */
function isUtf8(b: Uint8Array, truncated: boolean): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return false;
    }
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return truncated;
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/**
 * Per delimiter, counts occurrences outside quotes on each of the first records. The winner
 * splits the header and most records into the same number (≥ 1) of extra fields.
 */
function detectDelimiter(text: string): Delimiter {
  const counts = DELIMITERS.map(() => [] as number[]);
  let inQuotes = false;
  let line = DELIMITERS.map(() => 0);
  let empty = true;
  for (let i = 0; i < text.length && counts[0].length < MAX_SAMPLE_RECORDS; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === "\n" || c === "\r")) {
      if (!empty) counts.forEach((list, k) => list.push(line[k]));
      line = DELIMITERS.map(() => 0);
      empty = true;
      continue;
    } else if (!inQuotes) {
      const k = DELIMITERS.indexOf(c as Delimiter);
      if (k >= 0) line[k]++;
    }
    empty = false;
  }
  if (!empty) counts.forEach((list, k) => list.push(line[k]));

  let best: Delimiter = ",";
  let bestScore = 0;
  DELIMITERS.forEach((d, k) => {
    const list = counts[k];
    if (list.length === 0 || list[0] === 0) return;
    const header = list[0];
    const agreeing = list.filter((n) => n === header).length / list.length;
    // Agreement with the header dominates; more fields breaks ties.
    const score = agreeing * 1000 + Math.min(header, 999);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  });
  return best;
}

const COMMA_DECIMAL = /^[-+]?(?:R\$\s?)?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$/;
const POINT_DECIMAL = /^[-+]?(?:R\$\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$/;
// "1.234" could be either; it votes for neither.
const AMBIGUOUS = /^[-+]?(?:R\$\s?)?\d{1,3}(?:[.,]\d{3})$/;

function detectDecimalComma(text: string, delimiter: Delimiter): boolean {
  const { rows } = parseCsvText(text, { delimiter, maxColumns: 4096 });
  return writesDecimalComma(rows.map((r) => r.values));
}

/**
 * Whether rows of cells write numbers "1.234,56" / "10,50" rather than "1234.56": more
 * decimal-comma than decimal-point numbers among them (ambiguous ones like "1,234" aside).
 * Workbooks need it too: a seller may type prices as text.
 */
export function writesDecimalComma(rows: readonly (readonly string[])[]): boolean {
  let comma = 0;
  let point = 0;
  for (const values of rows) {
    for (const raw of values) {
      const v = raw.trim();
      if (v.length === 0 || v.length > 40 || AMBIGUOUS.test(v)) continue;
      if (COMMA_DECIMAL.test(v)) comma++;
      else if (POINT_DECIMAL.test(v)) point++;
    }
  }
  return comma > point;
}

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

function containsAscii(b: Uint8Array, s: string): boolean {
  const first = s.charCodeAt(0);
  for (let i = b.indexOf(first); i >= 0 && i + s.length <= b.length; i = b.indexOf(first, i + 1)) {
    let k = 1;
    while (k < s.length && b[i + k] === s.charCodeAt(k)) k++;
    if (k === s.length) return true;
  }
  return false;
}
