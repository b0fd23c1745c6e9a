import { decodeText } from "./bytes";
import type { CellValue } from "./csv-rewrite";
import { TabularError } from "./errors";
import type { RandomAccessReader } from "./types";
import { openXlsx, pickSheet, sheetPart } from "./xlsx";
import { cellXml, columnLetters } from "./xlsx-writer";
import { xmlAttr } from "./xml-scanner";
import { readEntry, readEntryBytes, type ZipEntry, type ZipLimits } from "./zip";
import { type ZipWriter, zipStream } from "./zip-writer";

/** One changed cell of the sheet being corrected. */
export interface XlsxCellEdit {
  /** The sheet row as Excel numbers it (`XlsxRow.sheetRow`). Edits come in ascending row order. */
  sheetRow: number;
  /** 0-based column: the index in `XlsxRow.values` (A = 0). */
  column: number;
  /**
   * A number is written as a number and a boolean as a boolean. A string is written as text,
   * except in a cell that held a number, where a plain decimal ("12.5") stays a number. null or
   * "" clears the value. The cell keeps its style; a formula in it is replaced by the value.
   */
  value: CellValue;
}

/**
 * Why an edit was not applied: the cell belongs to a formula spanning other cells (an array
 * formula, the first cell of a shared formula, a data table), which a value cannot replace
 * without breaking the formulas of the other cells.
 */
export type XlsxSkipReason = "array_formula" | "shared_formula" | "data_table";

export interface XlsxRewriteResult {
  sheet: string;
  /** Cells replaced or added. */
  cellsChanged: number;
  /** Rows added because an edit named a row the sheet did not have. */
  rowsAdded: number;
  /** The first skipped edits (at most 1,000); `skippedCount` counts them all. */
  skipped: { sheetRow: number; column: number; reason: XlsxSkipReason }[];
  skippedCount: number;
}

export interface XlsxRewriteOptions {
  /** Sheet name or 0-based position; default the first sheet. */
  sheet?: string | number;
  limits?: Partial<ZipLimits>;
  /** Longest row element held while its cells are edited, in characters. Default 32 Mi. */
  maxRowChars?: number;
}

const MAX_SKIPPED = 1000;
const MAX_COLUMN = 16_383;
const MAX_ROW = 1_048_576;
const MAX_RANGES = 100_000;
/** The part before the rows (sheet properties, views, columns) is held until `<sheetData>` opens. */
const MAX_PRELUDE_CHARS = 16 * 1024 * 1024;
const CALC_CHAIN = /(^|\/)calcChain\.xml$/i;

/**
 * Streams a corrected copy of a workbook: every ZIP entry is copied as stored (compressed bytes
 * untouched), except the sheet being corrected, whose XML is re-streamed with the edited cells
 * replaced (strings as inline strings, so sharedStrings.xml stays as it was). Other sheets,
 * styles, column widths, hidden columns, merged cells and rows above the header survive, so the
 * file can be uploaded back where it came from. The calculation chain (`xl/calcChain.xml`, a
 * cache Excel rebuilds) is left out, because it may list formulas an edit replaced. Memory: one
 * decoded piece of the sheet and the row being edited; a million-row sheet is never held.
 *
 * `result` settles once the stream has been read to its end.
 */
export function rewriteXlsx(
  reader: RandomAccessReader,
  edits: AsyncIterable<XlsxCellEdit> | Iterable<XlsxCellEdit>,
  opts: XlsxRewriteOptions = {},
): { stream: ReadableStream<Uint8Array>; result: Promise<XlsxRewriteResult> } {
  let settle!: { resolve: (r: XlsxRewriteResult) => void; reject: (e: unknown) => void };
  const result = new Promise<XlsxRewriteResult>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  const stream = zipStream(async (zip) => {
    try {
      settle.resolve(await writeRewrittenXlsx(zip, reader, edits, opts));
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  });
  return { stream, result };
}

/** `rewriteXlsx` into a ZipWriter the caller finishes. */
export async function writeRewrittenXlsx(
  zip: ZipWriter,
  reader: RandomAccessReader,
  edits: AsyncIterable<XlsxCellEdit> | Iterable<XlsxCellEdit>,
  opts: XlsxRewriteOptions = {},
): Promise<XlsxRewriteResult> {
  const wb = await openXlsx(reader, opts);
  const sheet = pickSheet(wb, opts.sheet);
  const target = sheetPart(wb, sheet);
  const result: XlsxRewriteResult = { sheet: sheet.name, cellsChanged: 0, rowsAdded: 0, skipped: [], skippedCount: 0 };
  const calcChain = [...wb.zip.entries.values()].find((e) => CALC_CHAIN.test(e.name));

  for (const entry of wb.zip.entries.values()) {
    if (entry === target) {
      await zip.add(entry.name, rewriteSheetXml(decodeText(readEntry(wb.zip, entry), "utf-8"), edits, result, opts.maxRowChars));
    } else if (entry === calcChain) {
      continue;
    } else if (calcChain !== undefined && isCalcChainReference(entry)) {
      const text = new TextDecoder().decode(await readEntryBytes(wb.zip, entry, MAX_PRELUDE_CHARS));
      await zip.add(entry.name, withoutCalcChain(text));
    } else {
      await zip.copy(wb.zip, entry);
    }
  }
  return result;
}

/**
 * The sheet step of `rewriteXlsx`: re-streams one worksheet's XML, given as decoded text pieces,
 * with `edits` applied, and counts what it did into `result`.
 */
export function rewriteSheetXml(
  texts: AsyncIterable<string>,
  edits: AsyncIterable<XlsxCellEdit> | Iterable<XlsxCellEdit>,
  result: XlsxRewriteResult,
  maxRowChars = 32 * 1024 * 1024,
): AsyncGenerator<Uint8Array, void, undefined> {
  return new SheetRewriter(new EditQueue(edits), result, maxRowChars).run(texts);
}

/** The parts that name the calculation chain: the content types and the workbook's relationships. */
function isCalcChainReference(e: ZipEntry): boolean {
  return e.name === "[Content_Types].xml" || /(^|\/)_rels\/workbook\.xml\.rels$/i.test(e.name);
}

function withoutCalcChain(xml: string): string {
  return xml.replace(/<(?:\w+:)?(?:Override|Relationship)\b[^>]*calcChain[^>]*\/>/g, "");
}

/** Edits pulled in row order, one row at a time. */
class EditQueue {
  private readonly it: AsyncIterator<XlsxCellEdit> | Iterator<XlsxCellEdit>;
  private look: XlsxCellEdit | undefined;
  private done = false;
  private lastRow = 0;

  constructor(edits: AsyncIterable<XlsxCellEdit> | Iterable<XlsxCellEdit>) {
    this.it = Symbol.asyncIterator in edits ? edits[Symbol.asyncIterator]() : (edits as Iterable<XlsxCellEdit>)[Symbol.iterator]();
  }

  /** The row of the next edit, or Infinity when there are no more. */
  async nextRow(): Promise<number> {
    if (this.look === undefined && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.look = this.check(r.value);
    }
    return this.look?.sheetRow ?? Infinity;
  }

  /** The edits of the next row, by column (a later edit of a column wins). */
  async takeRow(): Promise<Map<number, CellValue>> {
    const row = await this.nextRow();
    const cells = new Map<number, CellValue>();
    while (this.look !== undefined && this.look.sheetRow === row) {
      cells.set(this.look.column, this.look.value);
      this.look = undefined;
      await this.nextRow();
    }
    return cells;
  }

  private check(e: XlsxCellEdit): XlsxCellEdit {
    if (!(Number.isInteger(e.sheetRow) && e.sheetRow >= 1 && e.sheetRow <= MAX_ROW)) throw new RangeError(`bad sheetRow ${e.sheetRow}`);
    if (!(Number.isInteger(e.column) && e.column >= 0 && e.column <= MAX_COLUMN)) throw new RangeError(`bad column ${e.column}`);
    if (e.sheetRow < this.lastRow) throw new RangeError(`edits must come in row order (row ${e.sheetRow} after ${this.lastRow})`);
    this.lastRow = e.sheetRow;
    return e;
  }
}

interface Range {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  reason: XlsxSkipReason;
}

/** A cell reference ("AB12") as 0-based column and 1-based row; null if it is not one. */
function parseRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (m === null) return null;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col: col - 1, row: parseInt(m[2], 10) };
}

function parseRange(ref: string, reason: XlsxSkipReason): Range | null {
  const [a, b] = ref.split(":");
  const from = parseRef(a);
  const to = b === undefined ? from : parseRef(b);
  if (from === null || to === null) return null;
  return { r1: Math.min(from.row, to.row), c1: Math.min(from.col, to.col), r2: Math.max(from.row, to.row), c2: Math.max(from.col, to.col), reason };
}

/** Position of the `>` ending the tag that starts at `lt`, skipping quoted attribute values; -1 if not in `s`. */
function tagEnd(s: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 62 /* > */) return i;
    else if (c === 34 || c === 39) quote = c;
  }
  return -1;
}

/** Next `<name` at or after `from` that is that element (followed by space, `>` or `/`), or -1. */
function findTag(s: string, open: string, from: number): number {
  for (let i = s.indexOf(open, from); i >= 0; i = s.indexOf(open, i + 1)) {
    const c = s.charCodeAt(i + open.length);
    if (c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) return i;
    if (Number.isNaN(c)) return i; // Cut by the end of the piece: the caller waits for more.
  }
  return -1;
}

const PRE = 0;
const DATA = 1;
const POST = 2;
const PLAIN_DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Re-streams a worksheet's XML with edited cells replaced. Rows without edits are copied as text
 * (only their start tags are read, for row numbers); an edited row is held whole and rebuilt.
 */
class SheetRewriter {
  private phase = PRE;
  private carry = "";
  private prefix = "";
  private rowOpen = "<row";
  private rowClose = "</row>";
  private fOpen = "<f";
  private dataClose = "</sheetData>";
  private rowNum = 0;
  private nextEdit = 0;
  private readonly colStyles: { min: number; max: number; style: number }[] = [];
  private readonly ranges: Range[] = [];

  constructor(
    private readonly edits: EditQueue,
    private readonly result: XlsxRewriteResult,
    private readonly maxRowChars: number,
  ) {}

  async *run(texts: AsyncIterable<string>): AsyncGenerator<Uint8Array, void, undefined> {
    const encoder = new TextEncoder();
    this.nextEdit = await this.edits.nextRow();
    for await (const text of texts) {
      const out = await this.feed(text, false);
      if (out.length > 0) yield encoder.encode(out);
    }
    const out = await this.feed("", true);
    if (out.length > 0) yield encoder.encode(out);
    if (this.phase !== POST) throw new TabularError("malformed_xml", "The worksheet XML has no complete <sheetData>.");
  }

  private async feed(text: string, final: boolean): Promise<string> {
    const s = this.carry.length === 0 ? text : this.carry + text;
    this.carry = "";
    let out = "";
    let pos = 0;
    if (this.phase === PRE) {
      const m = /<([A-Za-z_][\w.-]*:)?sheetData(?=[\s>/])/.exec(s);
      const end = m === null ? -1 : tagEnd(s, m.index);
      if (m === null || end < 0) {
        if (s.length > MAX_PRELUDE_CHARS) throw new TabularError("malformed_xml", "The worksheet has no <sheetData> where expected.");
        if (final) throw new TabularError("malformed_xml", "The worksheet XML has no complete <sheetData>.");
        this.carry = s;
        return "";
      }
      this.startData(s.slice(0, m.index), m[1] ?? "");
      if (s.charCodeAt(end - 1) === 47 /* / */) {
        // An empty sheet: `<sheetData/>` opens up to take any rows the edits add.
        const rows = await this.remainingRows();
        out += rows.length > 0 ? `${s.slice(0, end - 1).trimEnd()}>${rows}</${this.prefix}sheetData>` : s.slice(0, end + 1);
        this.phase = POST;
        return out + s.slice(end + 1);
      }
      out += s.slice(0, end + 1);
      pos = end + 1;
      this.phase = DATA;
    }
    if (this.phase === POST) return out + s.slice(pos);

    const len = s.length;
    let nRow = -2;
    let nF = -2;
    let nEnd = -2;
    while (pos < len) {
      if (nRow !== -1 && nRow < pos) nRow = findTag(s, this.rowOpen, pos);
      if (nF !== -1 && nF < pos) nF = findTag(s, this.fOpen, pos);
      if (nEnd !== -1 && nEnd < pos) nEnd = s.indexOf(this.dataClose, pos);
      const at = Math.min(nRow < 0 ? Infinity : nRow, nF < 0 ? Infinity : nF, nEnd < 0 ? Infinity : nEnd);
      if (at === Infinity) {
        // Nothing of interest: copy all but a tail that could hold the start of a tag.
        const keep = final ? len : Math.max(pos, len - this.dataClose.length - 2);
        out += s.slice(pos, keep);
        pos = keep;
        break;
      }
      if (at === nEnd) {
        out += s.slice(pos, at) + (await this.remainingRows());
        this.phase = POST;
        return out + s.slice(at);
      }
      const gt = tagEnd(s, at);
      if (gt < 0) break;
      if (at === nF) {
        this.noteFormula(s, at + this.fOpen.length, gt);
        out += s.slice(pos, gt + 1);
        pos = gt + 1;
        continue;
      }
      // A row.
      const r = xmlAttr(s, at + this.rowOpen.length, gt, "r");
      const n = r !== undefined ? parseInt(r, 10) : NaN;
      const row = Number.isFinite(n) && n > 0 ? n : this.rowNum + 1;
      if (this.nextEdit < row) {
        out += s.slice(pos, at);
        while (this.nextEdit < row) out += await this.newRow();
        pos = at;
      }
      if (this.nextEdit !== row) {
        this.rowNum = row;
        out += s.slice(pos, gt + 1);
        pos = gt + 1;
        continue;
      }
      const selfClosing = s.charCodeAt(gt - 1) === 47;
      let close = gt + 1;
      if (!selfClosing) {
        const c = s.indexOf(this.rowClose, gt);
        if (c < 0) {
          if (len - at > this.maxRowChars) throw new TabularError("malformed_xml", `Row ${row} of the worksheet is too large to edit.`);
          break;
        }
        close = c + this.rowClose.length;
      }
      this.rowNum = row;
      out += s.slice(pos, at) + this.editRow(s.slice(at, close), gt - at, selfClosing, row, await this.edits.takeRow());
      this.nextEdit = await this.edits.nextRow();
      pos = close;
    }
    if (pos < len) {
      if (final) throw new TabularError("malformed_xml", "The worksheet XML ends inside <sheetData>.");
      this.carry = s.slice(pos);
    }
    return out;
  }

  /** Learns the element prefix and the column styles from the part before the rows. */
  private startData(prelude: string, prefix: string): void {
    this.prefix = prefix;
    this.rowOpen = `<${prefix}row`;
    this.rowClose = `</${prefix}row>`;
    this.fOpen = `<${prefix}f`;
    this.dataClose = `</${prefix}sheetData>`;
    const open = `<${prefix}col`;
    for (let i = findTag(prelude, open, 0); i >= 0; i = findTag(prelude, open, i + 1)) {
      const gt = tagEnd(prelude, i);
      if (gt < 0) break;
      const attr = (name: string) => parseInt(xmlAttr(prelude, i + open.length, gt, name) ?? "", 10);
      const min = attr("min");
      const max = attr("max");
      const style = attr("style");
      if (min > 0 && max >= min && style >= 0) this.colStyles.push({ min, max, style });
    }
  }

  /** Remembers the cells an array formula or a data table spans (`<f>` attributes in s[start, end)). */
  private noteFormula(s: string, start: number, end: number): Range | null {
    const t = xmlAttr(s, start, end, "t");
    const ref = xmlAttr(s, start, end, "ref");
    if (ref === undefined || (t !== "array" && t !== "dataTable" && t !== "shared")) return null;
    const range = parseRange(ref, t === "array" ? "array_formula" : t === "dataTable" ? "data_table" : "shared_formula");
    // A shared formula's group may take values in its other cells; only its first cell matters.
    if (range !== null && t !== "shared" && this.ranges.length < MAX_RANGES) this.ranges.push(range);
    return range;
  }

  private spannedBy(row: number, col: number): XlsxSkipReason | null {
    for (const r of this.ranges) if (row >= r.r1 && row <= r.r2 && col >= r.c1 && col <= r.c2) return r.reason;
    return null;
  }

  private skip(sheetRow: number, column: number, reason: XlsxSkipReason): void {
    this.result.skippedCount++;
    if (this.result.skipped.length < MAX_SKIPPED) this.result.skipped.push({ sheetRow, column, reason });
  }

  /** Rows for every edit left (rows past the sheet's last one). */
  private async remainingRows(): Promise<string> {
    let out = "";
    while (this.nextEdit !== Infinity) out += await this.newRow();
    return out;
  }

  /** A new row for the next edited row, which the sheet does not have. */
  private async newRow(): Promise<string> {
    const row = this.nextEdit;
    const cells = await this.edits.takeRow();
    this.nextEdit = await this.edits.nextRow();
    let xml = "";
    for (const col of [...cells.keys()].sort((a, b) => a - b)) {
      const reason = this.spannedBy(row, col);
      if (reason !== null) {
        this.skip(row, col, reason);
        continue;
      }
      const cell = cellXml(columnLetters(col) + row, cells.get(col) ?? null, this.columnStyle(col), this.prefix);
      if (cell.length > 0) {
        xml += cell;
        this.result.cellsChanged++;
      }
    }
    if (xml.length === 0) return "";
    this.result.rowsAdded++;
    return `<${this.prefix}row r="${row}">${xml}</${this.prefix}row>`;
  }

  private columnStyle(col: number): number {
    for (const c of this.colStyles) if (col + 1 >= c.min && col + 1 <= c.max) return c.style;
    return -1;
  }

  /** Rebuilds one row element (`xml`, start tag ending at `gt`) with `edits` applied. */
  private editRow(xml: string, gt: number, selfClosing: boolean, row: number, edits: Map<number, CellValue>): string {
    const p = this.prefix;
    const cOpen = `<${p}c`;
    const cClose = `</${p}c>`;
    const startTag = selfClosing ? `${xml.slice(0, gt - 1).trimEnd()}>` : xml.slice(0, gt + 1);
    const rowAttr = (name: string) => xmlAttr(startTag, this.rowOpen.length, startTag.length - 1, name);
    const rowStyleAttr = rowAttr("s");
    const rowStyle = rowAttr("customFormat") === "1" && rowStyleAttr !== undefined ? parseInt(rowStyleAttr, 10) : -1;
    const bodyEnd = selfClosing ? xml.length : xml.length - this.rowClose.length;
    const pending = [...edits.keys()].sort((a, b) => a - b);
    let k = 0;
    let inserted = false;
    let body = "";
    let cursor = gt + 1;
    let col = -1;

    const insertBefore = (limit: number): void => {
      for (; k < pending.length && pending[k] < limit; k++) {
        const c = pending[k];
        const reason = this.spannedBy(row, c);
        if (reason !== null) {
          this.skip(row, c, reason);
          continue;
        }
        const style = rowStyle >= 0 ? rowStyle : this.columnStyle(c);
        const cell = cellXml(columnLetters(c) + row, edits.get(c) ?? null, style, p);
        if (cell.length > 0) {
          body += cell;
          inserted = true;
          this.result.cellsChanged++;
        }
      }
    };

    for (let i = selfClosing ? -1 : findTag(xml, cOpen, cursor); i >= 0 && i < bodyEnd; i = findTag(xml, cOpen, cursor)) {
      const tEnd = tagEnd(xml, i);
      const cellSelfClosing = xml.charCodeAt(tEnd - 1) === 47;
      const end = cellSelfClosing ? tEnd + 1 : xml.indexOf(cClose, tEnd) + cClose.length;
      if (tEnd < 0 || end < cClose.length) throw new TabularError("malformed_xml", `A cell of row ${row} is not closed.`);
      const attrStart = i + cOpen.length;
      const ref = xmlAttr(xml, attrStart, tEnd, "r");
      col = (ref !== undefined ? parseRef(ref)?.col : undefined) ?? col + 1;

      // Formulas inside the cell: an array or data-table master spans cells further on.
      let own: Range | null = null;
      if (!cellSelfClosing) {
        const content = xml.substring(tEnd, end);
        const f = findTag(content, this.fOpen, 0);
        const fEnd = f >= 0 ? tagEnd(content, f) : -1;
        if (fEnd >= 0) own = this.noteFormula(content, f + this.fOpen.length, fEnd);
      }

      body += xml.slice(cursor, i);
      cursor = i;
      insertBefore(col);
      if (k < pending.length && pending[k] === col) {
        k++;
        const multiCell = own !== null && (own.r1 !== own.r2 || own.c1 !== own.c2);
        const reason = multiCell ? own!.reason : this.spannedBy(row, col);
        if (reason !== null) {
          this.skip(row, col, reason);
        } else {
          const type = xmlAttr(xml, attrStart, tEnd, "t") ?? "n";
          const styleAttr = xmlAttr(xml, attrStart, tEnd, "s");
          const style = styleAttr !== undefined ? parseInt(styleAttr, 10) : -1;
          body += cellXml(ref ?? columnLetters(col) + row, typedValue(edits.get(col) ?? null, type), style, p);
          this.result.cellsChanged++;
          cursor = end;
          continue;
        }
      }
      body += xml.slice(cursor, end);
      cursor = end;
    }
    body += xml.slice(cursor, bodyEnd);
    const tail = selfClosing ? this.rowClose : xml.slice(bodyEnd);
    // New cells go before the end of the row, after any text there (there is none in practice).
    insertBefore(MAX_COLUMN + 1);
    // `spans` is an optional hint of the row's column range; a new cell may fall outside it.
    const head = inserted ? startTag.replace(/\sspans="[^"]*"/, "") : startTag;
    return head + body + tail;
  }
}

/** A string edit of a numeric cell stays a number when it is a plain decimal. */
function typedValue(value: CellValue, originalType: string): CellValue {
  if (typeof value === "string" && originalType === "n" && PLAIN_DECIMAL.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
}
