import { type ZipWriter, zipStream } from "./zip-writer";

/** A cell of a new workbook: text (an inline string), a number, a boolean, or nothing. */
export type XlsxCell = string | number | boolean | null | undefined;

type Rows = AsyncIterable<readonly XlsxCell[]> | Iterable<readonly XlsxCell[]>;

export interface XlsxSheetSpec {
  /** At most 31 characters, none of `[]:*?/\`, unique in the workbook regardless of case. */
  name: string;
  /** The rows in order, or a function giving them, called when the sheet's turn comes (so it may use what earlier sheets gathered). */
  rows: Rows | (() => Rows);
  /** The first row names the columns: bold, frozen while scrolling, with filter buttons. */
  header?: boolean;
  /** Column widths, in characters. */
  widths?: readonly number[];
}

/** Excel refuses longer cell text; longer strings are cut to this length. */
export const XLSX_MAX_CELL_CHARS = 32_767;
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const BATCH_CHARS = 64 * 1024;

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style 1 is bold (header cells); style 0 is Excel's default. */
const STYLES =
  `${XML_DECL}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>";

/** The column letters of a 0-based column index (0 → "A", 27 → "AB"). */
export function columnLetters(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const INVALID_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const OOXML_ESCAPE_LIKE = /_x([0-9A-Fa-f]{4})_/g;
/** Text whose spaces a reader could drop (at either end, doubled, or line breaks and tabs) is marked to keep them. */
const KEEP_SPACES = /^\s|\s$|\s\s|[\t\n\r]/;
/** Anything `xmlText` changes; most cell text has none of it. */
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_x/;

/**
 * Text for an XML text node or attribute value. Characters XML 1.0 cannot hold (most control
 * characters) are written as OOXML `_xHHHH_` escapes, and text that already looks like one has
 * its underscore escaped, so a reader that decodes them gets the original string back.
 */
export function xmlText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let t = s;
  if (t.includes("_x")) t = t.replace(OOXML_ESCAPE_LIKE, "_x005F_x$1_");
  t = t.replace(INVALID_XML_CHAR, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
  return t.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** The XML of one new cell at `ref`, or "" for an empty one. `style` is an `s=` index or -1. */
export function cellXml(ref: string, value: XlsxCell, style: number, prefix = ""): string {
  const s = style >= 0 ? ` s="${style}"` : "";
  if (value === null || value === undefined || value === "") return style >= 0 ? `<${prefix}c r="${ref}"${s}/>` : "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return cellXml(ref, String(value), style, prefix);
    return `<${prefix}c r="${ref}"${s}><${prefix}v>${value}</${prefix}v></${prefix}c>`;
  }
  if (typeof value === "boolean") return `<${prefix}c r="${ref}"${s} t="b"><${prefix}v>${value ? 1 : 0}</${prefix}v></${prefix}c>`;
  const text = value.length > XLSX_MAX_CELL_CHARS ? value.slice(0, XLSX_MAX_CELL_CHARS) : value;
  const space = KEEP_SPACES.test(text) ? ' xml:space="preserve"' : "";
  return `<${prefix}c r="${ref}"${s} t="inlineStr"><${prefix}is><${prefix}t${space}>${xmlText(text)}</${prefix}t></${prefix}is></${prefix}c>`;
}

function checkSheetNames(sheets: readonly XlsxSheetSpec[]): void {
  if (sheets.length === 0) throw new RangeError("a workbook needs at least one sheet");
  const seen = new Set<string>();
  for (const { name } of sheets) {
    if (name.length === 0 || name.length > 31 || /[[\]:*?/\\]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new RangeError(`invalid sheet name ${JSON.stringify(name)}`);
    }
    if (seen.has(name.toLowerCase())) throw new RangeError(`duplicate sheet name ${JSON.stringify(name)}`);
    seen.add(name.toLowerCase());
  }
}

/**
 * Writes a new workbook into `zip`: one worksheet per spec, in order, each streamed from its
 * rows (strings as inline strings, numbers as numbers), so memory does not grow with the rows.
 */
export async function writeXlsx(zip: ZipWriter, sheets: readonly XlsxSheetSpec[]): Promise<void> {
  checkSheetNames(sheets);
  const overrides = sheets
    .map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
    .join("");
  await zip.add(
    "[Content_Types].xml",
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      `${overrides}</Types>`,
  );
  await zip.add(
    "_rels/.rels",
    `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  await zip.add(
    "xl/workbook.xml",
    `${XML_DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
      sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
      "</sheets></workbook>",
  );
  await zip.add(
    "xl/_rels/workbook.xml.rels",
    `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}">` +
      sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
      `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
  );
  await zip.add("xl/styles.xml", STYLES);
  for (let i = 0; i < sheets.length; i++) await zip.add(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(sheets[i]));
}

/** A new workbook as a byte stream read at the consumer's pace (see `writeXlsx`). */
export function xlsxStream(sheets: readonly XlsxSheetSpec[]): ReadableStream<Uint8Array> {
  return zipStream((zip) => writeXlsx(zip, sheets));
}

async function* sheetXml(spec: XlsxSheetSpec): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  let head = `${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`;
  if (spec.header) {
    head += '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
  }
  if (spec.widths !== undefined && spec.widths.length > 0) {
    head += `<cols>${spec.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`;
  }
  let xml = `${head}<sheetData>`;
  const letters: string[] = [];
  let r = 0;
  let widest = 0;
  const rows = typeof spec.rows === "function" ? spec.rows() : spec.rows;
  for await (const row of rows) {
    if (++r > MAX_ROWS) throw new RangeError(`sheet ${spec.name} has more than ${MAX_ROWS} rows`);
    if (row.length > MAX_COLUMNS) throw new RangeError(`sheet ${spec.name} has more than ${MAX_COLUMNS} columns`);
    if (row.length > widest) widest = row.length;
    const style = spec.header && r === 1 ? 1 : -1;
    xml += `<row r="${r}">`;
    for (let c = 0; c < row.length; c++) {
      const letter = (letters[c] ??= columnLetters(c));
      xml += cellXml(letter + r, row[c], row[c] === null || row[c] === undefined || row[c] === "" ? -1 : style);
    }
    xml += "</row>";
    if (xml.length >= BATCH_CHARS) {
      yield encoder.encode(xml);
      xml = "";
    }
  }
  xml += "</sheetData>";
  if (spec.header && r > 0 && widest > 0) xml += `<autoFilter ref="A1:${columnLetters(widest - 1)}${r}"/>`;
  yield encoder.encode(`${xml}</worksheet>`);
}
