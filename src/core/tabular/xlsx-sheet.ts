import { detach } from "./bytes";
import type { RowProblem } from "./types";
import { decodeOoxmlEscapes, decodeXmlText, type XmlHandler, xmlAttr } from "./xml-scanner";

export interface SheetLimits {
  maxColumns: number;
  maxFieldLength: number;
}

/** `uncachedFormulas`: columns whose value is formula text because no computed result was saved. */
export type SheetRowSink = (sheetRow: number, values: string[], problem: RowProblem | undefined, uncachedFormulas: number[] | undefined) => void;

/** Stands for a shared string or cell text over the length limit. */
export const OVERSIZED = "\u0000";

/** Raw (still entity-encoded) text may run this much longer than the decoded limit. */
const RAW_SLACK = 6;

/**
 * Turns worksheet XML events into rows of strings. Cells are placed by their reference ("C7" →
 * column 2); missing cells are "". Values: shared (`t="s"`) and inline (`t="inlineStr"`)
 * strings as text; booleans as "TRUE"/"FALSE"; numbers, errors and formula results as written
 * in `<v>`. Dates stay Excel serial numbers (days since 1899-12-30): telling a date from a
 * number needs the cell style, which this reader does not load. Rows without a value are not
 * reported. A formula saved without its result (or with an empty one: openpyxl and other
 * libraries write `<v></v>`) reads as its formula text, "=" first, and its column is listed in
 * the row's `uncachedFormulas`; a shared formula's follower cell has no text of its own and
 * reads as "" (still listed).
 *
 * With `countShared` set it only counts shared-string references (first pass of the
 * reference-counted reader) and reports no rows.
 */
export class SheetHandler implements XmlHandler {
  wantText = false;
  private rowNum = 0;
  private values: string[] = [];
  private problem: RowProblem | undefined;
  private col = -1;
  private lastCol = -1;
  private type = "n";
  private raw = "";
  private rawTooLong = false;
  private cellRaw = "";
  private hasValue = false;
  private inline = "";
  private inIs = false;
  private inPhonetic = 0;
  private inFormula = false;
  private hasFormula = false;
  private formula = "";
  private uncached: number[] | undefined;

  constructor(
    private readonly limits: SheetLimits,
    private readonly sharedString: (index: number) => string,
    private readonly emit: SheetRowSink,
    private readonly countShared?: (index: number) => void,
  ) {}

  open(name: string, s: string, start: number, end: number, selfClosing: boolean): number | void {
    switch (name) {
      case "c": {
        this.readCellTag(s, start, end);
        this.lastCol = this.col;
        this.hasValue = false;
        this.hasFormula = false;
        this.formula = "";
        this.cellRaw = "";
        this.inline = "";
        if (!selfClosing) return this.plainCell(s, end + 1);
        break;
      }
      case "v":
        if (!selfClosing) this.startText();
        break;
      case "f":
        this.hasFormula = true;
        if (!selfClosing) {
          this.inFormula = true;
          this.startText();
        }
        break;
      case "t":
        if (this.inIs && this.inPhonetic === 0 && !selfClosing) this.startText();
        break;
      case "is":
        if (!selfClosing) this.inIs = true;
        break;
      case "rPh":
        if (!selfClosing) this.inPhonetic++;
        break;
      case "row": {
        const r = xmlAttr(s, start, end, "r");
        const n = r !== undefined ? parseInt(r, 10) : NaN;
        this.rowNum = Number.isFinite(n) && n > 0 ? n : this.rowNum + 1;
        this.values = [];
        this.problem = undefined;
        this.uncached = undefined;
        this.lastCol = -1;
        if (selfClosing) this.close("row");
        break;
      }
    }
  }

  close(name: string): void {
    switch (name) {
      case "f":
        if (this.inFormula) {
          this.inFormula = false;
          this.wantText = false;
          this.formula = this.raw;
        }
        break;
      case "v":
        if (this.wantText) {
          this.wantText = false;
          this.cellRaw = this.raw;
          this.hasValue = true;
        }
        break;
      case "t":
        if (this.wantText) {
          this.wantText = false;
          this.inline += this.raw;
          this.hasValue = true;
        }
        break;
      case "is":
        this.inIs = false;
        break;
      case "rPh":
        if (this.inPhonetic > 0) this.inPhonetic--;
        break;
      case "c":
        this.finishCell();
        break;
      case "row":
        if (this.countShared === undefined && (this.values.length > 0 || this.problem !== undefined)) {
          this.emit(this.rowNum, this.values, this.problem, this.uncached);
        }
        this.values = [];
        break;
    }
  }

  text(raw: string, cdata: boolean): void {
    if (this.rawTooLong) return;
    // Text is decoded once the element closes; escape CDATA so decoding leaves it as written.
    this.raw += cdata ? raw.replaceAll("&", "&amp;") : raw;
    if (this.raw.length > this.limits.maxFieldLength * RAW_SLACK) {
      this.rawTooLong = true;
      this.raw = "";
    }
  }

  /**
   * Reads `r` (as a column index, without allocating the reference) and `t` from a `<c>` tag in
   * one pass: this runs once per cell.
   */
  private readCellTag(s: string, start: number, end: number): void {
    let col = -1;
    let type = "n";
    let i = start;
    while (i < end) {
      let c = s.charCodeAt(i);
      if (c <= 32) {
        i++;
        continue;
      }
      const ns = i;
      while (i < end && c !== 61 /* = */ && c > 32) c = s.charCodeAt(++i);
      const nameLen = i - ns;
      const name = nameLen === 1 ? s.charCodeAt(ns) : 0;
      while (i < end && s.charCodeAt(i) !== 34 && s.charCodeAt(i) !== 39) i++;
      if (i >= end) break;
      const quote = s.charCodeAt(i);
      const vs = i + 1;
      let ve = vs;
      while (ve < end && s.charCodeAt(ve) !== quote) ve++;
      if (name === 114 /* r */) {
        let n = 0;
        for (let k = vs; k < ve; k++) {
          const l = s.charCodeAt(k) | 0x20;
          if (l < 97 || l > 122) break;
          n = n * 26 + (l - 96);
          if (n > 1 << 20) break;
        }
        col = n - 1;
      } else if (name === 116 /* t */) {
        type = cellType(s, vs, ve);
      }
      i = ve + 1;
    }
    this.col = col >= 0 ? col : this.lastCol + 1;
    this.type = type;
  }

  /**
   * Most cells are `<v>…</v></c>` or `<is><t>…</t></is></c>` with nothing else inside: read those
   * whole, as the tag-by-tag path would (raw text, decoded by `finishCell`), instead of five more
   * tags through the scanner. Anything else — formulas, rich text, `xml:space`, CDATA, a cell cut
   * by the end of the piece — goes tag by tag.
   */
  private plainCell(s: string, from: number): number | undefined {
    const inline = this.type === "inlineStr";
    const head = inline ? "<is><t>" : "<v>";
    const tail = inline ? "</t></is></c>" : "</v></c>";
    if ((inline && this.inPhonetic !== 0) || !s.startsWith(head, from)) return undefined;
    const textFrom = from + head.length;
    const textTo = s.indexOf("<", textFrom);
    if (textTo < 0 || !s.startsWith(tail, textTo)) return undefined;
    const raw = s.slice(textFrom, textTo);
    this.rawTooLong = raw.length > this.limits.maxFieldLength * RAW_SLACK;
    const text = this.rawTooLong ? "" : raw;
    if (inline) this.inline = text;
    else this.cellRaw = text;
    this.hasValue = true;
    this.finishCell();
    return textTo + tail.length;
  }

  private startText(): void {
    this.wantText = true;
    this.raw = "";
  }

  private finishCell(): void {
    const col = this.col;
    const tooLong = this.rawTooLong;
    this.rawTooLong = false;
    const uncached = this.hasFormula && this.type !== "inlineStr" && (!this.hasValue || this.cellRaw.length === 0);
    if (!this.hasValue && !tooLong && !uncached) return;
    if (this.countShared !== undefined) {
      if (this.type === "s" && !tooLong && !uncached) this.countShared(parseInt(this.cellRaw, 10));
      return;
    }
    const { maxColumns, maxFieldLength } = this.limits;
    if (col < 0 || col >= maxColumns) {
      this.problem ??= { code: "too_many_columns", limit: maxColumns, actual: col + 1 };
      return;
    }
    if (uncached) (this.uncached ??= []).push(col);
    let v = OVERSIZED;
    if (tooLong) {
      // Reported below as field_too_large.
    } else if (uncached) {
      v = this.formula.length > 0 ? detach("=" + decodeOoxmlEscapes(decodeXmlText(this.formula))) : "";
    } else {
      switch (this.type) {
        case "s": {
          const i = parseInt(this.cellRaw, 10);
          v = i >= 0 ? this.sharedString(i) : "";
          break;
        }
        case "inlineStr":
          v = detach(decodeOoxmlEscapes(decodeXmlText(this.inline)));
          break;
        case "str":
          v = detach(decodeOoxmlEscapes(decodeXmlText(this.cellRaw)));
          break;
        case "b": {
          const b = this.cellRaw.trim();
          v = b === "1" ? "TRUE" : b === "0" ? "FALSE" : b;
          break;
        }
        default:
          v = detach(decodeXmlText(this.cellRaw).trim());
      }
    }
    if (v === OVERSIZED || v.length > maxFieldLength) {
      this.problem ??= { code: "field_too_large", column: col, limit: maxFieldLength };
      v = "";
    }
    if (v.length === 0) return;
    const values = this.values;
    while (values.length < col) values.push("");
    values[col] = v;
  }
}

/** A cell's `t` attribute, without allocating it when it is one of the types OOXML defines. */
function cellType(s: string, from: number, to: number): string {
  const n = to - from;
  if (n === 1) {
    switch (s.charCodeAt(from)) {
      case 115:
        return "s";
      case 110:
        return "n";
      case 98:
        return "b";
      case 101:
        return "e";
      case 100:
        return "d";
    }
  } else if (n === 9 && s.startsWith("inlineStr", from)) return "inlineStr";
  else if (n === 3 && s.startsWith("str", from)) return "str";
  return s.slice(from, to);
}

/**
 * Reads `sharedStrings.xml`: each `<si>` is the concatenation of its `<t>` runs, phonetic
 * (`<rPh>`) runs excluded. Only strings for which `keep(index)` holds are decoded and stored.
 */
export class SharedStringsHandler implements XmlHandler {
  wantText = false;
  private index = 0;
  private item = "";
  private raw = "";
  private inItem = false;
  private inPhonetic = 0;
  private tooLong = false;

  constructor(
    private readonly keep: (index: number) => boolean,
    private readonly store: (index: number, value: string) => void,
    private readonly maxLength: number,
  ) {}

  get count(): number {
    return this.index;
  }

  open(name: string, _s: string, _start: number, _end: number, selfClosing: boolean): void {
    if (name === "si") {
      this.inItem = true;
      this.item = "";
      this.tooLong = false;
      if (selfClosing) this.close("si");
    } else if (name === "rPh") {
      if (!selfClosing) this.inPhonetic++;
    } else if (name === "t") {
      if (this.inItem && this.inPhonetic === 0 && !selfClosing && this.keep(this.index)) {
        this.wantText = true;
        this.raw = "";
      }
    }
  }

  close(name: string): void {
    if (name === "t") {
      if (this.wantText) {
        this.wantText = false;
        this.item += this.raw;
        if (this.item.length > this.maxLength * RAW_SLACK) {
          this.tooLong = true;
          this.item = "";
        }
      }
    } else if (name === "rPh") {
      if (this.inPhonetic > 0) this.inPhonetic--;
    } else if (name === "si") {
      if (this.inItem && this.keep(this.index)) {
        const v = this.tooLong ? OVERSIZED : detach(decodeOoxmlEscapes(decodeXmlText(this.item)));
        this.store(this.index, v.length > this.maxLength ? OVERSIZED : v);
      }
      this.inItem = false;
      this.item = "";
      this.index++;
    }
  }

  text(raw: string, cdata: boolean): void {
    if (this.raw.length <= this.maxLength * RAW_SLACK) this.raw += cdata ? raw.replaceAll("&", "&amp;") : raw;
  }
}
